import type { Device, Dtype, LoadedInfo } from '../../workers/protocol';
import { nextChunk, WASM_MAX_BUFFER_BYTES } from '../../workers/prefill-chunks';
import type { Capability } from './capability';
import { activationBytes, catalogModelFor, type Architecture, type CatalogModel } from './catalog';
import type { LoadState } from './model-store';

/*
 * How much context a model fits on this device, before anything is downloaded.
 *
 * The estimate (what issue #13 measured): the weights as ONNX Runtime holds them (the download size of
 * the dtype), plus the KV cache at context C, plus the logits of one prefill chunk.
 * - KV cache: 2 (keys, values) × layers × KV heads × head size × element bytes per token; 28 KB for the
 *   1.5B in float16 (470 MB at 16k), 56 KB for the 7B. Where each step makes a longer copy (graphs that
 *   concatenate past and new keys, and every graph on WASM) it is counted twice: the step's new
 *   `present` tensors exist beside the `past` ones they replace until it ends (workers/forward.ts), and
 *   on WASM ORT copies the inputs into its heap beside the outputs. Where the worker updates the cache
 *   in place (GroupQueryAttention on WebGPU, workers/static-kv.ts) it is counted once: its capacity
 *   is a power of two, so at each step below it is exactly C.
 * - Logits: the first chunk workers/prefill-chunks.ts feeds for a C-token prompt under this device's
 *   buffer limit, × vocabulary × 4 bytes (graphs without `num_logits_to_keep` return a row per token).
 *
 * The budget (no browser reports free GPU memory, so only what is known):
 * - WASM: wasm32 addresses 4 GiB, and ONNX Runtime keeps the weights, the cache and its working memory
 *   there; 1 GiB of it is left for the runtime itself (code, activations, a chunk's attention scores,
 *   fragmentation), 3 GiB for the estimate. Where the browser reports less RAM, that bounds it too.
 *   The weights count once: a file with its weights inline is handed to ORT as external data
 *   (workers/weights/onnx-inline.ts), so the heap never holds the file beside the tensors parsed from
 *   it (`npm run bench -- real-size`: the 1.92 GB q4 1.5B now loads, holding 1.1x its size once ready).
 * - WebGPU: `navigator.deviceMemory` (Chromium only; GB rounded down to a power of two and capped, so a
 *   lower bound: the cap was 8 for years, this project's Chromium 156 says 16 on a 23 GB machine), of
 *   which ¾ may go to the model: the system and browser keep the rest (Apple's recommended GPU working
 *   set is about ¾ of RAM). It cannot see a discrete GPU's own memory. Where it is absent nothing
 *   bounds the total, and only the per-buffer limit is checked: no single layer's keys (KV heads × C ×
 *   head size × bytes) and no logits chunk may exceed the adapter's buffer limit.
 *
 * The rule: the context that fits is the largest C of 2k, 4k, 8k, 16k, 32k (up to the model's own
 * length) whose estimate stays within the budget and whose buffers within the limit. When not even 2k
 * fits, the model does not fit here. The app caps replies at that context, less room for the prompt.
 */

const GiB = 2 ** 30;

/** The contexts a fit is stated in. Each doubles the last: coarse on purpose, as the budget is an estimate. */
export const CONTEXT_STEPS: readonly number[] = [2048, 4096, 8192, 16_384, 32_768];

/** wasm32's address space, where ONNX Runtime's WASM backend keeps everything. */
export const WASM_ADDRESS_SPACE = 4 * GiB;
/** Of it, what the runtime itself needs beside weights, cache and logits. */
export const WASM_RESERVE = 1 * GiB;
/** Share of the RAM the browser reports that a model may take. */
export const DEVICE_MEMORY_SHARE = 0.75;
/** WebGPU's default maxStorageBufferBindingSize, for an adapter that reports no limits. */
const DEFAULT_GPU_BUFFER = 128 * 2 ** 20;
/** Logits are read as float32 (float16 exports write half that: the estimate stays on the safe side). */
const LOGIT_BYTES = 4;

export type ModelFacts = Pick<CatalogModel, 'architecture' | 'attention' | 'sizes' | 'contextLength'>;

export interface MemoryBudget {
  device: Device;
  /** Bytes weights, cache and logits may take together, or null where nothing known bounds them. */
  total: number | null;
  /** Largest single buffer: prefill chunks are sized from it as the worker sizes them. */
  maxBuffer: number;
  /** Where `total` comes from: WebAssembly's address space, the RAM the browser reports, or nothing. */
  basis: 'wasm' | 'device-memory' | 'none';
  /** `navigator.deviceMemory` (GB, a lower bound), where reported. */
  deviceMemory: number | null;
}

/** How the worker keeps a model's cache: one buffer updated in place, or a longer copy each step. */
export type KvUpdate = 'in-place' | 'per-step';

export interface MemoryEstimate {
  context: number;
  weights: number;
  /** The KV cache of `context` tokens. */
  kvCache: number;
  /** How many of it the peak holds: 2 where each step makes a longer copy, 1 in place. */
  kvCopies: 1 | 2;
  /** Tokens of the largest prefill chunk the worker would feed. */
  chunk: number;
  /** Its logits, bytes. */
  logits: number;
  /** One layer's keys (or values) at `context`: the largest KV tensor. */
  largestKvTensor: number;
  /** weights + kvCopies × kvCache + logits */
  total: number;
}

