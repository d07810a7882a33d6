/**
 * A KV cache that GroupQueryAttention updates in place. Each layer's keys and values live in one
 * buffer of a fixed capacity, [1, KV heads, capacity, head size], passed to the graph as
 * `past_key_values.*` AND bound as its `present.*` output: when the two are the same buffer, ORT's
 * GQA kernels (CPU and WebGPU) write the new positions into it and read the past where it lies
 * (ONNX Runtime GenAI's `past_present_share_buffer`). Nothing is copied per step; the cost of a
 * token no longer grows with a copy of the whole cache.
 *
 * Only GQA graphs can do this: a graph that concatenates past and new keys (onnx-community's
 * exports) makes a new, longer `present` every step whatever it is given.
 */
import type { PreTrainedModel } from '@huggingface/transformers';
import { kvLayout, type KvLayout } from './kv-layout';

/** The onnxruntime-common tensor API this module needs (ORT web and ORT node share it). */
export interface OrtTensor {
  readonly dims: readonly number[];
  readonly type: string;
  readonly location: string;
  readonly data: unknown;
  readonly gpuBuffer?: GPUBuffer;
  dispose(): void;
}

/**
 * The Tensor class of the ONNX Runtime build that runs the session: ORT accepts pre-allocated
 * outputs only as instances of its own class (anything else is silently not bound), and
 * transformers.js's tensors are instances of the separate onnxruntime-common package, not of the
 * copy bundled in onnxruntime-web (or of onnxruntime-node's CommonJS one).
 */
export interface OrtTensorClass {
  new (type: string, data: ArrayBufferView, dims: readonly number[]): OrtTensor;
  fromGpuBuffer(buffer: GPUBuffer, options: { dataType: string; dims: readonly number[] }): OrtTensor;
}

export interface OrtSession {
  readonly inputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>, fetches?: Record<string, OrtTensor | null>): Promise<Record<string, OrtTensor>>;
}

/**
 * Where the buffers live: GPU buffers on WebGPU; ORT's own heap on WASM (wasm-heap/); typed arrays
 * where ORT runs on the CPU without copies (Node).
 */
export interface KvStorage {
  /** The session's ORT Tensor class, for the buffers and the feeds that go with them. */
  readonly Tensor: OrtTensorClass;
  /** A zeroed tensor of these dims. */
  allocate(type: string, dims: readonly number[]): OrtTensor;
  /** Copies positions [0, length) of every head from `from` (capacity `fromCap`) into `to` (capacity `toCap`). */
  copyPrefix(from: OrtTensor, to: OrtTensor, heads: number, fromCap: number, toCap: number, length: number, rowBytes: number): void;
  release(tensor: OrtTensor): void;
  /** Runs `session` with these buffers bound: ORT's own run, except where that would copy them (wasm-heap/). */
  run(session: OrtSession, feeds: Record<string, OrtTensor>, fetches: Record<string, OrtTensor | null>): Promise<Record<string, OrtTensor>>;
}

const ortRun: KvStorage['run'] = (session, feeds, fetches) => session.run(feeds, fetches);

const ELEMENT_BYTES: Record<string, number> = { float32: 4, float16: 2 };

