import {
  AutoModelForCausalLM,
  AutoTokenizer,
  BaseStreamer,
  InterruptableStoppingCriteria,
  LogitsProcessorList,
  StoppingCriteriaList,
  type TextStreamer,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import { ExplainedError } from './errors';
import { IncrementalDecoder } from './incremental-decoder';
import type { ChatTurn, FileProgress, GenerationStats, LoadedInfo, LoadPhase, ModelSource, SamplingOptions, StopReason } from './protocol';
import { configureRuntime } from './runtime-env';
import { ChoosingLogitsProcessor } from './sampling-processor';
import { ensureModel } from './weights/ensure-model';
import { yieldToEvents } from './yield-to-events';

interface Loaded {
  source: ModelSource;
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  eosIds: Set<number>;
}

export interface LoadCallbacks {
  progress(phase: LoadPhase, files: FileProgress[]): void;
}

export interface GenerateCallbacks {
  started(promptTokens: number): void;
  delta(text: string, generatedTokens: number, tokensPerSecond: number): void;
}

async function adapterName(): Promise<string | null> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) return null;
  const { vendor, architecture, description } = adapter.info;
  return [description, vendor, architecture].filter(Boolean).join(' · ') || 'WebGPU adapter';
}

/** Streams each generated token to a callback; the prompt (first put) is skipped. */
class CallbackStreamer extends BaseStreamer {
  private seenPrompt = false;
  private readonly onToken: (id: number) => void;

  constructor(onToken: (id: number) => void) {
    super();
    this.onToken = onToken;
  }

  override put(value: bigint[][]): void {
    if (!this.seenPrompt) {
      this.seenPrompt = true;
      return;
    }
    const id = value[0]?.[0];
    if (id !== undefined) this.onToken(Number(id));
  }

  override end(): void {}
}

/** Owns the one loaded model of this worker: load, generate, interrupt, unload. */
export class Engine {
  private loaded: Loaded | null = null;
  private stopping: InterruptableStoppingCriteria | null = null;

  async load(source: ModelSource, cb: LoadCallbacks): Promise<LoadedInfo> {
    configureRuntime();
    const started = performance.now();
    await this.unload();
    let adapter: string | null = null;
    if (source.device === 'webgpu') {
      adapter = await adapterName();
      if (!adapter) {
        throw new ExplainedError('unsupported', 'This browser offers no WebGPU adapter. Choose the WASM (CPU) backend instead.');
      }
    }
    cb.progress('resolve', []);
    let files: FileProgress[] = [];
    const manifest = await ensureModel(source, (f) => {
      files = f;
      cb.progress('download', f);
    });
    cb.progress('compile', files);
    const tokenizer = await AutoTokenizer.from_pretrained(source.repo, { revision: source.revision });
    const model = await AutoModelForCausalLM.from_pretrained(source.repo, {
      revision: source.revision,
      dtype: manifest.dtype,
      device: source.device,
      ...(manifest.externalDataChunks > 0 ? { use_external_data_format: manifest.externalDataChunks } : {}),
    });
    // One event-loop turn per decoding step, so Stop (a message) lands between tokens on every backend.
    const forward = model.forward.bind(model);
    model.forward = async (inputs: Record<string, unknown>) => {
      const outputs = await forward(inputs);
      await yieldToEvents();
      return outputs;
    };
    const eos = model.generation_config?.eos_token_id ?? (model.config as { eos_token_id?: number | number[] }).eos_token_id;
    const eosIds = new Set<number>(Array.isArray(eos) ? eos : eos === undefined || eos === null ? [] : [eos]);
    this.loaded = { source, tokenizer, model, eosIds };
    // The first run compiles WebGPU shaders (seconds); do it now rather than on the user's message.
    cb.progress('warmup', files);
    await this.generate([{ role: 'user', content: 'Hi' }], { temperature: 0, topP: 1, maxNewTokens: 1 }, { started() {}, delta() {} });
    return { device: source.device, dtype: manifest.dtype, files, loadMs: performance.now() - started, adapter };
  }

  async generate(turns: ChatTurn[], options: SamplingOptions, cb: GenerateCallbacks): Promise<{ reason: StopReason; stats: GenerationStats }> {
    const loaded = this.loaded;
    if (!loaded) throw new ExplainedError('not-loaded', 'No model is loaded yet. Load a model first.');
    if (this.stopping) throw new ExplainedError('busy', 'The model is already answering. Stop it or wait for it to finish.');
    const t0 = performance.now();
    const { tokenizer, model } = loaded;
    const inputs = tokenizer.apply_chat_template(turns, { add_generation_prompt: true, return_dict: true }) as {
      input_ids: Tensor;
      attention_mask: Tensor;
    };
    const promptTokens = inputs.input_ids.dims.at(-1) ?? 0;
    cb.started(promptTokens);

    const decoder = new IncrementalDecoder((ids) => tokenizer.decode(ids, { skip_special_tokens: true }));
    let generated = 0;
    let firstAt = 0;
    let lastId = -1;
    const speed = () => (generated > 1 ? ((generated - 1) * 1000) / (performance.now() - firstAt) : 0);
    const streamer = new CallbackStreamer((id) => {
      generated += 1;
      lastId = id;
      if (generated === 1) firstAt = performance.now();
      const text = decoder.push(id);
      if (text) cb.delta(text, generated, speed());
    });
    const stopping = new InterruptableStoppingCriteria();
    this.stopping = stopping;
    try {
      const stoppingList = new StoppingCriteriaList();
      stoppingList.push(stopping);
      const processors = new LogitsProcessorList();
      processors.push(new ChoosingLogitsProcessor({ temperature: options.temperature, topP: options.topP, random: Math.random }));
      await model.generate({
        ...inputs,
        max_new_tokens: options.maxNewTokens,
        do_sample: false,
        logits_processor: processors,
        stopping_criteria: stoppingList,
        // The 4.3.1 typings demand a TextStreamer although generate() only calls put/end.
        streamer: streamer as unknown as TextStreamer,
      });
    } finally {
      this.stopping = null;
    }
    const tail = decoder.flush();
    if (tail) cb.delta(tail, generated, speed());
    const reason: StopReason = stopping.interrupted ? 'interrupted' : loaded.eosIds.has(lastId) ? 'eos' : 'length';
    const now = performance.now();
    return {
      reason,
      stats: {
        promptTokens,
        generatedTokens: generated,
        timeToFirstTokenMs: generated > 0 ? firstAt - t0 : now - t0,
        tokensPerSecond: speed(),
        totalMs: now - t0,
      },
    };
  }

  interrupt(): void {
    this.stopping?.interrupt();
  }

  async unload(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    if (loaded) await loaded.model.dispose();
  }
}
