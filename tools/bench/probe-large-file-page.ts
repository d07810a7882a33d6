/**
 * The page side of probe-large-file.ts, served by Vite in headless Chromium: each phase writes or
 * reads the probe file with the real weight store and reports its time. Byte i of the file is byte
 * (i & 3) of the little-endian 32-bit word floor(i / 4) × 2654435761, so any range can be checked.
 */
import { chunkLength, deleteFile, getChunk, getFile, putChunk, putFile, readFile, type StoredFile } from '../../workers/weights/store';

/**
 * Bytes `[start, end)` of a stored file, read chunk by chunk into one buffer allocated up front.
 * Chromium fails to read one Blob over IndexedDB chunks above 2 GiB ("Failed to fetch"), while a
 * single large ArrayBuffer allocates fine; reading each chunk's blob on its own avoids the limit and
 * keeps at most one chunk in flight besides the result.
 */
async function readRange(file: StoredFile, start: number, end: number): Promise<Uint8Array> {
  const available = Math.min(file.size, file.storedChunks * file.chunkSize);
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && 0 <= start && start <= end && end <= available)) {
    throw new RangeError(`Bytes ${start}..${end} are outside the ${available} stored bytes of ${file.key}`);
  }
  const out = new Uint8Array(end - start);
  for (let index = Math.floor(start / file.chunkSize); index * file.chunkSize < end; index++) {
    const chunkStart = index * file.chunkSize;
    const blob = await getChunk(file.key, index);
    if (!blob || blob.size !== chunkLength(file, index)) {
      throw new Error(`Chunk ${index} of ${file.key} is missing or has the wrong size in the weight store`);
    }
    const from = Math.max(start, chunkStart) - chunkStart;
    const to = Math.min(end, chunkStart + blob.size) - chunkStart;
    out.set(new Uint8Array(await blob.slice(from, to).arrayBuffer()), chunkStart + from - start);
  }
  return out;
}

export type Phase = 'write' | 'scan' | 'one-blob' | 'read-range' | 'two-ranges' | 'two-blobs' | 'delete';

export interface PhaseResult {
  ok: boolean;
  seconds: number;
  mbPerSecond: number;
  error?: string;
}

const KEY = 'probe/large@main/model.onnx.data';
const word = (w: number): number => Math.imul(w, 2654435761 | 0);
const expected = (i: number): number => (word(Math.floor(i / 4)) >>> ((i & 3) * 8)) & 0xff;

/** Checks about 5,000 spread bytes (every byte of a short view) and the last one. */
function check(view: Uint8Array, from: number): void {
  const step = Math.max(1, Math.floor(view.length / 5000));
  for (let j = 0; j < view.length; j += step === 1 ? 1 : step + (j % 7)) {
    if (view[j] !== expected(from + j)) throw new Error(`byte ${from + j} is ${view[j]}, expected ${expected(from + j)}`);
  }
  const last = view.length - 1;
  if (last >= 0 && view[last] !== expected(from + last)) throw new Error(`last byte ${from + last} differs`);
}

async function write(bytes: number, chunk: number): Promise<void> {
  await deleteFile(KEY);
  const count = Math.ceil(bytes / chunk);
  for (let index = 0; index < count; index++) {
    const length = Math.min(chunk, bytes - index * chunk);
    const words = new Uint32Array(Math.ceil(length / 4));
    const first = (index * chunk) / 4;
    for (let w = 0; w < words.length; w++) words[w] = word(first + w);
    await putChunk(KEY, index, [new Uint8Array(words.buffer, 0, length)]);
  }
  await putFile({
    key: KEY,
    repo: 'probe/large',
    revision: 'main',
    path: 'model.onnx.data',
    size: bytes,
    etag: null,
    sha256: null,
    chunkSize: chunk,
    storedChunks: count,
    chunkDigests: [],
    hashState: null,
    complete: true,
    updatedAt: Date.now(),
  });
}

async function stored(): Promise<StoredFile> {
  const file = await getFile(KEY);
  if (!file) throw new Error('the probe file is not stored');
  return file;
}

const READS: Record<Exclude<Phase, 'write' | 'delete'>, (file: StoredFile) => Promise<void>> = {
  /** Every chunk's blob read on its own, naming the chunks that cannot be read. */
  scan: async (file) => {
    const failed: string[] = [];
    for (let i = 0; i < file.storedChunks; i++) {
      try {
        const blob = await getChunk(KEY, i);
        if (!blob) throw new Error('missing');
        check(new Uint8Array(await blob.arrayBuffer()), i * file.chunkSize);
      } catch (e) {
        failed.push(`${i}: ${e instanceof Error ? e.name : String(e)}`);
      }
    }
    if (failed.length > 0) throw new Error(`${failed.length} of ${file.storedChunks} chunks unreadable: ${failed.slice(0, 8).join(', ')}`);
  },
  /** Today's path: one Blob over every chunk, read by a Response. */
  'one-blob': async (file) => check(new Uint8Array(await new Response(await readFile(file)).arrayBuffer()), 0),
  /** The whole file into one preallocated buffer, plus ranges that start and end mid-chunk. */
  'read-range': async (file) => {
    check(await readRange(file, 0, file.size), 0);
    const c = file.chunkSize;
    for (const [a, b] of [[5, 101], [c - 3, c + 5], [3 * c + 1, 5 * c - 1], [file.size - 10, file.size]] as const) {
      check(await readRange(file, a, b), a);
    }
  },
  /** Two parts cut mid-chunk, both kept (as ONNX Runtime needs them). */
  'two-ranges': async (file) => {
    const cut = Math.floor(file.size / 2) + 12345;
    const parts = [await readRange(file, 0, cut), await readRange(file, cut, file.size)];
    parts.forEach((p, i) => check(p, i === 0 ? 0 : cut));
  },
  /** Two chunk-aligned parts, each read through one Blob of its chunks. */
  'two-blobs': async (file) => {
    const cut = Math.ceil(file.storedChunks / 2);
    const parts: Uint8Array[] = [];
    for (const [from, to] of [[0, cut], [cut, file.storedChunks]] as const) {
      const blobs: Blob[] = [];
      for (let i = from; i < to; i++) {
        const blob = await getChunk(KEY, i);
        if (!blob) throw new Error(`chunk ${i} is missing`);
        blobs.push(blob);
      }
      parts.push(new Uint8Array(await new Response(new Blob(blobs)).arrayBuffer()));
    }
    parts.forEach((p, i) => check(p, i === 0 ? 0 : cut * file.chunkSize));
  },
};

async function probePhase(args: { phase: Phase; bytes: number; chunk: number }): Promise<PhaseResult> {
  const t0 = performance.now();
  const result = (ok: boolean, error?: unknown): PhaseResult => {
    const seconds = (performance.now() - t0) / 1000;
    return { ok, seconds, mbPerSecond: ok ? args.bytes / 1e6 / seconds : 0, ...(error === undefined ? {} : { error: String(error) }) };
  };
  try {
    if (args.phase === 'write') await write(args.bytes, args.chunk);
    else if (args.phase === 'delete') await deleteFile(KEY);
    else await READS[args.phase](await stored());
    return result(true);
  } catch (e) {
    return result(false, e);
  } finally {
    // Chromium runs with --js-flags=--expose-gc (source-page.ts): free this phase's buffers before the next is measured.
    (globalThis as { gc?: () => void }).gc?.();
  }
}

(globalThis as { probePhase?: typeof probePhase }).probePhase = probePhase;
