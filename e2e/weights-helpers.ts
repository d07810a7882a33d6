import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { Page } from 'playwright-core';
import type { HubRequest } from '../tools/hub/index.ts';

// Reads and damages the app's IndexedDB weight store from a test, with raw IndexedDB calls in the
// page (the same databases the worker writes), so assertions see what is really stored.

export interface StoredRecord {
  key: string;
  size: number;
  chunkSize: number;
  storedChunks: number;
  complete: boolean;
  sha256: string | null;
}

export const fileKey = (repo: string, path: string) => `${repo}@main/${path}`;

export async function hubFile(repo: string, path: string): Promise<{ size: number; sha256: string }> {
  const bytes = await readFile(join(inject('hubRoot'), repo, path));
  return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The weight store's record of one file, or null. */
export function storedRecord(page: Page, key: string): Promise<StoredRecord | null> {
  return page.evaluate(async (key) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('ponder-weight-files');
      r.onupgradeneeded = () => r.result.createObjectStore('files');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const value = await new Promise<unknown>((resolve, reject) => {
      const r = db.transaction('files').objectStore('files').get(key);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    db.close();
    return (value ?? null) as StoredRecord | null;
  }, key);
}

/**
 * Runs `fn` on the chunk store of one file inside the page: `read` returns sha256 of the stored
 * chunks concatenated; `corrupt` flips one byte of chunk `index`; `lose` deletes it (as a disk that lost its file).
 */
function onChunks(page: Page, key: string, op: { kind: 'read'; count: number } | { kind: 'corrupt' | 'lose'; index: number }): Promise<string> {
  return page.evaluate(
    async ({ key, op }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('ponder-weight-chunks');
        r.onupgradeneeded = () => r.result.createObjectStore('chunks');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const req = <T,>(r: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
      try {
        if (op.kind === 'read') {
          const parts: Blob[] = [];
          for (let i = 0; i < op.count; i++) parts.push((await req(db.transaction('chunks').objectStore('chunks').get([key, i]))) as Blob);
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await new Blob(parts).arrayBuffer()));
          return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
        }
        if (op.kind === 'lose') {
          await req(db.transaction('chunks', 'readwrite').objectStore('chunks').delete([key, op.index]));
          return 'ok';
        }
        const blob = (await req(db.transaction('chunks').objectStore('chunks').get([key, op.index]))) as Blob;
        const bytes = new Uint8Array(await blob.arrayBuffer());
        bytes[bytes.length >> 1]! ^= 0xff;
        await req(db.transaction('chunks', 'readwrite').objectStore('chunks').put(new Blob([bytes]), [key, op.index]));
        return 'ok';
      } finally {
        db.close();
      }
    },
    { key, op },
  );
}

/** sha256 of a stored file's bytes, read back chunk by chunk. */
export async function storedSha256(page: Page, key: string): Promise<string> {
  const record = await storedRecord(page, key);
  if (!record) throw new Error(`${key} is not stored`);
  return onChunks(page, key, { kind: 'read', count: record.storedChunks });
}

export async function corruptStoredChunk(page: Page, key: string, index: number): Promise<void> {
  await onChunks(page, key, { kind: 'corrupt', index });
}

export async function loseStoredChunk(page: Page, key: string, index: number): Promise<void> {
  await onChunks(page, key, { kind: 'lose', index });
}

export function storageEstimate(page: Page): Promise<{ usage: number; quota: number }> {
  return page.evaluate(async () => {
    const { usage = 0, quota = 0 } = await navigator.storage.estimate();
    return { usage, quota };
  });
}

/** GETs of one file in the hub log, in order. */
export const getsOf = (requests: readonly HubRequest[], path: string) =>
  requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/${path}`));

/** First byte a request asked for (0 without a Range header). */
export const rangeStart = (r: HubRequest) => Number(/bytes=(\d+)-/.exec(r.range ?? '')?.[1] ?? 0);
