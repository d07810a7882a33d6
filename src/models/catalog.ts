import type { Dtype, SamplingOptions } from '../../workers/protocol';

export interface CatalogModel {
  id: string;
  name: string;
  repo: string;
  revision: string;
  /** Download size in bytes per dtype (from the hub's onnx-community exports). */
  sizes: Partial<Record<Dtype, number>>;
  /** The graph per dtype; `externalData` means `.onnx_data` chunks beside it (the worker lists them). */
  files: Partial<Record<Dtype, { graph: string; externalData: boolean }>>;
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
    files: { q4f16: { graph: 'onnx/model_q4f16.onnx', externalData: false }, q4: { graph: 'onnx/model_q4.onnx', externalData: false } },
    largestTensor: { q4f16: 151_936 * 1536 * 2, q4: 151_936 * 1536 * 4 },
    contextLength: 32_768,
    license: 'MIT',
    settings: R1_SETTINGS,
    blurb: 'Fast on most GPUs. Good at school and competition maths; weaker at general knowledge.',
  },
  {
    id: 'r1-qwen-7b',
    name: 'DeepSeek-R1-Distill-Qwen 7B',
    repo: 'onnx-community/DeepSeek-R1-Distill-Qwen-7B-ONNX',
    revision: 'main',
    sizes: { q4f16: 5_100_000_000 },
    files: { q4f16: { graph: 'onnx/model_q4f16.onnx', externalData: true } },
    largestTensor: { q4f16: 152_064 * 3584 * 2 },
    contextLength: 32_768,
    license: 'MIT',
    settings: R1_SETTINGS,
    blurb: 'Much stronger reasoning (55% on AIME 2024). Needs a GPU with shader-f16 and about 6 GB free.',
  },
];

/** Which weights to ask for, best first: 4-bit with f16 activations needs the shader-f16 feature. */
export function dtypePreference(device: 'webgpu' | 'wasm', shaderF16: boolean): Dtype[] {
  if (device === 'webgpu') return shaderF16 ? ['q4f16', 'q4', 'fp16', 'fp32'] : ['q4', 'fp32'];
  return ['q4', 'q8', 'fp32'];
}
