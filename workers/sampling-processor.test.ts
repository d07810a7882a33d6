import { Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { ChoosingLogitsProcessor } from './sampling-processor.ts';
import { seededRandom } from './seeded-random.ts';

const VOCAB = 8;

function logits(rows: number[][]): Tensor {
  return new Tensor('float32', Float32Array.from(rows.flat()), [rows.length, VOCAB]);
}

/** The one token a processed row leaves standing. */
function standing(t: Tensor): number[] {
  const data = t.data as Float32Array;
  const out: number[] = [];
  for (let row = 0; row < data.length; row += VOCAB) {
    const view = [...data.subarray(row, row + VOCAB)];
    expect(view.filter((x) => x !== -Infinity)).toEqual([0]);
    out.push(view.indexOf(0));
  }
  return out;
}

const peaked = (winner: number) => Array.from({ length: VOCAB }, (_, i) => (i === winner ? 5 : 0));

describe('ChoosingLogitsProcessor', () => {
  it('leaves one token per row for greedy generate() to take', () => {
    const p = new ChoosingLogitsProcessor({ temperature: 0, topP: 1, random: Math.random });
    expect(standing(p._call([], logits([peaked(3), peaked(5)])))).toEqual([3, 5]);
  });

  it('takes its randomness from the injected source', () => {
    const run = (seed: number) => {
      const p = new ChoosingLogitsProcessor({ temperature: 1, topP: 1, random: seededRandom(seed) });
      return Array.from({ length: 30 }, () => standing(p._call([], logits([new Array<number>(VOCAB).fill(0)])))[0]);
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });
});
