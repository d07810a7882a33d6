import { describe, expect, it } from 'vitest';
import { temperatureScale, topPFilter, TOP_P_TOLERANCE } from './sampling.ts';
import { seeded, type Random } from '../src/reasoning/testing/random.ts';

const fromProbs = (probs: number[]) => Float32Array.from(probs, (q) => Math.log(q));
const kept = (out: Float32Array) => [...out.keys()].filter((i) => out[i] !== -Infinity);

/** Brute force: full comparator sort, float64 softmax, cumulative sum until it reaches p. */
function reference(logits: Float32Array, p: number): number[] {
  const idx = [...logits.keys()].filter((i) => (logits[i] as number) > -Infinity);
  if (idx.length === 0) return [];
  idx.sort((a, b) => (logits[b] as number) - (logits[a] as number) || a - b);
  if (p >= 1) return idx.sort((a, b) => a - b);
  if (p <= 0) return [idx[0] as number];
  const max = logits[idx[0] as number] as number;
  let z = 0;
  for (let i = 0; i < logits.length; i++) if ((logits[i] as number) > -Infinity) z += Math.exp((logits[i] as number) - max);
  const out: number[] = [];
  let cum = 0;
  for (const i of idx) {
    out.push(i);
    cum += Math.exp((logits[i] as number) - max) / z;
    if (cum >= p - TOP_P_TOLERANCE) break;
  }
  return out.sort((a, b) => a - b);
}

function gaussian(rng: Random): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

