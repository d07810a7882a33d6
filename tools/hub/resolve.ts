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

export async function handleResolve(
  ex: Exchange,
  root: string,
  hashes: HashCache,
  org: string,
  repo: string,
  fileSegments: string[],
): Promise<void> {
  const repoDir = await findRepo(root, org, repo);
  if (!repoDir) return sendHubError(ex, 404, 'Repository not found', 'RepoNotFound');
  const file = await findFile(repoDir, fileSegments);
  if (!file) return sendHubError(ex, 404, 'Entry not found', 'EntryNotFound');

  const size = file.stats.size;
  const etag = `"${await hashes.sha256(file.path, file.stats)}"`;
  const headers = {
    'Content-Type': contentType(file.path),
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'X-Linked-Etag': etag,
    'X-Linked-Size': size,
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
