import { DynamicCache, Tensor } from '@huggingface/transformers';
import { describe, expect, it, vi } from 'vitest';
import { cachedIdsOf, KvCacheSlot, reusablePrefix, startsWith } from './kv-cache.ts';

describe('reusablePrefix', () => {
  it('reuses a cache whose ids start the new prompt exactly', () => {
    expect(reusablePrefix([1, 2, 3], [1, 2, 3, 4, 5])).toBe(3);
  });

  it('recomputes when any cached id differs, however late', () => {
    expect(reusablePrefix([1, 2, 3], [1, 2, 9, 4, 5])).toBe(0);
    expect(reusablePrefix([1, 2, 3], [9, 2, 3, 4, 5])).toBe(0);
  });

  it('recomputes when the cache is not shorter than the prompt (generate() must feed a token)', () => {
    expect(reusablePrefix([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(reusablePrefix([1, 2, 3, 4], [1, 2, 3])).toBe(0);
  });

  it('has nothing to reuse from an empty cache', () => {
    expect(reusablePrefix([], [1, 2])).toBe(0);
  });

  it('refuses the next R1 turn, whose history lost the thinking the cache holds', () => {
    // <User>q<Assistant><think>\n THINKING </think> ANSWER  vs  <User>q<Assistant> ANSWER <eos><User>q2...
    const USER = 100, ASSISTANT = 101, THINK = 102, NL = 10, END_THINK = 103, EOS = 104;
    const cached = [USER, 1, ASSISTANT, THINK, NL, 5, 6, END_THINK, 7, 8];
    const next = [USER, 1, ASSISTANT, 7, 8, EOS, USER, 2, ASSISTANT, THINK, NL];
    expect(reusablePrefix(cached, next)).toBe(0);
  });
});

describe('startsWith', () => {
  it('compares the leading ids', () => {
    expect(startsWith([1, 2, 3], [1, 2])).toBe(true);
    expect(startsWith([1, 2, 3], [])).toBe(true);
    expect(startsWith([1, 2], [1, 2, 3])).toBe(false);
    expect(startsWith([1, 3], [1, 2])).toBe(false);
  });
});

describe('cachedIdsOf', () => {
  it('drops the last token, which generate() chose but never fed to the model', () => {
    expect(cachedIdsOf([1, 2, 3, 4])).toEqual([1, 2, 3]);
  });
});

/** A cache of `length` positions, shaped like the fixture's (2 layers, 2 KV heads, head size 16). */
function cacheOf(length: number): DynamicCache {
  const entries: Record<string, Tensor> = {};
  for (let layer = 0; layer < 2; layer++) {
    for (const kind of ['key', 'value']) {
      entries[`past_key_values.${layer}.${kind}`] = new Tensor('float32', new Float32Array(2 * length * 16), [1, 2, length, 16]);
    }
  }
  return new DynamicCache(entries);
}

describe('KvCacheSlot', () => {
  it('hands out an empty cache when it holds nothing', async () => {
    const { cache, reused } = await new KvCacheSlot().take([1, 2, 3]);
    expect(reused).toBe(0);
    expect(cache.get_seq_length()).toBe(0);
  });

  it('hands back the kept cache for a prompt that extends it, once', async () => {
    const slot = new KvCacheSlot();
    const kept = cacheOf(4);
    await slot.keep(kept, [1, 2, 3, 4, 5]);
    const first = await slot.take([1, 2, 3, 4, 5, 6]);
    expect(first).toEqual({ cache: kept, reused: 4 });
    // Taken means owned by the request now: the slot does not hand it out twice.
    expect((await slot.take([1, 2, 3, 4, 5, 6])).reused).toBe(0);
  });

  it('disposes a kept cache that does not fit the new prompt', async () => {
    const slot = new KvCacheSlot();
    const kept = cacheOf(4);
    const dispose = vi.spyOn(kept, 'dispose');
    await slot.keep(kept, [1, 2, 3, 4, 5]);
    const { cache, reused } = await slot.take([1, 2, 9, 4, 5, 6]);
    expect(reused).toBe(0);
    expect(cache).not.toBe(kept);
    expect(dispose).toHaveBeenCalledOnce();
  });

  it('refuses to keep a cache whose length does not match the ids it should cover', async () => {
    const slot = new KvCacheSlot();
    const wrong = cacheOf(5);
    const dispose = vi.spyOn(wrong, 'dispose');
    await slot.keep(wrong, [1, 2, 3, 4, 5]);
    expect(dispose).toHaveBeenCalledOnce();
    expect((await slot.take([1, 2, 3, 4, 5, 6])).reused).toBe(0);
  });

  it('clear disposes the kept cache', async () => {
    const slot = new KvCacheSlot();
    const kept = cacheOf(2);
    const dispose = vi.spyOn(kept, 'dispose');
    await slot.keep(kept, [1, 2, 3]);
    await slot.clear();
    expect(dispose).toHaveBeenCalledOnce();
    expect((await slot.take([1, 2, 3, 4])).reused).toBe(0);
  });
});
