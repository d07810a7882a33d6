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

  it('recomputes when the cache is not shorter than the prompt (at least one token must be fed)', () => {
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
  it('drops the last token, which the loop chose but never fed to the model', () => {
    expect(cachedIdsOf([1, 2, 3, 4])).toEqual([1, 2, 3]);
  });
});

/**
 * A cache of `length` positions, shaped like the fixture's (2 layers, 2 KV heads, head size 16), whose
 * tensors say they live on the GPU so that disposal can be watched.
 */
function cacheOf(length: number): DynamicCache {
  const entries: Record<string, Tensor> = {};
  for (let layer = 0; layer < 2; layer++) {
    for (const kind of ['key', 'value']) {
      const t = new Tensor('float32', new Float32Array(2 * length * 16), [1, 2, length, 16]);
      Object.defineProperty(t, 'location', { value: 'gpu-buffer' });
      t.dispose = vi.fn();
      entries[`past_key_values.${layer}.${kind}`] = t;
    }
  }
  return new DynamicCache(entries);
}

const tensors = (cache: DynamicCache) => Object.values(cache) as Tensor[];
const disposed = (cache: DynamicCache) => tensors(cache).filter((t) => (t.dispose as ReturnType<typeof vi.fn>).mock.calls.length > 0).length;
const snapshot = (cache: DynamicCache, ids: number[]) => ({ entries: { ...(cache as unknown as Record<string, Tensor>) }, ids });

describe('KvCacheSlot', () => {
  it('hands out an empty cache when it holds nothing', async () => {
    const { cache, reused } = await new KvCacheSlot().take([1, 2, 3]);
    expect(reused).toBe(0);
    expect(cache.get_seq_length()).toBe(0);
  });

  it('hands back the kept cache for a prompt that extends it, once', async () => {
    const slot = new KvCacheSlot();
    const kept = cacheOf(4);
    await slot.keep(kept, [1, 2, 3, 4, 5], null);
    const first = await slot.take([1, 2, 3, 4, 5, 6]);
    expect(first.reused).toBe(4);
    expect(tensors(first.cache)).toEqual(tensors(kept));
    // Taken means owned by the request now: the slot does not hand it out twice.
    expect((await slot.take([1, 2, 3, 4, 5, 6])).reused).toBe(0);
    expect(disposed(kept)).toBe(0);
  });

  it('disposes a kept cache that does not fit the new prompt', async () => {
    const slot = new KvCacheSlot();
    const kept = cacheOf(4);
    await slot.keep(kept, [1, 2, 3, 4, 5], null);
    const { reused } = await slot.take([1, 2, 9, 4, 5, 6]);
    expect(reused).toBe(0);
    expect(disposed(kept)).toBe(4);
  });

  it('refuses to keep a cache whose length does not match the ids it should cover', async () => {
    const slot = new KvCacheSlot();
    const wrong = cacheOf(5);
    await slot.keep(wrong, [1, 2, 3, 4, 5], null);
    expect(disposed(wrong)).toBe(4);
    expect((await slot.take([1, 2, 3, 4, 5, 6])).reused).toBe(0);
  });

  it('reuses the turn snapshot for the next turn and protects it until a newer one replaces it', async () => {
    const slot = new KvCacheSlot();
    const turn1 = cacheOf(3);
    const reply1 = cacheOf(6);
    // Prompt [1, 2, 3 (Assistant), 4, 5] and a reply [6, 7]: the snapshot covers [1, 2, 3].
    await slot.keep(reply1, [1, 2, 3, 4, 5, 6, 7], snapshot(turn1, [1, 2, 3]));
    // The next turn's prompt keeps [1, 2, 3] and rewrites the rest: the snapshot, not the reply, is reused.
    const next = await slot.take([1, 2, 3, 7, 8, 9, 3, 4, 5]);
    expect(next.reused).toBe(3);
    expect(disposed(reply1)).toBe(4);
    expect(disposed(turn1)).toBe(0);
    expect([...next.protect]).toEqual(tensors(turn1));
    // That request snapshots its own prompt; the old snapshot is released then, not before.
    const turn2 = cacheOf(7);
    await slot.keep(cacheOf(10), [1, 2, 3, 7, 8, 9, 3, 4, 5, 10, 11], snapshot(turn2, [1, 2, 3, 7, 8, 9, 3]));
    expect(disposed(turn1)).toBe(4);
    expect(disposed(turn2)).toBe(0);
  });

  it('keeps the turn snapshot through a Continue of the reply', async () => {
    const slot = new KvCacheSlot();
    const turn = cacheOf(3);
    await slot.keep(cacheOf(6), [1, 2, 3, 4, 5, 6, 7], snapshot(turn, [1, 2, 3]));
    const cont = await slot.take([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(cont.reused).toBe(6);
    expect(disposed(turn)).toBe(0);
    expect([...cont.protect]).toEqual(tensors(turn));
  });

  it('clear disposes everything it holds, once each', async () => {
    const slot = new KvCacheSlot();
    const kept = cacheOf(2);
    const turn = cacheOf(1);
    await slot.keep(kept, [1, 2, 3], snapshot(turn, [1]));
    await slot.clear();
    expect(disposed(kept)).toBe(4);
    expect(disposed(turn)).toBe(4);
    expect((await slot.take([1, 2, 3, 4])).reused).toBe(0);
  });
});
