import type { Dtype, SamplingOptions } from '../../workers/protocol';

export interface CatalogModel {
  id: string;
  name: string;
  repo: string;
  revision: string;
  /** Folder inside the repo holding an ONNX Runtime GenAI build; absent for a transformers.js export at the root. */
  folder?: string;
  /** Download size in bytes per dtype (from the hub's listings). */
  sizes: Partial<Record<Dtype, number>>;
  /**
   * Estimated largest single weight per dtype: the token embedding (vocab × hidden) at 2 bytes (f16)
   * or 4 bytes (q4 exports keep it fp32). WebGPU must hold it in one buffer.
   */
  largestTensor: Partial<Record<Dtype, number>>;
  contextLength: number;
  license: string;
  /** DeepSeek's usage recommendations for the R1 distills: T 0.6, top-p 0.95, up to 32k tokens. */
  settings: Pick<SamplingOptions, 'temperature' | 'topP' | 'maxNewTokens'>;
  blurb: string;
  /** What is known about the export itself, in plain words: where it was checked, and what was not. */
  provenance: string;
}

const R1_SETTINGS = { temperature: 0.6, topP: 0.95, maxNewTokens: 32_768 };

export const DEFAULT_HOST = 'https://huggingface.co';

export const CATALOG: readonly CatalogModel[] = [
  {
    id: 'r1-qwen-1.5b',
    name: 'DeepSeek-R1-Distill-Qwen 1.5B',
    repo: 'onnx-community/DeepSeek-R1-Distill-Qwen-1.5B-ONNX',
    revision: 'main',
    sizes: { q4f16: 1_370_000_000, q4: 1_970_000_000 },
    largestTensor: { q4f16: 151_936 * 1536 * 2, q4: 151_936 * 1536 * 4 },
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
    // The embedding stays float16 in GenAI builds: 152,064 x 3,584 x 2 bytes, over 1 GiB.
    largestTensor: { q4f16: 152_064 * 3584 * 2 },
    contextLength: 32_768,
    license: 'MIT',
    settings: R1_SETTINGS,
    blurb: 'Much stronger reasoning (55% on AIME 2024). Needs a GPU with shader-f16 and about 6 GB free.',
    provenance:
      'ONNX Runtime’s GenAI build (the repo and folder are on the hub; the ~5.1 GB size is second-hand). Not yet run in a browser by us: ONNX Runtime Web documents a 4 GB model limit, which Ponder works around by handing the data over in 2 GB parts.',
  },
];

/** Which weights to ask for, best first: 4-bit with f16 activations needs the shader-f16 feature. */
export function dtypePreference(device: 'webgpu' | 'wasm', shaderF16: boolean): Dtype[] {
  if (device === 'webgpu') return shaderF16 ? ['q4f16', 'q4', 'fp16', 'fp32'] : ['q4', 'fp32'];
  return ['q4', 'q8', 'fp32'];
}
