import { createStore, get, set, del, values, promisifyRequest, type UseStore } from 'idb-keyval';
import type { Sha256State } from './sha256';

// Model files live in IndexedDB as fixed-size chunks, so an interrupted download resumes from the
// last stored chunk and nothing is kept twice (transformers.js's own Cache API copy is turned off).
// Two databases because idb-keyval keeps one object store per database; a chunk is written before
// its file record, so a crash between the two only costs re-downloading that chunk.

export interface StoredFile {
  /** `repo@revision/path`: the host is left out so a mirror serves the same stored bytes. */
  key: string;
  repo: string;
  revision: string;
  path: string;
  size: number;
  etag: string | null;
  /** The file's sha256 as the host published it (LFS), checked before the file is marked complete. */
  sha256: string | null;
  chunkSize: number;
  /** Chunks 0..storedChunks-1 are in the chunk store. */
  storedChunks: number;
  /** sha256 of each stored chunk as received, so a chunk damaged on disk is found and re-fetched alone. */
  chunkDigests: string[];
  /**
   * The whole-file hash after the stored chunks, so a resumed download continues it. Records from
   * before hash-wasm hold the pure-JS hash's `{h, length, pending}`: those chunks are hashed again.
   */
  hashState: Sha256State | null;
  complete: boolean;
  updatedAt: number;
}

const files: UseStore = createStore('ponder-weight-files', 'files');
const chunks: UseStore = createStore('ponder-weight-chunks', 'chunks');
const derived: UseStore = createStore('ponder-weight-derived', 'derived');

/**
 * Bytes computed from a stored file and kept beside it (the small graph an inline model is served
 * as: onnx-inline.ts): `of` names the stored bytes they were made from, `digest` checks them.
 */
export interface Derived {
  of: string;
  bytes: Uint8Array;
  digest: string;
}

export function fileKey(repo: string, revision: string, path: string): string {
  return `${repo}@${revision}/${path}`;
}

export function storedBytes(file: StoredFile): number {
  return Math.min(file.size, file.storedChunks * file.chunkSize);
}

const MIN_CHUNK = 64 * 1024;
const MAX_CHUNK = 16 * 1024 * 1024;

/** About eight chunks per small file, 16 MiB for large ones: resume granularity scales with size. */
export function chooseChunkSize(size: number): number {
  let chunk = MIN_CHUNK;
  while (chunk < MAX_CHUNK && chunk * 8 < size) chunk *= 2;
  return chunk;
}

export function getFile(key: string): Promise<StoredFile | undefined> {
  return get<StoredFile>(key, files);
}

export function putFile(file: StoredFile): Promise<void> {
  return set(file.key, { ...file, updatedAt: Date.now() }, files);
}

export function listFiles(): Promise<StoredFile[]> {
  return values<StoredFile>(files);
}

/** Stores chunk `index` of a file: its bytes, in one or more pieces, become one Blob (a copy, taken now). */
export function putChunk(key: string, index: number, pieces: readonly Uint8Array[]): Promise<void> {
  return set([key, index], new Blob(pieces as Uint8Array<ArrayBuffer>[]), chunks);
}

export async function getChunk(key: string, index: number): Promise<Blob | undefined> {
  return get<Blob>([key, index], chunks);
}

/** Byte length of chunk `index` of a file (the last one is usually shorter). */
export function chunkLength(file: Pick<StoredFile, 'size' | 'chunkSize'>, index: number): number {
  return Math.max(0, Math.min(file.chunkSize, file.size - index * file.chunkSize));
}

/**
 * Bytes `[start, end)` of a stored file as one Blob over its chunks (no copy until it is read).
 * Chromium fails to read a Blob over IndexedDB chunks back above 2 GiB ("Failed to fetch"), so
 * larger files are served as several ranges (see model-view.ts).
 */
export async function readRange(file: StoredFile, start: number, end: number): Promise<Blob> {
  const available = storedBytes(file);
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && 0 <= start && start <= end && end <= available)) {
    throw new RangeError(`Bytes ${start}..${end} are outside the ${available} stored bytes of ${file.key}`);
  }
  if (start === end) return new Blob([]);
  const first = Math.floor(start / file.chunkSize);
  const last = Math.floor((end - 1) / file.chunkSize);
  const parts = (await chunks('readonly', (store) => promisifyRequest(store.getAll(IDBKeyRange.bound([file.key, first], [file.key, last]))))) as Blob[];
  if (parts.length !== last - first + 1 || parts.some((p, i) => p.size !== chunkLength(file, first + i))) {
    throw new Error(`Chunks ${first}..${last} of ${file.key} are missing or damaged in the weight store`);
  }
  return new Blob(parts).slice(start - first * file.chunkSize, end - first * file.chunkSize);
}

export function readFile(file: StoredFile): Promise<Blob> {
  return readRange(file, 0, storedBytes(file));
}

export async function deleteChunksFrom(key: string, fromIndex: number): Promise<void> {
  await chunks('readwrite', (store) =>
    promisifyRequest(store.delete(IDBKeyRange.bound([key, fromIndex], [key, Number.MAX_SAFE_INTEGER]))),
  );
}

export function getDerived(key: string): Promise<Derived | undefined> {
  return get<Derived>(key, derived);
}

export function putDerived(key: string, value: Derived): Promise<void> {
  return set(key, value, derived);
}

export function deleteDerived(key: string): Promise<void> {
  return del(key, derived);
}

export async function deleteFile(key: string): Promise<void> {
  await deleteChunksFrom(key, 0);
  await deleteDerived(key);
  await del(key, files);
}
