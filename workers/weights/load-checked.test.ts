import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelSource } from '../protocol';
import { chunkDigest } from './digest';
import type { ModelManifest } from './manifest';
import type { Served } from './model-view';
import type { StoredFile } from './store';

// loadChecked with the real chunk check (inline here, as Node has no Worker) over a weight store kept
// in memory; ensureModel stands in for the download and serve steps, which have tests of their own.
const db = vi.hoisted(() => ({ files: new Map<string, StoredFile>(), chunks: new Map<string, Blob>(), manifest: undefined as ModelManifest | undefined }));
vi.mock('./store', async (importActual) => ({
  ...(await importActual<typeof import('./store')>()),
  getFile: async (key: string) => structuredClone(db.files.get(key)),
  getChunk: async (key: string, index: number) => db.chunks.get(`${key}#${index}`),
}));
vi.mock('./inventory', async (importActual) => ({ ...(await importActual<typeof import('./inventory')>()), getManifest: async () => db.manifest }));
const ensure = vi.hoisted(() => ({ calls: [] as (readonly string[] | undefined)[], fail: null as Error | null }));
const SERVED: Served = { dtype: 'q4f16', dataChunks: 1, attention: 'other' };
vi.mock('./ensure-model', () => ({
  ensureModel: async (_source: unknown, _progress: unknown, checkedBeside?: readonly string[]) => {
    ensure.calls.push(checkedBeside);
    const failure = ensure.fail;
    ensure.fail = null;
    if (failure) throw failure;
    return { manifest: db.manifest, served: SERVED };
  },
}));

// storeFetch's signal that it failed to serve a stored file (a missing chunk), as the loads below report it.
const serving = vi.hoisted(() => ({ failed: Promise.resolve(), fail: () => {} }));
vi.mock('./store-fetch', () => ({ servingFailed: () => serving.failed }));

const { loadChecked } = await import('./load-checked');

const SOURCE = { repo: 'org/m', revision: 'main', dtypes: ['q4f16'], device: 'wasm', host: 'http://hub.test' } as unknown as ModelSource;
const KEY = 'org/m@main/onnx/model_q4f16.onnx';
const CHUNK = 64 * 1024;
const never = new Promise<never>(() => {});

async function storeModel(): Promise<void> {
  const data = new Uint8Array(randomBytes(3 * CHUNK - 100));
  const chunkDigests: string[] = [];
  for (let i = 0; i < 3; i++) {
    const bytes = data.subarray(i * CHUNK, (i + 1) * CHUNK);
    db.chunks.set(`${KEY}#${i}`, new Blob([bytes.slice()]));
    chunkDigests.push(await chunkDigest(bytes));
  }
  const file: StoredFile = {
    key: KEY, repo: 'org/m', revision: 'main', path: 'onnx/model_q4f16.onnx', size: data.length, etag: null, sha256: null,
    chunkSize: CHUNK, storedChunks: 3, chunkDigests, hashState: null, complete: true, updatedAt: 0,
  };
  db.files.set(KEY, file);
  db.manifest = { files: [{ key: KEY, path: file.path, repo: 'org/m', revision: 'main', size: file.size }] } as unknown as ModelManifest;
}

async function damageChunk(index: number): Promise<void> {
  const bytes = new Uint8Array(await db.chunks.get(`${KEY}#${index}`)!.arrayBuffer());
  bytes[5]! ^= 0x10;
  db.chunks.set(`${KEY}#${index}`, new Blob([bytes]));
}

beforeEach(async () => {
  db.files.clear();
  db.chunks.clear();
  ensure.calls = [];
  ensure.fail = null;
  serving.failed = new Promise<void>((resolve) => (serving.fail = resolve));
  await storeModel();
});

describe('loadChecked', () => {
  it('loads a stored model while its chunks are checked, without reading them back before the load', async () => {
    const discard = vi.fn(async () => {});
    const { value } = await loadChecked(SOURCE, () => {}, async () => 'model', discard);
    expect(value).toBe('model');
    expect(ensure.calls).toEqual([[KEY]]);
    expect(discard).not.toHaveBeenCalled();
  });

  it('a chunk the store failed to serve: the load that never settles is given up, the model ensured the usual way and loaded again', async () => {
    db.chunks.delete(`${KEY}#2`);
    const loads: string[] = [];
    const { value } = await loadChecked(
      SOURCE,
      () => {},
      (served) => {
        loads.push(served.dtype);
        if (loads.length > 1) return Promise.resolve('repaired');
        // The first load asks for the file with a missing chunk: storeFetch fails that request,
        // which transformers.js never reports, so its load never settles.
        serving.fail();
        return never;
      },
      async () => {},
    );
    expect(value).toBe('repaired');
    expect(ensure.calls).toEqual([[KEY], undefined]);
    expect(loads).toHaveLength(2);
  });

  it('a damaged chunk under a load still running: that load ends and what it made is discarded before the model loads again', async () => {
    await damageChunk(0);
    const events: string[] = [];
    const { value } = await loadChecked(
      SOURCE,
      () => {},
      async () => {
        const n = events.filter((e) => e.startsWith('load')).length + 1;
        events.push(`load ${n}`);
        // Damaged bytes read without failing: the first load takes its time and succeeds.
        if (n === 1) await new Promise((r) => setTimeout(r, 50));
        events.push(`made ${n}`);
        return `model ${n}`;
      },
      async (v) => void events.push(`discarded ${v}`),
    );
    expect(value).toBe('model 2');
    // Never two models at once: the second load starts only once the first one's model is gone.
    expect(events).toEqual(['load 1', 'made 1', 'discarded model 1', 'load 2', 'made 2']);
  });

  it('a chunk missing from the store is found as damage too, also when serving the files failed on it', async () => {
    db.chunks.delete(`${KEY}#1`);
    ensure.fail = new Error('Chunks 1..1 of the file are missing or damaged in the weight store');
    const { value } = await loadChecked(SOURCE, () => {}, async () => 'model', async () => {});
    expect(value).toBe('model');
    expect(ensure.calls).toEqual([[KEY], undefined]);
  });

  it('an intact model whose load fails reports that failure, without loading again', async () => {
    let loads = 0;
    await expect(
      loadChecked(
        SOURCE,
        () => {},
        async () => {
          loads++;
          throw new Error('out of memory');
        },
        async () => {},
      ),
    ).rejects.toThrow('out of memory');
    expect(loads).toBe(1);
    expect(ensure.calls).toEqual([[KEY]]);
  });

  it('a model not yet (or not wholly) stored is ensured the usual way, with nothing checked beside', async () => {
    db.files.set(KEY, { ...db.files.get(KEY)!, complete: false });
    await loadChecked(SOURCE, () => {}, async () => 'model', async () => {});
    db.manifest = undefined;
    await loadChecked(SOURCE, () => {}, async () => 'model', async () => {});
    expect(ensure.calls).toEqual([undefined, undefined]);
  });
});
