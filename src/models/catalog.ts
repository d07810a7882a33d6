import type { Dtype, SamplingOptions } from '../../workers/protocol';

export interface CatalogModel {
  id: string;
  name: string;
  repo: string;
  revision: string;
  /** Folder inside the repo holding an ONNX Runtime GenAI build; absent for a transformers.js export at the root. */
  folder?: string;
  /** Download size in bytes per dtype (from the hub's listings); ONNX Runtime holds about this much. */
  sizes: Partial<Record<Dtype, number>>;
  /** The transformer's shape, from its published config.json: what the memory estimate is made of. */
  architecture: Architecture;
  /**
   * How the graph's attention takes its KV cache: GroupQueryAttention (GenAI builds), which the worker
   * lets update one fixed buffer in place on WebGPU, or plain ops that concatenate past and new keys
   * into a new tensor every step (onnx-community's "MHA export").
   */
  attention: 'group-query' | 'concat';
  contextLength: number;
  license: string;
  /** DeepSeek's usage recommendations for the R1 distills: T 0.6, top-p 0.95, up to 32k tokens. */
  settings: Pick<SamplingOptions, 'temperature' | 'topP' | 'maxNewTokens'>;
  blurb: string;
  /** What is known about the export itself, in plain words: where it was checked, and what was not. */
  provenance: string;
}

/** The numbers of a model's config.json that decide its memory beside the weights. */
export interface Architecture {
  /** num_hidden_layers */
  layers: number;
  /** hidden_size */
  hidden: number;
  /** num_attention_heads (the head size is hidden / heads in these configs) */
  heads: number;
  /** num_key_value_heads: grouped-query attention keeps this many heads in the KV cache */
  kvHeads: number;
  /** vocab_size: the width of one row of logits */
  vocabSize: number;
}

const R1_SETTINGS = { temperature: 0.6, topP: 0.95, maxNewTokens: 32_768 };

export const DEFAULT_HOST = 'https://huggingface.co';

export const CATALOG: readonly CatalogModel[] = [
  {
    id: 'r1-qwen-1.5b',
    name: 'DeepSeek-R1-Distill-Qwen 1.5B',
    repo: 'onnx-community/DeepSeek-R1-Distill-Qwen-1.5B-ONNX',
    revision: 'main',
    // model_quantized.onnx (q8) is smaller than q4 (whose embedding stays fp32) and decodes ~4x faster on WASM.
    sizes: { q4f16: 1_370_000_000, q4: 1_970_000_000, q8: 1_850_000_000 },
    // DeepSeek-R1-Distill-Qwen-1.5B's config.json (Qwen2.5-Math-1.5B's shape).
    architecture: { layers: 28, hidden: 1536, heads: 12, kvHeads: 2, vocabSize: 151_936 },
    attention: 'concat',
    contextLength: 32_768,
    license: 'MIT',
    settings: R1_SETTINGS,
    blurb: 'Fast on most GPUs. Good at school and competition maths; weaker at general knowledge.',
    provenance: 'onnx-community’s transformers.js export (file list and sizes checked on the hub, 2026-12-01).',
  },
  {
    id: 'r1-qwen-7b',
    name: 'DeepSeek-R1-Distill-Qwen 7B',
    // No onnx-community 7B export exists (the hub answers 401 for that id). This is ONNX Runtime's own
    // GenAI build: int4 MatMulNBits, GroupQueryAttention, float16, model.onnx + one ~5 GB model.onnx.data.
    repo: 'onnxruntime/DeepSeek-R1-Distill-ONNX',
    folder: 'deepseek-r1-distill-qwen-7B/gpu/gpu-int4-rtn-block-32',
    revision: 'main',
    sizes: { q4f16: 5_100_000_000 },
    // DeepSeek-R1-Distill-Qwen-7B's config.json (Qwen2.5-Math-7B's shape). The embedding stays float16
    // in GenAI builds: 152,064 x 3,584 x 2 bytes, over 1 GiB.
    architecture: { layers: 28, hidden: 3584, heads: 28, kvHeads: 4, vocabSize: 152_064 },
    attention: 'group-query',
    contextLength: 32_768,
    license: 'MIT',
    settings: R1_SETTINGS,
    blurb: 'Much stronger reasoning (55% on AIME 2024). Needs a GPU with shader-f16 and about 6 GB free.',
    provenance:
      'ONNX Runtime’s GenAI build (the repo and folder are on the hub; the ~5.1 GB size is second-hand). Not yet run in a browser by us: ONNX Runtime Web documents a 4 GB model limit, which Ponder works around by handing the data over in 2 GB parts.',
  },
];

/**
 * Which weights to ask for, best first: 4-bit with f16 activations needs the shader-f16 feature. On
 * WASM 8-bit comes first: onnxruntime-web's WebAssembly build has no 4-bit kernels, so MatMulNBits
 * dequantizes its whole weight on every call. `npm run bench -- wasm-matmul` (a 1024 x 4096 layer,
 * one thread), per decoding step (M = 1): fp32 MatMul 0.5-1.0 ms, MatMulInteger (q8) 4.3-5.4 ms,
 * MatMulNBits (q4, accuracy level 0 or 4) 19-22 ms; `wasm-threads`: bench-r1 decodes at 13 tok/s in
 * fp32 and 0.8 tok/s in q4. fp32 itself does not fit WebAssembly's 4 GiB at 1.5B parameters.
 */
export function dtypePreference(device: 'webgpu' | 'wasm', shaderF16: boolean): Dtype[] {
  if (device === 'webgpu') return shaderF16 ? ['q4f16', 'q4', 'fp16', 'fp32'] : ['q4', 'fp32'];
  // q4f16 last: float16 runs through ORT's CPU casts there (fit.ts picks the first that fits).
  return ['q8', 'q4', 'q4f16', 'fp32'];
}

/**
 * Bytes per element of what a dtype's export computes in, and so of its KV cache and its token
 * embedding: q4f16 and fp16 exports run in float16 (the 1.5B's config says `kv_cache_dtype: float16`
 * for q4f16; the GenAI 7B build is float16 throughout); q4, q8 and fp32 exports run in float32.
 */
export function activationBytes(dtype: Dtype): 2 | 4 {
  return dtype === 'q4f16' || dtype === 'fp16' ? 2 : 4;
}

/**
 * Estimated largest single weight: the token embedding (vocab × hidden) at the export's activation
 * width (q4 exports keep it fp32). WebGPU must hold it in one buffer.
 */
export function largestTensor(model: Pick<CatalogModel, 'architecture'>, dtype: Dtype): number {
  return model.architecture.vocabSize * model.architecture.hidden * activationBytes(dtype);
}

/** The catalog entry a load target names (same repo, revision and folder), or undefined for a custom model. */
export function catalogModelFor(target: { repo: string; revision: string; folder?: string }): CatalogModel | undefined {
  return CATALOG.find((m) => m.repo === target.repo && m.revision === target.revision && (m.folder ?? '') === (target.folder ?? ''));
}
