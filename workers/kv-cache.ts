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

/** Cache entries (none for an in-place cache, whose buffers the slot keeps) and the exact token ids they cover. */
export interface KvSnapshot<T = unknown> {
  entries: Record<string, T>;
  ids: number[];
}

/** What a request gets from a slot: a cache, how many prompt tokens it covers, and tensors to leave alone. */
export interface TakenCache<C, T = unknown> {
  cache: C;
  reused: number;
  protect: Set<T>;
}

/** Where the Generator keeps its KV cache between requests; see the two kinds below. */
export interface KvSlot<C, T = unknown> {
  take(promptIds: readonly number[]): Promise<TakenCache<C, T>>;
  /** The cache as it is now, covering `ids`, for the next turn; its tensors join `protect`. */
  snapshot(cache: C, ids: number[], protect: Set<T>): KvSnapshot<T>;
  keep(cache: C | null, sequence: readonly number[], turn: KvSnapshot<T> | null): Promise<void>;
  clear(): Promise<void>;
}

/**
 * A cache that each forward pass replaces with new, longer tensors: how to make one from tensors, read
 * them back, count its tokens and free tensors nothing holds any more. transformers.js's DynamicCache
 * is one (GPU buffers need disposing, CPU tensors are left to the GC); wasm-heap/heap-kv.ts's is another.
 */
export interface GrowingKind<C, T> {
  create(entries?: Record<string, T>): C;
  entries(cache: C): Record<string, T>;
  length(cache: C): number;
  release(tensors: T[]): Promise<void>;
}

export const DYNAMIC_CACHE: GrowingKind<DynamicCache, Tensor> = {
  create: (entries) => new DynamicCache(entries),
  entries: (cache) => Object.fromEntries(Object.entries(cache).filter((e): e is [string, Tensor] => e[1] instanceof Tensor)),
  length: (cache) => cache.get_seq_length(),
  release: async (tensors) => void (await Promise.all(tensors.filter((t) => t.location === 'gpu-buffer').map((t) => t.dispose()))),
};

/** The cache's tensors as they are now, covering `ids`: later steps replace, not change, them. */
export function snapshotOf(cache: DynamicCache, ids: number[]): KvSnapshot<Tensor> {
  return { entries: DYNAMIC_CACHE.entries(cache), ids };
}

/**
 * Holds KV caches between requests, each with the exact token ids it covers:
 * - the last reply's (its prompt and reply but the last token), for Continue;
 * - the last prompt's up to and including its final `<｜Assistant｜>`: R1's template rewrites history
 *   (earlier thinking is dropped), so the next turn's prompt shares exactly that much with this one.
 *   Reusing it, the next turn feeds only the previous answer and the new question.
 *
 * The decoding loop updates a cache in place, so each request gets one from here and hands it back
 * afterwards. Tensors the turn snapshot holds are protected: the loop must not free them when it
 * moves past them. The slot owns every tensor it holds and frees what it drops.
 */
export class KvCacheSlot<C = DynamicCache, T = Tensor> implements KvSlot<C, T> {
  private full: KvSnapshot<T> | null = null;
  private turn: KvSnapshot<T> | null = null;

  constructor(private readonly kind: GrowingKind<C, T> = DYNAMIC_CACHE as unknown as GrowingKind<C, T>) {}

  private tensorsOf(...kept: Array<KvSnapshot<T> | null | undefined>): Set<T> {
    return new Set(kept.flatMap((k) => (k ? Object.values(k.entries) : [])));
  }

  /** Frees the tensors of `dropped` that nothing in `kept` still uses. */
  private async release(dropped: Iterable<T>, kept: ReadonlySet<T>): Promise<void> {
    await this.kind.release([...new Set(dropped)].filter((t) => !kept.has(t)));
  }

  /**
   * A cache to generate `promptIds` with, how many of them it already covers, and the tensors the
   * request must leave alone (the turn snapshot's).
   */
  async take(promptIds: readonly number[]): Promise<TakenCache<C, T>> {
    const fromFull = this.full ? reusablePrefix(this.full.ids, promptIds) : 0;
    const fromTurn = this.turn ? reusablePrefix(this.turn.ids, promptIds) : 0;
    const full = this.full;
    this.full = null;
    if (fromTurn === 0) {
      await this.release(Object.values(this.turn?.entries ?? {}), this.tensorsOf(fromFull > 0 ? full : null));
      this.turn = null;
    }
    const protect = this.tensorsOf(this.turn);
    if (fromFull > 0 && full && fromFull >= fromTurn) return { cache: this.kind.create(full.entries), reused: fromFull, protect };
    await this.release(Object.values(full?.entries ?? {}), protect);
    if (this.turn && fromTurn > 0) return { cache: this.kind.create(this.turn.entries), reused: fromTurn, protect };
    return { cache: this.kind.create(), reused: 0, protect };
  }

  snapshot(cache: C, ids: number[], protect: Set<T>): KvSnapshot<T> {
    const snap = { entries: this.kind.entries(cache), ids };
    for (const t of Object.values(snap.entries)) protect.add(t);
    return snap;
  }

  /**
   * Takes back a request's cache: `sequence` is its full token list (prompt and reply), `turn` a
   * snapshot it took of its prompt's shareable part, if any. A failed request passes null for the cache.
   */
  async keep(cache: C | null, sequence: readonly number[], turn: KvSnapshot<T> | null): Promise<void> {
    const ids = cachedIdsOf(sequence);
    // Checked rather than trusted: a cache covering other tokens (a Stop mid-prompt) is recomputed.
    const full = cache && this.kind.length(cache) === ids.length ? { entries: this.kind.entries(cache), ids } : null;
    const oldTurn = this.turn;
    if (turn) this.turn = turn;
    const kept = this.tensorsOf(full, this.turn);
    if (cache && !full) await this.release(Object.values(this.kind.entries(cache)), kept);
    if (turn && oldTurn) await this.release(Object.values(oldTurn.entries), kept);
    this.full = full;
  }

  /** Frees every kept cache (reset, unload, a new model). */
  async clear(): Promise<void> {
    const dropped = [...this.tensorsOf(this.full, this.turn)];
    this.full = null;
    this.turn = null;
    await this.release(dropped, new Set());
  }
}

/**
 * The same reuse over one in-place cache (static-kv.ts). Its buffers are written only past the
 * valid length, so every kept prefix stays true until a request writes over it: the last reply's
 * tokens (Continue) and the last prompt up to its final `<｜Assistant｜>` (the next turn) are both
 * just lengths of the one cache. A request that reuses n tokens writes from n on, so the reply's
 * record goes, and the turn's survives when it is at most n long (it is a prefix of the new prompt).
 */
export class StaticKvSlot implements KvSlot<StaticKv, never> {
  private full: number[] | null = null;
  private turn: number[] | null = null;
  private cache: StaticKv | null = null;

  constructor(private readonly create: () => StaticKv) {}

  async take(promptIds: readonly number[]): Promise<TakenCache<StaticKv, never>> {
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

  snapshot(_cache: StaticKv, ids: number[]): KvSnapshot<never> {
    return { entries: {}, ids };
  }

  async keep(cache: StaticKv | null, sequence: readonly number[], turn: KvSnapshot<never> | null): Promise<void> {
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
