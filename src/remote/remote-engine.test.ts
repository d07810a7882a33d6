import { afterEach, describe, expect, it } from 'vitest';
import { startEngineServer, type EngineServer, type EngineServerOptions } from '../../tools/engines/server.ts';
import type { SamplingOptions } from '../../workers/protocol';
import { ReasoningStream } from '../reasoning/parse';
import { FIXTURES, type FixtureName } from './fixtures';
import { PRESET_LIST, PRESETS, type EngineId } from './presets';
import { listModels, RemoteEngine, RemoteError, type RemoteConfig } from './remote-engine';

const ORIGIN = 'http://127.0.0.1:4173';
const SAMPLING: SamplingOptions = { temperature: 0.6, topP: 0.95, maxNewTokens: 32768, seed: 7, thinkingBudget: null };
const TURNS = [
  { role: 'user' as const, content: 'What is 1 + 1?' },
  { role: 'assistant' as const, content: 'It is $\\boxed{2}$.' },
  { role: 'user' as const, content: 'What is 2 + 2? Please reason step by step, and put your final answer within \\boxed{}.' },
];

let server: EngineServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serve(options: EngineServerOptions): Promise<EngineServer> {
  server = await startEngineServer(options);
  return server;
}

function engineFor(s: EngineServer, engine: EngineId, patch: Partial<RemoteConfig> = {}, origin: string | null = ORIGIN): RemoteEngine {
  const model = patch.model ?? (engine === 'ollama' || engine === 'ollama-openai' ? 'deepseek-r1:32b' : engine === 'deepseek' ? 'deepseek-flash' : engine === 'llama-server' ? 'DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf' : engine === 'lmstudio' ? 'deepseek-r1-distill-qwen-32b' : 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B');
  return new RemoteEngine({ baseUrl: s.url, engine, model, ...patch }, { origin });
}

async function run(engine: RemoteEngine, options: SamplingOptions = SAMPLING, onDelta?: (raw: string) => void) {
  let raw = '';
  let started = 0;
  const deltas: string[] = [];
  const result = await engine.generate(TURNS, options, {
    onStarted: () => {
      started += 1;
    },
    onDelta: (text) => {
      raw += text;
      deltas.push(text);
      onDelta?.(raw);
    },
  });
  const stream = new ReasoningStream();
  stream.push(raw);
  stream.finish();
  const snap = stream.snapshot();
  return { ...result, raw, deltas, started, thinking: snap.thinking ?? '', answer: snap.answer };
}

async function failure(p: Promise<unknown>): Promise<RemoteError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof RemoteError) return error;
    throw error;
  }
  throw new Error('expected a RemoteError');
}

