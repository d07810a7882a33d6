import { describe, expect, it } from 'vitest';
import type { ChatTurn, SamplingOptions } from '../../workers/protocol';
import { createChatStore, type ReplyEngine } from './chat-store';
import { DEFAULT_SETTINGS, MATH_DIRECTIVE } from './conversation';
import { createMemoryRepo } from './memory-repo';

const MODEL = { repo: 'ponder-test/tiny-r1', dtype: 'q4', device: 'wasm' };
const REPLY = 'Adding gives 5.\n</think>\n\nThe sum is $5$. \\boxed{5}';

/** Plays the worker's part: streams `reply` in small deltas and records what it was asked. */
function scriptedEngine(reply = REPLY) {
  const calls: Array<{ turns: ChatTurn[]; options: SamplingOptions; continuation?: string }> = [];
  let interrupted = false;
  const engine: ReplyEngine = {
    async generate(turns, options, handlers, continuation) {
      calls.push({ turns, options, ...(continuation ? { continuation } : {}) });
      interrupted = false;
      handlers.onStarted?.(10);
      const pieces = reply.match(/.{1,4}/gs) ?? [];
      let n = 0;
      for (const piece of pieces) {
        if (interrupted) break;
        n += 1;
        handlers.onDelta(piece, n, 50);
        await Promise.resolve();
      }
      return {
        reason: interrupted ? 'interrupted' : 'eos',
        stats: { promptTokens: 10, generatedTokens: n, timeToFirstTokenMs: 5, tokensPerSecond: 50, totalMs: 20 },
      };
    },
    async interrupt() {
      interrupted = true;
    },
  };
  return { engine, calls };
}

function setup(initial: unknown[] = [], reply?: string, contextLimit?: () => number | null) {
  const repo = createMemoryRepo(initial);
  const { engine, calls } = scriptedEngine(reply);
  const store = createChatStore({ repo, engine: () => engine, ...(contextLimit ? { contextLimit } : {}) });
  return { store, repo, calls };
}

