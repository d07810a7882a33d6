import { Tensor, type DynamicCache, type PreTrainedModel } from '@huggingface/transformers';
import { kvLayout } from './kv-layout';
import { StaticKv, type OrtSession, type OrtTensor, type OrtTensorClass } from './static-kv';
import { nextChunk, type ChunkLimits } from './prefill-chunks';
import { HeapKv } from './wasm-heap/heap-kv';
import { runInHeap, sessionHandle } from './wasm-heap/heap-run';
import { yieldToEvents } from './yield-to-events';

function int64(values: readonly number[], dims: number[]): Tensor {
  return new Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
}

/** Graphs that take `num_logits_to_keep` compute logits for this many positions only; others ignore it. */
const KEEP_LAST = new Tensor('int64', BigInt64Array.of(1n), []);

/** The empty cache of a first forward pass: [batch 1, KV heads, 0, head size] per layer. */
function emptyEntries(model: PreTrainedModel): Record<string, Tensor> {
  const { names, type, heads, headDim } = kvLayout(model);
  const data = () => (type === 'float16' ? new Uint16Array(0) : new Float32Array(0));
  return Object.fromEntries(names.map((name) => [name, new Tensor(type, data(), [1, heads, 0, headDim])]));
}

/**
 * Moves a forward pass's `present.*` outputs into the cache as the next step's `past_key_values.*`
 * (what transformers.js's own loop does), disposing the GPU buffers they replace, except `protect`ed
 * ones that a kept snapshot still holds.
 */
function keepPresent(outputs: Record<string, Tensor>, cache: DynamicCache, protect: ReadonlySet<unknown>): void {
  const slots = cache as unknown as Record<string, Tensor | undefined>;
  for (const [name, tensor] of Object.entries(outputs)) {
    if (!name.startsWith('present')) continue;
    const key = name.replace('present', 'past_key_values');
    const old = slots[key];
    if (old && old !== tensor && old.location === 'gpu-buffer' && !protect.has(old)) void old.dispose();
    slots[key] = tensor;
  }
}

/** The last position's logits of a [B, S, V] output, as float32 ([B, V] flattened). */
function lastRow(logits: Tensor): Float32Array {
  // Only the last position's row is kept: the copy is one vocabulary wide, whatever the chunk was.
  return logits.slice(null, -1, null).to('float32').data as Float32Array;
}

interface FeedOptions {
  /** Asked between chunks; true ends the feed early (returns null). */
  stop?: () => boolean;
  /** Tensors a kept snapshot still holds: never disposed (the per-step caches only). */
  protect?: ReadonlySet<unknown>;
}

/**
 * Feeds `ids` to the model after the tokens `cache` already holds, in chunks that keep every buffer
 * within the device's limits, and returns the logits of the last position (float32), or null when
 * `stop()` said so between chunks. The cache then covers every token fed; on a failure it is left
 * half-updated and must be dropped (an in-place cache keeps what it held before this feed began).
 */
export async function feed(
  model: PreTrainedModel,
  cache: DynamicCache | StaticKv | HeapKv,
  ids: readonly number[],
  limits: ChunkLimits,
  options: FeedOptions = {},
): Promise<Float32Array | null> {
  if (ids.length === 0) throw new Error('Nothing was fed to the model.');
  if (cache instanceof StaticKv) return feedInPlace(model, cache, ids, limits, options);
  if (cache instanceof HeapKv) return feedInHeap(model, cache, ids, limits, options);
  return feedGrowing(model, cache, ids, limits, options);
}

/**
 * One forward pass over a growing cache: each of `rows` holds the same number of new tokens, after the
 * tokens every row of the cache already holds. Returns the logits of the rows' last positions [B, 1, V].
 */
async function passGrowing(model: PreTrainedModel, cache: DynamicCache, rows: readonly (readonly number[])[], protect: ReadonlySet<unknown>): Promise<Tensor> {
  const past = cache.get_seq_length();
  const size = rows[0]?.length ?? 0;
  const outputs = (await model.forward({
    input_ids: int64(rows.flat(), [rows.length, size]),
    attention_mask: int64(new Array<number>(rows.length * (past + size)).fill(1), [rows.length, past + size]),
    past_key_values: cache,
    num_logits_to_keep: KEEP_LAST,
  })) as Record<string, Tensor>;
  keepPresent(outputs, cache, protect);
  if (!outputs.logits) throw new Error('The model returned no logits.');
  return outputs.logits;
}

/**
 * Feeds `ids` in chunks that keep every buffer within the device's limits, after the `cached()` tokens
 * the cache holds, one `pass` per chunk. Returns the last position's logits of the final chunk (read
 * only for that one), or null when `stop()` said so between chunks.
 */
async function inChunks(
  ids: readonly number[],
  limits: ChunkLimits,
  stop: () => boolean,
  cached: () => number,
  pass: (chunk: readonly number[], past: number) => Promise<() => Float32Array>,
): Promise<Float32Array | null> {
  let logits: (() => Float32Array) | null = null;
  for (let start = 0; start < ids.length; ) {
    if (start > 0 && stop()) return null;
    const past = cached();
    const size = nextChunk(limits, past, ids.length - start);
    logits = await pass(ids.slice(start, start + size), past);
    start += size;
  }
  return logits ? logits() : null;
}

