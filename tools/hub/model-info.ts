/** `GET /api/models/{org}/{repo}[/revision/{rev}]`: repo metadata shaped like the hub's. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sendBody } from './body.ts';
import { sendHubError, type Exchange } from './exchange.ts';
import { findRepo, listRepoFiles } from './files.ts';
import type { HashCache } from './hashes.ts';

export interface Sibling {
  rfilename: string;
  size: number;
  lfs: { sha256: string; size: number };
}

export interface ModelInfo {
  _id: string;
  id: string;
  modelId: string;
  author: string;
  sha: string;
  lastModified: string;
  private: false;
  gated: false;
  disabled: false;
  downloads: number;
  likes: number;
  library_name: string;
  tags: string[];
  config?: { architectures?: unknown; model_type?: unknown };
  siblings: Sibling[];
  usedStorage: number;
}

async function readConfig(path: string): Promise<ModelInfo['config']> {
  try {
    const c = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    return { architectures: c.architectures, model_type: c.model_type };
  } catch {
    return undefined;
  }
}

/** Repo metadata, or null when the repo does not exist. `sha` is derived from the files' contents. */
export async function modelInfo(root: string, hashes: HashCache, org: string, repo: string): Promise<ModelInfo | null> {
  const dir = await findRepo(root, org, repo);
  if (!dir) return null;
  const files = await listRepoFiles(dir);
  const siblings: Sibling[] = [];
  const commit = createHash('sha1');
  let lastModified = 0;
  let usedStorage = 0;
  for (const f of files) {
    const sha256 = await hashes.sha256(f.path, f.stats);
    siblings.push({ rfilename: f.rfilename, size: f.stats.size, lfs: { sha256, size: f.stats.size } });
    commit.update(`${f.rfilename}\0${sha256}\n`);
    lastModified = Math.max(lastModified, f.stats.mtimeMs);
    usedStorage += f.stats.size;
  }
  const id = `${org}/${repo}`;
  const sha = commit.digest('hex');
  const configFile = files.find((f) => f.rfilename === 'config.json');
  const config = configFile ? await readConfig(configFile.path) : undefined;
  return {
    _id: sha.slice(0, 24),
    id,
    modelId: id,
    author: org,
    sha,
    lastModified: new Date(lastModified).toISOString(),
    private: false,
    gated: false,
    disabled: false,
    downloads: 0,
    likes: 0,
    library_name: 'transformers.js',
    tags: ['transformers.js', 'onnx'],
    ...(config ? { config } : {}),
    siblings,
    usedStorage,
  };
}

export async function handleModelInfo(ex: Exchange, root: string, hashes: HashCache, org: string, repo: string): Promise<void> {
  const info = await modelInfo(root, hashes, org, repo);
  if (!info) return sendHubError(ex, 404, 'Repository not found', 'RepoNotFound');
  const data = Buffer.from(JSON.stringify(info));
  return sendBody(ex, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, { data }, data.length);
}
