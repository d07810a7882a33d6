import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InThreadWorker } from './in-thread-worker';
import type { StoredFile } from './store';

// The weight store as IndexedDB keeps it, in memory: every record and chunk is a copy, so what a
// later call reads is only what was persisted (as after a page reload).
const db = vi.hoisted(() => ({ files: new Map<string, StoredFile>(), chunks: new Map<string, Blob>(), derived: new Set<string>() }));
vi.mock('./store', async (importActual) => {
  const actual = await importActual<typeof import('./store')>();
  const chunkKey = (key: string, index: number) => `${key}#${index}`;
  return {
    ...actual,
    getFile: async (key: string) => structuredClone(db.files.get(key)),
    putFile: async (file: StoredFile) => void db.files.set(file.key, structuredClone(file)),
    putChunk: async (key: string, index: number, pieces: Uint8Array<ArrayBuffer>[]) => void db.chunks.set(chunkKey(key, index), new Blob(pieces)),
    getChunk: async (key: string, index: number) => db.chunks.get(chunkKey(key, index)),
    deleteChunksFrom: async (key: string, from: number) => {
      for (let i = from; db.chunks.delete(chunkKey(key, i)); i++);
    },
    deleteDerived: async (key: string) => void db.derived.delete(key),
  };
});

const { ensureStored } = await import('./download');
const { chooseChunkSize } = await import('./store');

const SIZE = 1_000_003;
const CHUNK = chooseChunkSize(SIZE);
const data = new Uint8Array(randomBytes(SIZE));
const sha256 = createHash('sha256').update(data).digest('hex');
const remote = { url: 'http://hub.test/org/m/resolve/main/onnx/model.onnx', key: 'org/m@main/onnx/model.onnx', repo: 'org/m', revision: 'main', path: 'onnx/model.onnx', size: SIZE, sha256 };

/** What the host does with one request: answer with a status, drop the connection at a byte, or flip one. */
interface Behaviour {
  status?: number;
  cutAt?: number;
  corruptAt?: number;
  /** The body's pieces are views into one buffer, as a stream may hand them out. */
  views?: boolean;
}

/** Serves `data` with Range support as the hub does; each request takes the next behaviour of `plan`. */
function serve(plan: Behaviour[] = []): number[] {
  const starts: number[] = [];
  vi.stubGlobal('fetch', async (_url: string, init?: RequestInit) => {
    const range = new Headers(init?.headers).get('range');
    const [, from, to] = range ? (/^bytes=(\d+)-(\d*)$/.exec(range) ?? []) : [];
    const start = Number(from ?? 0);
    const last = to ? Number(to) : SIZE - 1;
    starts.push(start);
    const { status, cutAt, corruptAt, views } = plan.shift() ?? {};
    if (status) return new Response('unavailable', { status });
    const body = data.slice(start, last + 1);
    if (corruptAt !== undefined) body[corruptAt - start]! ^= 0x01;
    const end = cutAt === undefined ? body.length : cutAt - start;
    let pos = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pos === end) return end === body.length ? controller.close() : controller.error(new TypeError('network connection lost'));
        const piece = (views ? body.subarray : body.slice).call(body, pos, Math.min(end, pos + 50_000));
        pos += piece.length;
        controller.enqueue(piece);
      },
    });
    const headers = { 'content-length': String(body.length), etag: `"${sha256}"`, ...(range ? { 'content-range': `bytes ${start}-${last}/${SIZE}` } : {}) };
    return new Response(stream, { status: range ? 206 : 200, headers });
  });
  return starts;
}

const record = () => db.files.get(remote.key)!;
/** The sha256 of the stored chunks together (toEqual on a megabyte of bytes takes seconds). */
const storedSha256 = async () =>
  createHash('sha256')
    .update(new Uint8Array(await new Blob(Array.from({ length: record().storedChunks }, (_, i) => db.chunks.get(`${remote.key}#${i}`)!)).arrayBuffer()))
    .digest('hex');

/** Leaves the first `chunks` chunks stored and the download unfinished, as a closed tab does. */
async function interruptAfter(chunks: number): Promise<void> {
  // The connection drops mid-chunk, the automatic resume is refused: the error reaches the user.
  serve([{ cutAt: chunks * CHUNK + 1000 }, { status: 503 }]);
  await expect(ensureStored(remote, () => {})).rejects.toThrow(/503/);
  expect(record()).toMatchObject({ storedChunks: chunks, complete: false });
}

beforeEach(() => {
  db.files.clear();
  db.chunks.clear();
  db.derived.clear();
});
afterEach(() => vi.unstubAllGlobals());

