import type { Conversation } from './conversation';
import { entryOf, matches, type ConversationRepo } from './persistence';
import { migrateConversation } from './schema';

/** An in-memory repo with IndexedDB's copy semantics, for unit tests of the store's actions. */
export function createMemoryRepo(initial: unknown[] = []): ConversationRepo {
  const records = new Map<string, unknown>();
  for (const raw of initial) {
    const id = (raw as { id?: unknown })?.id;
    records.set(typeof id === 'string' ? id : `bad-${records.size}`, structuredClone(raw));
  }
  const readable = () =>
    [...records.values()].flatMap((raw) => {
      try {
        return [migrateConversation(raw)];
      } catch {
        return [];
      }
    });
  return {
    async list() {
      const convs = readable();
      const problems = Array.from({ length: records.size - convs.length }, () => 'A conversation could not be read and was skipped.');
      return { entries: convs.map(entryOf).sort((a, b) => b.updatedAt - a.updatedAt), problems };
    },
    async load(id) {
      const raw = records.get(id);
      if (raw === undefined) return { conversation: null, problem: 'This conversation is no longer stored.' };
      try {
        return { conversation: migrateConversation(structuredClone(raw)), problem: null };
      } catch (error) {
        return { conversation: null, problem: `This conversation could not be read (${String(error)}).` };
      }
    },
    async save(c: Conversation) {
      records.set(c.id, structuredClone(c));
    },
    async remove(id) {
      records.delete(id);
    },
    async search(query) {
      return readable()
        .filter((c) => matches(c, query))
        .map((c) => c.id);
    },
  };
}
