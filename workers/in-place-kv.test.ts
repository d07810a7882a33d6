// The in-place KV cache (static-kv.ts) on the real GroupQueryAttention fixture (tiny-r1-genai, ONNX
// Runtime GenAI layout), in two runtimes: onnxruntime-node over typed arrays, and onnxruntime-web's
// WASM build (the app's, loaded through wasm-heap/capture.mjs as the app loads it) over buffers in its
// heap, run through its C API (wasm-heap/heap-run.ts). The Generator's replies match the growing
// cache's token for token, across chunked prefill, capacity growth, Continue and the next turn's
// reuse. The PreTrainedModel around the session is reduced to what the in-place path reads (the
// session, the config the app derives from genai_config.json); sessions and kernels are the real ones.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, env, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply } from '../tools/fixture/generator-reply.ts';
import { GENAI_FIXTURE, generateFixtures, TOKENIZER } from '../tools/fixture/fixtures.ts';
import { greedyDecode, type GenaiConfig } from '../tools/fixture/genai-decode.ts';
import { GENAI_MODEL_DIR } from '../tools/fixture/genai-files.ts';
import { ortWeb, ortWebSession } from '../tools/fixture/ort-web-node.ts';
import { promptIds } from '../tools/fixture/genai-prompts.ts';
import { Generator } from './generation.ts';
import type { ChunkLimits } from './prefill-chunks.ts';
import type { ChatTurn, SamplingOptions } from './protocol.ts';
import { capacityFor, cpuKvStorage, StaticKv, type KvStorage, type OrtSession, type OrtTensor, type OrtTensorClass } from './static-kv.ts';
import { heapKvStorage } from './wasm-heap/heap-kv-storage.ts';
import { generationConfig, parseGenaiConfig, transformersConfig } from './weights/genai-config.ts';

const INFO = GENAI_FIXTURE;
const QUESTION = 'What is 2 + 3? Please reason step by step, and put your final answer within \\boxed{}.';
const GREEDY: SamplingOptions = { temperature: 0, topP: 1, maxNewTokens: 200 };

let root = '';
let modelDir = '';
let genai: GenaiConfig;
let tokenizer: PreTrainedTokenizer;
/** The reference decode's session (onnxruntime-node, growing cache). */
let session: ort.InferenceSession;
let webSession: ortWeb.InferenceSession | undefined;
let web: Promise<{ session: OrtSession; storage: KvStorage }> | undefined;
let parsed: ReturnType<typeof parseGenaiConfig>;

const roomy: ChunkLimits = { maxBufferBytes: 2 ** 30, vocabSize: INFO.size.vocabSize, numHeads: INFO.size.numHeads };
/** Room for 12 positions of logits per pass: prompts go in many chunks. */
const cramped: ChunkLimits = { ...roomy, maxBufferBytes: 2 * 4 * INFO.size.vocabSize * 12 };

/** The app's ORT-web WASM build in Node, its KV buffers in ORT's heap. */
async function webRuntime(): Promise<{ session: OrtSession; storage: KvStorage }> {
  const started = await ortWebSession(modelDir);
  webSession = started.session;
  return { session: webSession as unknown as OrtSession, storage: heapKvStorage(started.wasm, ortWeb.Tensor as unknown as OrtTensorClass) };
}

interface Runtime {
  name: string;
  start(): Promise<{ session: OrtSession; storage: KvStorage }>;
}

const RUNTIMES: Runtime[] = [
  // onnxruntime-node's own class: ORT binds pre-allocated outputs only when they are instances of it.
  { name: 'onnxruntime-node', start: async () => ({ session: session as unknown as OrtSession, storage: cpuKvStorage(ort.Tensor as unknown as OrtTensorClass) }) },
  { name: "onnxruntime-web WASM, in ORT's heap", start: () => (web ??= webRuntime()) },
];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ponder-inplace-'));
  await generateFixtures(root, { only: [INFO.repo] });
  modelDir = join(root, INFO.id, GENAI_MODEL_DIR);
  const json: unknown = JSON.parse(await readFile(join(modelDir, 'genai_config.json'), 'utf8'));
  genai = json as GenaiConfig;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  tokenizer = await AutoTokenizer.from_pretrained(modelDir);
  session = await ort.InferenceSession.create(join(modelDir, 'model.onnx'));
  parsed = parseGenaiConfig(json, 'genai_config.json');
});