describe('RemoteEngine against the engine test server', () => {
  it('vLLM: the request follows the R1 rules and the reply arrives in the local raw format', async () => {
    const s = await serve({ engine: 'vllm' });
    const got = await run(engineFor(s, 'vllm'));
    expect(got.raw).toBe('Okay, 2 + 2. That is 4.\n</think>\n\nThe answer is $\\boxed{4}$.');
    expect(got).toMatchObject({ reason: 'eos', thinking: 'Okay, 2 + 2. That is 4.', answer: 'The answer is $\\boxed{4}$.', started: 1 });
    expect(got.stats).toMatchObject({ promptTokens: 17, generatedTokens: 14 });
    const req = s.requests.find((r) => r.path === '/v1/chat/completions');
    expect(req?.body).toEqual({
      model: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',
      messages: TURNS,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.6,
      top_p: 0.95,
      max_tokens: 32768,
      seed: 7,
    });
    expect(JSON.stringify(req?.body)).not.toContain('system');
    expect(req?.headers.authorization).toBeUndefined();
  });

  for (const preset of PRESET_LIST) {
    it(`${preset.label}: its default reply shows the thinking and the answer`, async () => {
      const s = await serve({ engine: preset.id });
      const got = await run(engineFor(s, preset.id));
      expect({ thinking: got.thinking, answer: got.answer, reason: got.reason }).toEqual({
        thinking: 'Okay, 2 + 2. That is 4.',
        answer: 'The answer is $\\boxed{4}$.',
        reason: 'eos',
      });
      const path = preset.api === 'ollama' ? '/api/chat' : '/v1/chat/completions';
      expect(s.requests.some((r) => r.path === path && r.method === 'POST')).toBe(true);
    });
  }

  it('Ollama native: /api/chat with think and the sampling in options', async () => {
    const s = await serve({ engine: 'ollama' });
    const got = await run(engineFor(s, 'ollama'));
    expect(got.stats).toMatchObject({ promptTokens: 11, generatedTokens: 12 });
    expect(s.requests.find((r) => r.path === '/api/chat')?.body).toEqual({
      model: 'deepseek-r1:32b',
      messages: TURNS,
      stream: true,
      think: true,
      // num_ctx: the prompt and the 32,768-token reply, rounded up to Ollama's next 8,192 step.
      options: { temperature: 0.6, top_p: 0.95, num_predict: 32768, num_ctx: 40960, seed: 7 },
    });
  });

  it('vLLM 0.12–0.15 (both fields) does not double the thinking; finish_reason length maps to length', async () => {
    const s = await serve({ engine: 'vllm', reply: 'vllm-both-fields' });
    const got = await run(engineFor(s, 'vllm'));
    expect(got).toMatchObject({ thinking: 'Okay, 2 + 2. That is 4.', reason: 'length' });
  });

  it('CRLF, keep-alive comments and a slow first byte: stats count from the request', async () => {
    const s = await serve({ engine: 'deepseek', faults: { crlf: true, keepAlives: 3, firstByteDelayMs: 150, eventDelayMs: 5 } });
    const got = await run(engineFor(s, 'deepseek', { apiKey: 'sk-test' }));
    expect(got.answer).toBe('The answer is $\\boxed{4}$.');
    expect(got.stats.timeToFirstTokenMs).toBeGreaterThanOrEqual(140);
    expect(got.stats.tokensPerSecond).toBeGreaterThan(0);
    expect(s.requests[0]?.headers.authorization).toBe('Bearer sk-test');
  });

  it('a server that ignores stream: true and answers one JSON object still gives the reply', async () => {
    const body = JSON.stringify({
      id: 'chatcmpl-x',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', reasoning_content: 'Okay.', content: 'Four.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    });
    const fakeFetch = (async () => new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } })) as typeof fetch;
    const got = await run(new RemoteEngine({ baseUrl: 'http://localhost:1234', engine: 'lmstudio', model: 'm' }, { origin: ORIGIN, fetch: fakeFetch }));
    expect(got).toMatchObject({ thinking: 'Okay.', answer: 'Four.', reason: 'eos', stats: { promptTokens: 5, generatedTokens: 3 } });
  });

  it('a stream that closes mid-reply keeps the text and says the server dropped it', async () => {
    const s = await serve({ engine: 'vllm', faults: { dropAfterEvents: 3 } });
    const got = await run(engineFor(s, 'vllm'));
    expect(got.reason).toBe('dropped');
    expect(got.thinking).toBe('Okay, 2 + 2. That is 4.');
    expect(got.answer).toBe('');
  });

  it('Stop aborts the request and resolves interrupted with what arrived', async () => {
    const s = await serve({ engine: 'sglang', faults: { eventDelayMs: 300 } });
    const engine = engineFor(s, 'sglang');
    const got = await run(engine, SAMPLING, (raw) => {
      if (raw.includes('Okay')) void engine.interrupt();
    });
    expect(got.reason).toBe('interrupted');
    expect(got.thinking).toBe('Okay, 2 + 2. That is 4.');
    await new Promise((r) => setTimeout(r, 100));
    expect(s.aborted).toBe(1);
  });

  it('a thinking budget closes the stream and says so', async () => {
    const s = await serve({ engine: 'vllm', faults: { eventDelayMs: 20 } });
    const got = await run(engineFor(s, 'vllm'), { ...SAMPLING, thinkingBudget: 1 });
    expect(got.reason).toBe('length');
    expect(got.stats.thinkingBudgetHit).toBe(true);
    expect(got.answer).toBe('');
  });

  it('thinking that arrives inline (raw tags in the content) counts toward the budget until its </think>', async () => {
    const s = await serve({ engine: 'lmstudio', reply: 'lmstudio-raw-tags', faults: { eventDelayMs: 20 } });
    const cut = await run(engineFor(s, 'lmstudio'), { ...SAMPLING, thinkingBudget: 1 });
    expect(cut).toMatchObject({ reason: 'length', answer: '' });
    expect(cut.stats.thinkingBudgetHit).toBe(true);
    expect(cut.thinking).toBe('Okay, 2 + 2.');
    // The chunk holding `</think>` ends the thinking, so it is not counted.
    const whole = await run(engineFor(s, 'lmstudio'), { ...SAMPLING, thinkingBudget: 2 });
    expect(whole).toMatchObject({ reason: 'eos', thinking: 'Okay, 2 + 2. That is 4.', answer: 'The answer is $\\boxed{4}$.' });
    expect(whole.stats.thinkingBudgetHit).toBeUndefined();
  });
});

