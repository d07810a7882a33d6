import { createXXHash64, type IHasher } from 'hash-wasm';

// A stored chunk's digest guards against damage on disk (a flipped or lost byte found on the next
// load, and that chunk alone fetched again). It is no defence against whoever can write the store:
// they could rewrite the digest beside the chunk. So a fast non-cryptographic hash does the job:
// hash-wasm's XXH64 runs at ~3.5 GB/s here, against ~0.5 GB/s for native SHA-256 (which also copies
// its input), on every chunk of every download and of every load. What the host published is still
// checked against the whole file's SHA-256 before the file counts as complete (download.ts).

const XXH64 = 'xxh64:';

let hasher: Promise<IHasher> | null = null;

/** A chunk's digest as stored in its file's record: `xxh64:` and 16 hex digits. Its bytes may come in pieces. */
export async function chunkDigest(bytes: Uint8Array | readonly Uint8Array[]): Promise<string> {
  const h = await (hasher ??= createXXHash64());
  // Synchronous from here, so calls that overlap cannot interleave on the one hasher.
  h.init();
  for (const piece of bytes instanceof Uint8Array ? [bytes] : bytes) h.update(piece);
  return XXH64 + h.digest('hex');
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let out = '';
  for (const b of digest) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Whether `bytes` are the chunk `recorded` was taken of: XXH64, or bare SHA-256 hex in records of earlier builds. */
export async function matchesDigest(bytes: Uint8Array, recorded: string | undefined): Promise<boolean> {
  if (recorded === undefined) return false;
  return (recorded.startsWith(XXH64) ? await chunkDigest(bytes) : await sha256Hex(bytes)) === recorded;
}
