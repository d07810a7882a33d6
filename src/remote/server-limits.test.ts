// The context each engine documents, read from tools/engines' stand-in (which serves those fields
// literally), what happens when a field is missing or malformed, Ollama's num_ctx, and the learned
// context capping a real chat store's request.
import { afterEach, describe, expect, it } from 'vitest';
import { startEngineServer, type EngineServer } from '../../tools/engines/server.ts';
import { createChatStore } from '../chat/chat-store';
import { createMemoryRepo } from '../chat/memory-repo';
import { PROMPT_ALLOWANCE } from '../chat/reply-cap';
import type { EngineId } from './presets';
import { PRESETS } from './presets';
import { RemoteEngine, requestBody } from './remote-engine';
import { fromModelCards, fromOllamaShow, fromProps, learnContext, modelfileNumCtx, NUM_CTX_STEP, ollamaNumCtx, uncappedNote } from './server-limits';

const M32 = 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B';
const MODEL_OF: Record<EngineId, string> = {
  vllm: M32,
  sglang: M32,
  ollama: 'deepseek-r1:32b',
  'ollama-openai': 'deepseek-r1:32b',
  'llama-server': 'DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf',
  lmstudio: 'deepseek-r1-distill-qwen-32b',
  deepseek: 'deepseek-reasoner',
};

let server: EngineServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function learnFrom(engine: EngineId, options: { contextLength?: number; modelfileNumCtx?: number; apiKey?: string; model?: string } = {}) {
  const { model, ...rest } = options;
  server = await startEngineServer({ engine, ...rest });
  return learnContext({ baseUrl: server.url, engine, model: model ?? MODEL_OF[engine], ...(options.apiKey ? { apiKey: options.apiKey } : {}) });
}

describe('what each engine documents about its context', () => {
  it('vLLM: the model card`s max_model_len', async () => {
    expect(await learnFrom('vllm', { contextLength: 12_288 })).toEqual({ tokens: 12_288, source: 'vLLM --max-model-len' });
    expect(server?.requests.map((r) => r.path)).toEqual(['/v1/models']);
  });

  it('vLLM: the key goes with the request, as /v1/models needs it behind --api-key', async () => {
    expect(await learnFrom('vllm', { contextLength: 4096, apiKey: 'sk-limits' })).toEqual({ tokens: 4096, source: 'vLLM --max-model-len' });
    expect(server?.requests[0]?.headers.authorization).toBe('Bearer sk-limits');
  });

  it('SGLang: the same card field', async () => {
    expect(await learnFrom('sglang', { contextLength: 65_536 })).toEqual({ tokens: 65_536, source: 'SGLang --context-length' });
  });

  it('a model the server does not list has no card, so no limit', async () => {
    expect(await learnFrom('vllm', { model: 'deepseek-ai/DeepSeek-R1-Distill-Llama-70B' })).toBeNull();
  });

  it('llama-server: /props default_generation_settings.n_ctx, public even behind an API key', async () => {
    expect(await learnFrom('llama-server', { contextLength: 16_384, apiKey: 'sk-other' })).toEqual({ tokens: 16_384, source: 'llama-server -c, per slot' });
    expect(server?.requests.map((r) => r.path)).toEqual(['/props']);
  });

  it('Ollama: /api/show model_info["<arch>.context_length"]', async () => {
    expect(await learnFrom('ollama', { contextLength: 131_072 })).toMatchObject({ tokens: 131_072 });
    expect(server?.requests[0]).toMatchObject({ method: 'POST', path: '/api/show', body: { model: 'deepseek-r1:32b' } });
  });

  it('Ollama over /v1: only a Modelfile`s num_ctx is known; without one there is no cap, and the line says why', async () => {
    expect(await learnFrom('ollama-openai', { contextLength: 131_072 })).toBeNull();
    await server?.close();
    expect(await learnFrom('ollama-openai', { contextLength: 131_072, modelfileNumCtx: 24_576 })).toEqual({
      tokens: 24_576,
      source: 'num_ctx in the model’s Ollama Modelfile',
    });
    expect(uncappedNote('ollama-openai')).toMatch(/no way to set the context size per request.*“Ollama” engine/);
  });

  it('LM Studio and DeepSeek`s API document no usable limit: no request, no cap', async () => {
    for (const engine of ['lmstudio', 'deepseek'] as const) {
      expect(await learnFrom(engine)).toBeNull();
      expect(server?.requests).toEqual([]);
      await server?.close();
      server = null;
    }
    expect(uncappedNote('lmstudio')).toBe('Not capped: LM Studio does not report its context length here, so its own limit applies.');
  });

  it('a server that is gone, refuses, or answers something else gives null, not an error', async () => {
    const refused: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await learnContext({ baseUrl: 'http://127.0.0.1:9', engine: 'vllm', model: M32 }, refused)).toBeNull();
    const status = (code: number, text: string): typeof fetch => () => Promise.resolve(new Response(text, { status: code }));
    expect(await learnContext({ baseUrl: 'http://x', engine: 'vllm', model: M32 }, status(401, '{"error":"no"}'))).toBeNull();
    expect(await learnContext({ baseUrl: 'http://x', engine: 'vllm', model: M32 }, status(200, '<html>'))).toBeNull();
  });
});

