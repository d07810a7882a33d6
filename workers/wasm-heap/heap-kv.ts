/**
 * A per-step KV cache kept in ONNX Runtime's WASM heap, for graphs that concatenate past and new
 * keys (onnx-community's exports), which cannot decode in place: each pass writes its `present.*`
 * into new heap buffers one pass longer, bound as pre-allocated outputs (heap-run.ts), and they are
 * the next pass's `past_key_values.*` where they lie. Through ORT-web's own `run` the same cache is
 * copied into the heap and back out to JS on every step: about 7× the step at 16k tokens
 * (`npm run bench -- kv-decode`, `mha` against `mha_js`).
 */
import type { GrowingKind } from '../kv-cache';
import type { KvLayout } from '../kv-layout';
import type { OrtTensor, OrtTensorClass } from '../static-kv';
import { allocateHeapTensor, freeHeapTensors, type HeapTensor } from './heap-run';
import type { OrtWasm } from './ort-wasm';

/** ORT's heap, and the Tensor class of the ORT build that runs there (for the small feeds). */
export interface HeapRuntime {
  readonly wasm: OrtWasm;
  readonly Tensor: OrtTensorClass;
}

export class HeapKv {
  constructor(
    readonly runtime: HeapRuntime,
    readonly layout: KvLayout,
    /** `past_key_values.*` of the tokens fed so far; none before the first pass. */
    public tensors: Record<string, HeapTensor> = {},
  ) {}

  /** Tokens the cache covers. */
  get length(): number {
    return Object.values(this.tensors)[0]?.dims[2] ?? 0;
  }

  /** The `past_key_values.*` feeds: the tensors, or empty ones before the first pass. */
  feeds(): Record<string, OrtTensor> {
    if (this.length > 0) return this.tensors;
    const { names, type, heads, headDim } = this.layout;
    const empty = () => (type === 'float16' ? new Uint16Array(0) : new Float32Array(0));
    return Object.fromEntries(names.map((name) => [name, new this.runtime.Tensor(type, empty(), [1, heads, 0, headDim])]));
  }

  /** Buffers for the next pass's presents, `length` positions each, left unwritten: ORT writes every byte. */
  allocate(length: number): Record<string, HeapTensor> {
    const { names, type, heads, headDim } = this.layout;
    const made: Record<string, HeapTensor> = {};
    try {
      for (const name of names) made[name] = allocateHeapTensor(this.runtime.wasm, type, [1, heads, length, headDim]);
    } catch (error) {
      this.free(Object.values(made));
      throw error;
    }
    return made;
  }

  free(tensors: Iterable<HeapTensor>): void {
    freeHeapTensors(this.runtime.wasm, tensors);
  }
}

/** How the Generator's KvCacheSlot keeps, snapshots and frees heap caches of this layout. */
export function heapKvKind(runtime: HeapRuntime, layout: KvLayout): GrowingKind<HeapKv, HeapTensor> {
  return {
    create: (entries) => new HeapKv(runtime, layout, { ...entries }),
    entries: (cache) => ({ ...cache.tensors }),
    length: (cache) => cache.length,
    release: async (tensors) => freeHeapTensors(runtime.wasm, tensors),
  };
}
