/** sha256 of file contents, computed once per file version (path + size + mtime + inode). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';

export class HashCache {
  private cache = new Map<string, { version: string; hash: Promise<string> }>();

  /** Hex sha256 of the file as described by `stats` (from a fresh stat of `path`). */
  sha256(path: string, stats: Stats): Promise<string> {
    const version = `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`;
    const hit = this.cache.get(path);
    if (hit && hit.version === version) return hit.hash;
    const hash = hashFile(path);
    this.cache.set(path, { version, hash });
    hash.catch(() => {
      if (this.cache.get(path)?.hash === hash) this.cache.delete(path);
    });
    return hash;
  }
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}
