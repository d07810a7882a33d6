import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chunkDigest } from './digest';
import { startFileHash } from './file-hash';
import { InThreadWorker } from './in-thread-worker';
import { Sha256 } from './sha256';

const reference = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('startFileHash in a worker', () => {
  beforeEach(() => vi.stubGlobal('Worker', InThreadWorker));
  afterEach(() => vi.unstubAllGlobals());

  it('continues the given hash, answers each chunk with the state after it and its digest, and takes the chunks', async () => {
    const data = new Uint8Array(randomBytes(300_000));
    const hash = startFileHash((await Sha256.create()).update(data.subarray(0, 1000)));
    // A chunk comes as the response body's pieces; its digest is that of its bytes together.
    const chunks = [[data.slice(1000, 70_000)], [data.slice(70_000, 71_000), data.slice(71_000, 200_000), data.slice(200_000)]];
    const digests = await Promise.all([data.subarray(1000, 70_000), data.subarray(70_000)].map((c) => chunkDigest(c)));
    const replies = await Promise.all(chunks.map((c) => hash.update(c)));
    expect(chunks.flat().map((c) => c.byteLength)).toEqual([0, 0, 0, 0]); // transferred, not copied
    expect(replies.map((r) => r.digest)).toEqual(digests);
    expect((await Sha256.load(replies[0]?.state))?.update(data.subarray(70_000)).hex()).toBe(reference(data));
    expect(await hash.hex()).toBe(reference(data));
    hash.close();
  });

  it('fails every request when the worker cannot continue the state', async () => {
    const foreign = { save: () => new Uint8Array(8) } as unknown as Sha256;
    const hash = startFileHash(foreign);
    await expect(hash.update([new Uint8Array(10)])).rejects.toThrow(/Hashing the download failed: .*another build/);
    await expect(hash.hex()).rejects.toThrow(/Hashing the download failed/);
  });
});
