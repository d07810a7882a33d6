import { ExplainedError, httpFailure } from '../errors';
import { damagedChunks, intactChunk } from './chunk-check';
import { matchesDigest } from './digest';
import { startFileHash } from './file-hash';
import { Sha256, sha256FromEtag } from './sha256';
import {
  chooseChunkSize,
  chunkLength,
  deleteChunksFrom,
  deleteDerived,
  getFile,
  putChunk,
  putFile,
  storedBytes,
  type StoredFile,
} from './store';

export interface RemoteFile {
  url: string;
  key: string;
  repo: string;
  revision: string;
  path: string;
  /** Size from the repo listing when known; a response that disagrees is refused. */
  size: number | null;
  /** LFS sha256 from the repo listing when known (huggingface.co redirects hide X-Linked-Etag). */
  sha256?: string | null;
}

export type ProgressFn = (loaded: number, total: number) => void;

const AUTO_RESUMES = 3;

/** The connection broke or the body ended early: resuming from the stored chunks is the fix. */
class Interrupted extends ExplainedError {
  constructor(message: string, url: string) {
    super('network', message, url);
  }
}

/** The bytes arrived but their hash is wrong: nothing was kept, downloading again is the fix. */
class IntegrityFailure extends ExplainedError {
  constructor(path: string, url: string) {
    super(
      'network',
      `The downloaded ${path} did not match the checksum the model host published, so it was discarded. Retry to download it again.`,
      url,
    );
  }
}

function parseTotal(response: Response): number | null {
  const range = response.headers.get('content-range');
  const m = range ? /\/(\d+)\s*$/.exec(range) : null;
  if (m?.[1]) return Number(m[1]);
  const length = response.headers.get('content-length');
  return response.status === 200 && length ? Number(length) : null;
}

function etagOf(response: Response): string | null {
  return response.headers.get('x-linked-etag') ?? response.headers.get('etag');
}

function lockName(key: string): string {
  return `ponder-weights:${key}`;
}

/**
 * Runs `task` holding the lock for one stored file, so two tabs (or a download and a delete)
 * never write the same file at once. `ifAvailable` returns null instead of waiting.
 */
export async function withFileLock<T>(key: string, task: () => Promise<T>, ifAvailable = false): Promise<T | null> {
  if (typeof navigator === 'undefined' || !navigator.locks) return task();
  return navigator.locks.request(lockName(key), { ifAvailable }, (lock) => (lock ? task() : null));
}

/**
 * Makes sure a file is completely and correctly in the weight store, downloading only what is
 * missing or damaged. One tab at a time per file (Web Locks): a second tab waits, then finds it stored.
 * `checkedBeside`: a complete file's chunks are being checked elsewhere (chunk-check.ts), so they are
 * not read back here.
 */
export async function ensureStored(remote: RemoteFile, onProgress: ProgressFn, checkedBeside = false): Promise<StoredFile> {
  return (await withFileLock(remote.key, () => ensureStoredLocked(remote, onProgress, checkedBeside)))!;
}

async function ensureStoredLocked(remote: RemoteFile, onProgress: ProgressFn, checkedBeside: boolean): Promise<StoredFile> {
  let redownloaded = false;
  for (let attempt = 0; ; attempt++) {
    try {
      const file = await getFile(remote.key);
      if (file?.complete && checkedBeside) {
        onProgress(file.size, file.size);
        return file;
      }
      if (file?.complete) return await repairDamaged(remote, file, onProgress);
      return await downloadMissing(remote, file, onProgress);
    } catch (error) {
      // A dropped connection resumes on its own a few times before the user is asked.
      if (attempt < AUTO_RESUMES && (error instanceof TypeError || error instanceof Interrupted)) {
        await new Promise((r) => setTimeout(r, 300 * 2 ** attempt));
        continue;
      }
      // Bytes damaged in transit are fetched once more before the user is asked.
      if (!redownloaded && error instanceof IntegrityFailure) {
        redownloaded = true;
        continue;
      }
      throw error;
    }
  }
}

