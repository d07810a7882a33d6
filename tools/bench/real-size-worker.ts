/// <reference lib="webworker" />
/**
 * The worker side of real-size.ts: one dedicated module worker per step (real-size-page.ts starts a
 * fresh one each time and ends it after), so every load starts from a clean heap, as a reload does.
 * The app's steps call the real workers/* code (ensureModel, serveStored + storeFetch, Engine.load);
 * the raw ones do what transformers.js 4.3.1 does with its browser cache (env.useBrowserCache).
 */
import { AutoModelForCausalLM, AutoTokenizer, env, type Tensor } from '@huggingface/transformers';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { Engine } from '../../workers/engine';
import type { Device, Dtype, LoadPhase, ModelSource } from '../../workers/protocol';
import { ensureModel } from '../../workers/weights/ensure-model';
import { getManifest } from '../../workers/weights/inventory';
import { DTYPE_SUFFIX, externalChunkName, resolveUrl } from '../../workers/weights/manifest';
import { serveStored } from '../../workers/weights/model-view';
import { storeFetch } from '../../workers/weights/store-fetch';

/** transformers.js's `env.cacheKey`. */
const CACHE = 'transformers-cache';

export type StepArgs =
  | { kind: 'clear' }
  | { kind: 'app-download'; source: ModelSource }
  | { kind: 'plain-fetch'; urls: string[] }
  | { kind: 'raw-write'; urls: string[] }
  | { kind: 'raw-write-stream'; urls: string[] }
  | { kind: 'app-read'; source: ModelSource }
  | { kind: 'raw-read'; urls: string[] }
  | { kind: 'app-ready'; source: ModelSource }
  | { kind: 'raw-ready'; hub: string; repo: string; dtype: Dtype; device: Device };

export interface StepResult {
  seconds: number;
  /** Bytes moved (downloaded, written or read); 0 for loads. */
  bytes: number;
  /** Step-specific figures and facts, for the log. */
  detail: Record<string, number | string | boolean>;
}

export type StepReply = { id: number; ok: true; result: StepResult } | { id: number; ok: false; error: string };

async function ok(response: Promise<Response>): Promise<Response> {
  const r = await response;
  if (!r.ok) throw new Error(`HTTP ${r.status} for ${r.url}`);
  return r;
}

/** The model files (everything but JSON and tokenizer files) among `urls`. */
const heavy = (url: string) => /\.onnx(_data(_\d+)?)?$|\.data$/.test(url);

