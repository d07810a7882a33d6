// The real chat store driving RemoteEngine against the engine test server: the same store code the
// local worker feeds, with nothing in it that knows which engine runs.
import { afterEach, describe, expect, it } from 'vitest';
import { startEngineServer, type EngineServer } from '../../tools/engines/server.ts';
import { createChatStore, SERVER_DROPPED } from '../chat/chat-store';
import { MATH_DIRECTIVE } from '../chat/conversation';
import { createMemoryRepo } from '../chat/memory-repo';
import { RemoteEngine } from './remote-engine';

const MODEL = { repo: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B', dtype: 'server', device: 'vllm' };

let server: EngineServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function setup(engine: 'vllm' | 'deepseek' | 'ollama' = 'vllm') {
  server = await startEngineServer({ engine });
  const model = engine === 'ollama' ? 'deepseek-r1:32b' : engine === 'deepseek' ? 'deepseek-flash' : MODEL.repo;
  const remote = new RemoteEngine({ baseUrl: server.url, engine, model, apiKey: 'sk-local' }, { origin: 'http://127.0.0.1:4173' });
  const repo = createMemoryRepo();
  const store = createChatStore({ repo, engine: () => remote });
  return { store, repo, server, remote };
}

describe('chat store on a remote engine', () => {
  it('streams into the thinking block and the answer, then sends the next turn without the thinking', async () => {
    const { store, server: s, repo } = await setup('deepseek');
    await store.getState().send('What is 2 + 2?', MODEL);
    const reply = store.getState().conversation.messages[1];
    expect(reply).toMatchObject({
      status: 'done',
      thinking: 'Okay, 2 + 2. That is 4.',
      answer: 'The answer is $\\boxed{4}$.',
      thinkingClosed: true,
    });
    expect(reply?.stats).toMatchObject({ promptTokens: 13, generatedTokens: 12 });
    await store.getState().send('And 3 + 3?', MODEL);
    const second = s.requests.filter((r) => r.path === '/v1/chat/completions')[1]?.body as { messages: unknown[] };
    expect(second.messages).toEqual([
      { role: 'user', content: `What is 2 + 2?\n\n${MATH_DIRECTIVE}` },
      { role: 'assistant', content: 'The answer is $\\boxed{4}$.' },
      { role: 'user', content: `And 3 + 3?\n\n${MATH_DIRECTIVE}` },
    ]);
    // The key went to its own server in the header and is nowhere in what the store saved.
    expect(s.requests[0]?.headers.authorization).toBe('Bearer sk-local');
    const saved = JSON.stringify(await repo.load(store.getState().conversation.id));
    expect(saved).not.toContain('sk-local');
    expect(saved).not.toContain(s.url);
  });

  it('a server that dies mid-reply leaves the partial reply marked interrupted, with why; Continue finishes it', async () => {
    const { store, server: s } = await setup('vllm');
    s.set({ faults: { dropAfterEvents: 3 } });
    await store.getState().send('What is 2 + 2?', MODEL);
    const reply = store.getState().conversation.messages[1]!;
    expect(reply).toMatchObject({ status: 'interrupted', thinking: 'Okay, 2 + 2. That is 4.', answer: '', error: SERVER_DROPPED });

    s.set({ faults: { dropAfterEvents: 2 } });
    await store.getState().regenerate(reply.id, MODEL);
    const cut = store.getState().conversation.messages[1]!;
    expect(cut).toMatchObject({ status: 'interrupted', thinking: 'Okay, 2 + 2.' });

    s.set({ faults: {}, reply: 'vllm-continued-thinking' });
    // The raw reply so far ends inside the thinking: vLLM continues it there.
    await store.getState().continueReply(cut.id, MODEL);
    const continued = store.getState().conversation.messages[1];
    const body = s.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.body as { messages: { role: string; content: string }[] };
    expect(body.messages.at(-1)).toEqual({ role: 'assistant', content: `<think>\n${cut.content}` });
    expect(continued).toMatchObject({ status: 'done', error: null, thinking: 'Okay, 2 + 2. That is 4.', answer: 'The answer is $\\boxed{4}$.' });
  });

  it('Stop during a slow stream', async () => {
    const { store, server: s } = await setup('ollama');
    s.set({ faults: { eventDelayMs: 300 } });
    const sending = store.getState().send('What is 2 + 2?', MODEL);
    for (let i = 0; i < 100 && !store.getState().conversation.messages[1]?.content; i++) await new Promise((r) => setTimeout(r, 10));
    await store.getState().stop();
    await sending;
    expect(store.getState().conversation.messages[1]?.status).toBe('stopped');
    expect(store.getState().generatingId).toBeNull();
  });

  it('an error inside the stream becomes the reply`s error with a sentence', async () => {
    const { store, server: s } = await setup('vllm');
    s.set({ reply: 'vllm-stream-error' });
    await store.getState().send('What is 2 + 2?', MODEL);
    const reply = store.getState().conversation.messages[1];
    expect(reply?.status).toBe('error');
    expect(reply?.error?.message).toMatch(/longer than the server’s context/);
    expect(reply?.thinking).toBe('Okay');
  });
});
