import { DynamicCache, Tensor } from '@huggingface/transformers';

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

type Entries = Record<string, Tensor>;

/** Cache entries and the exact token ids they cover. */
export interface KvSnapshot {
  entries: Entries;
  ids: number[];
}

const tensorsOf = (...kept: Array<KvSnapshot | null | undefined>) => new Set(kept.flatMap((k) => (k ? Object.values(k.entries) : [])));

/** Disposes the tensors of `dropped` that nothing in `kept` still uses (GPU buffers; CPU ones are left to GC). */
async function release(dropped: Iterable<Tensor>, kept: ReadonlySet<Tensor>): Promise<void> {
  await Promise.all([...new Set(dropped)].filter((t) => !kept.has(t) && t.location === 'gpu-buffer').map((t) => t.dispose()));
}

function entriesOf(cache: DynamicCache): Entries {
  return Object.fromEntries(Object.entries(cache).filter((e): e is [string, Tensor] => e[1] instanceof Tensor));
}

/** The cache's tensors as they are now, covering `ids`: later steps replace, not change, them. */
export function snapshotOf(cache: DynamicCache, ids: number[]): KvSnapshot {
  return { entries: entriesOf(cache), ids };
}

/**
 * Holds KV caches between requests, each with the exact token ids it covers:
 * - the last reply's (its prompt and reply but the last token), for Continue;
 * - the last prompt's up to and including its final `<｜Assistant｜>`: R1's template rewrites history
 *   (earlier thinking is dropped), so the next turn's prompt shares exactly that much with this one.
 *   Reusing it, the next turn feeds only the previous answer and the new question.
 *
 * The decoding loop updates a cache in place, so each request gets one from here and hands it back
 * afterwards. Tensors the turn snapshot holds are protected: the loop must not dispose them when it
 * moves past them. The slot owns every GPU buffer it holds and disposes what it drops.
 */
export class KvCacheSlot {
  private full: KvSnapshot | null = null;
  private turn: KvSnapshot | null = null;

  /**
   * A cache to generate `promptIds` with, how many of them it already covers, and the tensors the
   * request must leave alone (the turn snapshot's).
   */
  async take(promptIds: readonly number[]): Promise<{ cache: DynamicCache; reused: number; protect: Set<Tensor> }> {
    const fromFull = this.full ? reusablePrefix(this.full.ids, promptIds) : 0;
    const fromTurn = this.turn ? reusablePrefix(this.turn.ids, promptIds) : 0;
    const full = this.full;
    this.full = null;
    if (fromTurn === 0) {
      await release(Object.values(this.turn?.entries ?? {}), tensorsOf(fromFull > 0 ? full : null));
      this.turn = null;
    }
    const protect = tensorsOf(this.turn);
    if (fromFull > 0 && full && fromFull >= fromTurn) return { cache: new DynamicCache(full.entries), reused: fromFull, protect };
    await release(Object.values(full?.entries ?? {}), protect);
    if (this.turn && fromTurn > 0) return { cache: new DynamicCache(this.turn.entries), reused: fromTurn, protect };
    return { cache: new DynamicCache(), reused: 0, protect };
  }

  /**
   * Takes back a request's cache: `sequence` is its full token list (prompt and reply), `turn` a
   * snapshot it took of its prompt's shareable part, if any. A failed request passes null for the cache.
   */
  async keep(cache: DynamicCache | null, sequence: readonly number[], turn: KvSnapshot | null): Promise<void> {
    const ids = cachedIdsOf(sequence);
    // Checked rather than trusted: a cache covering other tokens (a Stop mid-prompt) is recomputed.
    const full = cache && cache.get_seq_length() === ids.length ? { entries: entriesOf(cache), ids } : null;
    const oldTurn = this.turn;
    if (turn) this.turn = turn;
    const kept = tensorsOf(full, this.turn);
    if (cache && !full) await release(Object.values(entriesOf(cache)), kept);
    if (turn && oldTurn) await release(Object.values(oldTurn.entries), kept);
    this.full = full;
  }

  /** Frees every kept cache (reset, unload, a new model). */
  async clear(): Promise<void> {
    const dropped = [...tensorsOf(this.full, this.turn)];
    this.full = null;
    this.turn = null;
    await release(dropped, new Set());
  }
}
