/**
 * The browser side of kv-decode.ts, run from source in a dedicated module worker (as the app runs its
 * inference worker). It loads the KV-geometry models as the app does (configureRuntime, then
 * AutoModelForCausalLM.from_pretrained with the device and fp32: the MHA model straight from the hub;
 * the GQA one, a GenAI-layout folder, through the app's weight store, workers/weights/ensure-model.ts,
 * as workers/engine.ts loads it), hands a model a KV cache of a given length directly, and times
 * single-token decode steps through the app's own forward path (`feed` from workers/forward.ts), each
 * step on the cache the previous one left, as workers/generation.ts does, with the cache the app would
 * give it (workers/kv-placement.ts): in place for GroupQueryAttention (the app's StaticKv: one buffer
 * per layer and kind, bound as both past and present), per step in ORT's heap for the MHA export on
 * WASM (HeapKv), per step on the GPU for it on WebGPU (a DynamicCache); the `_js` baselines a
 * DynamicCache through ORT-web's own run. It also measures the memory read bandwidth the floor is
 * computed from, in this same worker.
 */
import { AutoModelForCausalLM, env, type PreTrainedModel } from '@huggingface/transformers';
import { WASM_MAX_BUFFER_BYTES, type ChunkLimits } from '../../workers/prefill-chunks';
import { configureRuntime, runtimeThreads } from '../../workers/runtime-env';
import { kvPlacement } from '../../workers/kv-placement';
import type { KvPlacement } from '../../workers/kv-placement';
import { ensureModel } from '../../workers/weights/ensure-model';
import { yieldToEvents } from '../../workers/yield-to-events';
import { defaultThreads } from '../../src/engine/threads';
import { cacheLength, cacheLocation, decodeStep, growingCache, heapCache, inPlaceCache, releaseCache, type KvCache } from './kv-decode-cache';

export type Device = 'wasm' | 'webgpu';
/**
 * The model and how it is decoded: `mha` Concat of past and new keys (onnx-community's export), the
 * app's way (per step, the cache in ORT's heap on WASM, GPU-resident on WebGPU); `gqa`
 * GroupQueryAttention (GenAI's), the app's way (in place); `mha_js` and `gqa_js` the same models with
 * transformers.js's DynamicCache through ORT-web's own run (what the app did on WASM before its heap
 * caches): the baselines, WASM only.
 */
export type Variant = 'mha' | 'gqa' | 'mha_js' | 'gqa_js';
/** How the app keeps this model's cache on this device (workers/generation.ts's `kvCache`). */
export type KvKind = 'per-step' | 'in-place';

export interface LoadArgs {
  hub: string;
  repo: string;
  device: Device;
  variant: Variant;
  /** The GenAI model folder inside the repo (gqa only). */
  folder?: string;
}

export interface Loaded {
  device: Device;
  variant: Variant;
  kvCache: KvKind;
  loadMs: number;
  threads: number;
  crossOriginIsolated: boolean;
  cores: number;
  adapter: string | null;
  /** WebGPU: the limits of the device ORT created. */
  maxBufferSize?: number;
  maxStorageBufferBindingSize?: number;
  /** WebGPU: the features of ORT's device (`subgroups`, `shader-f16` decide which kernels ORT can run). */
  gpuFeatures?: string[];
  /** The model's context: the largest capacity an in-place cache can have. */
  maxPositions: number;
  layers: number;
  kvHeads: number;
  headDim: number;
  heads: number;
  hidden: number;
}

export interface DecodeArgs {
  device: Device;
  variant: Variant;
  /** Tokens already in the cache when the first timed step runs (before the untimed warm-up steps). */
  length: number;
  /** Untimed steps after the cache is made: the first uploads a per-step WebGPU cache from the CPU. */
  warmup: number;
  /** Timed steps at most. */
  steps: number;
  /**
   * Time for the timed steps: after the first, another runs only while the time spent plus the
   * median step so far stays within it (SwiftShader takes tens of seconds a step at 16k).
   */
  budgetMs: number;
}

