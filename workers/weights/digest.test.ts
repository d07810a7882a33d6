import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkDigest, matchesDigest } from './digest';

describe('chunk digests', () => {
  it('are XXH64 (seed 0) in hex, as the reference vectors give it', async () => {
    // xxHash's published values: XXH64("") and XXH64("abc").
    expect(await chunkDigest(new Uint8Array(0))).toBe('xxh64:ef46db3751d8e999');
    expect(await chunkDigest(new TextEncoder().encode('abc'))).toBe('xxh64:44bc2cf5ad770999');
  });

  it('match the bytes they were taken of, and no byte changed', async () => {
    const bytes = new Uint8Array(randomBytes(100_000));
    const recorded = await chunkDigest(bytes);
    expect(await matchesDigest(bytes, recorded)).toBe(true);
    bytes[54_321]! ^= 0x10;
    expect(await matchesDigest(bytes, recorded)).toBe(false);
    expect(await matchesDigest(bytes, undefined)).toBe(false);
  });

  it('still check chunks stored by earlier builds, whose records hold SHA-256 hex', async () => {
    const bytes = new Uint8Array(randomBytes(100_000));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(await matchesDigest(bytes, sha256)).toBe(true);
    bytes[7]! ^= 0x01;
    expect(await matchesDigest(bytes, sha256)).toBe(false);
  });

  it('give overlapping calls each their own answer', async () => {
    const chunks = Array.from({ length: 6 }, (_, i) => new Uint8Array(randomBytes(10_000 + i)));
    const together = await Promise.all(chunks.map((c) => chunkDigest(c)));
    const oneByOne: string[] = [];
    for (const c of chunks) oneByOne.push(await chunkDigest(c));
    expect(together).toEqual(oneByOne);
    expect(new Set(together).size).toBe(6);
  });
});
