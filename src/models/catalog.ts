import type { Dtype } from '../../workers/protocol';

export interface CatalogModel {
  id: string;
  name: string;
  repo: string;
  revision: string;
  /** Download size in bytes per dtype (from the hub's onnx-community exports). */
  sizes: Partial<Record<Dtype, number>>;
  contextLength: number;
  license: string;
  blurb: string;
}

export const DEFAULT_HOST = 'https://huggingface.co';

export const CATALOG: readonly CatalogModel[] = [
  {
    id: 'r1-qwen-1.5b',
    name: 'DeepSeek-R1-Distill-Qwen 1.5B',
    repo: 'onnx-community/DeepSeek-R1-Distill-Qwen-1.5B-ONNX',
    revision: 'main',
    sizes: { q4f16: 1_370_000_000, q4: 1_970_000_000 },
    contextLength: 32_768,
    license: 'MIT',
    blurb: 'Fast on most GPUs. Good at school and competition maths; weaker at general knowledge.',
  },
  {
    id: 'r1-qwen-7b',
    name: 'DeepSeek-R1-Distill-Qwen 7B',
    repo: 'onnx-community/DeepSeek-R1-Distill-Qwen-7B-ONNX',
    revision: 'main',
    sizes: { q4f16: 5_100_000_000 },
    contextLength: 32_768,
    license: 'MIT',
    blurb: 'Much stronger reasoning (55% on AIME 2024). Needs a GPU with shader-f16 and about 6 GB free.',
  },
];

/** Which weights to ask for, best first: 4-bit with f16 activations needs the shader-f16 feature. */
export function dtypePreference(device: 'webgpu' | 'wasm', shaderF16: boolean): Dtype[] {
  if (device === 'webgpu') return shaderF16 ? ['q4f16', 'q4', 'fp16', 'fp32'] : ['q4', 'fp32'];
  return ['q4', 'q8', 'fp32'];
}