export interface Decoded {
  /** ms of each timed step; the first timed step runs at `length + warmup` cached tokens. */
  stepMs: number[];
  /** ms of each warm-up step (the first includes the upload of a per-step cache on WebGPU). */
  warmupMs: number[];
  /** Where the cache lives after the last step ('cpu' on WASM, 'gpu-buffer' on WebGPU). */
  location: string;
  /** The cache's length after the last step. */
  finalLength: number;
  /** In-place: the positions its buffers hold (the app's power-of-two capacity); per-step: 0. */
  capacity: number;
  setupMs: number;
}

export interface Bandwidth {
  method: string;
  bytes: number;
  /** GB/s (10^9 bytes) of each timed pass. */
  gbps: number[];
  /** Other ways of moving the same buffer, for the log. */
  side: Record<string, number[]>;
  limits?: Record<string, number>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

interface Model {
  model: PreTrainedModel;
  limits: ChunkLimits;
  /** Where the cache lives (workers/kv-placement.ts); null: transformers.js's DynamicCache. */
  placement: KvPlacement | null;
  gpu: GPUDevice | null;
}

const models = new Map<string, Model>();
const keyOf = (variant: Variant, device: Device) => `${variant}/${device}`;

async function adapterName(): Promise<string | null> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) return null;
  const { vendor, architecture, description } = adapter.info;
  return [description, vendor, architecture].filter(Boolean).join(' · ') || 'WebGPU adapter';
}

interface KvConfig {
  num_hidden_layers: number;
  num_key_value_heads: number;
  num_attention_heads: number;
  hidden_size: number;
  head_dim?: number;
  vocab_size: number;
  max_position_embeddings?: number;
}

const configOf = (model: PreTrainedModel) => model.config as unknown as KvConfig;
const headDimOf = (c: KvConfig) => c.head_dim ?? c.hidden_size / c.num_attention_heads;

/**
 * From the hub as transformers.js loads a transformers.js-layout repo (mha), or as the app loads a
 * GenAI folder (gqa): ensureModel stores it in IndexedDB and serves it to transformers.js as that
 * layout (config.json made from genai_config.json), and says whether its attention is GroupQueryAttention.
 */
async function fromHub({ hub, repo, device, variant, folder }: LoadArgs) {
  if (variant.startsWith('mha')) return { model: await AutoModelForCausalLM.from_pretrained(repo, { dtype: 'fp32', device }), groupQuery: false };
  const source = { host: hub, repo, revision: 'main', dtypes: ['q4' as const], device, ...(folder ? { folder } : {}) };
  const { served } = await ensureModel(source, () => {});
  const model = await AutoModelForCausalLM.from_pretrained(repo, {
    revision: source.revision,
    dtype: served.dtype,
    device,
    ...(served.dataChunks > 0 ? { use_external_data_format: served.dataChunks } : {}),
  });
  return { model, groupQuery: served.attention === 'group-query' };
}

