/**
 * An in-place KV cache in ONNX Runtime Web's WASM heap (static-kv.ts's KvStorage): each buffer is
 * allocated there once per capacity and handed to GroupQueryAttention as past and present where it
 * lies (heap-run.ts), so a decoding step writes one position per layer instead of copying the cache
 * into the heap, through the kernel and back out.
 */
import { ExplainedError } from '../errors';
import type { KvStorage, OrtTensorClass } from '../static-kv';
import { heapTensor, isHeapTensor, runInHeap, sessionHandle, tensorBytes } from './heap-run';
import { heapBytes, type OrtWasm } from './ort-wasm';

export function heapKvStorage(wasm: OrtWasm, Ort: OrtTensorClass): KvStorage {
  return {
    Tensor: Ort,
    allocate(type, dims) {
      const bytes = tensorBytes(type, dims);
      const pointer = wasm._malloc(bytes);
      if (!pointer) {
        const mb = Math.ceil(bytes / 2 ** 20);
        throw new ExplainedError(
          'out-of-memory',
          `The WASM heap has no room left for ${mb} MB more of this conversation's memory (its KV cache). Start a new conversation, or use WebGPU or a smaller model.`,
        );
      }
      // Zeroed as GPU buffers are: positions past the valid length are never read, but stay defined.
      heapBytes(wasm).fill(0, pointer, pointer + bytes);
      return heapTensor(wasm, type, dims, pointer);
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
      if (isHeapTensor(tensor)) wasm._free(tensor.pointer);
    },
    run: (session, feeds, fetches) => runInHeap(wasm, sessionHandle(session), feeds, fetches),
  };
}
