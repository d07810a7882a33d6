/** Mapping hub paths onto the `<root>/<org>/<repo>/<path...>` folder, safely, and listing repos. */
import { readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';

/** A decoded path segment that may name a folder or file under the root. */
export function isSafeSegment(s: string): boolean {
  return s !== '' && s !== '.' && s !== '..' && !/[/\\\0]/.test(s);
}

async function statOrNull(p: string): Promise<Stats | null> {
  try {
    return await stat(p);
  } catch {
    return null;
  }
}

/** The repo folder, or null when it does not exist. */
export async function findRepo(root: string, org: string, repo: string): Promise<string | null> {
  if (!isSafeSegment(org) || !isSafeSegment(repo)) return null;
  const dir = join(root, org, repo);
  const s = await statOrNull(dir);
  return s?.isDirectory() ? dir : null;
}

/** A regular file inside the repo folder, or null. */
export async function findFile(repoDir: string, segments: string[]): Promise<{ path: string; stats: Stats } | null> {
  if (segments.length === 0 || !segments.every(isSafeSegment)) return null;
  const path = join(repoDir, ...segments);
  const stats = await statOrNull(path);
  return stats?.isFile() ? { path, stats } : null;
}

export interface RepoFile {
  /** Path inside the repo with `/` separators, as the hub's `rfilename`. */
  rfilename: string;
  path: string;
  stats: Stats;
}

/** Every regular file under the repo folder (symlinks followed), sorted by `rfilename`. */
export async function listRepoFiles(repoDir: string): Promise<RepoFile[]> {
  const out: RepoFile[] = [];
  async function walk(dir: string, prefix: string): Promise<void> {
    const names = await readdir(dir);
    for (const name of names) {
      const path = join(dir, name);
      const stats = await statOrNull(path);
      if (!stats) continue;
      if (stats.isDirectory()) await walk(path, `${prefix}${name}/`);
      else if (stats.isFile()) out.push({ rfilename: `${prefix}${name}`, path, stats });
    }
  }
  await walk(repoDir, '');
  return out.sort((a, b) => (a.rfilename < b.rfilename ? -1 : a.rfilename > b.rfilename ? 1 : 0));
}
