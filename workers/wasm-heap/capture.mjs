// ONNX Runtime Web's Emscripten loader, loaded in its place (env.wasm.wasmPaths.mjs, see
// runtime-env.ts), that keeps the module instance it makes: ORT offers no handle on its heap, and
// the in-place KV cache on WASM lives there (./heap-run.ts). The real loader's URL is left under a
// registered symbol by ort-wasm.ts (not in a query, which the service worker's precache would not
// match offline), so Vite may hash both files; its pthread workers start from the real loader's URL.
const real = globalThis[Symbol.for('ponder.ort-loader')];
if (!real) throw new Error('capture.mjs: no ONNX Runtime loader URL was left for it (ort-wasm.ts capturingLoader)');
const { default: factory } = await import(/* @vite-ignore */ real);

export default async function captureOrtWasm(config) {
  const instance = await factory(config);
  // Kept under a registered symbol (the key ort-wasm.ts reads), not as an export: a bundler or test
  // runner may load the app's own import of this file as a second copy of the module.
  globalThis[Symbol.for('ponder.ort-wasm')] = instance;
  return instance;
}