async function load(args: LoadArgs): Promise<Loaded> {
  const { hub, device, variant } = args;
  const isolated = self.crossOriginIsolated;
  // As the app's page does: the default thread count where threads can run, else 1.
  configureRuntime(isolated ? defaultThreads(navigator.hardwareConcurrency) : 1);
  // configureRuntime routes fetches through the weight store, which passes what it does not hold
  // through to the network: here, the local hub.
  env.remoteHost = `${hub.replace(/\/$/, '')}/`;
  env.remotePathTemplate = '{model}/resolve/{revision}/';
  const started = performance.now();
  const { model, groupQuery } = await fromHub(args);
  // One event-loop turn per forward pass, as workers/engine.ts wraps it.
  const forward = model.forward.bind(model);
  model.forward = async (inputs: Record<string, unknown>) => {
    const outputs = await forward(inputs);
    await yieldToEvents();
    return outputs;
  };
  const loadMs = performance.now() - started;
  const config = configOf(model);
  const gpu = device === 'webgpu' ? await env.backends.onnx.webgpu?.device : null;
  // As engine.ts's chunkLimits; a one-token feed is one chunk whatever they are.
  const limits = {
    maxBufferBytes: gpu ? Math.min(gpu.limits.maxBufferSize, gpu.limits.maxStorageBufferBindingSize) : WASM_MAX_BUFFER_BYTES,
    vocabSize: config.vocab_size,
    numHeads: config.num_attention_heads,
  };
  // The app's choice (workers/kv-placement.ts); the baselines get transformers.js's DynamicCache.
  const placement = variant.endsWith('_js') ? null : await kvPlacement(device, groupQuery ? 'group-query' : 'other');
  models.set(keyOf(variant, device), { model, limits, placement, gpu: gpu ?? null });
  return {
    device,
    variant,
    kvCache: placement && 'inPlace' in placement ? 'in-place' : 'per-step',
    loadMs,
    threads: runtimeThreads(),
    crossOriginIsolated: isolated,
    cores: navigator.hardwareConcurrency,
    adapter: device === 'webgpu' ? await adapterName() : null,
    ...(gpu ? { maxBufferSize: gpu.limits.maxBufferSize, maxStorageBufferBindingSize: gpu.limits.maxStorageBufferBindingSize, gpuFeatures: [...gpu.features].sort() } : {}),
    maxPositions: config.max_position_embeddings ?? 32_768,
    layers: config.num_hidden_layers,
    kvHeads: config.num_key_value_heads,
    headDim: headDimOf(config),
    heads: config.num_attention_heads,
    hidden: config.hidden_size,
  };
}

/**
 * A cache of `length` tokens, then `warmup + steps` one-token feeds, each on the cache the previous
 * one left. An in-place cache is reserved for all of them up front (the app grows it by doubling, a
 * copy the timed steps would otherwise catch at a power of two).
 */
async function decode({ device, variant, length, warmup, steps, budgetMs }: DecodeArgs): Promise<Decoded> {
  const loaded = models.get(keyOf(variant, device));
  if (!loaded) throw new Error(`no ${variant} model loaded on ${device}`);
  const { model, limits, placement, gpu } = loaded;
  const t0 = performance.now();
  let cache: KvCache;
  let capacity = 0;
  if (placement && 'inPlace' in placement) {
    // GPU buffers are written through the queue; heap tensors' `data` views the heap where they lie.
    const write = (tensor: { gpuBuffer?: GPUBuffer; data: unknown }, byteOffset: number, data: Float32Array) => {
      if (gpu && tensor.gpuBuffer) gpu.queue.writeBuffer(tensor.gpuBuffer, byteOffset, data.buffer, data.byteOffset, data.byteLength);
      else (tensor.data as Float32Array).set(data, byteOffset / 4);
    };
    const kv = inPlaceCache(model, placement.inPlace, length, length + warmup + steps, write);
    await gpu?.queue.onSubmittedWorkDone();
    capacity = Object.values(kv.bindings().feeds)[0]?.dims[2] ?? 0;
    cache = kv;
  } else if (placement) {
    cache = heapCache(model, placement.heap, length);
  } else {
    cache = growingCache(model, length);
  }
  const setupMs = performance.now() - t0;
  const warmupMs: number[] = [];
  const stepMs: number[] = [];
  let token = 1;
  try {
    const more = () => {
      if (warmupMs.length < warmup || stepMs.length === 0) return true;
      if (stepMs.length >= steps) return false;
      return stepMs.reduce((a, b) => a + b, 0) + median(stepMs) <= budgetMs;
    };
    while (more()) {
      const start = performance.now();
      token = (await decodeStep(model, cache, token, limits)).next;
      (warmupMs.length < warmup ? warmupMs : stepMs).push(performance.now() - start);
    }
    return { stepMs, warmupMs, location: cacheLocation(cache), finalLength: cacheLength(cache), capacity, setupMs };
  } finally {
    await releaseCache(cache);
    (globalThis as { gc?: () => void }).gc?.();
  }
}

// ---- memory read bandwidth