describe('RemoteEngine errors, named', () => {
  it('401 without CORS headers: the API key', async () => {
    const s = await serve({ engine: 'vllm', apiKey: 'right' });
    const e = await failure(run(engineFor(s, 'vllm', { apiKey: 'wrong' })));
    expect(e.kind).toBe('auth');
    expect(e.message).toMatch(/API key/);
    expect(e.failure.detail).toContain('Invalid API key');
    await expect(run(engineFor(s, 'vllm', { apiKey: 'right' }))).resolves.toMatchObject({ reason: 'eos' });
  });

  it('403: the key is refused', async () => {
    const s = await serve({ engine: 'deepseek', faults: { status: { code: 403, body: { error: { message: 'forbidden' } } } } });
    expect((await failure(run(engineFor(s, 'deepseek')))).kind).toBe('auth');
  });

  it('unknown model: vLLM 404 and Ollama 404', async () => {
    const s = await serve({ engine: 'vllm' });
    const e = await failure(run(engineFor(s, 'vllm', { model: 'deepseek-r1' })));
    expect(e.kind).toBe('unknown-model');
    expect(e.message).toContain('"deepseek-r1"');
    await s.close();
    server = await startEngineServer({ engine: 'ollama' });
    expect((await failure(run(engineFor(server, 'ollama', { model: 'deepseek-r1:671b' })))).kind).toBe('unknown-model');
  });

  const contextErrors: [EngineId, unknown][] = [
    ['vllm', { object: 'error', message: "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens (8000 in the messages, 32000 in the completion). Please reduce the length of the messages or completion.", type: 'BadRequestError', param: null, code: 400 }],
    ['vllm', { error: { message: 'The decoder prompt (length 40000) is longer than the maximum model length of 32768. Make sure that `max_model_len` is no smaller than the number of text tokens.', type: 'BadRequestError', param: null, code: 400 } }],
    ['sglang', { object: 'error', message: "The input (40000 tokens) is longer than the model's context length (32768 tokens).", type: 'BadRequestError', param: null, code: 400 }],
    ['llama-server', { error: { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 40000, n_ctx: 32768 } }],
    ['deepseek', { error: { message: "This model's maximum context length is 131072 tokens. However, you requested 140000 tokens. Please reduce the length of the messages.", type: 'invalid_request_error', param: null, code: 'invalid_request_error' } }],
  ];
  for (const [engine, body] of contextErrors) {
    it(`context too long (${engine}, HTTP 400)`, async () => {
      const s = await serve({ engine, faults: { status: { code: 400, body } } });
      const e = await failure(run(engineFor(s, engine)));
      expect(e.kind).toBe('context-too-long');
      expect(e.status).toBe(400);
    });
  }

  it('an error inside the stream: vLLM data: {"error"}, llama-server bare error:, Ollama {"error"} line', async () => {
    const s = await serve({ engine: 'vllm', reply: 'vllm-stream-error' });
    expect((await failure(run(engineFor(s, 'vllm')))).kind).toBe('context-too-long');
    s.set({ reply: 'ollama-v1-error' });
    expect((await failure(run(engineFor(s, 'vllm')))).kind).toBe('unknown-model');
    await s.close();
    server = await startEngineServer({ engine: 'ollama', reply: 'ollama-chat-error' });
    const e = await failure(run(engineFor(server, 'ollama')));
    expect(e.kind).toBe('stream');
    expect(e.message).toContain('unexpected EOF');
    await server.close();
    server = await startEngineServer({ engine: 'llama-server', reply: 'llama-server-error' });
    expect((await failure(run(engineFor(server, 'llama-server')))).kind).toBe('context-too-long');
  });

  it('unreachable or CORS: one message naming both and the engine flag for this origin', async () => {
    const s = await serve({ engine: 'vllm' });
    const url = s.url;
    await s.close();
    server = null;
    const vllm = await failure(new RemoteEngine({ baseUrl: url, engine: 'vllm', model: 'm' }, { origin: ORIGIN }).generate(TURNS, SAMPLING, { onDelta() {} }));
    expect(vllm.kind).toBe('unreachable');
    expect(vllm.message).toMatch(/not running.*CORS/);
    expect(vllm.message).toContain(`--allowed-origins '["${ORIGIN}"]'`);
    const ollama = await failure(new RemoteEngine({ baseUrl: url, engine: 'ollama', model: 'm' }, { origin: ORIGIN }).generate(TURNS, SAMPLING, { onDelta() {} }));
    expect(ollama.message).toContain(`OLLAMA_ORIGINS=${ORIGIN}`);
  });

  it('mixed content: an https page and a plain-http LAN address are refused before any request', async () => {
    let calls = 0;
    const fetchSpy = (() => {
      calls += 1;
      return Promise.reject(new TypeError('should not be called'));
    }) as unknown as typeof fetch;
    const e = await failure(
      new RemoteEngine({ baseUrl: 'http://192.168.1.20:8000/v1', engine: 'vllm', model: 'm' }, { origin: 'https://ponder.example', fetch: fetchSpy }).generate(TURNS, SAMPLING, { onDelta() {} }),
    );
    expect(e.kind).toBe('mixed-content');
    expect(e.message).toMatch(/localhost.*https.*tunnel/);
    expect(calls).toBe(0);
    const local = await failure(
      new RemoteEngine({ baseUrl: 'http://localhost:8000', engine: 'vllm', model: 'm' }, { origin: 'https://ponder.example', fetch: fetchSpy }).generate(TURNS, SAMPLING, { onDelta() {} }),
    );
    expect(local.kind).toBe('unreachable');
  });

  it.each(['ollama', 'ollama-openai', 'lmstudio', 'deepseek'] as const)('%s: Continue is refused with a reason, before any request', async (engine) => {
    const s = await serve({ engine });
    const e = await failure(engineFor(s, engine).generate(TURNS, SAMPLING, { onDelta() {} }, 'Okay, 2 + 2.'));
    expect(e.kind).toBe('unsupported');
    expect(e.message).toContain(PRESETS[engine].label);
    expect(s.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });
});

describe('a thinking budget on a server', () => {
  const chatBodies = (s: EngineServer) => s.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as Record<string, unknown> & { messages: { role: string; content: string }[] });

  it('vLLM gets thinking_token_budget; a server that keeps to it is not cut, one that ignores it is', async () => {
    const s = await serve({ engine: 'vllm' });
    // The fixture thinks in 2 chunks: a budget of 2 is kept by the server, so the reply is whole.
    const kept = await run(engineFor(s, 'vllm'), { ...SAMPLING, thinkingBudget: 2 });
    expect(chatBodies(s)[0]).toMatchObject({ thinking_token_budget: 2 });
    expect(kept).toMatchObject({ reason: 'eos', answer: 'The answer is $\\boxed{4}$.' });
    // Budget 1, and the server thought on anyway (started without --reasoning-config): the client closes it.
    const ignored = await run(engineFor(s, 'vllm'), { ...SAMPLING, thinkingBudget: 1 });
    expect(ignored).toMatchObject({ reason: 'length', answer: '' });
    expect(ignored.stats.thinkingBudgetHit).toBe(true);
  });

  it('vLLM refusing the field: the request goes again without it, and the client holds the budget', async () => {
    // Not a literal vLLM message (unverified); what counts is a 400 that names the field.
    const refusal = { object: 'error', message: 'thinking_token_budget requires a reasoning config (--reasoning-config)', type: 'BadRequestError', param: null, code: 400 };
    const s = await serve({ engine: 'vllm', refuseFields: { fields: ['thinking_token_budget'], body: refusal } });
    const got = await run(engineFor(s, 'vllm'), { ...SAMPLING, thinkingBudget: 1 });
    const bodies = s.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as Record<string, unknown>);
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toHaveProperty('thinking_token_budget', 1);
    expect(bodies[1]).not.toHaveProperty('thinking_token_budget');
    expect(got).toMatchObject({ reason: 'length', thinking: 'Okay, 2 + 2.', answer: '' });
  });

  it('SGLang gets custom_params.thinking_budget', async () => {
    const s = await serve({ engine: 'sglang' });
    await run(engineFor(s, 'sglang'), { ...SAMPLING, thinkingBudget: 4096 });
    expect(chatBodies(s)[0]).toMatchObject({ custom_params: { thinking_budget: 4096 } });
  });

  it('llama-server has no budget field: the client closes the thinking at the budget and asks for the answer after it', async () => {
    const s = await serve({ engine: 'llama-server', sequence: ['llama-server', 'llama-server-continued-answer'] });
    const got = await run(engineFor(s, 'llama-server'), { ...SAMPLING, thinkingBudget: 1 });
    const [first, second] = chatBodies(s);
    expect(first).not.toHaveProperty('thinking_token_budget');
    // The follow-up carries the thinking so far, closed, as the prefilled assistant message.
    expect(second?.messages.at(-1)).toEqual({ role: 'assistant', content: 'Okay, 2 + 2.\n</think>\n\n' });
    expect(second?.messages.slice(0, -1)).toEqual(TURNS);
    expect(got).toMatchObject({ reason: 'eos', thinking: 'Okay, 2 + 2.', answer: 'The answer is $\\boxed{4}$.' });
    // Tokens: the thinking chunk counted before the cut, plus the answer's usage (9).
    expect(got.stats).toMatchObject({ thinkingBudgetHit: true, generatedTokens: 10 });
  });
});

