import { describe, expect, it } from 'vitest';
import { MAX_CHUNK, nextChunk, planChunks, type ChunkLimits } from './prefill-chunks.ts';

const GiB = 2 ** 30;
/** The 1.5B (12 heads, 151,936 logits) on SwiftShader's 1 GiB buffers. */
const R1_ON_SWIFTSHADER: ChunkLimits = { maxBufferBytes: GiB, vocabSize: 151_936, numHeads: 12 };

describe('prefill chunks', () => {
  it('covers the whole prompt exactly', () => {
    const sizes = planChunks(R1_ON_SWIFTSHADER, 0, 6_000);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(6_000);
    expect(planChunks(R1_ON_SWIFTSHADER, 5_990, 6_000)).toEqual([10]);
    expect(planChunks(R1_ON_SWIFTSHADER, 6_000, 6_000)).toEqual([]);
  });

  it('keeps logits and attention scores of every chunk within half the buffer limit', () => {
    for (const limits of [R1_ON_SWIFTSHADER, { maxBufferBytes: 128 * 2 ** 20, vocabSize: 152_064, numHeads: 28 }]) {
      let past = 0;
      for (const size of planChunks(limits, 0, 32_768)) {
        expect(size * limits.vocabSize * 4).toBeLessThanOrEqual(limits.maxBufferBytes / 2);
        expect(limits.numHeads * size * (past + size) * 4).toBeLessThanOrEqual(limits.maxBufferBytes / 2);
        past += size;
      }
    }
  });

  it('takes big chunks where they fit, and never fewer than one token', () => {
    expect(nextChunk(R1_ON_SWIFTSHADER, 0, 10_000)).toBe(MAX_CHUNK);
    // 2,500 tokens at once is what crashed: 1.5 GB of logits.
    expect(nextChunk(R1_ON_SWIFTSHADER, 0, 2_500)).toBeLessThan(2_500);
    expect(nextChunk({ maxBufferBytes: 1024, vocabSize: 151_936, numHeads: 12 }, 30_000, 500)).toBe(1);
  });
});