const MiB = 1024 * 1024;

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/**
 * A WebAssembly module (SIMD) with `pages` of memory, exported as `mem`, and `read(ptr, bytes)`: the
 * wrapping i32 sum of every 32-bit word, 64 bytes per iteration through four v128 accumulators (so
 * the loads, not an add chain, set the pace). Hand-assembled: no toolchain needed.
 */
function readerModule(pages: number): Uint8Array<ArrayBuffer> {
  const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const section = (id: number, bytes: number[]) => [id, ...leb(bytes.length), ...bytes];
  const ADD = [0xfd, 0xae, 0x01]; // i32x4.add
  const body = [
    2, 1, 0x7f, 4, 0x7b, // locals: end i32; a b c d v128
    0x20, 0, 0x20, 1, 0x6a, 0x21, 2, // end = ptr + bytes
    0x02, 0x40, 0x03, 0x40, // block loop
    0x20, 0, 0x20, 2, 0x4f, 0x0d, 1, // if ptr >= end break
    // acc_k += v128.load(ptr + 16k)
    ...[0, 1, 2, 3].flatMap((k) => [0x20, 3 + k, 0x20, 0, 0xfd, 0x00, 4, 16 * k, ...ADD, 0x21, 3 + k]),
    0x20, 0, 0x41, 0xc0, 0x00, 0x6a, 0x21, 0, // ptr += 64
    0x0c, 0, 0x0b, 0x0b, // continue; end loop; end block
    0x20, 3, 0x20, 4, ...ADD, 0x20, 5, ...ADD, 0x20, 6, ...ADD, 0x21, 3,
    0x20, 3, 0xfd, 0x1b, 0, 0x20, 3, 0xfd, 0x1b, 1, 0x6a, 0x20, 3, 0xfd, 0x1b, 2, 0x6a, 0x20, 3, 0xfd, 0x1b, 3, 0x6a,
    0x0b,
  ];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, ...leb(pages)]),
    ...section(7, [2, ...name('read'), 0, 0, ...name('mem'), 2, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}


/**
 * WASM: one pass of the SIMD reader over a `mib` MiB buffer of its memory (filled first, so every page
 * is really there), `passes` times after one untimed pass; also, for the log, a plain JS loop over
 * the same bytes as a Float64Array and a `TypedArray.set` copy of half of them onto the other half.
 */
async function wasmBandwidth(mib: number, passes: number): Promise<Bandwidth> {
  const bytes = mib * MiB;
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(readerModule(bytes / 65536 + 1)));
  const { read, mem } = instance.exports as { read: (ptr: number, len: number) => number; mem: WebAssembly.Memory };
  const words = new Uint32Array(mem.buffer, 0, bytes / 4);
  for (let i = 0; i < words.length; i++) words[i] = i & 0xff;
  let want = 0;
  for (let i = 0; i < words.length; i += 1) want = (want + (words[i] as number)) | 0;
  const time = (pass: () => void) => {
    const t = performance.now();
    pass();
    return performance.now() - t;
  };
  const gbps: number[] = [];
  for (let i = 0; i <= passes; i++) {
    let got = 0;
    const ms = time(() => (got = read(0, bytes)));
    if (got !== want) throw new Error(`the WASM reader summed ${got}, expected ${want}`);
    if (i > 0) gbps.push(bytes / 1e6 / ms);
  }
  const f64 = new Float64Array(mem.buffer, 0, bytes / 8);
  const js: number[] = [];
  const copy: number[] = [];
  for (let i = 0; i <= Math.min(3, passes); i++) {
    let s = 0;
    const ms = time(() => {
      for (let j = 0; j < f64.length; j++) s += f64[j] as number;
    });
    if (Number.isNaN(s)) throw new Error('unexpected NaN');
    const half = new Uint8Array(mem.buffer, 0, bytes);
    const copyMs = time(() => half.copyWithin(bytes / 2, 0, bytes / 2));
    if (i > 0) {
      js.push(bytes / 1e6 / ms);
      copy.push(bytes / 2 / 1e6 / copyMs);
    }
  }
  return {
    method: `WASM SIMD (v128.load, 4 accumulators) reading a ${mib} MiB buffer once per pass, 1 thread, in this worker`,
    bytes,
    gbps,
    side: { js_float64_loop_read_gbps: js, copywithin_copy_gbps_read_bytes: copy },
  };
}

