import { afterEach, describe, expect, it } from 'vitest';
import { startEngineServer, type EngineServer, type EngineServerOptions } from '../../tools/engines/server.ts';
import type { PathEnd, SamplingOptions } from '../../workers/protocol';
import { splitReasoning } from '../reasoning/parse';
import type { EngineId } from './presets';
import { PARALLEL_REQUESTS, RemoteEngine, RemoteError } from './remote-engine';

const ORIGIN = 'http://127.0.0.1:4173';
const SAMPLING: SamplingOptions = { temperature: 0.6, topP: 0.95, maxNewTokens: 32768, seed: 7, thinkingBudget: null };
const TURNS = [{ role: 'user' as const, content: 'What is 2 + 2? Please reason step by step, and put your final answer within \\boxed{}.' }];
const MODELS: Partial<Record<EngineId, string>> = { ollama: 'deepseek-r1:32b', 'llama-server': 'DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf' };
const THINKING = 'Okay, 2 + 2. That is 4.';
const ANSWER = 'The answer is $\\boxed{4}$.';

let server: EngineServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serve(options: EngineServerOptions): Promise<{ s: EngineServer; engine: RemoteEngine }> {
  server = await startEngineServer(options);
  const model = MODELS[options.engine] ?? 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B';
  return { s: server, engine: new RemoteEngine({ baseUrl: server.url, engine: options.engine, model }, { origin: ORIGIN }) };
}

async function sample(engine: RemoteEngine, seeds: number[], onDelta?: (path: number) => void, options: SamplingOptions = SAMPLING) {
  const raw = seeds.map(() => '');
  const ends: (PathEnd | undefined)[] = seeds.map(() => undefined);
  let doneCalls = 0;
  const stats = await engine.generatePaths(TURNS, options, seeds, {
    onDelta(path, text) {
      raw[path] += text;
      onDelta?.(path);
    },
    onDone(path, end) {
      doneCalls += 1;
      ends[path] = end;
    },
  });
  const split = raw.map((r) => splitReasoning(r, { startsInThinking: true }));
  return { stats, raw, ends, doneCalls, thinking: split.map((p) => p.thinking), answers: split.map((p) => p.answer) };
}

const chatRequests = (s: EngineServer) => s.requests.filter((r) => r.method === 'POST' && (r.path === '/v1/chat/completions' || r.path === '/api/chat'));

describe('generatePaths with n (one request, choices by index)', () => {
  it('vLLM: one request with n, the seed and top log-probs; each choice is its own path with its confidence', async () => {
    const { s, engine } = await serve({ engine: 'vllm', replies: ['vllm-reasoning', 'vllm-both-fields', 'vllm-reasoning'] });
    const got = await sample(engine, [11, 12, 13]);
    expect(chatRequests(s)).toHaveLength(1);
    expect(chatRequests(s)[0]?.body).toMatchObject({ n: 3, seed: 11, logprobs: true, top_logprobs: 20, stream: true });
    expect(got.thinking).toEqual([THINKING, THINKING, THINKING]);
    expect(got.answers).toEqual([ANSWER, ANSWER, ANSWER]);
    expect(got.ends.map((e) => e?.reason)).toEqual(['eos', 'length', 'eos']);
    expect(got.doneCalls).toBe(3);
    // The stand-in's top log-probs are −0.25·(choice+1)·j for j < 20: confidence 2.375·(choice+1).
    expect(got.ends.map((e) => e?.confidence)).toEqual([expect.closeTo(2.375, 6), expect.closeTo(4.75, 6), expect.closeTo(7.125, 6)]);
    expect(got.ends.map((e) => e?.generatedTokens)).toEqual([4, 3, 4]);
    expect(got.stats).toMatchObject({ promptTokens: 17, generatedTokens: 40, rowsPerBatch: 3 });
  });

  it('SGLang: finish reasons after every choice, and no seed with n > 1', async () => {
    const { s, engine } = await serve({ engine: 'sglang' });
    const got = await sample(engine, [5, 6]);
    const body = chatRequests(s)[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ n: 2, logprobs: true });
    expect(body).not.toHaveProperty('seed');
    expect(got.answers).toEqual([ANSWER, ANSWER]);
    expect(got.thinking).toEqual([THINKING, THINKING]);
    expect(got.ends.map((e) => e?.reason)).toEqual(['eos', 'eos']);
    expect(got.ends.every((e) => e!.confidence! > 0)).toBe(true);
    expect(got.stats).toMatchObject({ promptTokens: 15, generatedTokens: 24 });
  });

  it('Stop aborts the one request and ends every path interrupted', async () => {
    const { s, engine } = await serve({ engine: 'vllm', faults: { eventDelayMs: 200 } });
    const got = await sample(engine, [1, 2, 3], () => void engine.interrupt());
    expect(got.ends.map((e) => e?.reason)).toEqual(['interrupted', 'interrupted', 'interrupted']);
    expect(got.doneCalls).toBe(3);
    await new Promise((r) => setTimeout(r, 100));
    expect(s.aborted).toBe(1);
  });

  it('an error inside the stream before any text fails the call, named', async () => {
    const { engine } = await serve({ engine: 'vllm', reply: 'vllm-old-stream-error' });
    await expect(sample(engine, [1, 2])).rejects.toMatchObject({ kind: 'unknown-model' });
  });
});

