// kv-decode's GQA model (kv-decode-model.ts, the bench's geometry) on onnxruntime-node CPU: from a
// cache of L tokens made directly (kv-decode-cache.ts, as the bench makes it), the app's in-place
// path (feed with a StaticKv: what the bench times on WebGPU) decodes the same logits, step by step,
// as its per-step path (feed with a DynamicCache through transformers.js: what it times on WASM).
// The graph is the one the bench writes, encoded with its weights inline and given the config.json
// the app makes from genai_config.json, so transformers.js loads it from a local folder.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModelForCausalLM, env, type PreTrainedModel } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGenaiGraph, GENAI_CONTEXT_LENGTH, genaiConfigJson } from '../fixture/genai-files.ts';
import { buildGenaiGraph } from '../fixture/genai-graph.ts';
import { jsonBytes } from '../fixture/hub-files.ts';
import { TOKENIZER } from '../fixture/generate.ts';
import type { ChunkLimits } from '../../workers/prefill-chunks.ts';
import { cpuKvStorage, type OrtTensorClass } from '../../workers/static-kv.ts';
import { parseGenaiConfig, transformersConfig } from '../../workers/weights/genai-config.ts';
import { decodeStep, growingCache, inPlaceCache, releaseCache, type KvCache } from './kv-decode-cache.ts';
import { gqaGraphOptions, gqaInfo, KV_SIZE } from './kv-decode-model.ts';

const INFO = gqaInfo(KV_SIZE);
const LENGTH = 300;
const STEPS = 4;
const limits: ChunkLimits = { maxBufferBytes: 2 ** 30, vocabSize: INFO.size.vocabSize, numHeads: INFO.size.numHeads };

let root = '';
let model: PreTrainedModel;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ponder-kv-decode-'));
  const dir = join(root, INFO.id);
  await mkdir(join(dir, 'onnx'), { recursive: true });
  const genai = genaiConfigJson(INFO.size, TOKENIZER.ids, { contextLength: GENAI_CONTEXT_LENGTH, provider: 'cpu' });
  await writeFile(join(dir, 'config.json'), jsonBytes(transformersConfig(parseGenaiConfig(genai, 'genai_config.json'), 0)));
  await writeFile(join(dir, 'onnx', 'model.onnx'), encodeGenaiGraph(buildGenaiGraph(gqaGraphOptions(INFO))));
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = root;
  model = await AutoModelForCausalLM.from_pretrained(INFO.id, { dtype: 'fp32' });
}, 120_000);

afterAll(async () => {
  await model?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

async function decode(cache: KvCache): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  let token = 1;
  try {
    for (let i = 0; i < STEPS; i++) {
      const { logits, next } = await decodeStep(model, cache, token, limits);
      out.push(logits.slice());
      token = next;
    }
  } finally {
    await releaseCache(cache);
  }
  return out;
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] ?? NaN))), 0);

describe('kv-decode GQA model', () => {
  it(`decodes the same logits in place as per step, ${STEPS} steps from a cache of ${LENGTH} tokens made directly`, async () => {
    expect(INFO.size).toMatchObject({ numLayers: 28, numKvHeads: 2, headDim: 128 });
    const growing = await decode(growingCache(model, LENGTH));
    // onnxruntime-node's own Tensor class: ORT binds pre-allocated outputs only when they are instances of it.
    const storage = cpuKvStorage(ort.Tensor as unknown as OrtTensorClass);
    const write = (tensor: { data: unknown }, byteOffset: number, data: Float32Array) => (tensor.data as Float32Array).set(data, byteOffset / 4);
    const inPlace = await decode(inPlaceCache(model, storage, LENGTH, LENGTH + STEPS, write));
    expect(inPlace).toHaveLength(STEPS);
    for (let i = 0; i < STEPS; i++) {
      expect(maxDiff(inPlace[i] as Float32Array, growing[i] as Float32Array), `step ${i + 1}`).toBeLessThan(1e-3);
    }
  });
});
