import { env } from '@huggingface/transformers';
// ONNX Runtime's loader and binary are emitted by Vite as app assets, so nothing comes from a CDN
// and the service worker can precache them for offline use.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { storeFetch } from './weights/store-fetch';

let configured = false;

/** Points transformers.js at self-hosted runtime files and the IndexedDB weight store. Idempotent. */
export function configureRuntime(): void {
  if (configured) return;
  configured = true;
  const wasm = env.backends.onnx.wasm;
  if (wasm) {
    // Object form, set before the first session, as transformers.js 4.3.1 expects.
    wasm.wasmPaths = {
      wasm: new URL(ortWasmUrl, self.location.href).href,
      mjs: new URL(ortMjsUrl, self.location.href).href,
    };
  }
  // Weights are stored once, in our chunked IndexedDB store; the Cache API copies would double them.
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.allowLocalModels = false;
  env.fetch = storeFetch;
}
