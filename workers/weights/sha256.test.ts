import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256, sha256FromEtag } from './sha256';

const reference = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('Sha256', () => {
  it('matches node:crypto on the standard vectors and on every length around block edges', async () => {
    expect((await Sha256.create()).hex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect((await Sha256.create()).update(new TextEncoder().encode('abc')).hex()).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    for (let n = 0; n <= 200; n++) {
      const data = randomBytes(n);
      expect((await Sha256.create()).update(data).hex(), `length ${n}`).toBe(reference(data));
    }
  });

  it('keeps separate hashes apart', async () => {
    const a = await Sha256.create();
    const b = await Sha256.create();
    a.update(Uint8Array.of(1));
    b.update(Uint8Array.of(2));
    expect(a.hex()).toBe(reference(Uint8Array.of(1)));
    expect(b.hex()).toBe(reference(Uint8Array.of(2)));
  });

  it('continues from a saved state, also one saved mid-block and stored as IndexedDB stores it', async () => {
    for (let round = 0; round < 30; round++) {
      const data = randomBytes(2000 + Math.floor(Math.random() * 3000));
      const cut = Math.floor(Math.random() * data.length);
      const first = (await Sha256.create()).update(data.subarray(0, cut));
      const resumed = await Sha256.load(structuredClone(first.save()));
      expect(resumed?.update(data.subarray(cut)).hex()).toBe(reference(data));
    }
  });

  it('refuses states it cannot continue: the pure-JS hash records, damaged or foreign bytes', async () => {
    const legacy = { h: [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19], length: 0, pending: [] };
    expect(await Sha256.load(legacy)).toBeNull();
    expect(await Sha256.load(null)).toBeNull();
    const saved = (await Sha256.create()).update(randomBytes(100)).save();
    expect(await Sha256.load(saved.subarray(1))).toBeNull();
    const foreign = saved.slice();
    foreign[0]! ^= 0xff; // the build id hash-wasm prefixes
    expect(await Sha256.load(foreign)).toBeNull();
  });

  it('hashes a large random input like node:crypto', async () => {
    const data = randomBytes(64 * 1024 * 1024 + 13);
    const hash = await Sha256.create();
    const t0 = performance.now();
    const digest = hash.update(data).hex();
    const ms = performance.now() - t0;
    expect(digest).toBe(reference(data));
    console.info(`sha256: ${((data.length / 1e6) / (ms / 1000)).toFixed(0)} MB/s`);
  });
});

describe('sha256FromEtag', () => {
  it('reads LFS ETags and ignores git blob ids', () => {
    const hex = 'a'.repeat(64);
    expect(sha256FromEtag(`"${hex}"`)).toBe(hex);
    expect(sha256FromEtag(`W/"${hex.toUpperCase()}"`)).toBe(hex);
    expect(sha256FromEtag('"0123456789abcdef0123456789abcdef01234567"')).toBeNull();
    expect(sha256FromEtag(null)).toBeNull();
  });
});