describe('Continue on a server', () => {
  /** Continues `partial` (the local raw format) and returns the request's body and the whole reply. */
  async function continueOn(engine: EngineId, reply: FixtureName, partial: string) {
    const s = await serve({ engine, reply });
    let raw = '';
    const result = await engineFor(s, engine).generate(TURNS, SAMPLING, { onDelta: (text) => (raw += text) }, partial);
    const stream = new ReasoningStream();
    stream.push(partial + raw);
    stream.finish();
    const snap = stream.snapshot();
    const body = s.requests.find((r) => r.path === '/v1/chat/completions')?.body as Record<string, unknown> & { messages: { role: string; content: string }[] };
    return { ...result, body, thinking: snap.thinking ?? '', answer: snap.answer };
  }

  it('vLLM inside the thinking: the template renders `<think>` and the thinking, left open', async () => {
    const got = await continueOn('vllm', 'vllm-reasoning', 'Okay, 2 + 2. ');
    expect(got.body.messages.at(-1)).toEqual({ role: 'assistant', content: '<think>\nOkay, 2 + 2. ' });
    expect(got.body.messages.slice(0, -1)).toEqual(TURNS);
    expect(got.body).toMatchObject({ continue_final_message: true, add_generation_prompt: false, temperature: 0.6, top_p: 0.95 });
    expect(got).toMatchObject({ reason: 'eos', thinking: 'Okay, 2 + 2. Okay, 2 + 2. That is 4.', answer: 'The answer is $\\boxed{4}$.' });
  });

  it('vLLM in the answer: the answer alone is continued, and its parser`s "reasoning" is answer text', async () => {
    const got = await continueOn('vllm', 'vllm-continued-answer', 'Okay, 2 + 2. That is 4.\n</think>\n\nThe answer is ');
    // R1's template drops an assistant message's thinking, and vLLM refuses a message the template changed.
    expect(got.body.messages.at(-1)).toEqual({ role: 'assistant', content: '\n\nThe answer is ' });
    expect(got).toMatchObject({ reason: 'eos', thinking: 'Okay, 2 + 2. That is 4.', answer: 'The answer is $\\boxed{4}$.' });
  });

  it('vLLM cannot continue a reply cut right after its thinking, and says so', async () => {
    const s = await serve({ engine: 'vllm' });
    const e = await failure(engineFor(s, 'vllm').generate(TURNS, SAMPLING, { onDelta() {} }, 'Okay, 2 + 2. That is 4.\n</think>\n\n'));
    expect(e.kind).toBe('unsupported');
    expect(e.message).toMatch(/right after its thinking/);
  });

  it('SGLang appends the reply verbatim after the generation prompt (which opened the thinking)', async () => {
    const partial = 'Okay, 2 + 2. That is 4.\n</think>\n\nThe answer is ';
    const s = await serve({ engine: 'sglang' });
    await engineFor(s, 'sglang').generate(TURNS, SAMPLING, { onDelta() {} }, partial);
    const body = s.requests.find((r) => r.path === '/v1/chat/completions')?.body as Record<string, unknown> & { messages: unknown[] };
    expect(body.messages.at(-1)).toEqual({ role: 'assistant', content: partial });
    expect(body.continue_final_message).toBe(true);
    expect(body).not.toHaveProperty('add_generation_prompt');
  });

  it('llama-server prefills the last assistant message; raw tags in the continued thinking split as usual', async () => {
    const got = await continueOn('llama-server', 'llama-server-continued-thinking', 'Okay, 2 + 2.');
    expect(got.body.messages.at(-1)).toEqual({ role: 'assistant', content: 'Okay, 2 + 2.' });
    expect(got.body).not.toHaveProperty('continue_final_message');
    expect(got).toMatchObject({ reason: 'eos', thinking: 'Okay, 2 + 2. That is 4.', answer: 'The answer is $\\boxed{4}$.' });
  });
});

