import { DynamicCache, Tensor } from '@huggingface/transformers';
import type { StaticKv } from './static-kv';

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

/** Cache entries (none for an in-place cache, whose buffers the slot keeps) and the exact token ids they cover. */
export interface KvSnapshot {
  entries: Entries;
  ids: number[];
}

/** What a request gets from a slot: a cache, how many prompt tokens it covers, and tensors to leave alone. */
export interface TakenCache<C> {
  cache: C;
  reused: number;
  protect: Set<Tensor>;
}

/** Where the Generator keeps its KV cache between requests; see the two kinds below. */
export interface KvSlot<C> {
  take(promptIds: readonly number[]): Promise<TakenCache<C>>;
  /** The cache as it is now, covering `ids`, for the next turn; its tensors join `protect`. */
  snapshot(cache: C, ids: number[], protect: Set<Tensor>): KvSnapshot;
  keep(cache: C | null, sequence: readonly number[], turn: KvSnapshot | null): Promise<void>;
  clear(): Promise<void>;
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
export class KvCacheSlot implements KvSlot<DynamicCache> {
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

  snapshot(cache: DynamicCache, ids: number[], protect: Set<Tensor>): KvSnapshot {
    const snap = snapshotOf(cache, ids);
    for (const t of Object.values(snap.entries)) protect.add(t);
    return snap;
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

/**
 * The same reuse over one in-place cache (static-kv.ts). Its buffers are written only past the
 * valid length, so every kept prefix stays true until a request writes over it: the last reply's
 * tokens (Continue) and the last prompt up to its final `<｜Assistant｜>` (the next turn) are both
 * just lengths of the one cache. A request that reuses n tokens writes from n on, so the reply's
 * record goes, and the turn's survives when it is at most n long (it is a prefix of the new prompt).
 */
export class StaticKvSlot implements KvSlot<StaticKv> {
  private full: number[] | null = null;
  private turn: number[] | null = null;
  private cache: StaticKv | null = null;

  constructor(private readonly create: () => StaticKv) {}

  async take(promptIds: readonly number[]): Promise<TakenCache<StaticKv>> {
    const fromFull = this.full ? reusablePrefix(this.full, promptIds) : 0;
    const fromTurn = this.turn ? reusablePrefix(this.turn, promptIds) : 0;
    const reused = Math.max(fromFull, fromTurn);
    if (fromTurn === 0) this.turn = null;
    this.full = null;
    // The buffers stay allocated across requests (and conversations): only the valid length changes.
    const cache = (this.cache ??= this.create());
    cache.length = reused;
    return { cache, reused, protect: new Set() };
  }

  snapshot(_cache: StaticKv, ids: number[]): KvSnapshot {
    return { entries: {}, ids };
  }

  async keep(cache: StaticKv | null, sequence: readonly number[], turn: KvSnapshot | null): Promise<void> {
    const ids = cachedIdsOf(sequence);
    if (turn) this.turn = turn.ids;
    // Checked rather than trusted: a cache covering other tokens (a Stop mid-prompt) is recomputed.
    // A failed request leaves its length at the last whole pass; the turn it recorded lies before that.
    this.full = cache && cache.length === ids.length ? ids : null;
  }

  async clear(): Promise<void> {
    this.full = null;
    this.turn = null;
    this.cache?.release();
    this.cache = null;
  }
}