afterAll(async () => {
  await session?.release();
  await webSession?.release();
  if (root) await rm(root, { recursive: true, force: true });
});

/** What the growing cache (the GenAI loop of the fixture tests, no shared buffer) decodes for these turns. */
async function growingReply(turns: ChatTurn[]): Promise<string> {
  const { tokens } = await greedyDecode(ort.Tensor, session, promptIds(tokenizer, turns), { decoder: genai.model.decoder, kvType: 'float32', eosId: TOKENIZER.ids.eos, maxNewTokens: 200 });
  return tokenizer.decode(tokens, { skip_special_tokens: true });
}

describe.each(RUNTIMES)('in-place KV cache on GroupQueryAttention, $name', (runtime) => {
  let model: PreTrainedModel;
  let storage: KvStorage;

  beforeAll(async () => {
    const started = await runtime.start();
    storage = started.storage;
    model = { sessions: { model: started.session }, config: transformersConfig(parsed, 1), generation_config: generationConfig(parsed) } as unknown as PreTrainedModel;
  });

  it('a reply matches the growing cache token for token, prefilled whole or in 12-token chunks', async () => {
    const turns: ChatTurn[] = [{ role: 'user', content: QUESTION }];
    const expected = await growingReply(turns);
    expect(expected).toBe(INFO.reply);
    for (const limits of [roomy, cramped]) {
      const gen = new Generator(tokenizer, model, limits, { inPlace: storage });
      expect(gen.kvCache).toBe('in-place');
      const r = await reply(gen, turns, GREEDY);
      expect(r.text).toBe(expected);
      expect(r.reason).toBe('eos');
      await gen.reset();
    }
  });

  it('grows past its first 1,024 positions without losing what it held', async () => {
    const long = Array.from({ length: 60 }, () => QUESTION).join(' ');
    const turns: ChatTurn[] = [{ role: 'user', content: long }];
    const gen = new Generator(tokenizer, model, cramped, { inPlace: storage });
    const r = await reply(gen, turns, GREEDY);
    expect(r.stats.promptTokens).toBeGreaterThan(1024);
    expect(r.text).toBe(await growingReply(turns));
    await gen.reset();
  });

  it('the next turn reuses the prompt up to the last <｜Assistant｜> and answers as a recompute does', async () => {
    const first: ChatTurn[] = [{ role: 'user', content: QUESTION }];
    const gen = new Generator(tokenizer, model, roomy, { inPlace: storage });
    const a = await reply(gen, first, GREEDY);
    const second: ChatTurn[] = [...first, { role: 'assistant', content: a.text }, { role: 'user', content: `${QUESTION} Again.` }];
    const b = await reply(gen, second, GREEDY);
    expect(b.stats.reusedCacheTokens).toBeGreaterThan(0);
    const fresh = new Generator(tokenizer, model, roomy, { inPlace: storage });
    const c = await reply(fresh, second, GREEDY);
    expect(c.stats.reusedCacheTokens).toBe(0);
    expect(b.text).toBe(c.text);
    await gen.reset();
    await fresh.reset();
  });

  it('Continue picks up a cut-off reply from the kept cache and ends as one uninterrupted reply', async () => {
    const turns: ChatTurn[] = [{ role: 'user', content: QUESTION }];
    const gen = new Generator(tokenizer, model, roomy, { inPlace: storage });
    const cut = await reply(gen, turns, { ...GREEDY, maxNewTokens: 9 });
    expect(cut.reason).toBe('length');
    const rest = await reply(gen, turns, GREEDY, cut.text);
    expect(rest.stats.reusedCacheTokens).toBeGreaterThan(0);
    expect(cut.text + rest.text).toBe(INFO.reply);
    await gen.reset();
  });
});