/** Re-reads a complete file's chunks and re-fetches any whose bytes no longer match their digest. */
async function repairDamaged(remote: RemoteFile, file: StoredFile, onProgress: ProgressFn): Promise<StoredFile> {
  const bad = await damagedChunks(file);
  if (bad.length === 0) {
    onProgress(file.size, file.size);
    return file;
  }
  // What was computed from the file (its small graph) may have been read from the damaged bytes.
  await deleteDerived(file.key);
  if (bad.length === file.storedChunks) {
    // Nothing usable is left (or the record predates chunk digests): start the file over.
    return downloadMissing(remote, await restart(file), onProgress);
  }
  onProgress(file.size - bad.length * file.chunkSize, file.size);
  for (const index of bad) {
    const start = index * file.chunkSize;
    const length = chunkLength(file, index);
    const response = await fetch(remote.url, { headers: { Range: `bytes=${start}-${start + length - 1}` }, cache: 'no-store' });
    if (!response.ok) throw httpFailure(response.status, remote.url);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (response.status !== 206 || bytes.length !== length || !(await matchesDigest(bytes, file.chunkDigests[index]))) {
      // The host no longer serves the bytes that were verified before: fetch the whole file anew.
      return downloadMissing(remote, await restart(file), onProgress);
    }
    await putChunk(file.key, index, [bytes]);
  }
  onProgress(file.size, file.size);
  return file;
}

/**
 * The whole-file hash over a file's stored chunks: its saved state where this build can continue it,
 * else (a record saved by the pure-JS hash, or by another hash-wasm build) the stored chunks read back
 * and hashed again. A chunk that is missing or fails its digest ends the stored prefix there, so it
 * and the rest are downloaded again; the whole-file check still covers every byte.
 */
async function hashStored(file: StoredFile): Promise<{ file: StoredFile; hash: Sha256 }> {
  const saved = await Sha256.load(file.hashState);
  if (saved) return { file, hash: saved };
  const hash = await Sha256.create();
  let kept = 0;
  for (; kept < file.storedChunks; kept++) {
    const bytes = await intactChunk(file, kept);
    if (!bytes) break;
    hash.update(bytes);
  }
  const rehashed = { ...file, storedChunks: kept, chunkDigests: file.chunkDigests.slice(0, kept), hashState: hash.save() };
  await putFile(rehashed);
  return { file: rehashed, hash };
}

async function restart(file: StoredFile): Promise<StoredFile> {
  await deleteChunksFrom(file.key, 0);
  const fresh: StoredFile = { ...file, storedChunks: 0, chunkDigests: [], hashState: null, complete: false };
  await putFile(fresh);
  return fresh;
}

async function downloadMissing(remote: RemoteFile, stored: StoredFile | undefined, onProgress: ProgressFn): Promise<StoredFile> {
  let file = stored;
  let hash: Sha256 | null = null;
  if (file && file.storedChunks > 0) {
    ({ file, hash } = await hashStored(file));
    // Every byte arrived but the last step (checking, marking complete) did not happen.
    if (storedBytes(file) === file.size) return finish(file, hash.hex(), remote.url);
  }
  const start = file ? storedBytes(file) : 0;
  const response = await fetch(remote.url, {
    headers: start > 0 ? { Range: `bytes=${start}-` } : {},
    cache: 'no-store',
  });
  if (response.status === 416 && file) {
    // The stored prefix no longer fits the remote file: start over.
    await restart(file);
    throw new Interrupted('The remote file changed during download; restarting it.', remote.url);
  }
  if (!response.ok) throw httpFailure(response.status, remote.url);

  const total = parseTotal(response) ?? remote.size;
  if (total === null) {
    throw new ExplainedError('network', 'The model host did not say how large a file is, so it cannot be stored safely.', remote.url);
  }
  if (remote.size !== null && total !== remote.size) {
    await response.body?.cancel();
    throw new ExplainedError(
      'network',
      `The model host sent ${remote.path} with a length (${total} bytes) that does not match its file list (${remote.size} bytes), so nothing was stored. Retry; if it keeps happening, the host or mirror is misconfigured.`,
      remote.url,
    );
  }
  const etag = etagOf(response);
  const resumed = response.status === 206 && start > 0;
  if (!file || !hash || !resumed || file.size !== total || (file.etag && etag && file.etag !== etag)) {
    // New download, a server that ignored Range, or a file that changed upstream: begin at zero.
    if (file) await deleteChunksFrom(remote.key, 0);
    file = {
      key: remote.key,
      repo: remote.repo,
      revision: remote.revision,
      path: remote.path,
      size: total,
      etag,
      sha256: remote.sha256 ?? sha256FromEtag(etag),
      chunkSize: chooseChunkSize(total),
      storedChunks: 0,
      chunkDigests: [],
      hashState: null,
      complete: false,
      updatedAt: Date.now(),
    };
    await putFile(file);
    hash = await Sha256.create();
  }
  return streamIntoStore(response, file, hash, onProgress);
}