/** transformers.js's way: each pass returns new, longer `present.*` tensors that replace the cache's. */
async function feedGrowing(
  model: PreTrainedModel,
  cache: DynamicCache,
  ids: readonly number[],
  limits: ChunkLimits,
  { stop = () => false, protect = new Set() }: FeedOptions,
): Promise<Float32Array | null> {
  if (Object.keys(cache).length === 0) cache.update(emptyEntries(model));
  return inChunks(ids, limits, stop, () => cache.get_seq_length(), async (chunk) => {
    const logits = await passGrowing(model, cache, [chunk], protect);
    return () => lastRow(logits);
  });
}

/**
 * One decoding step for a batch of paths that share a length (a growing cache of `ids.length` rows):
 * row r's next token is ids[r]. Returns each row's next-token logits (float32, views of one copy).
 */
export async function stepRows(model: PreTrainedModel, cache: DynamicCache, ids: readonly number[]): Promise<Float32Array[]> {
  const all = lastRow(await passGrowing(model, cache, ids.map((id) => [id]), new Set()));
  const width = all.length / ids.length;
  return ids.map((_, r) => all.subarray(r * width, (r + 1) * width));
}

const sessionOf = (model: PreTrainedModel) => (model as unknown as { sessions: { model: OrtSession } }).sessions.model;

// Passes run on the session itself (below) yield to the event loop after each one, as engine.ts's
// wrapped model.forward does for transformers.js's passes: ORT-web's WASM run resolves through
// microtasks only, so without a macrotask turn a Stop message would wait for the whole reply.

/**
 * The inputs of one pass run on the session itself: `ids` after `past` cached tokens. The mask spans
 * the valid positions only (GroupQueryAttention takes seqlens_k and the total length from it).
 */
function passInputs(session: OrtSession, Ort: OrtTensorClass, ids: readonly number[], past: number): Record<string, OrtTensor> {
  const int64 = (values: readonly number[], dims: number[]) => new Ort('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
  const wants = new Set(session.inputNames);
  const inputs: Record<string, OrtTensor> = {
    input_ids: int64(ids, [1, ids.length]),
    attention_mask: int64(new Array<number>(past + ids.length).fill(1), [1, past + ids.length]),
  };
  if (wants.has('position_ids')) inputs.position_ids = int64(Array.from({ length: ids.length }, (_, i) => past + i), [1, ids.length]);
  if (wants.has('num_logits_to_keep')) inputs.num_logits_to_keep = new Ort('int64', BigInt64Array.of(1n), []);
  return inputs;
}

/** The last position's logits of a pass run on the session itself, as float32. */
function lastLogits(outputs: Record<string, OrtTensor>): Float32Array {
  const logits = outputs.logits;
  if (!logits) throw new Error('The model returned no logits.');
  // Rewrapped by type, data and dims: this output is not an instance of the onnxruntime-common
  // class transformers.js's Tensor recognises.
  return lastRow(new Tensor(logits.type as 'float32', logits.data as Float32Array, [...logits.dims]));
}

/** `past_key_values.*` names bound as `present.*` outputs. */
function asPresents<T>(tensors: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name.replace('past_key_values', 'present'), t]));
}

/**
 * The session itself, with the cache's buffers as both `past_key_values.*` and pre-allocated
 * `present.*`: GroupQueryAttention writes the new positions in place (see static-kv.ts).
 */
async function feedInPlace(
  model: PreTrainedModel,
  cache: StaticKv,
  ids: readonly number[],
  limits: ChunkLimits,
  { stop = () => false }: FeedOptions,
): Promise<Float32Array | null> {
  const session = sessionOf(model);
  return inChunks(ids, limits, stop, () => cache.length, async (chunk, past) => {
    cache.reserve(past + chunk.length);
    const { feeds, fetches } = cache.bindings();
    const inputs = { ...feeds, ...passInputs(session, cache.storage.Tensor, chunk, past) };
    const outputs = await cache.storage.run(session, inputs, { logits: null, ...fetches });
    cache.length = past + chunk.length;
    await yieldToEvents();
    return () => lastLogits(outputs);
  });
}

/**
 * The session itself over a per-step cache in ORT's heap (wasm-heap/heap-kv.ts): each pass writes its
 * presents into new heap buffers, which replace the cache's; the old ones are freed unless a kept
 * snapshot still holds them.
 */
async function feedInHeap(
  model: PreTrainedModel,
  cache: HeapKv,
  ids: readonly number[],
  limits: ChunkLimits,
  { stop = () => false, protect = new Set() }: FeedOptions,
): Promise<Float32Array | null> {
  const session = sessionOf(model);
  const handle = sessionHandle(session);
  return inChunks(ids, limits, stop, () => cache.length, async (chunk, past) => {
    const next = cache.allocate(past + chunk.length);
    let outputs: Record<string, OrtTensor>;
    try {
      const inputs = { ...cache.feeds(), ...passInputs(session, cache.runtime.Tensor, chunk, past) };
      outputs = await runInHeap(cache.runtime.wasm, handle, inputs, { logits: null, ...asPresents(next) });
    } catch (error) {
      cache.free(Object.values(next));
      throw error;
    }
    const old = Object.values(cache.tensors).filter((t) => !protect.has(t));
    cache.tensors = next;
    cache.free(old);
    await yieldToEvents();
    return () => lastLogits(outputs);
  });
}