describe('StaticKv capacity', () => {
  it('capacity doubles from 1,024 and stops at the model context', () => {
    expect([1, 1024, 1025, 5000].map((n) => capacityFor(n, 32_768))).toEqual([1024, 1024, 2048, 8192]);
    expect(capacityFor(20_000, 20_480)).toBe(20_480);
    expect(() => capacityFor(40_000, 32_768)).toThrow(/at most 32768/);
  });
});

describe.each(RUNTIMES)('StaticKv buffers, $name', (runtime) => {
  it('keeps every head\'s valid positions when it grows, and binds one tensor as past and present', async () => {
    const layout = { names: ['past_key_values.0.key'], type: 'float32' as const, heads: 2, headDim: 4 };
    const { storage } = await runtime.start();
    const kv = new StaticKv(layout, storage, 32_768);
    kv.reserve(10);
    const before = kv.bindings();
    const data = before.feeds['past_key_values.0.key']?.data as Float32Array;
    for (let h = 0; h < 2; h++) for (let p = 0; p < 3; p++) data.fill(h * 10 + p + 1, (h * 1024 + p) * 4, (h * 1024 + p + 1) * 4);
    kv.length = 3;
    kv.reserve(1500);
    const after = kv.bindings();
    expect(after.feeds['past_key_values.0.key']).toBe(after.fetches['present.0.key']);
    const grown = after.feeds['past_key_values.0.key'];
    expect(grown?.dims).toEqual([1, 2, 2048, 4]);
    const g = grown?.data as Float32Array;
    for (let h = 0; h < 2; h++) {
      for (let p = 0; p < 3; p++) expect(Array.from(g.subarray((h * 2048 + p) * 4, (h * 2048 + p + 1) * 4))).toEqual([1, 1, 1, 1].map(() => h * 10 + p + 1));
      expect(g[(h * 2048 + 3) * 4]).toBe(0);
    }
    kv.release();
    expect(kv.length).toBe(0);
  });

  it('runs out of memory while it grows with every buffer still valid, and finishes growing on the next call', async () => {
    const { storage: real } = await runtime.start();
    let room = Infinity;
    const released: OrtTensor[] = [];
    const storage: KvStorage = {
      ...real,
      allocate(type, dims) {
        if (room-- <= 0) throw new Error('out of memory');
        return real.allocate(type, dims);
      },
      release(tensor) {
        released.push(tensor);
        real.release(tensor);
      },
    };
    const names = ['past_key_values.0.key', 'past_key_values.0.value', 'past_key_values.1.key'];
    const kv = new StaticKv({ names, type: 'float32', heads: 1, headDim: 2 }, storage, 32_768);
    kv.reserve(10);
    const before = kv.bindings().feeds;
    for (const [i, t] of Object.values(before).entries()) (t.data as Float32Array).fill(i + 1, 0, 6);
    kv.length = 3;
    const valid = (i: number) => Array.from((kv.bindings().feeds[names[i] as string]?.data as Float32Array).subarray(0, 6));
    room = 2; // two of the three larger buffers can be had
    expect(() => kv.reserve(2000)).toThrow(/out of memory/);
    // The two that moved released their old buffers; the third is as it was.
    expect(released).toEqual([before[names[0] as string], before[names[1] as string]]);
    expect(kv.bindings().feeds[names[2] as string]).toBe(before[names[2] as string]);
    expect(names.map((n) => kv.bindings().feeds[n]?.dims[2])).toEqual([2048, 2048, 1024]);
    for (const i of [0, 1, 2]) expect(valid(i)).toEqual(new Array(6).fill(i + 1));
    const { feeds, fetches } = kv.bindings();
    for (const n of names) expect(fetches[n.replace('past_key_values', 'present')]).toBe(feeds[n]);
    room = Infinity;
    kv.reserve(2000);
    expect(names.map((n) => kv.bindings().feeds[n]?.dims[2])).toEqual([2048, 2048, 2048]);
    for (const i of [0, 1, 2]) expect(valid(i)).toEqual(new Array(6).fill(i + 1));
    kv.release();
  });
});