export function gpuKvStorage(device: GPUDevice, Ort: OrtTensorClass): KvStorage {
  return {
    Tensor: Ort,
    allocate(type, dims) {
      const bytes = dims.reduce((a, b) => a * b, 1) * (ELEMENT_BYTES[type] ?? 4);
      // WebGPU zero-fills new buffers; the usage flags are those ORT gives its own.
      const buffer = device.createBuffer({ size: Math.max(4, bytes), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
      return Ort.fromGpuBuffer(buffer, { dataType: type, dims });
    },
    copyPrefix(from, to, heads, fromCap, toCap, length, rowBytes) {
      if (!from.gpuBuffer || !to.gpuBuffer || length === 0) return;
      const encoder = device.createCommandEncoder();
      for (let h = 0; h < heads; h++) encoder.copyBufferToBuffer(from.gpuBuffer, h * fromCap * rowBytes, to.gpuBuffer, h * toCap * rowBytes, length * rowBytes);
      device.queue.submit([encoder.finish()]);
    },
    release(tensor) {
      tensor.gpuBuffer?.destroy();
    },
    run: ortRun,
  };
}

export function cpuKvStorage(Ort: OrtTensorClass): KvStorage {
  const view = (t: OrtTensor) => {
    const data = t.data as Float32Array | Uint16Array;
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  };
  return {
    Tensor: Ort,
    allocate(type, dims) {
      const n = dims.reduce((a, b) => a * b, 1);
      return new Ort(type, type === 'float16' ? new Uint16Array(n) : new Float32Array(n), dims);
    },
    copyPrefix(from, to, heads, fromCap, toCap, length, rowBytes) {
      const [src, dst] = [view(from), view(to)];
      for (let h = 0; h < heads; h++) dst.set(src.subarray(h * fromCap * rowBytes, (h * fromCap + length) * rowBytes), h * toCap * rowBytes);
    },
    release() {},
    run: ortRun,
  };
}

/** Capacity for `needed` positions: a power of two from 1,024, at most the model's context. */
export function capacityFor(needed: number, maxLength: number): number {
  if (needed > maxLength) throw new Error(`The conversation needs ${needed} positions; the model holds at most ${maxLength}.`);
  let capacity = 1024;
  while (capacity < needed) capacity *= 2;
  return Math.min(capacity, maxLength);
}

/** The in-place cache of one model: its buffers and how many positions hold valid keys and values. */
export class StaticKv {
  /** Positions written so far (the tokens this cache covers). */
  length = 0;
  private capacity = 0;
  private tensors: Record<string, OrtTensor> = {};

  constructor(
    private readonly layout: KvLayout,
    readonly storage: KvStorage,
    private readonly maxLength: number,
  ) {}

  /**
   * Makes room for `needed` positions, keeping the first `length`; grows by doubling, so copies are
   * rare. One buffer moves at a time (allocated, filled, the old one released), so growing holds the
   * old cache plus one layer's new buffer, not the old and the new cache whole. Memory that runs out
   * part way leaves every buffer valid, some of them already larger: the next call moves the rest.
   */
  reserve(needed: number): void {
    if (needed <= this.capacity) return;
    const capacity = capacityFor(needed, this.maxLength);
    const { heads, headDim, type, names } = this.layout;
    const rowBytes = headDim * (ELEMENT_BYTES[type] ?? 4);
    for (const name of names) {
      const old = this.tensors[name];
      const oldCapacity = old?.dims[2] ?? 0;
      if (oldCapacity >= capacity) continue;
      const next = this.storage.allocate(type, [1, heads, capacity, headDim]);
      if (old) {
        this.storage.copyPrefix(old, next, heads, oldCapacity, capacity, this.length, rowBytes);
        this.storage.release(old);
      }
      this.tensors[name] = next;
    }
    this.capacity = capacity;
  }

  /** `past_key_values.*` feeds; the same tensors, bound as `present.*`, are the fetches. */
  bindings(): { feeds: Record<string, OrtTensor>; fetches: Record<string, OrtTensor> } {
    const feeds: Record<string, OrtTensor> = {};
    const fetches: Record<string, OrtTensor> = {};
    for (const [name, tensor] of Object.entries(this.tensors)) {
      feeds[name] = tensor;
      fetches[name.replace('past_key_values', 'present')] = tensor;
    }
    return { feeds, fetches };
  }

  /** Frees the buffers; the cache is empty afterwards. */
  release(): void {
    for (const tensor of Object.values(this.tensors)) this.storage.release(tensor);
    this.tensors = {};
    this.capacity = 0;
    this.length = 0;
  }
}

/** A fresh in-place cache for `model`, on this storage. */
export function staticKvFor(model: PreTrainedModel, storage: KvStorage): StaticKv {
  const config = model.config as { max_position_embeddings?: number };
  return new StaticKv(kvLayout(model), storage, config.max_position_embeddings ?? 32_768);
}
