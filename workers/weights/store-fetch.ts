import type { ModelManifest } from './manifest';
import { keyFromUrl } from './manifest';
import { fileKey, getFile, readFile, readRange, type StoredFile } from './store';

/** What transformers.js gets for one path of the model being loaded, where it differs from the stored file. */
export type ServedEntry =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'stored'; key: string }
  | { kind: 'range'; file: StoredFile; start: number; end: number };

interface Active {
  prefix: string;
  /** Keys of the stored files of the plan. */
  keys: ReadonlySet<string>;
  /** Paths (relative to the repo) served from elsewhere: synthesized, moved or split files. */
  entries: ReadonlyMap<string, ServedEntry>;
}

let active: Active | null = null;

/** Settles once serving a stored file of the active model failed (a chunk missing from the store). */
let failed = signal();

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Tells storeFetch which model is being loaded: the plan's stored files, plus `entries` for the paths
 * transformers.js asks for that are not stored under their own name (a GenAI folder's files seen as a
 * transformers.js layout, a large data file split into parts). transformers.js also probes for
 * optional files (chat templates, processor configs); for the active repo, any path neither in the
 * plan nor in `entries` is answered "not found" here instead of asking the network, so a stored model
 * loads with no request at all (offline included).
 */
export function serveModel(manifest: ModelManifest, entries: ReadonlyMap<string, ServedEntry> = new Map()): void {
  const first = manifest.files[0];
  failed = signal();
  active = first
    ? { prefix: fileKey(first.repo, first.revision, ''), keys: new Set(manifest.files.map((f) => f.key)), entries }
    : null;
}

const octets = (body: Blob | Uint8Array) =>
  new Response(body as BlobPart, {
    status: 200,
    headers: { 'content-length': String(body instanceof Blob ? body.size : body.byteLength), 'content-type': 'application/octet-stream' },
  });

async function servedBody(entry: ServedEntry): Promise<Blob | Uint8Array | null> {
  switch (entry.kind) {
    case 'bytes':
      return entry.bytes;
    case 'range':
      return readRange(entry.file, entry.start, entry.end);
    case 'stored': {
      const stored = await getFile(entry.key);
      return stored?.complete ? readFile(stored) : null;
    }
  }
}

/** `read`, with its failure also noted for servingFailed. */
function noting<T>(read: Promise<T>): Promise<T> {
  return read.catch((error: unknown) => {
    failed.resolve();
    throw error;
  });
}

/**
 * Settles once storeFetch failed to serve a stored file of the model being loaded. transformers.js
 * 4.3.1 loses such a failure when it reads external data (its load then never settles), so this is
 * how a caller learns that the load will not finish.
 */
export function servingFailed(): Promise<void> {
  return failed.promise;
}

/**
 * transformers.js's `env.fetch`: serves model files from the weight store, so loading a stored
 * model makes no network request. Files are put into the store beforehand by the loader, which
 * owns progress, resume, integrity and errors; anything else passes through so a 404 still reads
 * as "absent".
 */
export async function storeFetch(input: string | URL, init?: RequestInit): Promise<Response> {
  const url = String(input);
  const key = /^https?:/.test(url) ? keyFromUrl(url) : null;
  const entry = key && active && key.startsWith(active.prefix) ? active.entries.get(key.slice(active.prefix.length)) : undefined;
  const body = entry ? await noting(servedBody(entry)) : null;
  if (body) return octets(body);
  const stored = key && !entry ? await getFile(key) : undefined;
  if (stored?.complete) return octets(await noting(readFile(stored)));
  if (key && active && key.startsWith(active.prefix) && !active.keys.has(key)) {
    return new Response('{"error":"Entry not found"}', { status: 404, headers: { 'content-type': 'application/json' } });
  }
  return fetch(input, init);
}
