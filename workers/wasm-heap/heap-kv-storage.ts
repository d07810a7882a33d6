/**
 * An in-place KV cache in ONNX Runtime Web's WASM heap (static-kv.ts's KvStorage): each buffer is
 * allocated there once per capacity and handed to GroupQueryAttention as past and present where it
 * lies (heap-run.ts), so a decoding step writes one position per layer instead of copying the cache
 * into the heap, through the kernel and back out.
 */
import type { KvStorage, OrtTensorClass } from '../static-kv';
import { allocateHeapTensor, freeHeapTensors, isHeapTensor, runInHeap, sessionHandle } from './heap-run';
import { heapBytes, type OrtWasm } from './ort-wasm';

export function heapKvStorage(wasm: OrtWasm, Ort: OrtTensorClass): KvStorage {
  return {
    Tensor: Ort,
    allocate(type, dims) {
      const tensor = allocateHeapTensor(wasm, type, dims);
      // Zeroed as GPU buffers are: positions past the valid length are never read, but stay defined.
      heapBytes(wasm).fill(0, tensor.pointer, tensor.pointer + tensor.byteLength);
      return tensor;
    },
    copyPrefix(from, to, heads, fromCap, toCap, length, rowBytes) {
      if (!isHeapTensor(from) || !isHeapTensor(to)) throw new Error('copyPrefix: not heap tensors');
      const heap = heapBytes(wasm);
      for (let h = 0; h < heads; h++) {
        const source = from.pointer + h * fromCap * rowBytes;
        heap.copyWithin(to.pointer + h * toCap * rowBytes, source, source + length * rowBytes);
      }
    },
    release(tensor) {
      if (isHeapTensor(tensor)) freeHeapTensors(wasm, [tensor]);
    },
    run: (session, feeds, fetches) => runInHeap(wasm, sessionHandle(session), feeds, fetches),
  };
}
