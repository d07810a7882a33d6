import { AutoModelForCausalLM, AutoTokenizer, env, type PreTrainedModel } from '@huggingface/transformers';
import { ExplainedError } from './errors';
import { Generator, type GenerateCallbacks, type GenerateRequest, type GenerationResult, type PathsCallbacks, type PathsRequest } from './generation';
import { WASM_MAX_BUFFER_BYTES, type ChunkLimits } from './prefill-chunks';
import type { FileProgress, LoadedInfo, LoadPhase, ModelSource, PathsStats } from './protocol';
import { configureRuntime, runtimeThreads } from './runtime-env';
import { kvPlacement } from './kv-placement';
import { loadChecked } from './weights/load-checked';
import type { Served } from './weights/model-view';
import { yieldToEvents } from './yield-to-events';

interface Loaded {
  model: PreTrainedModel;
  generator: Generator;
}

export interface LoadCallbacks {
  progress(phase: LoadPhase, files: FileProgress[]): void;
}

async function adapterName(): Promise<string | null> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) return null;
  const { vendor, architecture, description } = adapter.info;
  return [description, vendor, architecture].filter(Boolean).join(' · ') || 'WebGPU adapter';
}

/** The buffer limits prefill chunks are sized from: the WebGPU device ORT created, or the WASM heap's share. */
async function chunkLimits(model: PreTrainedModel, device: ModelSource['device']): Promise<ChunkLimits> {
  const config = model.config as { vocab_size?: number; num_attention_heads?: number };
  const gpu = device === 'webgpu' ? await env.backends.onnx.webgpu?.device : null;
  const maxBufferBytes = gpu ? Math.min(gpu.limits.maxBufferSize, gpu.limits.maxStorageBufferBindingSize) : WASM_MAX_BUFFER_BYTES;
  // 152,064 is the widest R1-distill vocabulary (the 7B); a config that omits it gets the safe side.
  return { maxBufferBytes, vocabSize: config.vocab_size ?? 152_064, numHeads: config.num_attention_heads ?? 32 };
}

const DEVICE_LOST = 'The GPU stopped responding (the device was lost, e.g. after a driver reset or sleep). Your chat is kept; reload the model to continue.';

/** Owns the one loaded model of this worker: load, generate, interrupt, unload. */
export class Engine {
  private loaded: Loaded | null = null;
  /** Why the GPU device went away, once it has; every later request is refused with it. */
  private lostReason: string | null = null;

  /** ORT creates the WebGPU device; when it is lost, nothing on it can run again until a reload. */
  private async watchDevice(): Promise<void> {
    const device = await env.backends.onnx.webgpu?.device;
    void device?.lost.then((info) => {
      this.lostReason = info.message || info.reason || 'device lost';
      this.interrupt();
    });
  }

  async load(source: ModelSource, cb: LoadCallbacks): Promise<LoadedInfo> {
    configureRuntime(source.threads ?? 1);
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
    const {
      manifest,
      value: { model, attention },
    } = await loadChecked(
      source,
      (f) => {
        files = f;
        cb.progress('download', f);
      },
      async (served): Promise<{ model: PreTrainedModel; attention: Served['attention'] }> => {
        cb.progress('compile', files);
        return AutoModelForCausalLM.from_pretrained(source.repo, {
          revision: source.revision,
          dtype: served.dtype,
          device: source.device,
          ...(served.dataChunks > 0 ? { use_external_data_format: served.dataChunks } : {}),
        }).then((model) => ({ model, attention: served.attention }));
      },
      (loaded) => loaded.model.dispose(),
    );
    const tokenizer = await AutoTokenizer.from_pretrained(source.repo, { revision: source.revision });
    // One event-loop turn per decoding step, so Stop (a message) lands between tokens on every backend.
    const forward = model.forward.bind(model);
    model.forward = async (inputs: Record<string, unknown>) => {
      const outputs = await forward(inputs);
      await yieldToEvents();
      return outputs;
    };
    const generator = new Generator(tokenizer, model, await chunkLimits(model, source.device), await kvPlacement(source.device, attention));
    this.loaded = { model, generator };
    this.lostReason = null;
    if (source.device === 'webgpu') {
      await this.watchDevice();
      // The first run compiles WebGPU shaders (seconds); do it now rather than on the user's message.
      // WASM compiles nothing, and a pass there reads every weight (its MatMulNBits dequantizes them
      // per call): for the 1.5B that warm-up was 15 s of `npm run bench -- real-size`'s stored→ready.
      cb.progress('warmup', files);
      await generator.generate({ turns: [{ role: 'user', content: 'Hi' }], options: { temperature: 0, topP: 1, maxNewTokens: 1 } }, { started() {}, delta() {} });
      await generator.reset();
    }
    return { device: source.device, dtype: manifest.dtype, files, loadMs: performance.now() - started, adapter, threads: runtimeThreads(), kvCache: generator.kvCache };
  }

  /** `receivedAt`: when the request reached the worker, so time to first token includes any wait. */
  async generate(request: GenerateRequest, cb: GenerateCallbacks, receivedAt: number): Promise<GenerationResult> {
    return this.onDevice((generator) => generator.generate(request, cb, receivedAt));
  }

  /** Several sampled paths of one prompt, batched (consensus). */
  async generatePaths(request: PathsRequest, cb: PathsCallbacks, receivedAt: number): Promise<PathsStats> {
    return this.onDevice((generator) => generator.generatePaths(request, cb, receivedAt));
  }

  private async onDevice<T>(work: (generator: Generator) => Promise<T>): Promise<T> {
    const loaded = this.loaded;
    if (!loaded) throw new ExplainedError('not-loaded', 'No model is loaded yet. Load a model first.');
    if (this.lostReason) throw new ExplainedError('device-lost', DEVICE_LOST, this.lostReason);
    try {
      const result = await work(loaded.generator);
      if (this.lostReason) throw new ExplainedError('device-lost', DEVICE_LOST, this.lostReason);
      return result;
    } catch (error) {
      // A lost device surfaces as assorted ORT errors mid-run; the real cause is the one to report.
      if (this.lostReason) throw new ExplainedError('device-lost', DEVICE_LOST, this.lostReason);
      throw error;
    }
  }

  interrupt(): void {
    this.loaded?.generator.interrupt();
  }

  /** Drops the KV cache kept from the previous request (a new conversation). */
  async reset(): Promise<void> {
    await this.loaded?.generator.reset();
  }

  async unload(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    if (!loaded) return;
    await loaded.generator.reset();
    await loaded.model.dispose();
  }
}
