import { ExplainedError, httpFailure } from '../errors';
import {
  chooseChunkSize,
  deleteChunksFrom,
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
  /** Size from the repo listing when known; the response headers have the final word. */
  size: number | null;
}

export type ProgressFn = (loaded: number, total: number) => void;

const AUTO_RESUMES = 3;

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

function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof ExplainedError && error.code === 'network' && !/HTTP/.test(error.message));
}

/**
 * Makes sure a file is completely in the weight store, downloading only what is missing.
 * One tab at a time per file (Web Locks), so a second tab waits and then finds it stored.
 */
export async function ensureStored(remote: RemoteFile, onProgress: ProgressFn): Promise<StoredFile> {
  const run = () => ensureStoredLocked(remote, onProgress);
  if (typeof navigator !== 'undefined' && navigator.locks) {
    return navigator.locks.request(`ponder-weights:${remote.key}`, run);
  }
  return run();
}

async function ensureStoredLocked(remote: RemoteFile, onProgress: ProgressFn): Promise<StoredFile> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await downloadMissing(remote, onProgress);
    } catch (error) {
      // A dropped connection resumes on its own a few times before the user is asked.
      if (attempt < AUTO_RESUMES && isNetworkError(error)) {
        await new Promise((r) => setTimeout(r, 300 * 2 ** attempt));
        continue;
      }
      throw error;
    }
  }
}

async function downloadMissing(remote: RemoteFile, onProgress: ProgressFn): Promise<StoredFile> {
  let file = await getFile(remote.key);
  if (file?.complete) {
    onProgress(file.size, file.size);
    return file;
  }
  const start = file ? storedBytes(file) : 0;
  const response = await fetch(remote.url, {
    headers: start > 0 ? { Range: `bytes=${start}-` } : {},
    cache: 'no-store',
  });
  if (response.status === 416 && file) {
    // The stored prefix no longer fits the remote file: start over.
    await deleteChunksFrom(remote.key, 0);
    await putFile({ ...file, storedChunks: 0 });
    throw new ExplainedError('network', 'The remote file changed during download; restarting it.');
  }
  if (!response.ok) throw httpFailure(response.status, remote.url);

  const total = parseTotal(response) ?? remote.size;
  if (total === null) {
    throw new ExplainedError('network', 'The model host did not say how large a file is, so it cannot be stored safely.', remote.url);
  }
  const etag = etagOf(response);
  const resumed = response.status === 206 && start > 0;
  if (!file || !resumed || file.size !== total || (file.etag && etag && file.etag !== etag)) {
    // New download, a server that ignored Range, or a file that changed upstream: begin at zero.
    if (file) await deleteChunksFrom(remote.key, 0);
    file = {
      key: remote.key,
      repo: remote.repo,
      revision: remote.revision,
      path: remote.path,
      size: total,
      etag,
      chunkSize: chooseChunkSize(total),
      storedChunks: 0,
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
  let offset = storedBytes(file);
  let buffer = new Uint8Array(Math.min(chunkSize, size - offset));
  let filled = 0;
  onProgress(offset, size);

  const flush = async () => {
    await putChunk(file.key, file.storedChunks, buffer.subarray(0, filled));
    file = { ...file, storedChunks: file.storedChunks + 1 };
    await putFile(file);
    buffer = new Uint8Array(Math.max(0, Math.min(chunkSize, size - offset)));
    filled = 0;
  };

  const reader = response.body?.getReader();
  if (!reader) throw new ExplainedError('network', 'The model host sent an empty response.', response.url);
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
      if (filled === buffer.length) await flush();
    }
    onProgress(offset, size);
  }
  if (offset !== size) {
    throw new ExplainedError('network', `The download of ${file.path} ended early (${offset} of ${size} bytes).`, response.url);
  }
  file = { ...file, complete: true };
  await putFile(file);
  return file;
}
