import { describe, expect, it } from 'vitest';
import type { ConsensusPath, ConsensusRecord } from '../consensus/types';
import { DEFAULT_SETTINGS, markInterrupted } from './conversation';
import { CURRENT_SCHEMA, migrateConversation, UnreadableRecordError } from './schema';

const path = (over: Partial<ConsensusPath> = {}): ConsensusPath => ({
  content: 'T</think>$\\boxed{5}$', thinking: 'T', answer: '$\\boxed{5}$', thinkingClosed: true, status: 'done',
  generatedTokens: 40, confidence: 12.5, final: '5', seed: 1, ...over,
});

const record = (over: Partial<ConsensusRecord> = {}): ConsensusRecord => ({
  settings: { maxPaths: 4, mode: 'adaptive', weighting: 'confidence' },
  paths: [path(), path({ seed: 2, final: '6', confidence: 3 }), path({ seed: 3, status: 'length', final: null, confidence: null })],
  vote: {
    outcome: 'majority',
    groups: [{ answer: '5', paths: [0], weight: 12.5, share: 0.8 }, { answer: '6', paths: [1], weight: 3, share: 0.2 }],
    winner: 0,
    finished: 3,
    unanswered: 1,
    weighting: 'confidence',
  },
  stop: 'decided',
  certainty: 0.97,
  chosenPath: 0,
  ...over,
});

/** A stored conversation with one consensus reply; `consensus` goes in as stored, unchecked. */
const stored = (consensus: unknown, status = 'done') => ({
  schema: 1,
  id: 'c',
  settings: { ...DEFAULT_SETTINGS, consensus: { maxPaths: 4, mode: 'adaptive', weighting: 'confidence' } },
  messages: [
    { id: 'u', role: 'user', content: 'Q' },
    { id: 'a', role: 'assistant', content: 'T</think>$\\boxed{5}$', answer: '$\\boxed{5}$', status, consensus },
  ],
});

describe('conversation schema', () => {
  it('upgrades a schema-0 record (no settings, no versions) to the current schema', () => {
    const v0 = {
      id: 'c',
      title: 'Old',
      createdAt: 5,
      updatedAt: 6,
      messages: [
        { id: 'u', role: 'user', content: 'Q' },
        { id: 'a', role: 'assistant', content: 'T\n</think>\n\nA', thinking: 'T', answer: 'A', thinkingClosed: true, status: 'done' },
      ],
    };
    const c = migrateConversation(v0);
    expect(c.schema).toBe(CURRENT_SCHEMA);
    expect(c.settings).toEqual(DEFAULT_SETTINGS);
    expect(c.messages[1]).toMatchObject({ thinking: 'T', answer: 'A', versions: [], attempt: 1 });
    expect(c.messages[0]?.answer).toBe('Q');
  });

  it('keeps valid settings and replaces invalid ones with defaults', () => {
    const c = migrateConversation({ schema: 1, id: 'c', messages: [], settings: { temperature: 0.55, topP: 'x', seed: 7, thinkingBudget: null } });
    expect(c.settings).toEqual({ ...DEFAULT_SETTINGS, temperature: 0.55, seed: 7 });
  });

  it.each([
    ['not an object', 42],
    ['no id', { schema: 1, messages: [] }],
    ['messages not a list', { schema: 1, id: 'c', messages: {} }],
    ['a message without a role', { schema: 1, id: 'c', messages: [{ id: 'm', content: 'x' }] }],
    ['a newer schema', { schema: CURRENT_SCHEMA + 1, id: 'c', messages: [] }],
  ])('refuses a record with %s, with a reason', (_name, raw) => {
    expect(() => migrateConversation(raw)).toThrow(UnreadableRecordError);
  });

  it('loads records written before consensus with none, on settings and on messages', () => {
    const c = migrateConversation({ schema: 1, id: 'c', settings: { temperature: 0.6 }, messages: [{ id: 'a', role: 'assistant', content: 'A', settings: {} }] });
    expect(c.settings.consensus).toBeNull();
    expect(c.messages[0]).toMatchObject({ consensus: null, settings: { consensus: null } });
  });

  it('round-trips a full consensus record and its settings', () => {
    const c = migrateConversation(structuredClone(stored(record())));
    expect(c.messages[1]?.consensus).toEqual(record());
    expect(c.settings.consensus).toEqual({ maxPaths: 4, mode: 'adaptive', weighting: 'confidence' });
    expect(migrateConversation(structuredClone(c))).toEqual(c);
  });

  it('gives bad consensus settings their defaults, and a non-object none', () => {
    const bad = migrateConversation({ ...stored(null), settings: { consensus: { maxPaths: 17, mode: 'sometimes', weighting: 'count' } } });
    expect(bad.settings.consensus).toEqual({ maxPaths: 8, mode: 'adaptive', weighting: 'count' });
    expect(migrateConversation({ ...stored(null), settings: { consensus: 'yes' } }).settings.consensus).toBeNull();
  });

  const first = record().vote!.groups[0]!;
  it.each([
    ['not an object', 'consensus'],
    ['paths not a list', record({ paths: {} as unknown as ConsensusPath[] })],
    ['more than 16 paths', record({ paths: Array.from({ length: 17 }, (_, i) => path({ seed: i })), vote: null, chosenPath: null })],
    ['a path with an unknown status', record({ paths: [path({ status: 'paused' as ConsensusPath['status'] })], vote: null })],
    ['a path without content', record({ paths: [{ ...path(), content: undefined as unknown as string }] })],
    ['negative tokens', record({ paths: [path({ generatedTokens: -1 })], vote: null })],
    ['an infinite confidence', record({ paths: [path({ confidence: Infinity })], vote: null })],
    ['an unknown outcome', record({ vote: { ...record().vote!, outcome: 'landslide' as 'tie' } })],
    ['a group naming a missing path', record({ vote: { ...record().vote!, groups: [{ ...first, paths: [3] }] } })],
    ['a share over 1', record({ vote: { ...record().vote!, groups: [{ ...first, share: 1.5 }] } })],
    ['a negative weight', record({ vote: { ...record().vote!, groups: [{ ...first, weight: -2 }] } })],
    ['a winner past the groups', record({ vote: { ...record().vote!, winner: 2 } })],
    ['an unknown stop', record({ stop: 'bored' as 'decided' })],
    ['a certainty over 1', record({ certainty: 2 })],
    ['a chosen path past the paths', record({ chosenPath: 3 })],
  ])('drops a consensus record with %s, keeping the message and the rest of the chat', (_name, consensus) => {
    const c = migrateConversation(structuredClone(stored(consensus)));
    expect(c.messages).toHaveLength(2);
    expect(c.messages[1]).toMatchObject({ id: 'a', answer: '$\\boxed{5}$', consensus: null });
  });

  it('brings back paths left sampling or queued when the page went away as stopped', () => {
    const sampling = record({ paths: [path(), path({ status: 'streaming', seed: 2 }), path({ status: 'waiting', seed: 3 })], stop: null, certainty: null });
    const [, reply] = markInterrupted(migrateConversation(structuredClone(stored(sampling, 'streaming'))).messages);
    expect(reply?.status).toBe('interrupted');
    expect(reply?.consensus?.paths.map((p) => p.status)).toEqual(['done', 'stopped', 'stopped']);
    expect(reply?.consensus?.stop).toBe('stopped');
    const settled = migrateConversation(stored(record())).messages;
    expect(markInterrupted(settled)).toEqual(settled);
  });
});