describe('malformed fields are no limit', () => {
  it('model cards', () => {
    expect(fromModelCards({ data: [{ id: 'm', max_model_len: 8192 }] }, 'm')).toBe(8192);
    for (const card of [{ id: 'm' }, { id: 'm', max_model_len: '8192' }, { id: 'm', max_model_len: -1 }, { id: 'm', max_model_len: 0 }, { id: 'm', max_model_len: 1.5 }, { id: 'm', max_model_len: null }]) {
      expect(fromModelCards({ data: [card] }, 'm'), JSON.stringify(card)).toBeNull();
    }
    expect(fromModelCards({ data: 'm' }, 'm')).toBeNull();
    expect(fromModelCards(null, 'm')).toBeNull();
    expect(fromModelCards({ data: [null, 3, { id: 'other', max_model_len: 8192 }] }, 'm')).toBeNull();
  });

  it('llama-server /props', () => {
    expect(fromProps({ default_generation_settings: { n_ctx: 4096 } })).toBe(4096);
    expect(fromProps({ n_ctx: 4096 })).toBeNull();
    expect(fromProps({ default_generation_settings: { n_ctx: '4096' } })).toBeNull();
    expect(fromProps('props')).toBeNull();
  });

  it('Ollama /api/show', () => {
    expect(fromOllamaShow({ model_info: { 'general.architecture': 'llama', 'llama.context_length': 8192 } })).toBe(8192);
    expect(fromOllamaShow({ model_info: { 'qwen2.context_length': 8192 } })).toBeNull();
    expect(fromOllamaShow({ model_info: { 'general.architecture': 'qwen2', 'llama.context_length': 8192 } })).toBeNull();
    expect(fromOllamaShow({ model_info: [] })).toBeNull();
    expect(modelfileNumCtx({ parameters: 'num_keep                       24\nnum_ctx                        4096\nstop "<|eot_id|>"' })).toBe(4096);
    expect(modelfileNumCtx({ parameters: 'num_ctx lots' })).toBeNull();
    expect(modelfileNumCtx({ parameters: 'num_ctx_extra 4096' })).toBeNull();
    expect(modelfileNumCtx({})).toBeNull();
  });
});

describe('Ollama`s num_ctx', () => {
  const config = { baseUrl: 'http://localhost:11434', engine: 'ollama' as const, model: 'deepseek-r1:32b' };
  const options = { temperature: 0.6, topP: 0.95, maxNewTokens: 8192 };

  it('holds the prompt and the reply, in steps so Ollama does not reload the model for every token', () => {
    const short = requestBody(PRESETS.ollama, config, [{ role: 'user', content: 'What is 2 + 2?' }], options);
    expect(short.options).toMatchObject({ num_predict: 8192, num_ctx: 2 * NUM_CTX_STEP });
    // 30,000 characters guess 10,000 tokens: with the reply, 18,192, so three steps.
    const long = [{ role: 'user' as const, content: 'x'.repeat(30_000) }];
    expect(ollamaNumCtx(long, 8192)).toBe(3 * NUM_CTX_STEP);
    expect(ollamaNumCtx([], 100)).toBe(NUM_CTX_STEP);
    expect(requestBody(PRESETS['ollama-openai'], { ...config, engine: 'ollama-openai' }, long, options)).not.toHaveProperty('options');
  });

  it('reaches the server in the /api/chat request', async () => {
    server = await startEngineServer({ engine: 'ollama' });
    const remote = new RemoteEngine({ ...config, baseUrl: server.url }, { origin: 'http://127.0.0.1:4173' });
    const store = createChatStore({ repo: createMemoryRepo(), engine: () => remote });
    await store.getState().send('What is 2 + 2?', { repo: 'deepseek-r1-32b', dtype: 'ollama', device: 'server' });
    expect(store.getState().conversation.messages[1]?.status).toBe('done');
    const chat = server.requests.find((r) => r.path === '/api/chat')?.body as { options: Record<string, unknown> };
    expect(chat.options).toMatchObject({ num_ctx: 2 * NUM_CTX_STEP, num_predict: 8192 });
  });
});

describe('the learned context caps the reply', () => {
  it('a vLLM with --max-model-len 4096 gets max_tokens of what is left after the prompt', async () => {
    const context = await learnFrom('vllm', { contextLength: 4096 });
    const remote = new RemoteEngine({ baseUrl: server!.url, engine: 'vllm', model: M32 }, { origin: 'http://127.0.0.1:4173' });
    const store = createChatStore({ repo: createMemoryRepo(), engine: () => remote, contextLimit: () => context?.tokens ?? null });
    await store.getState().send('What is 2 + 2?', { repo: M32, dtype: 'vllm', device: 'server' });
    expect(store.getState().conversation.messages[1]?.status).toBe('done');
    const chat = server!.requests.find((r) => r.path === '/v1/chat/completions')?.body as { max_tokens: number };
    expect(chat.max_tokens).toBe(4096 - PROMPT_ALLOWANCE);
  });
});
