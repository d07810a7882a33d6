/**
 * turn-reuse: time to first token at turn 10 of a conversation, reusing the cache of the previous
 * turn's prompt up to its last `<｜Assistant｜>` against recomputing the whole history, in one run.
 *
 * The app's own Generator (workers/generation.ts: chunked prefill, turn snapshot) on `bench-r1`
 * (151,936-wide vocabulary) with transformers.js on onnxruntime-node (CPU): the same decoding code as
 * the worker, without a browser, so the figure is the prefill it saves. Nine earlier turns, each a
 * question and a ~300-token answer (its thinking dropped, as R1's template does). Per rep: turn 9 is
 * asked (which keeps its snapshot), then turn 10 is timed; then, after a reset, turn 10 is timed again
 * from nothing. Both answer one token, so TTFT is the whole request. Median of the per-rep ratios.
 *
 * Settings (environment): BENCH_TURN_REPS=3  BENCH_TURN_ANSWER_TOKENS=300
 */
import { resolve } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import { generateFixtures, TOKENIZER, fixtureInfo } from '../fixture/generate.ts';
import { Generator } from '../../workers/generation.ts';
import type { ChatTurn } from '../../workers/protocol.ts';
import { median } from './decode-overhead.ts';
import type { Benchmark, Log } from './types.ts';

const REPO = 'ponder-test/bench-r1';
const ROOT = resolve('.cache/hub');
const SENTENCE = 'So the answer is $\\boxed{5}$, since 2 + 3 = 5. Please reason step by step. ';

/** Text of about `tokens` tokens in the fixture's tokenizer. */
function textOf(tokens: number, tag: string): string {
  const per = TOKENIZER.encode(SENTENCE).length;
  return `${tag} ${SENTENCE.repeat(Math.max(1, Math.round(tokens / per)))}`;
}

/** Turns 1..n-1 answered, and question n. */
function conversation(n: number, answerTokens: number): ChatTurn[] {
  const turns: ChatTurn[] = [];
  for (let i = 1; i < n; i++) {
    turns.push({ role: 'user', content: `Question ${i}: What is 2 + 3?` });
    turns.push({ role: 'assistant', content: textOf(answerTokens, `Answer ${i}:`) });
  }
  turns.push({ role: 'user', content: `Question ${n}: What is 2 + 3?` });
  return turns;
}

async function run(log: Log): Promise<Record<string, number>> {
  const reps = Number(process.env.BENCH_TURN_REPS ?? 3);
  const answerTokens = Number(process.env.BENCH_TURN_ANSWER_TOKENS ?? 300);
  await generateFixtures(ROOT, { only: ['bench-r1'] });
  env.localModelPath = ROOT;
  env.allowRemoteModels = false;
  const info = fixtureInfo(REPO);
  const tokenizer = await AutoTokenizer.from_pretrained(REPO);
  const model = await AutoModelForCausalLM.from_pretrained(REPO, { dtype: 'fp32' });
  const gen = new Generator(tokenizer, model, { maxBufferBytes: 2 ** 30, vocabSize: info.size.vocabSize, numHeads: info.size.numHeads });
  const ask = async (turns: ChatTurn[]) => gen.generate({ turns, options: { temperature: 0, topP: 1, maxNewTokens: 1 } }, { started() {}, delta() {} });
  const turn9 = conversation(9, answerTokens);
  const turn10 = conversation(10, answerTokens);
  await ask([{ role: 'user', content: 'warm-up' }]);
  const ratios: number[] = [];
  const reuseMs: number[] = [];
  const fullMs: number[] = [];
  let promptTokens = 0;
  let reused = 0;
  for (let rep = 0; rep < reps; rep++) {
    await gen.reset();
    await ask(turn9);
    const withReuse = await ask(turn10);
    await gen.reset();
    const recomputed = await ask(turn10);
    promptTokens = recomputed.stats.promptTokens;
    reused = withReuse.stats.reusedCacheTokens ?? 0;
    if ((recomputed.stats.reusedCacheTokens ?? 0) !== 0) throw new Error('the recompute run reused a cache');
    reuseMs.push(withReuse.stats.timeToFirstTokenMs);
    fullMs.push(recomputed.stats.timeToFirstTokenMs);
    ratios.push(withReuse.stats.timeToFirstTokenMs / recomputed.stats.timeToFirstTokenMs);
    log(
      `rep ${rep + 1}: turn 10 prompt ${promptTokens} tokens, ${reused} reused: TTFT ${withReuse.stats.timeToFirstTokenMs.toFixed(0)} ms vs ${recomputed.stats.timeToFirstTokenMs.toFixed(0)} ms recomputed (ratio ${ratios.at(-1)?.toFixed(3)})`,
    );
  }
  await gen.reset();
  await model.dispose();
  const sorted = [...ratios].sort((a, b) => a - b);
  return {
    ttft_reuse_over_recompute_turn10: +median(ratios).toFixed(3),
    ttft_reuse_over_recompute_turn10_min: +(sorted[0] ?? NaN).toFixed(3),
    ttft_reuse_over_recompute_turn10_max: +(sorted.at(-1) ?? NaN).toFixed(3),
    ttft_turn10_reuse_ms: Math.round(median(reuseMs)),
    ttft_turn10_recompute_ms: Math.round(median(fullMs)),
    turn10_prompt_tokens: promptTokens,
    turn10_reused_tokens: reused,
  };
}

export default { name: 'turn-reuse', run } satisfies Benchmark;
