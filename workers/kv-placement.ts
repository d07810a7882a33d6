import { env } from '@huggingface/transformers';
import { Tensor as OrtTensor } from 'onnxruntime-web/webgpu';
import type { Device } from './protocol';
import { gpuKvStorage, type KvStorage, type OrtTensorClass } from './static-kv';
import type { HeapRuntime } from './wasm-heap/heap-kv';
import { heapKvStorage } from './wasm-heap/heap-kv-storage';
import { ortWasm } from './wasm-heap/ort-wasm';

/**
 * Where the Generator keeps a model's KV cache: in place (`inPlace`: one buffer per layer, past and
 * present at once, static-kv.ts), per step in ORT's WASM heap (`heap`: wasm-heap/heap-kv.ts), or, with
 * no placement, transformers.js's DynamicCache through ORT's own run.
 */
export type KvPlacement = { inPlace: KvStorage } | { heap: HeapRuntime };

/**
 * GroupQueryAttention, whose buffers ORT shares between past and present, is decoded in place: in GPU
 * buffers on ORT's device on WebGPU, in ORT's heap on WASM. On WASM a graph that concatenates keeps
 * its per-step cache in the heap too: ORT's own run would copy it in and out on every step. On
 * WebGPU such a graph's presents already stay on the GPU, so it gets no placement.
 */
export async function kvPlacement(device: Device, attention: 'group-query' | 'other'): Promise<KvPlacement | null> {
  // The class of the onnxruntime-web build transformers.js runs (the same module, so the same class).
  const Tensor = OrtTensor as unknown as OrtTensorClass;
  if (device === 'wasm') {
    const wasm = ortWasm();
    if (!wasm) return null;
    return attention === 'group-query' ? { inPlace: heapKvStorage(wasm, Tensor) } : { heap: { wasm, Tensor } };
  }
  if (attention !== 'group-query') return null;
  const gpu = await env.backends.onnx.webgpu?.device;
  return gpu ? { inPlace: gpuKvStorage(gpu, Tensor) } : null;
}
