import { env } from '@huggingface/transformers';
// ONNX Runtime's loader and binary are emitted by Vite as app assets, so nothing comes from a CDN
// and the service worker can precache them for offline use.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
// Never inlined: ORT imports it by URL, and a strict CSP may refuse a data: URL.
import captureMjsUrl from './wasm-heap/capture.mjs?url&no-inline';
import { capturingLoader } from './wasm-heap/ort-wasm';
import { storeFetch } from './weights/store-fetch';

let configured = false;

/**
 * Points transformers.js at self-hosted runtime files and the IndexedDB weight store, and sets the
 * WebAssembly thread count. Only the first call counts: ONNX Runtime reads its settings once, when
 * the first session starts, so a worker keeps the thread count it started with.
 */
export function configureRuntime(threads: number): void {
  if (configured) return;
  configured = true;
  const wasm = env.backends.onnx.wasm;
  if (wasm) {
    // Explicit, because ORT's default is min(4, ceil(cores / 2)): one thread on a 2-core machine.
    // Without cross-origin isolation ORT falls back to 1 itself and says so in the console.
    wasm.numThreads = Math.max(1, Math.floor(threads));
    // Object form, set before the first session, as transformers.js 4.3.1 expects.
    wasm.wasmPaths = {
      wasm: new URL(ortWasmUrl, self.location.href).href,
      // ORT's loader, wrapped so the app can reach ORT's heap (the in-place KV cache on WASM).
      mjs: capturingLoader(new URL(captureMjsUrl, self.location.href).href, new URL(ortMjsUrl, self.location.href).href),
    };
  }
  // Weights are stored once, in our chunked IndexedDB store; the Cache API copies would double them.
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.allowLocalModels = false;
  env.fetch = storeFetch;
}

/** The thread count ONNX Runtime runs with (it lowers the setting to 1 where threads are unavailable). */
export function runtimeThreads(): number {
  return env.backends.onnx.wasm?.numThreads ?? 1;
}
