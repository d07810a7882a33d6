import { describe, expect, it } from 'vitest';
import { randomSource, seededRandom } from './seeded-random.ts';

const take = (next: () => number, n: number) => Array.from({ length: n }, next);
const asUint32 = (x: number) => Math.floor(x * 4294967296);

describe('seededRandom', () => {
  it('repeats the same stream for the same seed', () => {
    expect(take(seededRandom(42), 1000)).toEqual(take(seededRandom(42), 1000));
  });

  it('pins the stream, so a seeded reply stays reproducible across app versions', () => {
    expect(take(seededRandom(0), 3).map(asUint32)).toEqual([4205396811, 3543653536, 1222415357]);
    expect(take(seededRandom(1), 3).map(asUint32)).toEqual([1828152527, 3394835397, 2967886022]);
    expect(take(seededRandom(0xffffffff), 3).map(asUint32)).toEqual([1413747962, 91561161, 3282502067]);
  });

  it('gives neighbouring seeds unrelated streams', () => {
    const streams = [0, 1, 2, 3].map((s) => take(seededRandom(s), 50));
    for (let i = 0; i < streams.length; i++) {
      for (let j = i + 1; j < streams.length; j++) {
        const same = streams[i]!.filter((x, k) => x === streams[j]![k]).length;
        expect(same).toBe(0);
      }
    }
  });

  it('is uniform on [0, 1)', () => {
    const next = seededRandom(7);
    const bins = new Array<number>(16).fill(0);
    const n = 160_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = next();
      if (!(x >= 0 && x < 1)) outside += 1;
      else bins[Math.floor(x * 16)]! += 1;
    }
    expect(outside).toBe(0);
    const expected = n / 16;
    const chi2 = bins.reduce((sum, b) => sum + (b - expected) ** 2 / expected, 0);
    // 15 degrees of freedom: chi2 > 37.7 happens with probability 0.001 for a uniform source.
    expect(chi2).toBeLessThan(37.7);
  });

  it.each([-1, 1.5, 2 ** 32, Number.NaN])('rejects seed %s', (seed) => {
    expect(() => seededRandom(seed)).toThrow(RangeError);
  });
});

describe('randomSource', () => {
  it('uses Math.random without a seed', () => {
    expect(randomSource(null)).toBe(Math.random);
    expect(randomSource(undefined)).toBe(Math.random);
  });

  it('is seeded with a seed, 0 included', () => {
    expect(take(randomSource(0), 5)).toEqual(take(seededRandom(0), 5));
  });
});
