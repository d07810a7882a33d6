// The real generation code (transformers.js, Node build, onnxruntime-node on the CPU) on the
// scripted fixture models: seeds, thinking budget, continuation and KV-cache reuse end to end.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, DynamicCache, env, type PreTrainedModel } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureInfo, generateFixtures, replyText, type FixtureInfo } from '../tools/fixture/generate.ts';
import { feed } from './forward.ts';
import { Generator, type GenerateRequest } from './generation.ts';
import { planChunks, type ChunkLimits } from './prefill-chunks.ts';
import type { ChatTurn, SamplingOptions } from './protocol.ts';

const TINY = fixtureInfo('tiny-r1');
const ENDLESS = fixtureInfo('tiny-r1-endless');
const VOCAB = fixtureInfo('tiny-r1-vocab');
const THINK_END = '</think>';

/** The text of generated token `i` (0-based): the fixture's script depends only on the position. */
const piece = (info: FixtureInfo, i: number) => replyText(info, i + 1).slice(replyText(info, i).length);
const pieces = (info: FixtureInfo, from: number, to: number) => Array.from({ length: to - from }, (_, k) => piece(info, from + k)).join('');

const QUESTION: ChatTurn[] = [{ role: 'user', content: 'What is 2 + 3? Please reason step by step, and put your final answer within \\boxed{}.' }];
const GREEDY: SamplingOptions = { temperature: 0, topP: 1, maxNewTokens: 100 };
const SAMPLED: SamplingOptions = { temperature: 0.6, topP: 0.95, maxNewTokens: 100 };

let root = '';
const models: PreTrainedModel[] = [];

/** A GPU's 1 GiB buffer limit: a short prompt goes in one chunk. */
const roomy = (info: FixtureInfo): ChunkLimits => ({ maxBufferBytes: 2 ** 30, vocabSize: info.size.vocabSize, numHeads: info.size.numHeads });
/** So small that the tiny fixture's logits allow 12 tokens per forward pass. */
const cramped = (info: FixtureInfo): ChunkLimits => ({ ...roomy(info), maxBufferBytes: 2 * 4 * info.size.vocabSize * 12 });

async function loadModel(info: FixtureInfo): Promise<PreTrainedModel> {
  const model = await AutoModelForCausalLM.from_pretrained(info.id, { dtype: 'fp32' });
  models.push(model);
  return model;
}

async function generatorFor(info: FixtureInfo, limits = roomy(info)): Promise<Generator> {
  const tokenizer = await AutoTokenizer.from_pretrained(info.id);
  return new Generator(tokenizer, await loadModel(info), limits);
}

/** Token counts of every forward pass the model makes while `run` runs. */
async function forwardSizes(model: PreTrainedModel, run: () => Promise<unknown>): Promise<number[]> {
  const sizes: number[] = [];
  const forward = model.forward.bind(model);
  model.forward = async (inputs: Record<string, { dims: number[] }>) => {
    sizes.push(inputs.input_ids?.dims[1] ?? 0);
    return forward(inputs);
  };
  try {
    await run();
  } finally {
    model.forward = forward;
  }
  return sizes;
}

/** Runs a request and gathers what the worker would post. */
async function collect(gen: Generator, request: GenerateRequest, onDelta?: (generated: number) => void) {
  let promptTokens = -1;
  let text = '';
  const result = await gen.generate(request, {
    started: (n) => (promptTokens = n),
    delta: (t, generated) => {
      text += t;
      onDelta?.(generated);
    },
  });
  return { ...result, text, promptTokens };
}

let tiny: Generator;
let endless: Generator;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ponder-generation-'));
  await generateFixtures(root, { only: ['tiny-r1', 'tiny-r1-endless', 'tiny-r1-vocab'] });
  env.localModelPath = root;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  tiny = await generatorFor(TINY);
  endless = await generatorFor(ENDLESS);
});

