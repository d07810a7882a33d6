import { describe, expect, it } from 'vitest';
import type { ChatTurn } from '../../workers/protocol';
import { boxedReply, scriptedPathsEngine } from '../consensus/testing/paths-engine';
import { DEFAULT_CONSENSUS } from '../consensus/types';
import { createChatStore, type ReplyEngine } from './chat-store';
import { createMemoryRepo } from './memory-repo';

const MODEL = { repo: 'ponder-test/tiny-r1', dtype: 'q4', device: 'wasm' };

/** The store's engine: batched paths from `answers[path]`, and single replies that say so. */
function setup(answers: string[]) {
  const paths = scriptedPathsEngine((_, path) => boxedReply(answers[path % answers.length]!));
  const single: ChatTurn[][] = [];
  const engine: ReplyEngine = {
    ...paths.engine,
    async generate(turns, _options, handlers) {
      single.push(turns);
      handlers.onDelta('One answer.\n</think>\n\nok', 3, 1);
      return { reason: 'eos', stats: { promptTokens: 1, generatedTokens: 3, timeToFirstTokenMs: 1, tokensPerSecond: 1, totalMs: 1 } };
    },
  };
  const repo = createMemoryRepo([]);
  const store = createChatStore({ repo, engine: () => engine, pathsContextLimit: () => 1_000_000 });
  return { store, repo, calls: paths.calls, single };
}

describe('chat store: consensus replies', () => {
  it('samples paths, votes, shows the chosen path as the reply, saves it, and continues from its answer', async () => {
    const { store, repo, calls, single } = setup(['7', '5', '5', '5', '5', '5']);
    store.getState().updateSettings({ consensus: DEFAULT_CONSENSUS });
    await store.getState().send('What is 2 + 3?', MODEL);
    const reply = store.getState().conversation.messages[1]!;
    expect(reply.status).toBe('done');
    const record = reply.consensus!;
    expect(record.vote?.groups[0]).toMatchObject({ answer: '5' });
    expect(record.paths.length).toBeGreaterThanOrEqual(4);
    expect(calls[0]?.turns.at(-1)?.content).toContain('What is 2 + 3?');
    // The message is the chosen path: its thinking, its answer, one of the majority.
    const shown = record.paths[record.chosenPath!]!;
    expect(shown.final).toBe('5');
    expect(reply.content).toBe(shown.content);
    expect(reply.answer).toBe(shown.answer);
    expect(reply.generatedTokens).toBe(record.paths.reduce((s, p) => s + p.generatedTokens, 0));
    // Saved with the conversation.
    const saved = await repo.load(store.getState().conversation.id);
    expect(saved.conversation?.messages[1]?.consensus?.paths.length).toBe(record.paths.length);

    // A single answer next: the history holds the chosen path's answer, without its thinking.
    store.getState().updateSettings({ consensus: null });
    await store.getState().send('And 3 + 4?', MODEL);
    const history = single[0]!;
    expect(history[1]).toEqual({ role: 'assistant', content: expect.stringContaining('\\boxed{5}') });
    expect(history[1]?.content).not.toContain('Let me think');
    expect(store.getState().conversation.messages[3]?.consensus).toBeNull();
  });

  it('Stop stops the consensus and marks the reply stopped, with the vote over what finished', async () => {
    const { store } = setup(['5']);
    store.getState().updateSettings({ consensus: { ...DEFAULT_CONSENSUS, mode: 'fixed' } });
    const sending = store.getState().send('What is 2 + 3?', MODEL);
    await Promise.resolve();
    await store.getState().stop();
    await sending;
    const reply = store.getState().conversation.messages[1]!;
    expect(reply.status).toBe('stopped');
    expect(reply.consensus?.stop).toBe('stopped');
    expect(store.getState().generatingId).toBeNull();
  });
});
