import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from './conversation';
import { CURRENT_SCHEMA, migrateConversation, UnreadableRecordError } from './schema';

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
});
