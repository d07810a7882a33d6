// Batched paths (consensus) on the real generation code: transformers.js's Node build and
// onnxruntime-node running the scripted fixture models.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, type PreTrainedModel } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureInfo, generateFixtures, replyText, type FixtureInfo } from '../tools/fixture/generate.ts';
import { Generator, type PathsRequest } from './generation.ts';
import type { ChunkLimits } from './prefill-chunks.ts';
import type { ChatTurn, PathEnd, SamplingOptions } from './protocol.ts';

const TINY = fixtureInfo('tiny-r1');
const ENDLESS = fixtureInfo('tiny-r1-endless');
const NOISY = fixtureInfo('tiny-r1-noisy');

const QUESTION: ChatTurn[] = [{ role: 'user', content: 'What is 2 + 3? Please reason step by step, and put your final answer within \\boxed{}.' }];
const SAMPLED: SamplingOptions = { temperature: 0.6, topP: 0.95, maxNewTokens: 100 };

const roomy = (info: FixtureInfo): ChunkLimits => ({ maxBufferBytes: 2 ** 30, vocabSize: info.size.vocabSize, numHeads: info.size.numHeads });

/** A largest buffer that holds two rows of the cache (fp32, `tokens` long) and of the logits. */
function twoRows(info: FixtureInfo, tokens: number): ChunkLimits {
  const { numKvHeads, headDim, vocabSize } = info.size;
  return { ...roomy(info), maxBufferBytes: 2 * Math.max(numKvHeads * headDim * tokens * 4, vocabSize * 4) };
}

const models: PreTrainedModel[] = [];

async function generatorFor(info: FixtureInfo, limits = roomy(info)): Promise<{ gen: Generator; model: PreTrainedModel }> {
  const tokenizer = await AutoTokenizer.from_pretrained(info.id);
  const model = await AutoModelForCausalLM.from_pretrained(info.id, { dtype: 'fp32' });
  models.push(model);
  return { gen: new Generator(tokenizer, model, limits), model };
}

/** [rows, tokens] of every forward pass the model makes while `run` runs. */
async function passShapes<T>(model: PreTrainedModel, run: () => Promise<T>): Promise<{ shapes: number[][]; result: T }> {
  const shapes: number[][] = [];
  const forward = model.forward.bind(model);
  model.forward = async (inputs: Record<string, { dims: number[] }>) => {
    shapes.push([...(inputs.input_ids?.dims ?? [])]);
    return forward(inputs);
  };
  try {
    return { shapes, result: await run() };
  } finally {
    model.forward = forward;
  }
}

/** Runs a request and gathers what the worker would post, path by path. */
async function collectPaths(gen: Generator, request: PathsRequest, onDelta?: () => void) {
  const texts = request.seeds.map(() => '');
  const ends: (PathEnd | null)[] = request.seeds.map(() => null);
  let promptTokens = -1;
  const stats = await gen.generatePaths(request, {
    started: (n) => (promptTokens = n),
    delta: (path, text) => {
      texts[path] += text;
      onDelta?.();
    },
    done: (path, end) => {
      expect(ends[path], `path ${path} ended twice`).toBeNull();
      ends[path] = end;
    },
  });
  return { texts, ends: ends.map((e) => e!), stats, promptTokens };
}