describe('topPFilter', () => {
  const probs = [0.5, 0.3, 0.15, 0.05];
  it.each([
    [0.8, [0, 1]],
    [0.81, [0, 1, 2]],
    [0.5, [0]],
    [0.49, [0]],
    [0.95, [0, 1, 2]],
    [0.96, [0, 1, 2, 3]],
    [1, [0, 1, 2, 3]],
    [0, [0]],
    [-1, [0]],
    [1e-12, [0]],
  ])('probs [0.5,0.3,0.15,0.05] with p=%s keeps %j', (p, expected) => {
    expect(kept(topPFilter(fromProbs(probs), p))).toEqual(expected);
  });

  it('keeps kept logits unchanged and does not touch the input', () => {
    const logits = fromProbs([0.05, 0.5, 0.15, 0.3]);
    const copy = logits.slice();
    const out = topPFilter(logits, 0.8);
    expect(logits).toEqual(copy);
    expect(out).not.toBe(logits);
    expect([...out]).toEqual([-Infinity, logits[1], -Infinity, logits[3]]);
  });

  it('is invariant to shifting all logits', () => {
    const rng = seeded(7);
    for (let c = 0; c < 50; c++) {
      const logits = Float32Array.from({ length: 200 }, () => Math.round(gaussian(rng) * 8) / 4);
      const shift = (rng.next() - 0.5) * 2000;
      const shifted = logits.map((l) => l + shift);
      // Shifts by multiples of 0.25 stay exact in float32 at this magnitude, so ranks and gaps are identical.
      const p = rng.next();
      expect(kept(topPFilter(shifted, p))).toEqual(kept(topPFilter(logits, p)));
    }
  });

  it('breaks ties at the boundary by index order', () => {
    const logits = new Float32Array([0, 1, 1, 1, 1, 0]);
    expect(kept(topPFilter(logits, 0.3))).toEqual([1, 2]);
    expect(kept(topPFilter(logits, 0.01))).toEqual([1]);
    expect(kept(topPFilter(new Float32Array(10), 0.55))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(kept(topPFilter(new Float32Array([-0, 0, -0]), 0.5))).toEqual([0, 1]);
  });

  it('keeps -Infinity out and handles all -Infinity', () => {
    const logits = new Float32Array([-Infinity, 2, -Infinity, 1]);
    expect(kept(topPFilter(logits, 1))).toEqual([1, 3]);
    expect(kept(topPFilter(logits, 0.99))).toEqual([1, 3]);
    expect(kept(topPFilter(logits, 0.5))).toEqual([1]);
    const none = topPFilter(new Float32Array([-Infinity, -Infinity]), 0.9);
    expect([...none]).toEqual([-Infinity, -Infinity]);
  });

  it('treats NaN logits as -Infinity and never outputs NaN', () => {
    const logits = new Float32Array([NaN, 1, NaN, 1]);
    for (const p of [0, 0.3, 0.9, 1]) {
      const out = topPFilter(logits, p);
      expect(out.some(Number.isNaN)).toBe(false);
      expect(out[0]).toBe(-Infinity);
    }
    expect(kept(topPFilter(logits, 0.9))).toEqual([1, 3]);
    expect([...topPFilter(new Float32Array([NaN]), 0.5)]).toEqual([-Infinity]);
  });

  it('gives +Infinity logits all the mass', () => {
    const logits = new Float32Array([5, Infinity, 7, Infinity, Infinity, Infinity]);
    expect(kept(topPFilter(logits, 0.5))).toEqual([1, 3]);
    expect(kept(topPFilter(logits, 0.51))).toEqual([1, 3, 4]);
    expect(kept(topPFilter(logits, 0))).toEqual([1]);
    expect(kept(topPFilter(logits, 1))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('handles a single token and an empty vocabulary', () => {
    expect([...topPFilter(new Float32Array([3]), 0.5)]).toEqual([3]);
    expect([...topPFilter(new Float32Array([3]), 0)]).toEqual([3]);
    expect(topPFilter(new Float32Array(0), 0.9).length).toBe(0);
  });

  it('keeps tokens whose probability underflows to 0 when p >= 1', () => {
    expect(kept(topPFilter(new Float32Array([0, -1e6]), 1))).toEqual([0, 1]);
    expect(kept(topPFilter(new Float32Array([0, -1e6]), 0.999))).toEqual([0]);
  });

  it('rejects NaN p', () => {
    expect(() => topPFilter(new Float32Array([1]), NaN)).toThrow(RangeError);
  });

  it('matches the brute-force reference on small random vocabularies with many ties', () => {
    const rng = seeded(42);
    for (let c = 0; c < 2000; c++) {
      const n = 1 + rng.int(300);
      const spread = rng.pick([0.5, 2, 8, 40]);
      const logits = Float32Array.from({ length: n }, () => {
        const r = rng.int(20);
        if (r === 0) return -Infinity;
        return Math.round(gaussian(rng) * spread) / (rng.int(2) ? 1 : 8); // coarse values: ties
      });
      const p = rng.pick([0, 0.1, 0.5, 0.9, 0.95, 0.99, 1, rng.next()]);
      expect(kept(topPFilter(logits, p)), `case ${c}`).toEqual(reference(logits, p));
    }
  });

  it('matches the brute-force reference on 152k-token vocabularies', () => {
    const rng = seeded(152064);
    const n = 152_064;
    const shapes: ((i: number) => number)[] = [
      () => gaussian(rng), // flat: the nucleus is most of the vocabulary
      () => gaussian(rng) * 3,
      () => gaussian(rng) * 5 + (rng.int(1000) === 0 ? 15 : 0), // a few dominant tokens
      (i) => -Math.log(i + 1) * 1.6 + gaussian(rng) * 0.1, // Zipf-like, LM-shaped tail
      () => Math.round(gaussian(rng) * 4), // massive ties
    ];
    for (const [s, shape] of shapes.entries()) {
      const logits = Float32Array.from({ length: n }, (_, i) => shape(i));
      for (const p of [0.5, 0.9, 0.95, 0.999]) {
        const got = kept(topPFilter(logits, p));
        const want = reference(logits, p);
        expect(got.length, `shape ${s} p ${p}`).toBe(want.length); // short message before the big diff
        expect(got, `shape ${s} p ${p}`).toEqual(want);
      }
    }
  });

  it('matches the brute-force reference on adversarial spacings (deep refinement, sort fallback)', () => {
    const rng = seeded(99);
    const n = 30_000;
    const shapes: [string, () => number][] = [
      ['all within one band', () => rng.next() * 0.05],
      ['tiny spread', () => 3 + rng.next() * 1e-5],
      ['exponential spacing', () => -(2 ** -rng.int(120))],
      ['exponential spacing, many ties', () => -(2 ** -rng.int(12)) * rng.int(3)],
      ['two clusters', () => (rng.int(2) ? 0 : 0.03) + rng.next() * 1e-4],
    ];
    for (const [name, shape] of shapes) {
      const logits = Float32Array.from({ length: n }, shape);
      for (const p of [0.01, 0.3, 0.5, 0.95, 0.9999]) {
        const got = kept(topPFilter(logits, p));
        const want = reference(logits, p);
        expect(got.length, `${name} p ${p}`).toBe(want.length);
        expect(got, `${name} p ${p}`).toEqual(want);
      }
    }
  });
});

describe('temperatureScale', () => {
  it('divides logits by t', () => {
    expect([...temperatureScale(new Float32Array([1.2, -0.6, 0]), 0.6)]).toEqual([2, -1, 0].map(Math.fround));
  });
  it('t=0 is greedy', () => {
    expect([...temperatureScale(new Float32Array([1, 3, 3, 2]), 0)]).toEqual([-Infinity, 3, -Infinity, -Infinity]);
  });
  it('keeps -Infinity and drops NaN', () => {
    expect([...temperatureScale(new Float32Array([-Infinity, NaN, 2]), 2)]).toEqual([-Infinity, -Infinity, 1]);
  });
  it('rejects invalid temperatures', () => {
    for (const t of [-0.5, NaN, Infinity]) expect(() => temperatureScale(new Float32Array([1]), t)).toThrow(RangeError);
  });
});
