/**
 * One run of an ORT-web WASM session with some tensors resident in ORT's heap: those are handed to
 * the graph where they lie, as inputs and as pre-allocated outputs alike. ORT's own `run` copies every
 * CPU input into the heap and every output out of it (and drops what a pre-allocated CPU output
 * received), so a past and a present that are one buffer there, as GroupQueryAttention shares them,
 * can only be had through the C API underneath, which this calls the way wasm-core-impl.ts does.
 */
import { ExplainedError } from '../errors';
import type { OrtSession, OrtTensor } from '../static-kv';
import { heapBytes, type OrtWasm } from './ort-wasm';

/** ORT's ONNXTensorElementDataType codes, and the typed arrays their elements read as. */
const TYPES = {
  float32: { code: 1, bytes: 4, array: Float32Array },
  uint8: { code: 2, bytes: 1, array: Uint8Array },
  int8: { code: 3, bytes: 1, array: Int8Array },
  int32: { code: 6, bytes: 4, array: Int32Array },
  int64: { code: 7, bytes: 8, array: BigInt64Array },
  bool: { code: 9, bytes: 1, array: Uint8Array },
  float16: { code: 10, bytes: 2, array: Uint16Array },
} as const;
type TypeName = keyof typeof TYPES;

/** onnxruntime-web's data-location code for memory the CPU execution provider reads. */
const LOCATION_CPU = 1;

function typeOf(name: string): (typeof TYPES)[TypeName] {
  const type = TYPES[name as TypeName];
  if (!type) throw new Error(`ORT heap tensors of type ${name} are not supported.`);
  return type;
}

/** The bytes a tensor of this type and shape takes. */
function tensorBytes(type: string, dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1) * typeOf(type).bytes;
}

/** A tensor whose bytes live in ORT's heap at `pointer`: a KV-cache buffer (in place, or per step). */
export interface HeapTensor extends OrtTensor {
  readonly location: 'wasm-heap';
  readonly pointer: number;
  readonly byteLength: number;
}

export const isHeapTensor = (t: OrtTensor): t is HeapTensor => t.location === 'wasm-heap';

/** A tensor of `dims` in the heap at `pointer` (owned by the caller); `data` views it as it is now. */
function heapTensor(wasm: OrtWasm, type: string, dims: readonly number[], pointer: number): HeapTensor {
  const { array, bytes } = typeOf(type);
  const byteLength = tensorBytes(type, dims);
  return {
    type,
    dims,
    location: 'wasm-heap',
    pointer,
    byteLength,
    get data() {
      // A SharedArrayBuffer where ORT runs threads; the union of array constructors takes only ArrayBuffer in TS.
      return new array(heapBytes(wasm).buffer as ArrayBuffer, pointer, byteLength / bytes);
    },
    dispose() {},
  };
}

/**
 * A KV-cache buffer of `dims` in the heap, its bytes left as they were (the caller owns it: free it
 * with `freeHeapTensors`). A full heap is explained to the user, who can start a new conversation.
 */
export function allocateHeapTensor(wasm: OrtWasm, type: string, dims: readonly number[]): HeapTensor {
  const bytes = tensorBytes(type, dims);
  const pointer = wasm._malloc(bytes);
  if (!pointer) {
    throw new ExplainedError(
      'out-of-memory',
      `The WASM heap has no room left for ${Math.ceil(bytes / 2 ** 20)} MB more of this conversation's memory (its KV cache). Start a new conversation, or use WebGPU or a smaller model.`,
    );
  }
  return heapTensor(wasm, type, dims, pointer);
}

export function freeHeapTensors(wasm: OrtWasm, tensors: Iterable<HeapTensor>): void {
  for (const tensor of tensors) wasm._free(tensor.pointer);
}

/** An output ORT allocated, copied out of the heap. */
function cpuTensor(type: string, dims: number[], data: ArrayBufferView): OrtTensor {
  return { type, dims, location: 'cpu', data, dispose() {} };
}

function lastError(wasm: OrtWasm, what: string): Error {
  const at = wasm._malloc(2 * wasm.PTR_SIZE);
  try {
    wasm._OrtGetLastError(at, at + wasm.PTR_SIZE);
    const message = wasm.getValue(at + wasm.PTR_SIZE, '*');
    return new Error(`${what}: ${message ? wasm.UTF8ToString(message) : `error ${wasm.getValue(at, 'i32')}`}`);
  } finally {
    wasm._free(at);
  }
}

/** ORT's session handle behind an onnxruntime-common InferenceSession on the WASM backend. */
export function sessionHandle(session: OrtSession): number {
  const handle = (session as { handler?: { sessionId?: unknown } }).handler?.sessionId;
  if (typeof handle !== 'number') throw new Error('This ONNX Runtime session exposes no WASM session handle.');
  return handle;
}

/**
 * Runs `session` (ORT's session handle) on `feeds`, writing the outputs named in `fetches` into the
 * heap tensors given there, and returning those and the others (allocated by ORT, copied out).
 * Feeds that are not heap tensors (token ids, masks) are copied in for the run and freed after.
 */
