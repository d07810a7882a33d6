import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.ts';
import { chooseToken } from './token-choice.ts';

const VOCAB = 64;
const flat = new Float32Array(VOCAB);

function draws(seed: number, n: number, logits = flat, temperature = 0.6, topP = 0.95): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => chooseToken(logits, { temperature, topP, random }));
}

describe('chooseToken', () => {
  it('is greedy at temperature 0 and draws no random number', () => {
    const logits = Float32Array.from([0.1, 2, -1, 1.9]);
    const random = () => {
      throw new Error('greedy must not sample');
    };
    expect(chooseToken(logits, { temperature: 0, topP: 0.95, random })).toBe(1);
  });

  it('repeats its choices for the same seed over a flat distribution', () => {
    expect(draws(123, 200)).toEqual(draws(123, 200));
  });

  it('makes different choices for different seeds', () => {
    const a = draws(1, 200);
    const b = draws(2, 200);
    expect(a).not.toEqual(b);
    // Flat over 64 tokens: two independent streams agree on about 1 in 64 draws.
    expect(a.filter((x, i) => x === b[i]).length).toBeLessThan(20);
  });

  it('spreads over the nucleus only', () => {
    // Four tokens with 0.4/0.3/0.2/0.1 at T=1: top-p 0.85 keeps the first three.
    const logits = Float32Array.from([0.4, 0.3, 0.2, 0.1], Math.log);
    const counts = [0, 0, 0, 0];
    for (const t of draws(9, 9000, logits, 1, 0.85)) counts[t]! += 1;
    expect(counts[3]).toBe(0);
    // Renormalised 4/9, 3/9, 2/9 within a few percent.
    expect(counts[0]! / 9000).toBeCloseTo(4 / 9, 1);
    expect(counts[1]! / 9000).toBeCloseTo(3 / 9, 1);
    expect(counts[2]! / 9000).toBeCloseTo(2 / 9, 1);
  });
});