describe('chat store', () => {
  it('sends a question, streams the reply into thinking and answer, and saves the conversation', async () => {
    const { store, repo, calls } = setup();
    await store.getState().send('What is 2 + 3?', MODEL);
    const [user, reply] = store.getState().conversation.messages;
    expect(user?.content).toBe('What is 2 + 3?');
    expect(reply?.thinking).toBe('Adding gives 5.');
    expect(reply?.answer).toBe('The sum is $5$. \\boxed{5}');
    expect(reply?.status).toBe('done');
    expect(reply?.model).toEqual(MODEL);
    // The model card's directive goes to the model, not into what the user sees.
    expect(calls[0]?.turns).toEqual([{ role: 'user', content: `What is 2 + 3?\n\n${MATH_DIRECTIVE}` }]);
    expect(calls[0]?.options).toMatchObject({ temperature: 0.6, topP: 0.95, maxNewTokens: 8192 });
    const { entries } = await repo.list();
    expect(entries).toHaveLength(1);
    expect(entries[0]?.title).toBe('What is 2 + 3?');
    expect((await repo.load(entries[0]!.id)).conversation?.messages).toHaveLength(2);
  });

  it('sends earlier replies back without their thinking', async () => {
    const { store, calls } = setup();
    store.getState().updateSettings({ mathDirective: false });
    await store.getState().send('First?', MODEL);
    await store.getState().send('Second?', MODEL);
    expect(calls[1]?.turns).toEqual([
      { role: 'user', content: 'First?' },
      { role: 'assistant', content: '\n\nThe sum is $5$. \\boxed{5}' },
      { role: 'user', content: 'Second?' },
    ]);
  });

  it('regenerate keeps the earlier attempt as a version that can be shown again', async () => {
    const { store } = setup();
    await store.getState().send('Q', MODEL);
    const replyId = store.getState().conversation.messages[1]!.id;
    await store.getState().regenerate(replyId, MODEL);
    let reply = store.getState().conversation.messages[1]!;
    expect(reply.attempt).toBe(2);
    expect(reply.versions.map((v) => v.attempt)).toEqual([1]);
    store.getState().showVersion(replyId, 1);
    reply = store.getState().conversation.messages[1]!;
    expect(reply.attempt).toBe(1);
    expect(reply.versions.map((v) => v.attempt)).toEqual([2]);
    expect(store.getState().conversation.messages).toHaveLength(2);
  });

  it('edit and resend replaces everything after the edited question', async () => {
    const { store, calls } = setup();
    store.getState().updateSettings({ mathDirective: false });
    await store.getState().send('Q1', MODEL);
    await store.getState().send('Q2', MODEL);
    const firstUser = store.getState().conversation.messages[0]!;
    await store.getState().editAndResend(firstUser.id, 'Q1 edited', MODEL);
    const messages = store.getState().conversation.messages;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(messages[0]?.content).toBe('Q1 edited');
    expect(calls.at(-1)?.turns).toEqual([{ role: 'user', content: 'Q1 edited' }]);
    expect(store.getState().conversation.title).toBe('Q1 edited');
  });

  it('delete turn removes a question and its reply', async () => {
    const { store } = setup();
    await store.getState().send('Q1', MODEL);
    await store.getState().send('Q2', MODEL);
    store.getState().deleteTurn(store.getState().conversation.messages[0]!.id);
    expect(store.getState().conversation.messages.map((m) => m.content.slice(0, 2))).toEqual(['Q2', 'Ad']);
  });

  it('continue sends the unfinished output as a continuation and appends to it', async () => {
    const { store, calls } = setup([], 'first part');
    await store.getState().send('Q', MODEL);
    const id = store.getState().conversation.messages[1]!.id;
    store.setState((s) => ({
      conversation: { ...s.conversation, messages: s.conversation.messages.map((m) => (m.id === id ? { ...m, status: 'length' as const } : m)) },
    }));
    await store.getState().continueReply(id, MODEL);
    expect(calls.at(-1)?.continuation).toBe('first part');
    const reply = store.getState().conversation.messages[1]!;
    expect(reply.content).toBe('first partfirst part');
    expect(reply.generatedTokens).toBe(6);
    expect(reply.status).toBe('done');
  });

  it('caps the reply at the context the loaded model fits on this device, less the prompt', async () => {
    let fitted: number | null = 8192;
    const { store, calls } = setup([], undefined, () => fitted);
    store.getState().updateSettings({ maxNewTokens: 32_768, mathDirective: false });
    await store.getState().send('Q', MODEL);
    expect(calls[0]?.options.maxNewTokens).toBe(8192 - 1024);
    // A long conversation leaves the reply less: 9,000 characters are about 3,000 tokens.
    store.getState().newChat();
    await store.getState().send('x'.repeat(9000), MODEL);
    expect(calls[1]?.options.maxNewTokens).toBe(8192 - 3000);
    // A lower setting stands; a custom model (no facts) is not capped.
    store.getState().updateSettings({ maxNewTokens: 2000 });
    await store.getState().send('Q', MODEL);
    expect(calls[2]?.options.maxNewTokens).toBe(2000);
    fitted = null;
    store.getState().updateSettings({ maxNewTokens: 32_768 });
    await store.getState().send('Q', MODEL);
    expect(calls[3]?.options.maxNewTokens).toBe(32_768);
    // The setting itself is left as the user set it.
    expect(store.getState().conversation.settings.maxNewTokens).toBe(32_768);
  });

  it('counts a continued reply’s own tokens against the fitted context', async () => {
    const { store, calls } = setup([], 'abcd'.repeat(2000), () => 4096);
    store.getState().updateSettings({ maxNewTokens: 32_768, mathDirective: false });
    await store.getState().send('Q', MODEL);
    const id = store.getState().conversation.messages[1]!.id;
    expect(store.getState().conversation.messages[1]!.generatedTokens).toBe(2000);
    await store.getState().continueReply(id, MODEL);
    // 1 token of question and 2,000 of reply so far.
    expect(calls.at(-1)?.options.maxNewTokens).toBe(4096 - 2001);
  });

  it('deletes a conversation and undo restores it', async () => {
    const { store, repo } = setup();
    await store.getState().send('Keep me', MODEL);
    const id = store.getState().conversation.id;
    await store.getState().remove(id);
    expect((await repo.list()).entries).toHaveLength(0);
    expect(store.getState().conversation.messages).toHaveLength(0);
    await store.getState().undoRemove();
    expect((await repo.list()).entries.map((e) => e.id)).toEqual([id]);
    expect(store.getState().entries.map((e) => e.id)).toEqual([id]);
  });

  it('marks a reply that was streaming when the page closed as interrupted on reopen', async () => {
    const stored = {
      schema: 1,
      id: 'c1',
      title: 'Crash',
      createdAt: 1,
      updatedAt: 2,
      settings: DEFAULT_SETTINGS,
      messages: [
        { id: 'u', role: 'user', content: 'Q' },
        { id: 'a', role: 'assistant', content: 'half a thou', thinking: 'half a thou', status: 'streaming' },
      ],
    };
    const { store, repo } = setup([stored]);
    await store.getState().init();
    await store.getState().open('c1');
    expect(store.getState().conversation.messages[1]?.status).toBe('interrupted');
    expect((await repo.load('c1')).conversation?.messages[1]?.status).toBe('interrupted');
  });

  it('reports an unreadable conversation and still lists the others', async () => {
    const good = { schema: 1, id: 'ok', title: 'Fine', createdAt: 1, updatedAt: 1, settings: DEFAULT_SETTINGS, messages: [] };
    const { store } = setup([good, { id: 'bad', schema: 1, messages: 'not an array' }]);
    await store.getState().init();
    expect(store.getState().entries.map((e) => e.id)).toEqual(['ok']);
    expect(store.getState().problems.length).toBe(1);
    await store.getState().open('bad');
    expect(store.getState().problems.length).toBe(2);
    expect(store.getState().problems[1]).toMatch(/could not be read/);
  });

  it('searches titles and message content', async () => {
    const { store } = setup();
    await store.getState().send('Prime numbers below 20', MODEL);
    store.getState().newChat();
    await store.getState().send('Integrate x squared', MODEL);
    await store.getState().search('prime');
    expect(store.getState().hits).toHaveLength(1);
    await store.getState().search('sum is');
    expect(store.getState().hits).toHaveLength(2);
    await store.getState().search('');
    expect(store.getState().hits).toBeNull();
  });

  it('stop interrupts the running reply', async () => {
    const { store } = setup([], 'x'.repeat(400));
    const sending = store.getState().send('Q', MODEL);
    await Promise.resolve();
    await store.getState().stop();
    await sending;
    const reply = store.getState().conversation.messages[1]!;
    expect(reply.status).toBe('stopped');
    expect(reply.content.length).toBeLessThan(400);
  });
});

describe('importing', () => {
  it('adds a conversation, saves it, opens it, and refuses while a reply streams', async () => {
    const { store, repo } = setup();
    const reply = { ...(await import('./conversation')).blankMessage('assistant', 'T\n</think>\n\nA'), status: 'done' as const };
    const id = await store.getState().importConversation({ title: 'Shared', messages: [reply] });
    expect(id).toBe(store.getState().conversation.id);
    expect(store.getState().conversation.title).toBe('Shared');
    expect((await repo.list()).entries.map((e) => e.id)).toEqual([id]);
    store.setState({ generatingId: 'x' });
    expect(await store.getState().importConversation({ title: 'Another', messages: [reply] })).toBeNull();
  });
});
