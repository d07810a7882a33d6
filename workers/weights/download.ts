import { ExplainedError, httpFailure } from '../errors';
import { yieldToEvents } from '../yield-to-events';
import { hexDigest } from './digest';
import { Sha256, sha256FromEtag } from './sha256';
import {
  chooseChunkSize,
  chunkLength,
  deleteChunksFrom,
  getChunk,
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
 */
export async function ensureStored(remote: RemoteFile, onProgress: ProgressFn): Promise<StoredFile> {
  return (await withFileLock(remote.key, () => ensureStoredLocked(remote, onProgress)))!;
}

async function ensureStoredLocked(remote: RemoteFile, onProgress: ProgressFn): Promise<StoredFile> {
  let redownloaded = false;
  for (let attempt = 0; ; attempt++) {
    try {
      const file = await getFile(remote.key);
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
    if (response.status !== 206 || bytes.length !== length || (await hexDigest(bytes)) !== file.chunkDigests[index]) {
      // The host no longer serves the bytes that were verified before: fetch the whole file anew.
      return downloadMissing(remote, await restart(file), onProgress);
    }
    await putChunk(file.key, index, bytes);
  }
  onProgress(file.size, file.size);
  return file;
}

/** Indexes of stored chunks whose length or digest is not what was recorded when they arrived. */
export async function damagedChunks(file: StoredFile): Promise<number[]> {
  if (file.chunkDigests.length !== file.storedChunks) return Array.from({ length: file.storedChunks }, (_, i) => i);
  const bad: number[] = [];
  for (let i = 0; i < file.storedChunks; i++) {
    const blob = await getChunk(file.key, i);
    const ok = blob?.size === chunkLength(file, i) && (await hexDigest(new Uint8Array(await blob.arrayBuffer()))) === file.chunkDigests[i];
    if (!ok) bad.push(i);
  }
  return bad;
}

async function restart(file: StoredFile): Promise<StoredFile> {
  await deleteChunksFrom(file.key, 0);
  const fresh: StoredFile = { ...file, storedChunks: 0, chunkDigests: [], hashState: null, complete: false };
  await putFile(fresh);
  return fresh;
}

async function downloadMissing(remote: RemoteFile, stored: StoredFile | undefined, onProgress: ProgressFn): Promise<StoredFile> {
  let file = stored;
  if (file && file.storedChunks > 0 && storedBytes(file) === file.size) {
    // Every byte arrived but the last step (checking, marking complete) did not happen.
    return finish(file, new Sha256(file.hashState ?? undefined), remote.url);
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
  if (!file || !resumed || file.size !== total || (file.etag && etag && file.etag !== etag) || !file.hashState) {
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
      hashState: new Sha256().save(),
      complete: false,
      updatedAt: Date.now(),
    };
    await putFile(file);
  }
  return streamIntoStore(response, file, onProgress);
}

async function streamIntoStore(response: Response, initial: StoredFile, onProgress: ProgressFn): Promise<StoredFile> {
  let file = initial;
  const { chunkSize, size } = file;
  const hash = new Sha256(file.hashState ?? undefined);
  let offset = storedBytes(file);
  let buffer = new Uint8Array(Math.min(chunkSize, size - offset));
  let filled = 0;
  onProgress(offset, size);

  // Chunk first, then the record that counts it: a crash in between only costs that chunk.
  const store = async (bytes: Uint8Array) => {
    const put = putChunk(file.key, file.storedChunks, bytes);
    const digest = hexDigest(bytes);
    // The write and the chunk digest run off this thread; let them start before the whole-file hash
    // (pure JS, ~0.1 s per 16 MiB chunk) takes it, so the two overlap instead of adding up.
    await yieldToEvents();
    hash.update(bytes);
    const [hex] = await Promise.all([digest, put]);
    file = { ...file, storedChunks: file.storedChunks + 1, chunkDigests: [...file.chunkDigests, hex], hashState: hash.save() };
    await putFile(file);
  };
  // One chunk is written while the next one is read: a stream that errors drops the bytes still
  // queued in it, so the body is drained as it arrives rather than while IndexedDB is busy.
  let writing: Promise<void> = Promise.resolve();

  const reader = response.body?.getReader();
  if (!reader) throw new ExplainedError('network', 'The model host sent an empty response.', response.url);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let pos = 0;
      while (pos < value.length) {
        if (offset >= size) {
          await reader.cancel();
          throw new ExplainedError('network', `The model host sent more bytes than announced for ${file.path}.`, response.url);
        }
        const take = Math.min(value.length - pos, buffer.length - filled);
        buffer.set(value.subarray(pos, pos + take), filled);
        filled += take;
        pos += take;
        offset += take;
        if (filled === buffer.length) {
          const full = buffer;
          await writing;
          writing = store(full);
          buffer = new Uint8Array(Math.max(0, Math.min(chunkSize, size - offset)));
          filled = 0;
        }
      }
      onProgress(offset, size);
    }
  } finally {
    // Whatever happened to the connection, the chunks already read are kept for the resume.
    await writing;
  }
  if (offset !== size) {
    throw new Interrupted(`The download of ${file.path} ended early (${offset} of ${size} bytes).`, response.url);
  }
  return finish(file, hash, response.url);
}

/** Marks a fully stored file complete, unless its hash disagrees with the host's: then it is dropped. */
async function finish(file: StoredFile, hash: Sha256, url: string): Promise<StoredFile> {
  if (file.sha256 && hash.hex() !== file.sha256) {
    await restart(file);
    throw new IntegrityFailure(file.path, url);
  }
  const done = { ...file, complete: true };
  await putFile(done);
  return done;
}