describe('generatePaths with one request per path', () => {
  it('Ollama: parallel /api/chat requests, each with its own seed and usage', async () => {
    const { s, engine } = await serve({ engine: 'ollama', faults: { eventDelayMs: 20 } });
    const got = await sample(engine, [21, 22, 23]);
    const seeds = chatRequests(s).map((r) => (r.body as { options: { seed: number } }).options.seed);
    expect(seeds.sort()).toEqual([21, 22, 23]);
    expect(got.answers).toEqual([ANSWER, ANSWER, ANSWER]);
    expect(got.ends.map((e) => e?.reason)).toEqual(['eos', 'eos', 'eos']);
    expect(got.ends.map((e) => e?.generatedTokens)).toEqual([12, 12, 12]);
    expect(got.ends.map((e) => e?.confidence)).toEqual([null, null, null]);
    expect(s.peakConcurrent).toBe(3);
    expect(got.stats).toMatchObject({ promptTokens: 11, generatedTokens: 36 });
  });

  it(`llama-server: at most ${PARALLEL_REQUESTS} requests at once, the rest after`, async () => {
    const { s, engine } = await serve({ engine: 'llama-server', faults: { eventDelayMs: 15 } });
    const got = await sample(engine, [1, 2, 3, 4, 5, 6]);
    expect(chatRequests(s)).toHaveLength(6);
    expect(chatRequests(s).every((r) => (r.body as { n?: unknown }).n === undefined)).toBe(true);
    expect(s.peakConcurrent).toBe(PARALLEL_REQUESTS);
    expect(got.ends.map((e) => e?.reason)).toEqual(Array(6).fill('eos'));
    expect(got.answers).toEqual(Array(6).fill(ANSWER));
  });

  it('a path whose connection drops mid-reply ends dropped; the others finish', async () => {
    const { engine } = await serve({ engine: 'llama-server', faults: { dropAfterEvents: 2, dropRequests: [1] } });
    const got = await sample(engine, [1, 2, 3]);
    expect(got.ends.map((e) => e?.reason)).toEqual(['eos', 'dropped', 'eos']);
    expect(got.thinking[1]).toBe('Okay, 2 + 2.');
    expect(got.answers[0]).toBe(ANSWER);
  });

  it('Stop aborts every request and ends the paths not yet started', async () => {
    const { s, engine } = await serve({ engine: 'llama-server', faults: { eventDelayMs: 200 } });
    const got = await sample(engine, [1, 2, 3, 4, 5], () => void engine.interrupt());
    expect(got.ends.map((e) => e?.reason)).toEqual(Array(5).fill('interrupted'));
    expect(got.doneCalls).toBe(5);
    await new Promise((r) => setTimeout(r, 100));
    expect(chatRequests(s)).toHaveLength(PARALLEL_REQUESTS);
    expect(s.aborted).toBe(PARALLEL_REQUESTS);
  });
});

describe('a thinking budget on paths', () => {
  // The stand-ins answer without delays, so a whole body can arrive in one network read: the budget
  // must hold to the event all the same.
  it.each([
    { engine: 'llama-server', how: 'one request per path' },
    { engine: 'vllm', how: 'one request with n' },
  ] as const)('$engine ($how): each path ends at its budget', async ({ engine }) => {
    const { engine: remote } = await serve({ engine });
    const got = await sample(remote, [1, 2], undefined, { ...SAMPLING, thinkingBudget: 1 });
    expect(got.ends.map((e) => [e?.reason, e?.thinkingBudgetHit])).toEqual([
      ['length', true],
      ['length', true],
    ]);
    expect(got.thinking).toEqual(['Okay, 2 + 2.', 'Okay, 2 + 2.']);
  });
});

describe('generatePaths errors, named as generate names them', () => {
  const body = { error: { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error' } };
  for (const engine of ['vllm', 'llama-server'] as const) {
    it(`an HTTP error fails the whole call (${engine})`, async () => {
      const { engine: remote } = await serve({ engine, faults: { status: { code: 400, body } } });
      const error = await sample(remote, [1, 2, 3]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemoteError);
      expect(error).toMatchObject({ kind: 'context-too-long', status: 400 });
    });
  }

  it('an unreachable server fails the call with the CORS hint', async () => {
    const { s, engine } = await serve({ engine: 'ollama' });
    await s.close();
    server = null;
    await expect(sample(engine, [1, 2])).rejects.toMatchObject({ kind: 'unreachable', message: expect.stringContaining(`OLLAMA_ORIGINS=${ORIGIN}`) });
  });
});
