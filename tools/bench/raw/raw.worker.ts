/// <reference lib="webworker" />
// The baseline: plain transformers.js generate() in a module worker, with the same library, the same
// self-served ONNX Runtime files, dtype and device as the app, and nothing of the app around it.
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  LogitsProcessorList,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
  type TextStreamer,
} from '@huggingface/transformers';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
// Skips the prompt's put and hands over each token id, exactly as the app's generator counts tokens.
import { TokenStreamer } from '../../../workers/token-streamer.ts';
// Only for the split-out variants (`sampler`, `worker`): the app's own worker code, unchanged.
import { IncrementalDecoder } from '../../../workers/incremental-decoder.ts';
import { ChoosingLogitsProcessor } from '../../../workers/sampling-processor.ts';
import { yieldToEvents } from '../../../workers/yield-to-events.ts';
import type { RawLoaded, RawReply, RawRequest, RawResult, RawRun } from './messages.ts';
import { defaultThreads } from '../../../src/engine/threads';

let tokenizer: PreTrainedTokenizer | null = null;
let model: PreTrainedModel | null = null;
let plainForward: PreTrainedModel['forward'] | null = null;

function inputsFor(prompt: string): { input_ids: Tensor; attention_mask: Tensor } {
  if (!tokenizer) throw new Error('not loaded');
  return tokenizer.apply_chat_template([{ role: 'user', content: prompt }], { add_generation_prompt: true, return_dict: true }) as {
    input_ids: Tensor;
    attention_mask: Tensor;
  };
}

async function load(req: Extract<RawRequest, { type: 'load' }>): Promise<RawLoaded> {
  const started = performance.now();
  const wasm = env.backends.onnx.wasm;
  if (wasm) {
    wasm.wasmPaths = { wasm: new URL(ortWasmUrl, self.location.href).href, mjs: new URL(ortMjsUrl, self.location.href).href };
    // The app's default thread count (its page is isolated too), so raw and app differ only in the app.
    wasm.numThreads = self.crossOriginIsolated ? defaultThreads(navigator.hardwareConcurrency) : 1;
  }
  env.remoteHost = `${req.hub.replace(/\/$/, '')}/`;
  env.remotePathTemplate = '{model}/resolve/{revision}/';
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.allowLocalModels = false;
  tokenizer = await AutoTokenizer.from_pretrained(req.repo);
  model = await AutoModelForCausalLM.from_pretrained(req.repo, { dtype: req.dtype, device: req.device });
  plainForward = model.forward.bind(model);
  let adapter: string | null = null;
  if (req.device === 'webgpu') {
    const info = (await navigator.gpu?.requestAdapter())?.info;
    adapter = info ? [info.description, info.vendor, info.architecture].filter(Boolean).join(' · ') : null;
  }
  return {
    loadMs: performance.now() - started,
    promptTokens: inputsFor('Hi').input_ids.dims.at(-1) ?? 0,
    adapter,
    crossOriginIsolated: self.crossOriginIsolated,
  };
}

async function run(req: RawRun): Promise<RawResult> {
  if (!model || !plainForward || !tokenizer) throw new Error('not loaded');
  const forward = plainForward;
  const worker = req.variant === 'worker';
  model.forward = worker
    ? async (inputs: Record<string, unknown>) => {
        const out = await forward(inputs);
        await yieldToEvents();
        return out;
      }
    : forward;
  const processors = new LogitsProcessorList();
  if (req.variant !== 'raw') processors.push(new ChoosingLogitsProcessor({ temperature: 0.6, topP: 0.95, random: Math.random }));
  let onToken: ((id: number) => void) | null = null;
  if (worker) {
    const tk = tokenizer;
    const decoder = new IncrementalDecoder((ids) => tk.decode(ids, { skip_special_tokens: true }));
    let generated = 0;
    let firstAt = 0;
    onToken = (id) => {
      generated += 1;
      if (generated === 1) firstAt = performance.now();
      const text = decoder.push(id);
      const tokensPerSecond = generated > 1 ? ((generated - 1) * 1000) / (performance.now() - firstAt) : 0;
      // The app's delta event, same shape; the page drops it.
      if (text) self.postMessage({ type: 'delta', id: 'bench', text, generatedTokens: generated, tokensPerSecond });
    };
  }
  // Each token's arrival time, then the variant's optional work on it.
  const times: number[] = [];
  const extra = onToken;
  const streamer = new TokenStreamer((id) => {
    times.push(performance.now());
    extra?.(id);
  });
  const t0 = performance.now();
  await model.generate({
    ...inputsFor(req.prompt),
    max_new_tokens: req.maxNewTokens,
    do_sample: false,
    logits_processor: processors,
    streamer: streamer as unknown as TextStreamer,
  });
  const end = performance.now();
  const first = times[0] ?? end;
  const n = times.length;
  return {
    generatedTokens: n,
    firstTokenMs: first - t0,
    tokensPerSecond: n > 1 ? ((n - 1) * 1000) / (end - first) : 0,
    totalMs: end - t0,
    intervals: times.slice(1).map((t, i) => t - (times[i] as number)),
  };
}

self.addEventListener('message', (event: MessageEvent<{ id: number; request: RawRequest }>) => {
  const { id, request } = event.data;
  const work = request.type === 'load' ? load(request) : run(request);
  work.then(
    (value) => self.postMessage({ id, ok: true, value } satisfies RawReply),
    (error: unknown) => self.postMessage({ id, ok: false, error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) } satisfies RawReply),
  );
});