const READ_SHADER = /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
struct Params { count: u32, per: u32, stride: u32, pad: u32 }
@group(0) @binding(2) var<uniform> params: Params;

// Interleaved: invocation g reads vec4 g, g + stride, ... (neighbouring invocations, neighbouring bytes).
@compute @workgroup_size(64)
fn strided(@builtin(global_invocation_id) gid: vec3<u32>) {
  var acc = vec4<f32>(0.0);
  for (var i = gid.x; i < params.count; i += params.stride) { acc += src[i]; }
  dst[gid.x] = acc;
}

// Blocked: invocation g reads its own contiguous run of params.per vec4s, four at a time.
@compute @workgroup_size(64)
fn blocked4(@builtin(global_invocation_id) gid: vec3<u32>) {
  var a0 = vec4<f32>(0.0);
  var a1 = a0;
  var a2 = a0;
  var a3 = a0;
  let start = gid.x * params.per;
  let end = min(start + params.per, params.count);
  var i = start;
  for (; i + 3u < end; i += 4u) { a0 += src[i]; a1 += src[i + 1u]; a2 += src[i + 2u]; a3 += src[i + 3u]; }
  for (; i < end; i++) { a0 += src[i]; }
  dst[gid.x] = a0 + a1 + a2 + a3;
}
`;

/**
 * Access patterns tried, each with its invocation count (SwiftShader spreads workgroups over the CPU's
 * threads and runs 4 invocations per SIMD lane group; these were the fastest of several tried here,
 * 2.4–3.2 GB/s, against 1.6–2.4 for others).
 */
const READ_VARIANTS = [
  { entryPoint: 'blocked4', invocations: 2048 },
  { entryPoint: 'strided', invocations: 16384 },
] as const;

/**
 * WebGPU: a compute shader that reads every byte of a `mib` MiB storage buffer once (bound in as few
 * pieces as maxStorageBufferBindingSize allows) and writes one vec4 per invocation, timed from
 * submit to queue.onSubmittedWorkDone(), `passes` times after one untimed pass, for each access
 * pattern; the faster pattern's median is the figure. Also, for the log, copyBufferToBuffer of the
 * whole buffer. On its own GPUDevice from the same adapter ORT uses, with the adapter's largest limits.
 */
async function webgpuBandwidth(mib: number, passes: number): Promise<Bandwidth> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter');
  const bytes = mib * MiB;
  const maxBinding = adapter.limits.maxStorageBufferBindingSize;
  const maxBuffer = adapter.limits.maxBufferSize;
  if (bytes > maxBuffer) throw new Error(`${mib} MiB is over the adapter's maxBufferSize ${maxBuffer}`);
  const device = await adapter.requestDevice({ requiredLimits: { maxStorageBufferBindingSize: maxBinding, maxBufferSize: maxBuffer } });
  const buffers: GPUBuffer[] = [];
  const make = (size: number, usage: GPUBufferUsageFlags) => {
    const b = device.createBuffer({ size, usage });
    buffers.push(b);
    return b;
  };
  try {
    const src = make(bytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
    const copyDst = make(bytes, GPUBufferUsage.COPY_DST);
    const dst = make(Math.max(...READ_VARIANTS.map((v) => v.invocations)) * 16, GPUBufferUsage.STORAGE);
    // Real contents, written in 16 MiB pieces.
    const piece = new Float32Array((16 * MiB) / 4);
    for (let i = 0; i < piece.length; i++) piece[i] = (i % 1000) / 1000;
    for (let at = 0; at < bytes; at += piece.byteLength) device.queue.writeBuffer(src, at, piece, 0, Math.min(piece.length, (bytes - at) / 4));
    await device.queue.onSubmittedWorkDone();

    // Bound in pieces no bigger than the binding limit (a multiple of 256 bytes, for the offsets).
    const bindBytes = Math.min(bytes, Math.floor(maxBinding / 256) * 256);
    const module = device.createShaderModule({ code: READ_SHADER });
    const layout = device.createBindGroupLayout({
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
      ],
    });
    const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
    const timed = async (encode: (encoder: GPUCommandEncoder) => void) => {
      const encoder = device.createCommandEncoder();
      encode(encoder);
      const commands = encoder.finish();
      const t = performance.now();
      device.queue.submit([commands]);
      await device.queue.onSubmittedWorkDone();
      return performance.now() - t;
    };
    const results: Record<string, number[]> = {};
    let pieces = 0;
    for (const { entryPoint, invocations } of READ_VARIANTS) {
      const groups: GPUBindGroup[] = [];
      for (let at = 0; at < bytes; at += bindBytes) {
        const size = Math.min(bindBytes, bytes - at);
        const count = size / 16;
        const uniform = make(16, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
        device.queue.writeBuffer(uniform, 0, new Uint32Array([count, Math.ceil(count / invocations), invocations, 0]));
        groups.push(
          device.createBindGroup({
            layout,
            entries: [
              { binding: 0, resource: { buffer: src, offset: at, size } },
              { binding: 1, resource: { buffer: dst } },
              { binding: 2, resource: { buffer: uniform } },
            ],
          }),
        );
      }
      pieces = groups.length;
      const pipeline = device.createComputePipeline({ layout: pipelineLayout, compute: { module, entryPoint } });
      const pass = (encoder: GPUCommandEncoder) => {
        const p = encoder.beginComputePass();
        p.setPipeline(pipeline);
        for (const group of groups) {
          p.setBindGroup(0, group);
          p.dispatchWorkgroups(invocations / 64);
        }
        p.end();
      };
      const gbps: number[] = [];
      for (let i = 0; i <= passes; i++) {
        const ms = await timed(pass);
        if (i > 0) gbps.push(bytes / 1e6 / ms);
      }
      results[entryPoint] = gbps;
    }
    const copy: number[] = [];
    for (let i = 0; i <= Math.min(3, passes); i++) {
      const ms = await timed((encoder) => encoder.copyBufferToBuffer(src, 0, copyDst, 0, bytes));
      if (i > 0) copy.push(bytes / 1e6 / ms);
    }
    const best = READ_VARIANTS.map((v) => v.entryPoint).reduce((a, b) => (median(results[a] ?? [0]) >= median(results[b] ?? [0]) ? a : b));
    return {
      method:
        `WGSL compute shader reading a ${mib} MiB storage buffer once per pass (${pieces} binding(s) of ≤ ${bindBytes / MiB} MiB; ` +
        `the faster of ${READ_VARIANTS.map((v) => `${v.entryPoint} × ${v.invocations} invocations`).join(' / ')}: ${best}), ` +
        `${passes} passes after 1 untimed, each timed submit → queue.onSubmittedWorkDone(), median`,
      bytes,
      gbps: results[best] ?? [],
      side: {
        ...Object.fromEntries(Object.entries(results).map(([k, v]) => [`shader_${k}_gbps`, v])),
        copy_buffer_to_buffer_gbps_read_bytes: copy,
      },
      limits: { maxStorageBufferBindingSize: maxBinding, maxBufferSize: maxBuffer },
    };
  } finally {
    for (const b of buffers) b.destroy();
    device.destroy();
  }
}

async function bandwidth({ device, mib, passes }: { device: Device; mib: number; passes: number }): Promise<Bandwidth> {
  try {
    return device === 'wasm' ? await wasmBandwidth(mib, passes) : await webgpuBandwidth(mib, passes);
  } finally {
    (globalThis as { gc?: () => void }).gc?.();
  }
}

const kvBench = { load, decode, bandwidth, median };
export type KvBench = typeof kvBench;
(globalThis as { kvBench?: KvBench }).kvBench = kvBench;
