/**
 * The part of ONNX Runtime Web's Emscripten module (onnxruntime-web 1.31) that running a session on
 * tensors resident in its heap needs: the same C API that ORT's own `run` calls (wasm-core-impl.ts),
 * minus the copy of every input into the heap and of every output out of it.
 */
export interface OrtWasm {
  readonly HEAPU8: Uint8Array;
  readonly PTR_SIZE: number;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  _OrtCreateTensor(type: number, data: number, bytes: number, dims: number, rank: number, location: number): number;
  _OrtGetTensorData(tensor: number, type: number, data: number, dims: number, rank: number): number;
  _OrtReleaseTensor(tensor: number): number;
  _OrtFree(pointer: number): number;
  _OrtRun(session: number, inputNames: number, inputs: number, inputCount: number, outputNames: number, outputCount: number, outputs: number, runOptions: number): number | Promise<number>;
  _OrtGetLastError(code: number, message: number): void;
  getValue(pointer: number, type: 'i8' | 'i32' | '*'): number;
  setValue(pointer: number, value: number, type: 'i8' | 'i32' | '*'): void;
  lengthBytesUTF8(text: string): number;
  stringToUTF8(text: string, pointer: number, maxBytes: number): void;
  UTF8ToString(pointer: number): string;
}

/** Where capture.mjs keeps the instance, and finds the real loader (registered symbols: one key across copies of either module). */
const INSTANCE = Symbol.for('ponder.ort-wasm');
const LOADER = Symbol.for('ponder.ort-loader');

/**
 * The loader URL to give ORT (`wasmPaths.mjs`): capture.mjs, which loads the real one and keeps the
 * instance it makes, so that `ortWasm()` can reach it.
 */
export function capturingLoader(captureModuleUrl: string, realLoaderUrl: string): string {
  (globalThis as Record<symbol, unknown>)[LOADER] = realLoaderUrl;
  return captureModuleUrl;
}

/** ORT's module instance, once a session has started it through the capturing loader; else null. */
export function ortWasm(): OrtWasm | null {
  return ((globalThis as Record<symbol, unknown>)[INSTANCE] as OrtWasm | undefined) ?? null;
}

/**
 * The heap as it is now. Another thread may have grown the (shared) memory since this thread last
 * looked; Emscripten's accessors renew the `HEAPU8` view when they find it stale, so one is asked first.
 */
export function heapBytes(wasm: OrtWasm): Uint8Array {
  wasm.getValue(0, 'i8');
  return wasm.HEAPU8;
}
