import { DynamicCache } from '@huggingface/transformers';

/** True when `ids` begins with every id of `prefix`. */
export function startsWith(ids: readonly number[], prefix: readonly number[]): boolean {
  if (prefix.length > ids.length) return false;
  for (let i = 0; i < prefix.length; i++) if (ids[i] !== prefix[i]) return false;
  return true;
}

/**
 * How many leading tokens of a new prompt a kept KV cache can stand in for: all of its tokens when
 * they are exactly the first tokens of the new prompt, else 0.
 *
 * Exactness is the whole point: R1's chat template drops earlier thinking from the history, so the
 * next turn's prompt shares only its beginning with what was computed, and keys/values computed for
 * tokens that are no longer there would silently corrupt the reply. The cache must also be shorter
 * than the prompt: only the tokens past the cache are fed, and the next token needs at least one.
 */
export function reusablePrefix(cachedIds: readonly number[], newIds: readonly number[]): number {
  if (cachedIds.length === 0 || cachedIds.length >= newIds.length) return 0;
  return startsWith(newIds, cachedIds) ? cachedIds.length : 0;
}

/**
 * The tokens a finished reply's cache covers: the whole sequence but its last token. A token is fed
 * to the model only on the step after it was chosen, and the loop ends right after choosing the last
 * one (EOS, length or interrupt alike).
 */
export function cachedIdsOf(sequence: readonly number[]): number[] {
  return sequence.slice(0, -1);
}

/**
 * Holds at most one KV cache between requests, with the exact token ids it covers.
 *
 * The decoding loop updates a cache object in place, so each request gets one from here (the kept
 * one, or an empty one) and hands it back afterwards; the slot owns whatever GPU buffers it holds
 * and disposes what it drops.
 */
export class KvCacheSlot {
  private cache: DynamicCache | null = null;
  private ids: number[] = [];

  /** A cache to generate `promptIds` with, and how many of them it already covers. */
  async take(promptIds: readonly number[]): Promise<{ cache: DynamicCache; reused: number }> {
    const kept = this.cache;
    const reused = reusablePrefix(this.ids, promptIds);
    this.cache = null;
    this.ids = [];
    if (kept && reused > 0) return { cache: kept, reused };
    await kept?.dispose();
    return { cache: new DynamicCache(), reused: 0 };
  }

  /** Keeps the cache of a finished reply whose full sequence (prompt and reply) was `sequence`. */
  async keep(cache: DynamicCache, sequence: readonly number[]): Promise<void> {
    await this.clear();
    const ids = cachedIdsOf(sequence);
    // Checked rather than trusted: a cache covering other tokens (a Stop mid-prompt) is recomputed.
    if (cache.get_seq_length() !== ids.length) {
      await cache.dispose();
      return;
    }
    this.cache = cache;
    this.ids = ids;
  }

  /** Frees the kept cache (reset, unload, a new model). */
  async clear(): Promise<void> {
    const kept = this.cache;
    this.cache = null;
    this.ids = [];
    await kept?.dispose();
  }
}
