import { describe, expect, it } from 'vitest';
import { ExplainedError } from '../errors';
import { availableDtypes, keyFromUrl, planFiles, resolveUrl } from './manifest';

const source = { host: 'https://hub.example/', repo: 'org/model', revision: 'main', device: 'webgpu' as const, dtypes: ['q4f16' as const, 'q4' as const] };
const base = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'README.md'];
const listing = (...extra: string[]) => [...base, ...extra].map((rfilename, i) => ({ rfilename, size: 100 + i }));

describe('planFiles', () => {
  it('takes the first preferred dtype the repo ships, with sizes and hub URLs', () => {
    const plan = planFiles(source, listing('onnx/model_q4.onnx', 'onnx/model.onnx'));
    expect(plan.dtype).toBe('q4');
    expect(plan.files.map((f) => f.path)).toEqual([
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'generation_config.json',
      'onnx/model_q4.onnx',
    ]);
    expect(plan.files[4]?.url).toBe('https://hub.example/org/model/resolve/main/onnx/model_q4.onnx');
    expect(plan.files[4]?.size).toBe(105);
    expect(plan.externalDataChunks).toBe(0);
  });

  it('includes every external data chunk, in order', () => {
    const plan = planFiles(source, listing('onnx/model_q4f16.onnx', 'onnx/model_q4f16.onnx_data_1', 'onnx/model_q4f16.onnx_data', 'onnx/model_q4f16.onnx_data_2'));
    expect(plan.externalDataChunks).toBe(3);
    expect(plan.files.slice(-3).map((f) => f.path)).toEqual([
      'onnx/model_q4f16.onnx_data',
      'onnx/model_q4f16.onnx_data_1',
      'onnx/model_q4f16.onnx_data_2',
    ]);
  });

  it('explains a repo without usable weights', () => {
    expect(() => planFiles(source, listing('onnx/model_fp16.onnx'))).toThrow(/wants q4f16 or q4, the repo has fp16/);
    expect(() => planFiles(source, listing())).toThrow(/has no ONNX export/);
    try {
      planFiles(source, listing().filter((s) => s.rfilename !== 'tokenizer.json'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ExplainedError);
      expect((e as ExplainedError).message).toContain('lacks tokenizer.json');
    }
  });

  it('refuses repos whose config is not a causal LM, and accepts those that are or say nothing', () => {
    const files = listing('onnx/model_q4.onnx');
    expect(() => planFiles(source, files, { architectures: ['BertForMaskedLM'], model_type: 'bert' })).toThrow(
      /is a bert model \(BertForMaskedLM\), not a text-generation/,
    );
    expect(planFiles(source, files, { architectures: ['Qwen2ForCausalLM'], model_type: 'qwen2' }).dtype).toBe('q4');
    expect(planFiles(source, files, {}).dtype).toBe('q4');
  });

  it('carries the LFS sha256 from the listing into the plan', () => {
    const sha = 'ab'.repeat(32);
    const plan = planFiles(source, [...listing(), { rfilename: 'onnx/model_q4.onnx', size: 7, lfs: { sha256: sha, size: 7 } }]);
    expect(plan.files.at(-1)).toMatchObject({ path: 'onnx/model_q4.onnx', size: 7, sha256: sha });
    expect(plan.files[0]?.sha256).toBeNull();
  });

  it('maps hub URLs to host-independent store keys', () => {
    const url = resolveUrl('http://127.0.0.1:9/', 'org/model', 'main', 'onnx/model.onnx');
    expect(url).toBe('http://127.0.0.1:9/org/model/resolve/main/onnx/model.onnx');
    expect(keyFromUrl(url)).toBe('org/model@main/onnx/model.onnx');
    expect(keyFromUrl('https://mirror.example/hf/org/model/resolve/main/onnx/model.onnx')).toBe('org/model@main/onnx/model.onnx');
    expect(keyFromUrl('http://127.0.0.1:9/assets/app.js')).toBeNull();
  });

  it('lists available dtypes in transformers.js naming', () => {
    expect(availableDtypes(new Set(['onnx/model.onnx', 'onnx/model_quantized.onnx', 'onnx/model_q4f16.onnx']))).toEqual(['fp32', 'q8', 'q4f16']);
  });
});

describe('planFiles for ONNX Runtime GenAI folders', () => {
  const folder = 'deepseek-r1-distill-qwen-7B/gpu/gpu-int4-rtn-block-32';
  const genai = (dir: string, ...names: string[]) => names.map((n, i) => ({ rfilename: dir ? `${dir}/${n}` : n, size: 10 + i }));
  const folderFiles = ['genai_config.json', 'model.onnx', 'model.onnx.data', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json'];
  const repo = [
    { rfilename: 'README.md', size: 1 },
    { rfilename: 'config.json', size: 0 },
    ...genai(folder, ...folderFiles),
    ...genai('deepseek-r1-distill-qwen-1.5B/cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4', ...folderFiles),
  ];
  const at = (f: string) => `${folder}/${f}`;

  it('takes the folder: config and tokenizer first, then the graph, then its data', () => {
    const plan = planFiles({ ...source, folder: `/${folder}/` }, repo);
    expect(plan.layout).toBe('genai');
    expect(plan.folder).toBe(folder);
    expect(plan.files.map((f) => f.path)).toEqual([
      at('genai_config.json'),
      at('tokenizer.json'),
      at('tokenizer_config.json'),
      at('special_tokens_map.json'),
      at('model.onnx'),
      at('model.onnx.data'),
    ]);
    expect(plan.files.at(-1)?.url).toBe(`https://hub.example/org/model/resolve/main/${folder}/model.onnx.data`);
  });

  it('reads a GenAI build at the repo root too, with its chat_template.jinja', () => {
    const plan = planFiles(source, genai('', ...folderFiles, 'chat_template.jinja', 'LICENSE'));
    expect(plan.layout).toBe('genai');
    expect(plan.files.map((f) => f.path)).toContain('chat_template.jinja');
    expect(plan.files.map((f) => f.path)).not.toContain('LICENSE');
  });

  it('points to the folders when the repo root is neither layout', () => {
    expect(() => planFiles(source, repo)).toThrow(
      /holds ONNX Runtime GenAI models in folders.*deepseek-r1-distill-qwen-7B\/gpu\/gpu-int4-rtn-block-32, deepseek-r1-distill-qwen-1\.5B/,
    );
    expect(() => planFiles({ ...source, folder: 'nope' }, repo)).toThrow(/no ONNX Runtime GenAI model \(genai_config.json\) in the folder nope\. It has one in:/);
  });

  it('names what a GenAI folder lacks', () => {
    expect(() => planFiles({ ...source, folder }, repo.filter((f) => f.rfilename !== at('tokenizer.json')))).toThrow(/lacks tokenizer\.json/);
    expect(() => planFiles({ ...source, folder }, repo.filter((f) => f.rfilename !== at('model.onnx')))).toThrow(/no \.onnx model file/);
  });
});