afterAll(async () => {
  for (const model of models) await model.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('Generator', () => {
  it('streams the fixture reply and reports fresh stats', async () => {
    await tiny.reset();
    const r = await collect(tiny, { turns: QUESTION, options: GREEDY });
    expect(r.text).toBe(TINY.reply);
    expect(r.reason).toBe('eos');
    expect(r.stats.generatedTokens).toBe(TINY.replyTokens + 1);
    expect(r.stats.promptTokens).toBe(r.promptTokens);
    expect(r.stats.reusedCacheTokens).toBe(0);
    expect(r.stats.thinkingBudgetHit).toBe(false);
    expect(r.stats.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(r.stats.timeToFirstTokenMs).toBeLessThanOrEqual(r.stats.totalMs);
  });

  it('repeats a seeded sampled reply exactly', async () => {
    const run = async (seed: number) => {
      await endless.reset();
      return (await collect(endless, { turns: QUESTION, options: { ...SAMPLED, maxNewTokens: 40, seed } })).text;
    };
    const a = await run(7);
    expect(await run(7)).toBe(a);
    // The fixture is scripted (peaked far beyond T=0.6), so every seed tells the same story.
    expect(a).toBe(replyText(ENDLESS, 40));
  });

  describe('thinking budget', () => {
    it('closes the thinking after exactly N thinking tokens, then lets the model go on', async () => {
      await endless.reset();
      const r = await collect(endless, { turns: QUESTION, options: { ...GREEDY, maxNewTokens: 12, thinkingBudget: 5 } });
      // Token 5 is the forced </think>; the script, keyed on position, resumes with token 6.
      expect(r.text).toBe(`${replyText(ENDLESS, 5)}${THINK_END}${pieces(ENDLESS, 6, 12)}`);
      expect(r.stats.thinkingBudgetHit).toBe(true);
      expect(r.stats.generatedTokens).toBe(12);
    });

    it('is not hit when the model ends its thinking in time', async () => {
      await tiny.reset();
      const r = await collect(tiny, { turns: QUESTION, options: { ...GREEDY, thinkingBudget: TINY.replyTokens } });
      expect(r.text).toBe(TINY.reply);
      expect(r.stats.thinkingBudgetHit).toBe(false);
    });

    it('counts the thinking already in a continued reply', async () => {
      await endless.reset();
      const first = await collect(endless, { turns: QUESTION, options: { ...GREEDY, maxNewTokens: 4 } });
      const r = await collect(endless, { turns: QUESTION, options: { ...GREEDY, maxNewTokens: 5, thinkingBudget: 6 }, continuation: first.text });
      expect(r.text).toBe(`${pieces(ENDLESS, 4, 6)}${THINK_END}${pieces(ENDLESS, 7, 9)}`);
      expect(r.stats.thinkingBudgetHit).toBe(true);
    });
  });

  describe('continue and KV-cache reuse', () => {
    it('continues a cut-off reply with exactly the rest, reusing the cache', async () => {
      await tiny.reset();
      const first = await collect(tiny, { turns: QUESTION, options: { ...GREEDY, maxNewTokens: 20 } });
      expect(first.reason).toBe('length');
      expect(first.text).toBe(replyText(TINY, 20));
      const r = await collect(tiny, { turns: QUESTION, options: GREEDY, continuation: first.text });
      expect(r.text).toBe(TINY.reply.slice(first.text.length));
      expect(r.reason).toBe('eos');
      expect(r.promptTokens).toBe(first.promptTokens + 20);
      // The first request's cache covers its prompt and every generated token but the last.
      expect(r.stats.reusedCacheTokens).toBe(first.promptTokens + 20 - 1);
    });

    it('gives the same continuation when it recomputes everything', async () => {
      await tiny.reset();
      const continuation = replyText(TINY, 20);
      const r = await collect(tiny, { turns: QUESTION, options: GREEDY, continuation });
      expect(r.stats.reusedCacheTokens).toBe(0);
      expect(r.text).toBe(TINY.reply.slice(continuation.length));
    });

    it('continues after Stop, and again after that', async () => {
      await endless.reset();
      const stopAt = (n: number) => (generated: number) => {
        if (generated === n) endless.interrupt();
      };
      const first = await collect(endless, { turns: QUESTION, options: GREEDY }, stopAt(7));
      expect(first.reason).toBe('interrupted');
      expect(first.text).toBe(replyText(ENDLESS, 7));
      const second = await collect(endless, { turns: QUESTION, options: GREEDY, continuation: first.text }, stopAt(5));
      expect(second.text).toBe(pieces(ENDLESS, 7, 12));
      expect(second.stats.reusedCacheTokens).toBe(first.promptTokens + 7 - 1);
      const third = await collect(endless, { turns: QUESTION, options: { ...GREEDY, maxNewTokens: 10 }, continuation: first.text + second.text });
      expect(third.text).toBe(pieces(ENDLESS, 12, 22));
      expect(third.stats.reusedCacheTokens).toBe(second.promptTokens + 5 - 1);
    });

    it('reuses only the shared start of the next turn, whose history lost the thinking, and answers as a recompute does', async () => {
      await tiny.reset();
      const first = await collect(tiny, { turns: QUESTION, options: GREEDY });
      // A follow-up long enough that the new prompt is longer than the cached tokens, so only the
      // token comparison (not the length check) stands between the reply's cache and a corrupted reply.
      const followUp = 'And 3 + 4? Please reason step by step, and put your final answer within \\boxed{}. '.repeat(3);
      const turns: ChatTurn[] = [...QUESTION, { role: 'assistant', content: first.text }, { role: 'user', content: followUp }];
      const r = await collect(tiny, { turns, options: GREEDY });
      expect(r.promptTokens).toBeGreaterThan(first.promptTokens + first.stats.generatedTokens);
      // The first prompt up to its <｜Assistant｜>: all of it but the forced <think>\n.
      expect(r.stats.reusedCacheTokens).toBe(first.promptTokens - 2);
      await tiny.reset();
      const recomputed = await collect(tiny, { turns, options: GREEDY });
      expect(recomputed.stats.reusedCacheTokens).toBe(0);
      expect(r.text).toBe(recomputed.text);
      expect(r.text).toBe(TINY.reply);
    });

    it('gives the same logits after the reused start as after feeding everything', async () => {
      const model = await loadModel(TINY);
      const tokenizer = await AutoTokenizer.from_pretrained(TINY.id);
      const ids = tokenizer.encode('What is 2 + 3? Please reason step by step. '.repeat(6), { add_special_tokens: false });
      const whole = await feed(model, new DynamicCache(), ids, roomy(TINY));
      const cache = new DynamicCache();
      await feed(model, cache, ids.slice(0, 17), roomy(TINY));
      const resumed = await feed(model, cache, ids.slice(17), roomy(TINY));
      const worst = Math.max(...Array.from(whole ?? [], (v, i) => Math.abs(v - (resumed?.[i] ?? NaN))));
      expect(worst).toBeLessThan(1e-3);
    });

    it('regenerates from the prompt\'s shared start (same prompt, nothing new after the reply\'s cache)', async () => {
      await tiny.reset();
      const first = await collect(tiny, { turns: QUESTION, options: { ...GREEDY, maxNewTokens: 1 } });
      // The reply's cache covers exactly the prompt, so it cannot be used (a token must be fed); the turn snapshot can.
      const r = await collect(tiny, { turns: QUESTION, options: GREEDY });
      expect(r.stats.reusedCacheTokens).toBe(first.promptTokens - 2);
      expect(r.text).toBe(TINY.reply);
    });

    it('forgets the cache on reset', async () => {
      await tiny.reset();
      const first = await collect(tiny, { turns: QUESTION, options: { ...GREEDY, maxNewTokens: 10 } });
      await tiny.reset();
      const r = await collect(tiny, { turns: QUESTION, options: GREEDY, continuation: first.text });
      expect(r.stats.reusedCacheTokens).toBe(0);
      expect(r.text).toBe(TINY.reply.slice(first.text.length));
    });
  });

  describe('chunked prefill', () => {
    const longQuestion: ChatTurn[] = [{ role: 'user', content: `${'What is 2 + 3? Please reason step by step. '.repeat(40)}` }];

    it('feeds a long prompt in chunks that fit the buffer limit and still answers right', async () => {
      const model = await loadModel(TINY);
      const gen = new Generator(await AutoTokenizer.from_pretrained(TINY.id), model, cramped(TINY));
      let promptTokens = 0;
      const sizes = await forwardSizes(model, async () => {
        const r = await collect(gen, { turns: longQuestion, options: GREEDY });
        promptTokens = r.promptTokens;
        expect(r.text).toBe(TINY.reply);
        expect(r.reason).toBe('eos');
      });
      // Up to the prompt's last <｜Assistant｜> (kept for the next turn), then the forced <think>\n.
      const prefill = [...planChunks(cramped(TINY), 0, promptTokens - 2), ...planChunks(cramped(TINY), promptTokens - 2, promptTokens)];
      expect(promptTokens).toBeGreaterThan(200);
      expect(Math.max(...prefill)).toBeLessThanOrEqual(12);
      // The prompt in chunks, then one token per step: never more than the limit allows at once.
      expect(sizes.slice(0, prefill.length)).toEqual(prefill);
      expect(sizes.slice(prefill.length).every((n) => n === 1)).toBe(true);
      expect(sizes.length).toBe(prefill.length + TINY.replyTokens);
    });

    it('gives the same last-position logits in chunks as in one pass', async () => {
      const model = await loadModel(TINY);
      const tokenizer = await AutoTokenizer.from_pretrained(TINY.id);
      const ids = tokenizer.encode('What is 2 + 3? Please reason step by step. '.repeat(12), { add_special_tokens: false });
      const whole = await feed(model, new DynamicCache(), ids, roomy(TINY));
      const cache = new DynamicCache();
      const chunked = await feed(model, cache, ids, cramped(TINY));
      expect(cache.get_seq_length()).toBe(ids.length);
      expect(whole).not.toBeNull();
      expect(chunked).not.toBeNull();
      expect(chunked?.length).toBe(TINY.size.vocabSize);
      const worst = Math.max(...Array.from(whole ?? [], (v, i) => Math.abs(v - (chunked?.[i] ?? NaN))));
      expect(worst).toBeLessThan(1e-3);
    });

    it('stops between chunks on interrupt and keeps nothing half-fed', async () => {
      const model = await loadModel(TINY);
      const gen = new Generator(await AutoTokenizer.from_pretrained(TINY.id), model, cramped(TINY));
      const forward = model.forward.bind(model);
      let calls = 0;
      model.forward = async (inputs: Record<string, unknown>) => {
        if (++calls === 3) gen.interrupt();
        return forward(inputs);
      };
      const r = await collect(gen, { turns: longQuestion, options: GREEDY });
      model.forward = forward;
      expect(r.reason).toBe('interrupted');
      expect(r.stats.generatedTokens).toBe(0);
      expect(calls).toBe(3);
      // The partial prompt cache was dropped, so the next request recomputes and answers right.
      const again = await collect(gen, { turns: longQuestion, options: GREEDY });
      expect(again.stats.reusedCacheTokens).toBe(0);
      expect(again.text).toBe(TINY.reply);
    });
  });

  it('with R1\'s real tokenizer and its old template, thinks (the prompt gets <think>\\n) and streams exact text', async () => {
    // The fixture's script is anchored on <think>: without the forced <think>\\n it would not emit its reply.
    const gen = await generatorFor(VOCAB);
    const r = await collect(gen, { turns: QUESTION, options: { ...GREEDY, maxNewTokens: VOCAB.replyTokens + 10 } });
    expect(r.text).toBe(VOCAB.reply);
    expect(r.reason).toBe('eos');
    expect(r.text).not.toContain('<｜');
  });

  it('says where a runtime failure happened', async () => {
    const model = await loadModel(TINY);
    const gen = new Generator(await AutoTokenizer.from_pretrained(TINY.id), model, roomy(TINY));
    const forward = model.forward.bind(model);
    let calls = 0;
    model.forward = async (inputs: Record<string, unknown>) => {
      // Two passes for the prompt (its shared start, then <think>\n), then one per token.
      if (++calls === 5) throw new Error('failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: [Invalid Buffer]');
      return forward(inputs);
    };
    await expect(collect(gen, { turns: QUESTION, options: GREEDY })).rejects.toMatchObject({
      code: 'internal',
      message: 'While writing token 4 of the reply: Something went wrong inside the model runtime.',
      detail: expect.stringContaining('Invalid Buffer'),
    });
    calls = 0;
    model.forward = async (inputs: Record<string, unknown>) => {
      if (++calls === 1) throw new Error('RangeError: Array buffer allocation failed');
      return forward(inputs);
    };
    await expect(collect(gen, { turns: QUESTION, options: GREEDY })).rejects.toMatchObject({
      code: 'out-of-memory',
      message: expect.stringMatching(/^While reading the prompt \(\d+ tokens\): The model does not fit/),
    });
    model.forward = forward;
    expect((await collect(gen, { turns: QUESTION, options: GREEDY })).text).toBe(TINY.reply);
  });

  it('refuses a second request while one runs', async () => {
    await tiny.reset();
    const running = collect(tiny, { turns: QUESTION, options: GREEDY });
    await expect(tiny.generate({ turns: QUESTION, options: GREEDY }, { started() {}, delta() {} })).rejects.toMatchObject({ code: 'busy' });
    expect((await running).text).toBe(TINY.reply);
  });
});