/**
 * Chunks that may be on their way (written, digested, hashed) before the next one is started: with
 * two, one lands while the next is read and sent; more only hold memory (16 MiB each).
 */
const WRITES_IN_FLIGHT = 2;

/**
 * A piece of a response body that can go to the hash worker as it is: one that owns its whole
 * buffer. Anything else (part of a read that ends one chunk and starts the next, a view into a
 * larger buffer) is copied, so handing it over detaches nothing another chunk still needs.
 */
function ownPiece(value: Uint8Array, start: number, end: number): Uint8Array {
  const whole = start === 0 && end === value.length && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
  return whole ? value : value.slice(start, end);
}

async function streamIntoStore(response: Response, initial: StoredFile, from: Sha256, onProgress: ProgressFn): Promise<StoredFile> {
  let file = initial;
  const { chunkSize, size } = file;
  let offset = storedBytes(file);
  let next = file.storedChunks;
  // The chunk being filled, as the body's own pieces: the Blob and the hash read them where they
  // are, which saves copying every byte into a chunk-sized buffer first.
  let pieces: Uint8Array[] = [];
  let want = Math.min(chunkSize, size - offset);
  let filled = 0;
  onProgress(offset, size);

  const reader = response.body?.getReader();
  if (!reader) throw new ExplainedError('network', 'The model host sent an empty response.', response.url);
  const hash = startFileHash(from);
  // Records are written in chunk order, each once its chunk (and so every earlier one) landed and
  // was hashed: a crash in between only costs the chunks not yet counted.
  let recorded: Promise<void> = Promise.resolve();
  const unrecorded: Promise<void>[] = [];
  const store = async (chunk: Uint8Array[]) => {
    const index = next++;
    // In this order: the Blob copies the bytes as it starts; the hash (and the chunk's digest) may then take them.
    const landed = Promise.all([putChunk(file.key, index, chunk), hash.update(chunk)]);
    landed.catch(() => {}); // awaited in order below; until then its failure is not "unhandled"
    recorded = recorded.then(async () => {
      const [, { state, digest }] = await landed;
      file = { ...file, storedChunks: index + 1, chunkDigests: [...file.chunkDigests, digest], hashState: state };
      await putFile(file);
    });
    unrecorded.push(recorded);
    if (unrecorded.length >= WRITES_IN_FLIGHT) await unrecorded.shift();
  };

  try {
    try {
      // The body is drained as it arrives: a stream that errors drops the bytes still queued in it.
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        let pos = 0;
        while (pos < value.length) {
          if (offset >= size) {
            await reader.cancel();
            throw new ExplainedError('network', `The model host sent more bytes than announced for ${file.path}.`, response.url);
          }
          const take = Math.min(value.length - pos, want - filled);
          pieces.push(ownPiece(value, pos, pos + take));
          filled += take;
          pos += take;
          offset += take;
          if (filled === want) {
            await store(pieces);
            pieces = [];
            want = Math.min(chunkSize, size - offset);
            filled = 0;
          }
        }
        onProgress(offset, size);
      }
    } finally {
      // Whatever happened to the connection, the chunks already read are kept for the resume.
      await recorded;
    }
    if (offset !== size) {
      throw new Interrupted(`The download of ${file.path} ended early (${offset} of ${size} bytes).`, response.url);
    }
    return await finish(file, await hash.hex(), response.url);
  } finally {
    hash.close();
  }
}

/** Marks a fully stored file complete, unless its hash disagrees with the host's: then it is dropped. */
async function finish(file: StoredFile, hex: string, url: string): Promise<StoredFile> {
  if (file.sha256 && hex !== file.sha256) {
    await restart(file);
    throw new IntegrityFailure(file.path, url);
  }
  const done = { ...file, complete: true };
  await putFile(done);
  return done;
}