const STEPS: { [K in StepArgs['kind']]: (args: Extract<StepArgs, { kind: K }>) => Promise<Omit<StepResult, 'seconds'>> } = {
  clear: async () => {
    for (const db of await indexedDB.databases()) {
      if (!db.name) continue;
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase(db.name as string);
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error ?? new Error(`deleting ${db.name} failed`));
        request.onblocked = () => reject(new Error(`deleting ${db.name} is blocked by an open connection`));
      });
    }
    await caches.delete(CACHE);
    return { bytes: 0, detail: {} };
  },

  /** The app's download path: listing, plan, every file streamed into 16 MiB chunks, hashed, checked. */
  'app-download': async ({ source }) => {
    const { manifest, served } = await ensureModel(source, () => {});
    const bytes = manifest.files.reduce((sum, f) => sum + (f.size ?? 0), 0);
    return { bytes, detail: { files: manifest.files.length, dtype: manifest.dtype, servedDtype: served.dtype, dataChunks: served.dataChunks } };
  },

  /** The same files read to the end and dropped: what the hub and the network stack deliver. */
  'plain-fetch': async ({ urls }) => {
    let bytes = 0;
    for (const url of urls) {
      const reader = (await ok(fetch(url, { cache: 'no-store' }))).body?.getReader();
      if (!reader) throw new Error(`no body for ${url}`);
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
      }
    }
    return { bytes, detail: {} };
  },

  /**
   * What transformers.js 4.3.1 does on a cache miss (hub.js loadResourceFile + storeCachedResource):
   * the whole body into memory, then `cache.put(url, new Response(buffer))` with the length set.
   */
  'raw-write': async ({ urls }) => {
    const cache = await caches.open(CACHE);
    let bytes = 0;
    let heavySeconds = 0;
    for (const url of urls) {
      const t0 = performance.now();
      const response = await ok(fetch(url));
      const buffer = new Uint8Array(await response.arrayBuffer());
      const headers = new Headers(response.headers);
      headers.set('content-length', String(buffer.byteLength));
      await cache.put(url, new Response(buffer, { headers }));
      bytes += buffer.byteLength;
      if (heavy(url)) heavySeconds += (performance.now() - t0) / 1000;
    }
    return { bytes, detail: { heavySeconds } };
  },

  /** The body streamed into Cache Storage (`put` resolves once it is stored): Cache Storage's best case. */
  'raw-write-stream': async ({ urls }) => {
    const cache = await caches.open(CACHE);
    let bytes = 0;
    for (const url of urls) {
      const response = await ok(fetch(url));
      bytes += Number(response.headers.get('content-length') ?? 0);
      await cache.put(url, response);
    }
    return { bytes, detail: {} };
  },

  /**
   * Store -> the bytes ORT gets: the stored plan served as the app serves it (serveStored: a large
   * data file split into <= 2 GB parts), each model file fetched through storeFetch and read into one
   * ArrayBuffer, as transformers.js reads it; dropped after its length is checked.
   */
  'app-read': async ({ source }) => {
    const manifest = await getManifest(source);
    if (!manifest) throw new Error(`${source.repo} has no stored plan for ${source.dtypes.join(',')}`);
    const t0 = performance.now();
    const served = await serveStored(source, manifest);
    const serveSeconds = (performance.now() - t0) / 1000;
    const graph = `onnx/model${DTYPE_SUFFIX[served.dtype]}.onnx`;
    const paths = [graph, ...Array.from({ length: served.dataChunks }, (_, i) => `onnx/${externalChunkName(graph.slice(5), i)}`)];
    let bytes = 0;
    const parts: string[] = [];
    for (const path of paths) {
      const buffer = await (await ok(storeFetch(resolveUrl(source.host, source.repo, source.revision, path)))).arrayBuffer();
      bytes += buffer.byteLength;
      parts.push(`${path} ${(buffer.byteLength / 1e6).toFixed(0)} MB`);
    }
    return { bytes, detail: { serveSeconds, parts: parts.join(', ') } };
  },

  /** transformers.js on a cache hit: `cache.match(url)`, then the whole body as one ArrayBuffer. */
  'raw-read': async ({ urls }) => {
    const cache = await caches.open(CACHE);
    let bytes = 0;
    for (const url of urls) {
      const response = await cache.match(url);
      if (!response) throw new Error(`${url} is not in Cache Storage`);
      bytes += (await response.arrayBuffer()).byteLength;
    }
    return { bytes, detail: {} };
  },

  /**
   * The app from stored to ready, as a user's reload runs it: the real Engine (loadChecked: ensureModel
   * finds the plan, serveStored, transformers.js from_pretrained through storeFetch while a worker
   * checks every chunk's digest beside it, then on WebGPU its warm-up: one forward pass of a "Hi"
   * prompt and one sampled token).
   */
  'app-ready': async ({ source }) => {
    const engine = new Engine();
    const t0 = performance.now();
    const at: Partial<Record<LoadPhase, number>> = {};
    const info = await engine.load(source, {
      progress(phase) {
        at[phase] ??= (performance.now() - t0) / 1000;
      },
    });
    const end = (performance.now() - t0) / 1000;
    const serve = (at.compile ?? 0) - (at.resolve ?? 0);
    const compile = (at.warmup ?? end) - (at.compile ?? 0);
    const forward = end - (at.warmup ?? end);
    (globalThis as { engine?: Engine }).engine = engine; // held until the worker ends, as the app holds it
    return {
      bytes: 0,
      detail: { serveSeconds: serve, sessionSeconds: compile, forwardSeconds: forward, dtype: info.dtype, threads: info.threads, adapter: info.adapter ?? '' },
    };
  },

  /**
   * Raw transformers.js from its Cache Storage copy to ready: tokenizer and model from_pretrained
   * (cache hits), then, where the app warms up (WebGPU: shaders), one forward pass of the same "Hi"
   * prompt (R1's template, `<think>\n` appended as the app does) and one greedy token. Neither runs a
   * pass on WASM, so both are ready with the same first message still to compute.
   */
  'raw-ready': async ({ hub, repo, dtype, device }) => {
    const wasm = env.backends.onnx.wasm;
    if (wasm) {
      wasm.wasmPaths = { wasm: new URL(ortWasmUrl, self.location.href).href, mjs: new URL(ortMjsUrl, self.location.href).href };
      wasm.numThreads = 1; // as the app's worker in this (not cross-origin isolated) page
    }
    env.remoteHost = `${hub.replace(/\/$/, '')}/`;
    env.remotePathTemplate = '{model}/resolve/{revision}/';
    env.useBrowserCache = true;
    env.allowLocalModels = false;
    const t0 = performance.now();
    const tokenizer = await AutoTokenizer.from_pretrained(repo);
    const model = await AutoModelForCausalLM.from_pretrained(repo, { dtype, device });
    const t1 = performance.now();
    const text = `${tokenizer.apply_chat_template([{ role: 'user', content: 'Hi' }], { add_generation_prompt: true, tokenize: false }) as string}<think>\n`;
    const inputs = tokenizer(text, { add_special_tokens: false }) as { input_ids: Tensor; attention_mask: Tensor };
    if (device === 'webgpu') await model.generate({ ...inputs, max_new_tokens: 1, do_sample: false });
    const t2 = performance.now();
    (globalThis as { model?: unknown }).model = model;
    return { bytes: 0, detail: { sessionSeconds: (t1 - t0) / 1000, forwardSeconds: (t2 - t1) / 1000, promptTokens: inputs.input_ids.dims.at(-1) ?? 0 } };
  },
};

self.onmessage = async (event: MessageEvent<{ id: number; args: StepArgs }>) => {
  const { id, args } = event.data;
  const t0 = performance.now();
  try {
    const step = STEPS[args.kind] as (a: StepArgs) => Promise<Omit<StepResult, 'seconds'>>;
    const result = await step(args);
    const seconds = (performance.now() - t0) / 1000;
    // Chromium runs with --expose-gc (source-page.ts): what the step dropped goes before RSS is read.
    (globalThis as { gc?: () => void }).gc?.();
    self.postMessage({ id, ok: true, result: { ...result, seconds } } satisfies StepReply);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}${'detail' in error && error.detail ? ` (${String(error.detail)})` : ''}` : String(error);
    self.postMessage({ id, ok: false, error: message } satisfies StepReply);
  }
};
self.postMessage({ ready: true });