export async function runInHeap(
  wasm: OrtWasm,
  session: number,
  feeds: Readonly<Record<string, OrtTensor>>,
  fetches: Readonly<Record<string, OrtTensor | null>>,
): Promise<Record<string, OrtTensor>> {
  const ptr = wasm.PTR_SIZE;
  const allocations: number[] = [];
  const handles: number[] = [];
  const alloc = (bytes: number) => {
    const at = wasm._malloc(Math.max(1, bytes));
    if (!at) throw new Error(`Out of memory: the WASM heap has no ${bytes} bytes left for a model input.`);
    allocations.push(at);
    return at;
  };
  const text = (name: string) => {
    const size = wasm.lengthBytesUTF8(name) + 1;
    const at = alloc(size);
    wasm.stringToUTF8(name, at, size);
    return at;
  };
  const handleOf = (tensor: OrtTensor, name: string) => {
    let pointer: number;
    let bytes: number;
    if (isHeapTensor(tensor)) {
      ({ pointer, byteLength: bytes } = tensor);
    } else {
      const data = tensor.data as ArrayBufferView;
      bytes = data.byteLength;
      pointer = alloc(bytes);
      heapBytes(wasm).set(new Uint8Array(data.buffer, data.byteOffset, bytes), pointer);
    }
    const dims = alloc(ptr * tensor.dims.length);
    tensor.dims.forEach((d, i) => wasm.setValue(dims + i * ptr, d, 'i32'));
    const handle = wasm._OrtCreateTensor(typeOf(tensor.type).code, pointer, bytes, dims, tensor.dims.length, LOCATION_CPU);
    if (!handle) throw lastError(wasm, `Could not hand "${name}" to ONNX Runtime`);
    handles.push(handle);
    return handle;
  };
  try {
    const inputs = Object.entries(feeds);
    const outputs = Object.entries(fetches);
    const table = alloc(ptr * 2 * (inputs.length + outputs.length));
    const [inNames, inValues, outNames, outValues] = [0, inputs.length, 2 * inputs.length, 2 * inputs.length + outputs.length].map((i) => table + i * ptr) as [number, number, number, number];
    inputs.forEach(([name, tensor], i) => {
      wasm.setValue(inNames + i * ptr, text(name), '*');
      wasm.setValue(inValues + i * ptr, handleOf(tensor, name), '*');
    });
    const bound = outputs.map(([name, tensor], i) => {
      wasm.setValue(outNames + i * ptr, text(name), '*');
      const handle = tensor ? handleOf(tensor, name) : 0;
      wasm.setValue(outValues + i * ptr, handle, '*');
      return handle;
    });
    if ((await wasm._OrtRun(session, inNames, inValues, inputs.length, outNames, outputs.length, outValues, 0)) !== 0) throw lastError(wasm, 'ONNX Runtime failed to run the model');
    const made = outputs.map((_, i) => wasm.getValue(outValues + i * ptr, '*'));
    // Every output ORT made is released in `finally`, even when reading an earlier one fails.
    handles.push(...made.filter((h, i) => h !== bound[i]));
    const results: Record<string, OrtTensor> = {};
    outputs.forEach(([name, tensor], i) => {
      // An output ORT could not write where it was given (it made its own) would silently leave the cache behind.
      if (tensor && made[i] !== bound[i]) throw new Error(`ONNX Runtime did not write "${name}" into the buffer it was given.`);
      results[name] = tensor ?? readOut(wasm, made[i] as number, name);
    });
    return results;
  } finally {
    // Releasing a tensor made over caller-owned bytes leaves those bytes alone.
    for (const handle of handles) wasm._OrtReleaseTensor(handle);
    for (const at of allocations) wasm._free(at);
  }
}

/** Copies an ORT-allocated output out of the heap. */
function readOut(wasm: OrtWasm, handle: number, name: string): OrtTensor {
  const ptr = wasm.PTR_SIZE;
  const at = wasm._malloc(4 * ptr);
  try {
    if (wasm._OrtGetTensorData(handle, at, at + ptr, at + 2 * ptr, at + 3 * ptr) !== 0) throw lastError(wasm, `Could not read "${name}"`);
    const code = wasm.getValue(at, 'i32');
    const pointer = wasm.getValue(at + ptr, '*');
    const dimsAt = wasm.getValue(at + 2 * ptr, '*');
    const rank = wasm.getValue(at + 3 * ptr, 'i32');
    const dims = Array.from({ length: rank }, (_, i) => wasm.getValue(dimsAt + i * ptr, 'i32'));
    wasm._OrtFree(dimsAt);
    const [type, info] = Object.entries(TYPES).find(([, t]) => t.code === code) ?? [];
    if (!type || !info) throw new Error(`ORT returned "${name}" as element type ${code}, which the app does not read.`);
    const count = dims.reduce((a, b) => a * b, 1);
    const data = new info.array(count);
    new Uint8Array(data.buffer).set(heapBytes(wasm).subarray(pointer, pointer + count * info.bytes));
    return cpuTensor(type, dims, data);
  } finally {
    wasm._free(at);
  }
}