describe('Generator.generatePaths', () => {
  let root = '';

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ponder-paths-'));
    await generateFixtures(root, { only: [TINY.repo, ENDLESS.repo, NOISY.repo] });
    env.localModelPath = root;
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(models.map((m) => m.dispose()));
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('reads the prompt once, then decodes every path in one batch to its own EOS', async () => {
    const { gen, model } = await generatorFor(TINY);
    const { shapes, result } = await passShapes(model, () => collectPaths(gen, { turns: QUESTION, options: SAMPLED, seeds: [1, 2, 3] }));
    const full = replyText(TINY, TINY.replyTokens);
    expect(result.texts).toEqual([full, full, full]);
    for (const end of result.ends) {
      expect(end.reason).toBe('eos');
      expect(end.generatedTokens).toBe(TINY.replyTokens + 1); // EOS counts, as in a single reply's stats
      // The scripted tokens win by a wide margin: a confident path, well above zero.
      expect(end.confidence).toBeGreaterThan(1);
    }
    expect(shapes[0]).toEqual([1, result.promptTokens]);
    // The EOS step is chosen from the last pass's logits, so there is one pass per token but that one.
    expect(shapes.slice(1)).toEqual(Array.from({ length: TINY.replyTokens }, () => [3, 1]));
    expect(result.stats).toMatchObject({ promptTokens: result.promptTokens, generatedTokens: 3 * (TINY.replyTokens + 1), rowsPerBatch: 3 });
  });

  it('gives each path what a single reply with its seed gives, so paths differ where sampling does', async () => {
    const { gen } = await generatorFor(NOISY);
    const seeds = Array.from({ length: 12 }, (_, i) => 100 + i);
    const batched = await collectPaths(gen, { turns: QUESTION, options: SAMPLED, seeds });
    const single: string[] = [];
    for (const seed of seeds) {
      let text = '';
      await gen.generate({ turns: QUESTION, options: { ...SAMPLED, seed } }, { started() {}, delta: (t) => (text += t) });
      single.push(text);
    }
    expect(batched.texts).toEqual(single);
    // The noisy solver boxes A, B or C: twelve seeds give more than one answer.
    const boxed = new Set(batched.texts.map((t) => /\\boxed\{(\w)\}/.exec(t)?.[1]));
    expect(boxed.size).toBeGreaterThan(1);
  });

  it('drops a path from the batch when it ends, and the rest go on as they would alone', async () => {
    // So hot that EOS is drawn now and then: the seeded paths end at different steps.
    const hot: SamplingOptions = { temperature: 30, topP: 1, maxNewTokens: 60 };
    const { gen, model } = await generatorFor(TINY);
    const seeds = Array.from({ length: 10 }, (_, i) => 7 + i);
    const { shapes, result } = await passShapes(model, () => collectPaths(gen, { turns: QUESTION, options: hot, seeds }));
    const lengths = result.ends.map((e) => e.generatedTokens);
    expect(new Set(lengths).size, `path lengths ${lengths.join(', ')}`).toBeGreaterThan(2);
    expect(result.ends.filter((e) => e.reason === 'eos').length).toBeGreaterThan(0);
    // Each pass carries only the rows still running.
    const rows = shapes.slice(1).map(([r]) => r!);
    const running = (step: number) => lengths.filter((n) => n > step + 1).length;
    expect(rows).toEqual(rows.map((_, step) => running(step)));
    for (const [i, seed] of seeds.entries()) {
      let text = '';
      await gen.generate({ turns: QUESTION, options: { ...hot, seed } }, { started() {}, delta: (t) => (text += t) });
      expect(result.texts[i], `path ${i}`).toBe(text);
    }
  });

  it('stops each path at the length limit and runs paths the buffers cannot hold in later batches', async () => {
    const options = { ...SAMPLED, maxNewTokens: 12 };
    const probe = await generatorFor(ENDLESS);
    const { promptTokens } = await collectPaths(probe.gen, { turns: QUESTION, options, seeds: [1] });
    const { gen, model } = await generatorFor(ENDLESS, twoRows(ENDLESS, promptTokens + options.maxNewTokens));
    const { shapes, result } = await passShapes(model, () => collectPaths(gen, { turns: QUESTION, options, seeds: [7, 8, 9] }));
    expect(result.ends.map((e) => [e.reason, e.generatedTokens])).toEqual([
      ['length', 12],
      ['length', 12],
      ['length', 12],
    ]);
    expect(new Set(result.texts)).toEqual(new Set([replyText(ENDLESS, 12)]));
    expect(result.stats.rowsPerBatch).toBe(2);
    const decodeRows = shapes.filter(([, tokens]) => tokens === 1).map(([rows]) => rows);
    expect(decodeRows).toEqual([...Array<number>(11).fill(2), ...Array<number>(11).fill(1)]);
  });

  it('Stop ends every path, and paths not yet started are reported stopped with nothing generated', async () => {
    const { gen } = await generatorFor(ENDLESS, twoRows(ENDLESS, 1200));
    let deltas = 0;
    const result = await collectPaths(gen, { turns: QUESTION, options: { ...SAMPLED, maxNewTokens: 1000 }, seeds: [1, 2, 3, 4] }, () => {
      deltas += 1;
      if (deltas === 10) gen.interrupt();
    });
    expect(result.ends.map((e) => e.reason)).toEqual(['interrupted', 'interrupted', 'interrupted', 'interrupted']);
    expect(result.ends[0]!.generatedTokens).toBeGreaterThan(0);
    expect(result.ends[0]!.generatedTokens).toBeLessThan(1000);
    expect(result.ends.slice(2).map((e) => e.generatedTokens)).toEqual([0, 0]);
    // The generator is free again afterwards.
    const again = await collectPaths(gen, { turns: QUESTION, options: { ...SAMPLED, maxNewTokens: 3 }, seeds: [5] });
    expect(again.ends[0]).toMatchObject({ reason: 'length', generatedTokens: 3 });
  });

  it('applies a thinking budget to every path on its own', async () => {
    const { gen } = await generatorFor(ENDLESS);
    const result = await collectPaths(gen, { turns: QUESTION, options: { ...SAMPLED, maxNewTokens: 8, thinkingBudget: 4 }, seeds: [1, 2] });
    for (const [i, end] of result.ends.entries()) {
      expect(end.thinkingBudgetHit).toBe(true);
      // Four thinking tokens, then the forced `</think>` (not shown: it is a special token's text).
      expect(result.texts[i]!.startsWith(replyText(ENDLESS, 4))).toBe(true);
    }
  });
});