describe('listModels', () => {
  it('reads /v1/models, with or without /v1 in the base URL', async () => {
    const s = await serve({ engine: 'vllm', models: ['a', 'b'] });
    await expect(listModels({ baseUrl: s.url, engine: 'vllm' }, { fetch, origin: ORIGIN, now: Date.now })).resolves.toEqual(['a', 'b']);
    await expect(listModels({ baseUrl: `${s.url}/v1/`, engine: 'vllm' }, { fetch, origin: ORIGIN, now: Date.now })).resolves.toEqual(['a', 'b']);
  });

  it("reads Ollama's /api/tags", async () => {
    const s = await serve({ engine: 'ollama' });
    await expect(listModels({ baseUrl: s.url, engine: 'ollama' }, { fetch, origin: ORIGIN, now: Date.now })).resolves.toEqual(['deepseek-r1:32b', 'deepseek-r1:7b']);
    expect(s.requests[0]?.path).toBe('/api/tags');
  });

  it('names a 401 on the model list', async () => {
    const s = await serve({ engine: 'deepseek', apiKey: 'k' });
    const e = await failure(listModels({ baseUrl: s.url, engine: 'deepseek' }, { fetch, origin: ORIGIN, now: Date.now }));
    expect(e.kind).toBe('auth');
  });
});

it('fixtures and presets agree on framing', () => {
  for (const f of Object.values(FIXTURES)) {
    const preset = PRESET_LIST.find((p) => p.id === f.engine);
    expect(preset?.framing).toBe(f.framing);
  }
});
