import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256, sha256FromEtag } from './sha256';

const reference = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('Sha256', () => {
  it('matches node:crypto on the standard vectors and on every length around block edges', () => {
    expect(new Sha256().hex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(new Sha256().update(new TextEncoder().encode('abc')).hex()).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    for (let n = 0; n <= 200; n++) {
      const data = randomBytes(n);
      expect(new Sha256().update(data).hex(), `length ${n}`).toBe(reference(data));
    }
  });

  it('gives the same digest however the input is split', () => {
    for (let round = 0; round < 50; round++) {
      const data = randomBytes(1 + Math.floor(Math.random() * 5000));
      const h = new Sha256();
      for (let pos = 0; pos < data.length; ) {
        const step = Math.floor(Math.random() * 300);
        h.update(data.subarray(pos, pos + step));
        pos += step;
      }
      expect(h.hex()).toBe(reference(data));
    }
  });

  it('continues from a saved state, also one saved mid-block and passed through JSON', () => {
    for (let round = 0; round < 30; round++) {
      const data = randomBytes(2000 + Math.floor(Math.random() * 3000));
      const cut = Math.floor(Math.random() * data.length);
      const first = new Sha256().update(data.subarray(0, cut));
      const saved = JSON.parse(JSON.stringify(first.save())) as ReturnType<Sha256['save']>;
      expect(new Sha256(saved).update(data.subarray(cut)).hex()).toBe(reference(data));
    }
  });

  it('hashes a large random input like node:crypto', () => {
    const data = randomBytes(8 * 1024 * 1024 + 13);
    const t0 = performance.now();
    const digest = new Sha256().update(data).hex();
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