// The whole-file hash runs inline where there are no workers, and in its own worker in browsers.
describe.each([
  ['inline', null],
  ['in a worker', InThreadWorker],
])('ensureStored, hashing %s', (_, worker) => {
  beforeEach(() => {
    if (worker) vi.stubGlobal('Worker', worker);
  });

  it('stores a file in chunks, each record carrying the hash so far, and checks the whole file', async () => {
    const starts = serve();
    const file = await ensureStored(remote, () => {});
    expect(starts).toEqual([0]);
    expect(file).toMatchObject({ complete: true, storedChunks: Math.ceil(SIZE / CHUNK), sha256 });
    expect(file.chunkDigests).toHaveLength(file.storedChunks);
    expect(record().hashState).toBeInstanceOf(Uint8Array);
    expect(await storedSha256()).toBe(sha256);
  });

  it('resumes after a reload from the last stored chunk, continuing the saved hash', async () => {
    await interruptAfter(3);
    const starts = serve();
    const file = await ensureStored(remote, () => {});
    expect(starts).toEqual([3 * CHUNK]);
    expect(file.complete).toBe(true);
    expect(await storedSha256()).toBe(sha256);
  });

  it('resumes a record saved by the pure-JS hash by hashing its stored chunks again', async () => {
    await interruptAfter(3);
    // That hash's state is not read at all (these words are not even the right ones): the chunks are.
    db.files.set(remote.key, { ...record(), hashState: { h: [1, 2, 3, 4, 5, 6, 7, 8], length: 3 * CHUNK, pending: [] } as never });
    const starts = serve();
    const file = await ensureStored(remote, () => {});
    expect(starts).toEqual([3 * CHUNK]);
    expect(file.complete).toBe(true);
    expect(await storedSha256()).toBe(sha256);
  });

  it('resumes a record of an earlier build, whose chunk digests are SHA-256, checking each chunk by it', async () => {
    await interruptAfter(3);
    const sha256Of = async (i: number) => createHash('sha256').update(new Uint8Array(await db.chunks.get(`${remote.key}#${i}`)!.arrayBuffer())).digest('hex');
    const chunkDigests = await Promise.all([0, 1, 2].map(sha256Of));
    // Chunk 1 is damaged on disk: the resume keeps chunk 0 and downloads from chunk 1.
    const damaged = new Uint8Array(await db.chunks.get(`${remote.key}#1`)!.arrayBuffer());
    damaged[11]! ^= 0x04;
    db.chunks.set(`${remote.key}#1`, new Blob([damaged]));
    db.files.set(remote.key, { ...record(), chunkDigests, hashState: null });
    const starts = serve();
    const file = await ensureStored(remote, () => {});
    expect(starts).toEqual([CHUNK]);
    expect(file.complete).toBe(true);
    expect(file.chunkDigests[0]).toBe(chunkDigests[0]);
    expect(file.chunkDigests.slice(1).every((d) => d.startsWith('xxh64:'))).toBe(true);
    expect(await storedSha256()).toBe(sha256);
  });

  it('when hashing stored chunks again, downloads again from the first one that is damaged', async () => {
    await interruptAfter(3);
    const damaged = new Uint8Array(await db.chunks.get(`${remote.key}#1`)!.arrayBuffer());
    damaged[7]! ^= 0xff;
    db.chunks.set(`${remote.key}#1`, new Blob([damaged]));
    db.files.set(remote.key, { ...record(), hashState: null });
    const starts = serve();
    const file = await ensureStored(remote, () => {});
    expect(starts).toEqual([CHUNK]);
    expect(file.complete).toBe(true);
    expect(await storedSha256()).toBe(sha256);
  });

  it('refuses a file whose bytes were corrupted after a resume, and keeps none of it', async () => {
    await interruptAfter(3);
    // Every download after the cut flips a byte: the resumed one, then the whole file fetched again.
    const starts = serve([{ corruptAt: 5 * CHUNK + 3 }, { corruptAt: 5 * CHUNK + 3 }]);
    await expect(ensureStored(remote, () => {})).rejects.toThrow(/did not match the checksum/);
    expect(starts).toEqual([3 * CHUNK, 0]);
    expect(record()).toMatchObject({ storedChunks: 0, complete: false });
    expect(db.chunks.size).toBe(0);
  });

  it('stores a body whose pieces share one buffer without handing that buffer away', async () => {
    const starts = serve([{ views: true }]);
    const file = await ensureStored(remote, () => {});
    expect(starts).toEqual([0]);
    expect(file.complete).toBe(true);
    expect(await storedSha256()).toBe(sha256);
  });

  it('finds a chunk of a stored file damaged on disk, fetches that chunk alone, and drops what was derived from the file', async () => {
    serve();
    await ensureStored(remote, () => {});
    db.derived.add(remote.key);
    const damaged = new Uint8Array(await db.chunks.get(`${remote.key}#2`)!.arrayBuffer());
    damaged[100]! ^= 0x01;
    db.chunks.set(`${remote.key}#2`, new Blob([damaged]));
    const starts = serve();
    const file = await ensureStored(remote, () => {});
    expect(starts).toEqual([2 * CHUNK]);
    expect(file.complete).toBe(true);
    expect(await storedSha256()).toBe(sha256);
    // A small graph walked from the damaged bytes would otherwise be served again.
    expect(db.derived.has(remote.key)).toBe(false);
  });

  it('leaves a complete file unread when its chunks are checked beside the load', async () => {
    serve();
    await ensureStored(remote, () => {});
    db.chunks.delete(`${remote.key}#0`);
    const starts = serve();
    const file = await ensureStored(remote, () => {}, true);
    expect(starts).toEqual([]);
    expect(file.complete).toBe(true);
  });

  it('downloads a file corrupted in transit once again, and stores it verified', async () => {
    const starts = serve([{ corruptAt: 2 * CHUNK + 9 }]);
    const file = await ensureStored(remote, () => {});
    expect(starts).toEqual([0, 0]);
    expect(file.complete).toBe(true);
    expect(await storedSha256()).toBe(sha256);
  });
});
