/** `GET|HEAD /{org}/{repo}/resolve/{revision}/{path...}`: file bytes with the hub's headers. */
import { sendBody } from './body.ts';
import { sendEmpty, sendHubError, type Exchange } from './exchange.ts';
import { findFile, findRepo } from './files.ts';
import type { HashCache } from './hashes.ts';
import { parseRange } from './range.ts';

function contentType(file: string): string {
  return file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
}

/** `If-None-Match` holds this ETag (or `*`). */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/** Model weights: the files a hub repo keeps in LFS (and huggingface.co hands to its storage hosts). */
export function isWeightFile(path: string): boolean {
  return /\.onnx(?:_data(?:_\d+)?)?$|\.onnx\.data(?:_\d+)?$|\.(?:bin|safetensors)$/.test(path);
}

/** The other loopback name of this hub (127.0.0.1 <-> localhost): a second origin, as a storage host is. */
function storageOrigin(hostHeader: string | undefined): string {
  const [name = '127.0.0.1', port = ''] = (hostHeader ?? '').split(':');
  return `http://${name === 'localhost' ? '127.0.0.1' : 'localhost'}${port ? `:${port}` : ''}`;
}

type FoundFile = NonNullable<Awaited<ReturnType<typeof findFile>>>;

async function find(ex: Exchange, root: string, org: string, repo: string, fileSegments: string[]): Promise<FoundFile | null> {
  const repoDir = await findRepo(root, org, repo);
  if (!repoDir) {
    sendHubError(ex, 404, 'Repository not found', 'RepoNotFound');
    return null;
  }
  const file = await findFile(repoDir, fileSegments);
  if (!file) sendHubError(ex, 404, 'Entry not found', 'EntryNotFound');
  return file;
}

/**
 * `/{org}/{repo}/resolve/{rev}/{path}`. With `storageRedirect`, weights answer as huggingface.co's do:
 * a 302 to another origin carrying `X-Linked-Etag`/`X-Linked-Size`, whose target
 * (`handleStorage`) then has neither.
 */
export async function handleResolve(
  ex: Exchange,
  root: string,
  hashes: HashCache,
  org: string,
  repo: string,
  revision: string,
  fileSegments: string[],
  storageRedirect: boolean,
): Promise<void> {
  const file = await find(ex, root, org, repo, fileSegments);
  if (!file) return;
  const etag = `"${await hashes.sha256(file.path, file.stats)}"`;
  const linked = { 'X-Linked-Etag': etag, 'X-Linked-Size': file.stats.size };
  if (storageRedirect && isWeightFile(file.path)) {
    const target = [org, repo, revision, ...fileSegments].map(encodeURIComponent).join('/');
    return sendEmpty(ex, 302, { ETag: etag, ...linked, Location: `${storageOrigin(ex.req.headers.host)}/__storage/${target}` });
  }
  return sendFile(ex, file, etag, linked);
}

/** `/__storage/{org}/{repo}/{rev}/{path}`: the bytes, with a storage host's own ETag and no linked headers. */
export async function handleStorage(ex: Exchange, root: string, hashes: HashCache, segments: string[]): Promise<void> {
  const [org = '', repo = '', , ...fileSegments] = segments;
  const file = await find(ex, root, org, repo, fileSegments);
  if (!file) return;
  const sha = await hashes.sha256(file.path, file.stats);
  return sendFile(ex, file, `"storage-${sha.slice(0, 32)}"`);
}

async function sendFile(ex: Exchange, file: FoundFile, etag: string, extra: Record<string, string | number> = {}): Promise<void> {
  const size = file.stats.size;
  const headers = {
    'Content-Type': contentType(file.path),
    'Accept-Ranges': 'bytes',
    ETag: etag,
    ...extra,
    'Cache-Control': 'no-store',
  };
  const { req } = ex;
  if (etagMatches(req.headers['if-none-match'], etag)) return sendEmpty(ex, 304, headers);

  // If-Range with a stale ETag: the client's partial copy is of another version, so send it all.
  const ifRange = req.headers['if-range'];
  const rangeHeader = ifRange !== undefined && ifRange !== etag ? undefined : req.headers.range;
  const range = parseRange(rangeHeader, size);
  if (range.kind === 'unsatisfiable') {
    return sendEmpty(ex, 416, { ...headers, 'Content-Range': `bytes */${size}` });
  }
  if (range.kind === 'full') {
    return sendBody(ex, 200, headers, { file: file.path, start: 0, end: size - 1 }, size);
  }
  const { start, end } = range;
  return sendBody(
    ex,
    206,
    { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}` },
    { file: file.path, start, end },
    end - start + 1,
  );
}
