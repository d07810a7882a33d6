import { describe, expect, it } from 'vitest';
import { LowestGroupConfidence, tokenConfidence } from './path-confidence.ts';

/** −(1/k)·Σ log p over the k most likely tokens, the slow way: full softmax and a sort. */
function reference(logits: number[], k: number): number {
  const max = Math.max(...logits);
  const logSum = max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0));
  const top = [...logits].sort((a, b) => b - a).slice(0, k);
  return -top.reduce((s, v) => s + (v - logSum), 0) / top.length;
}

describe('tokenConfidence', () => {
  it('matches a full softmax over the top k, for any order of the logits', () => {
    let x = 12345;
    const random = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 20 - 10;
    for (let trial = 0; trial < 20; trial++) {
      const logits = Array.from({ length: 500 }, random);
      expect(tokenConfidence(Float32Array.from(logits), 20)).toBeCloseTo(reference(Array.from(Float32Array.from(logits)), 20), 4);
    }
  });

  it('is higher for a peaked distribution than for a flat one', () => {
    const flat = new Float32Array(1000);
    const peaked = new Float32Array(1000).fill(-5);
    peaked[3] = 10;
    expect(tokenConfidence(peaked)).toBeGreaterThan(tokenConfidence(flat));
    // Flat over 1,000 tokens: every top-20 token has log p = −log 1000.
    expect(tokenConfidence(flat)).toBeCloseTo(Math.log(1000), 5);
  });

  it('handles a vocabulary smaller than k and masked tokens', () => {
    expect(tokenConfidence(Float32Array.of(0, 0), 20)).toBeCloseTo(Math.log(2), 6);
    const masked = Float32Array.of(1, -Infinity, 1, -Infinity);
    // The two masked tokens have probability 0; they are left out of the mean rather than making it infinite.
    expect(Number.isFinite(tokenConfidence(masked, 4))).toBe(true);
  });
});

describe('LowestGroupConfidence', () => {
  it('is the mean while the path is shorter than the window, then the lowest window mean', () => {
    const g = new LowestGroupConfidence(3);
    expect(g.value).toBeNull();
    g.push(6);
    g.push(3);
    expect(g.value).toBe(4.5);
    for (const c of [9, 0, 0, 9, 9, 9]) g.push(c);
    // Windows: [6,3,9]=6, [3,9,0]=4, [9,0,0]=3, [0,0,9]=3, [0,9,9]=6, [9,9,9]=9.
    expect(g.value).toBe(3);
  });
});