export interface ContextFit {
  /** The largest step that fits, or null when not even the smallest does. */
  context: number | null;
  /** The estimate at `context`, or at the smallest step when nothing fits. */
  estimate: MemoryEstimate;
  budget: MemoryBudget;
  /** What stops a longer context: memory in all, one GPU buffer, or the model's own context length. */
  limit: 'memory' | 'buffer' | 'model';
}

export function headDim(arch: Architecture): number {
  return arch.hidden / arch.heads;
}

/** KV-cache bytes per token: keys and values of every layer. */
export function kvBytesPerToken(arch: Architecture, dtype: Dtype): number {
  return 2 * arch.layers * arch.kvHeads * headDim(arch) * activationBytes(dtype);
}

export function memoryBudget(device: Device, capability: Pick<Capability, 'maxBufferSize' | 'maxStorageBufferBindingSize' | 'deviceMemory'>): MemoryBudget {
  const { deviceMemory } = capability;
  const ram = deviceMemory !== null ? deviceMemory * GiB * DEVICE_MEMORY_SHARE : null;
  if (device === 'wasm') {
    const heap = WASM_ADDRESS_SPACE - WASM_RESERVE;
    const byRam = ram !== null && ram < heap;
    return { device, total: byRam ? ram : heap, maxBuffer: WASM_MAX_BUFFER_BYTES, basis: byRam ? 'device-memory' : 'wasm', deviceMemory };
  }
  // The limit the worker sizes chunks from (workers/engine.ts): the smaller of the two.
  const limits = [capability.maxBufferSize, capability.maxStorageBufferBindingSize].filter((n): n is number => n !== null);
  const maxBuffer = limits.length > 0 ? Math.min(...limits) : DEFAULT_GPU_BUFFER;
  return { device, total: ram, maxBuffer, basis: ram === null ? 'none' : 'device-memory', deviceMemory };
}

/**
 * What the worker will do for this model (workers/kv-placement.ts: in place for GroupQueryAttention,
 * in GPU buffers on WebGPU and in ORT's heap on WASM; a graph that concatenates grows per step).
 */
export function kvUpdateFor(model: Pick<CatalogModel, 'attention'>): KvUpdate {
  return model.attention === 'group-query' ? 'in-place' : 'per-step';
}

export function estimateMemory(model: ModelFacts, dtype: Dtype, context: number, maxBuffer: number, kv: KvUpdate): MemoryEstimate {
  const weights = model.sizes[dtype];
  if (weights === undefined) throw new Error(`No ${dtype} weights to estimate.`);
  const arch = model.architecture;
  const kvCache = kvBytesPerToken(arch, dtype) * context;
  const chunk = nextChunk({ maxBufferBytes: maxBuffer, vocabSize: arch.vocabSize, numHeads: arch.heads }, 0, context);
  const logits = chunk * arch.vocabSize * LOGIT_BYTES;
  const largestKvTensor = arch.kvHeads * context * headDim(arch) * activationBytes(dtype);
  const kvCopies = kv === 'in-place' ? 1 : 2;
  return { context, weights, kvCache, kvCopies, chunk, logits, largestKvTensor, total: weights + kvCopies * kvCache + logits };
}

/** Why `estimate` does not fit `budget`, or null when it does. */
function overrun(estimate: MemoryEstimate, budget: MemoryBudget): 'memory' | 'buffer' | null {
  if (budget.total !== null && estimate.total > budget.total) return 'memory';
  // WebGPU refuses a buffer over its limit outright; WASM's per-buffer figure is only a chunking guide.
  if (budget.device === 'webgpu' && Math.max(estimate.largestKvTensor, estimate.logits) > budget.maxBuffer) return 'buffer';
  return null;
}

/** The context `model` fits with `dtype` weights within `budget` (the rule above). */
export function fitContext(model: ModelFacts, dtype: Dtype, budget: MemoryBudget, kv: KvUpdate = kvUpdateFor(model)): ContextFit {
  const steps = CONTEXT_STEPS.filter((c) => c <= model.contextLength);
  if (steps.length === 0) steps.push(model.contextLength);
  let fitted: MemoryEstimate | null = null;
  for (const context of steps) {
    const estimate = estimateMemory(model, dtype, context, budget.maxBuffer, kv);
    const over = overrun(estimate, budget);
    if (over) return { context: fitted?.context ?? null, estimate: fitted ?? estimate, budget, limit: over };
    fitted = estimate;
  }
  return { context: fitted!.context, estimate: fitted!, budget, limit: 'model' };
}

/**
 * The context the loaded model fits on this device, or null where nothing is known: a custom model
 * (not in the catalog) has no facts here, and its config stays in the worker. A catalog model that
 * was loaded although not even the smallest step fits gets the smallest step. The worker says how it
 * keeps the cache, so that part is no longer a prediction.
 */
export function loadedContext(state: { load: LoadState; capability: Capability | null }, kvCache?: LoadedInfo['kvCache']): number | null {
  const { load, capability } = state;
  if (load.status !== 'ready' || !capability) return null;
  const model = catalogModelFor(load.target);
  if (!model || model.sizes[load.info.dtype] === undefined) return null;
  const fit = fitContext(model, load.info.dtype, memoryBudget(load.info.device, capability), kvCache ?? load.info.kvCache);
  return fit.context ?? fit.estimate.context;
}

/**
 * Tokens of context that fit across every row of a batch of consensus paths: batched paths always
 * grow their cache per step (workers/generation.ts), whatever a single reply does.
 */
export function pathsContext(state: { load: LoadState; capability: Capability | null }): number | null {
  return loadedContext(state, 'per-step');
}

/** 16,384 → "16k". */
export function formatContext(tokens: number): string {
  return `${Math.round(tokens / 1024)}k`;
}
