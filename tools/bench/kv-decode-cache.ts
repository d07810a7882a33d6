/**
 * kv-decode's caches, made directly at a given length (no prefill), and its decode step; shared by
 * the browser worker (kv-decode-page.ts) and the check that the two caches decode alike
 * (kv-decode.test.ts, onnxruntime-node). Both kinds hold the same deterministic values, so a model
 * decodes the same tokens from either.
 */
import { DynamicCache, Tensor, type PreTrainedModel } from '@huggingface/transformers';
import { feed } from '../../workers/forward';
import { kvLayout, type KvLayout } from '../../workers/kv-layout';
import type { ChunkLimits } from '../../workers/prefill-chunks';
import { staticKvFor, StaticKv, type KvStorage, type OrtTensor } from '../../workers/static-kv';
import { HeapKv, type HeapRuntime } from '../../workers/wasm-heap/heap-kv';

/** The caches the app decodes with: per step (transformers.js's, or in ORT's heap) or in place (GroupQueryAttention). */
export type KvCache = DynamicCache | StaticKv | HeapKv;

/** Deterministic values in [-1, 1): one block, repeated (ORT only reads them). */
export function pastValues(elements: number): Float32Array {
  const data = new Float32Array(elements);
  let s = 0x9e3779b9;
  const block = Math.min(elements, 1 << 16);
  for (let i = 0; i < block; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    data[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  for (let at = block; at < elements; at += block) data.copyWithin(at, 0, Math.min(block, elements - at));
  return data;
}

/** The cache layout, which must be float32 (the values are written as such). */
function float32Layout(model: PreTrainedModel): KvLayout {
  const layout = kvLayout(model);
  if (layout.type !== 'float32') throw new Error(`kv-decode writes float32 caches; this model's is ${layout.type}`);
  return layout;
}

/** One [1, KV heads, length, head size] block of values, used by every layer and kind. */
const blockOf = ({ heads, headDim }: KvLayout, length: number) => pastValues(heads * length * headDim);

/** A per-step cache of `length` tokens: what transformers.js's DynamicCache holds after a prefill. */
export function growingCache(model: PreTrainedModel, length: number): DynamicCache {
  const layout = float32Layout(model);
  const data = blockOf(layout, length);
  const dims = [1, layout.heads, length, layout.headDim];
  return new DynamicCache(Object.fromEntries(layout.names.map((name) => [name, new Tensor('float32', data, dims)])));
}

/** A per-step cache of `length` tokens in ORT's heap (the app's HeapKv), with growingCache's values. */
export function heapCache(model: PreTrainedModel, runtime: HeapRuntime, length: number): HeapKv {
  const layout = float32Layout(model);
  const data = blockOf(layout, length);
  const kv = new HeapKv(runtime, layout);
  kv.tensors = kv.allocate(length);
  for (const tensor of Object.values(kv.tensors)) (tensor.data as Float32Array).set(data);
  return kv;
}

/** Writes `data` into an in-place cache's tensor at `byteOffset` (a GPU buffer, or a typed array on the CPU). */
export type KvWrite = (tensor: OrtTensor, byteOffset: number, data: Float32Array) => void;

/**
 * An in-place cache of `length` tokens (the app's StaticKv for this model, on `storage`), reserved for
 * `room` positions up front so that no timed step grows it; the same values as growingCache's,
 * written head by head at the start of each head's capacity.
 */
export function inPlaceCache(model: PreTrainedModel, storage: KvStorage, length: number, room: number, write: KvWrite): StaticKv {
  const layout = float32Layout(model);
  const data = blockOf(layout, length);
  const perHead = length * layout.headDim;
  const kv = staticKvFor(model, storage);
  kv.reserve(room);
  for (const tensor of Object.values(kv.bindings().feeds)) {
    const capacity = tensor.dims[2] ?? 0;
    for (let h = 0; h < layout.heads; h++) write(tensor, h * capacity * layout.headDim * 4, data.subarray(h * perHead, (h + 1) * perHead));
  }
  kv.length = length;
  return kv;
}

/** The tokens a cache covers. */
export const cacheLength = (cache: KvCache) => (cache instanceof StaticKv || cache instanceof HeapKv ? cache.length : cache.get_seq_length());

/** Where a cache's tensors live ('cpu', 'gpu-buffer'). */
export function cacheLocation(cache: KvCache): string {
  const tensors =
    cache instanceof StaticKv ? Object.values(cache.bindings().feeds) : cache instanceof HeapKv ? Object.values(cache.tensors) : Object.values(cache).filter((t): t is Tensor => t instanceof Tensor);
  return tensors[0]?.location ?? 'none';
}

/** Frees a cache's buffers (GPU ones; CPU ones are left to the GC). */
export async function releaseCache(cache: KvCache): Promise<void> {
  if (cache instanceof StaticKv) cache.release();
  else if (cache instanceof HeapKv) cache.free(Object.values(cache.tensors));
  else await cache.dispose();
}

function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if ((logits[i] as number) > (logits[best] as number)) best = i;
  return best;
}

/**
 * One decode step as the app's loop takes it (workers/generation.ts without its sampler): `token` fed
 * through the app's `feed` after what the cache holds; the next token is the argmax.
 */
export async function decodeStep(model: PreTrainedModel, cache: KvCache, token: number, limits: ChunkLimits): Promise<{ logits: Float32Array; next: number }> {
  const logits = await feed(model, cache, [token], limits);
  if (!logits) throw new Error('feed stopped');
  return { logits, next: argmax(logits) };
}
