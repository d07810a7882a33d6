// The per-step KV cache in ORT's heap (heap-kv.ts) on the app's ORT-web WASM build (in Node,
// tools/fixture/ort-web-node.ts) and the scripted tiny-r1 fixture, whose graph concatenates past and
// new keys as onnx-community's exports do: the Generator answers with the script token for token,
// prefilled whole or in chunks, reuses the kept cache for the next turn and for Continue, and frees
// every heap buffer it made once reset.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply } from '../../tools/fixture/generator-reply.ts';
import { fixtureInfo, generateFixtures } from '../../tools/fixture/generate.ts';
import { ortWeb, ortWebSession } from '../../tools/fixture/ort-web-node.ts';
import { Generator } from '../generation.ts';
import type { ChunkLimits } from '../prefill-chunks.ts';
import type { ChatTurn, SamplingOptions } from '../protocol.ts';
import type { OrtTensorClass } from '../static-kv.ts';
import type { HeapRuntime } from './heap-kv.ts';
import type { OrtWasm } from './ort-wasm.ts';

const TINY = fixtureInfo('tiny-r1');
const QUESTION: ChatTurn[] = [{ role: 'user', content: 'What is 2 + 3? Please reason step by step, and put your final answer within \\boxed{}.' }];
const GREEDY: SamplingOptions = { temperature: 0, topP: 1, maxNewTokens: 200 };
const roomy: ChunkLimits = { maxBufferBytes: 2 ** 30, vocabSize: TINY.size.vocabSize, numHeads: TINY.size.numHeads };
/** Room for 12 positions of logits per pass: prompts go in many chunks. */
const cramped: ChunkLimits = { ...roomy, maxBufferBytes: 2 * 4 * TINY.size.vocabSize * 12 };

let root = '';
let tokenizer: PreTrainedTokenizer;
let reference: PreTrainedModel;
let session: ortWeb.InferenceSession;
/** The ORT-web session in what the Generator reads of a model: the session, config and generation config. */
let model: PreTrainedModel;
/** Heap bytes malloc'ed and not yet freed, by pointer. */
const live = new Set<number>();
let runtime: HeapRuntime;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ponder-heap-kv-'));
  await generateFixtures(root, { only: [TINY.repo] });
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = root;
  tokenizer = await AutoTokenizer.from_pretrained(TINY.id);
  reference = await AutoModelForCausalLM.from_pretrained(TINY.id, { dtype: 'fp32' });
  const started = await ortWebSession(join(root, TINY.id, 'onnx'));
  session = started.session;
  model = { sessions: { model: session }, config: reference.config, generation_config: reference.generation_config } as unknown as PreTrainedModel;
  // Counts the heap the cache takes: runInHeap's own buffers are freed within each run.
  const wasm: OrtWasm = Object.create(started.wasm, {
    _malloc: { value: (n: number) => { const p = started.wasm._malloc(n); live.add(p); return p; } },
    _free: { value: (p: number) => { live.delete(p); started.wasm._free(p); } },
  });
  runtime = { wasm, Tensor: ortWeb.Tensor as unknown as OrtTensorClass };
});

afterAll(async () => {
  await session?.release();
  await reference?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('per-step KV cache in ORT\'s heap', () => {
  it('answers with the script token for token, prefilled whole or in 12-token chunks, and frees its buffers on reset', async () => {
    for (const limits of [roomy, cramped]) {
      const gen = new Generator(tokenizer, model, limits, { heap: runtime });
      expect(gen.kvCache).toBe('per-step');
      const r = await reply(gen, QUESTION, GREEDY);
      expect(r.text).toBe(TINY.reply);
      expect(r.reason).toBe('eos');
      expect(live.size).toBeGreaterThan(0); // the kept caches, for Continue and the next turn
      await gen.reset();
      expect(live.size).toBe(0);
    }
  });

  it('the next turn reuses the prompt up to the last <｜Assistant｜> and answers as a recompute does', async () => {
    const gen = new Generator(tokenizer, model, roomy, { heap: runtime });
    const a = await reply(gen, QUESTION, GREEDY);
    const second: ChatTurn[] = [...QUESTION, { role: 'assistant', content: a.text }, { role: 'user', content: 'And 2 + 3 again?' }];
    const b = await reply(gen, second, GREEDY);
    expect(b.stats.reusedCacheTokens).toBeGreaterThan(0);
    const fresh = new Generator(tokenizer, reference, roomy);
    const c = await reply(fresh, second, GREEDY);
    expect(c.stats.reusedCacheTokens).toBe(0);
    expect(b.text).toBe(c.text);
    await gen.reset();
    await fresh.reset();
    expect(live.size).toBe(0);
  });

  it('Continue picks up a cut-off reply from the kept cache and ends as one uninterrupted reply', async () => {
    const gen = new Generator(tokenizer, model, roomy, { heap: runtime });
    const cut = await reply(gen, QUESTION, { ...GREEDY, maxNewTokens: 9 });
    expect(cut.reason).toBe('length');
    const rest = await reply(gen, QUESTION, GREEDY, cut.text);
    expect(rest.stats.reusedCacheTokens).toBeGreaterThan(0);
    expect(cut.text + rest.text).toBe(TINY.reply);
    await gen.reset();
    expect(live.size).toBe(0);
  });
});
