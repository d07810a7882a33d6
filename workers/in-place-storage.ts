import { env } from '@huggingface/transformers';
import { Tensor as OrtTensor } from 'onnxruntime-web/webgpu';
import type { Device } from './protocol';
import { gpuKvStorage, type KvStorage, type OrtTensorClass } from './static-kv';
import { heapKvStorage } from './wasm-heap/heap-kv-storage';
import { ortWasm } from './wasm-heap/ort-wasm';

/**
 * Where an in-place KV cache lives, when this model can have one: GroupQueryAttention, whose buffers
 * ORT shares between past and present. On WebGPU they are GPU buffers on ORT's device; on WASM they
 * lie in ORT's heap, run through its C API (wasm-heap/), since ORT's own run copies CPU tensors in
 * and out on every step.
 */
export async function inPlaceStorage(device: Device, attention: 'group-query' | 'other'): Promise<KvStorage | null> {
  if (attention !== 'group-query') return null;
  // The class of the onnxruntime-web build transformers.js runs (the same module, so the same class).
  const Ort = OrtTensor as unknown as OrtTensorClass;
  if (device === 'wasm') {
    const wasm = ortWasm();
    return wasm ? heapKvStorage(wasm, Ort) : null;
  }
  const gpu = await env.backends.onnx.webgpu?.device;
  return gpu ? gpuKvStorage(gpu, Ort) : null;
}
