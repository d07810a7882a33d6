import { createStore, del, get, set, values, type UseStore } from 'idb-keyval';
import type { Conversation } from './conversation';
import { CURRENT_SCHEMA, migrateConversation, UnreadableRecordError, type StoredConversation } from './schema';

/** What the sidebar needs, kept apart from the messages so 1,000 chats list without loading them. */
export interface ConversationEntry {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messageCount: number;
}

export interface LoadResult {
  conversation: StoredConversation | null;
  problem: string | null;
}

export interface ConversationRepo {
  list(): Promise<{ entries: ConversationEntry[]; problems: string[] }>;
  load(id: string): Promise<LoadResult>;
  save(conversation: Conversation): Promise<void>;
  remove(id: string): Promise<void>;
  /** Ids of conversations whose title or messages contain the query (case-insensitive). */
  search(query: string): Promise<string[]>;
}

export function entryOf(c: Conversation): ConversationEntry {
  return { id: c.id, title: c.title, createdAt: c.createdAt, updatedAt: c.updatedAt, messageCount: c.messages.length };
}

function isEntry(v: unknown): v is ConversationEntry {
  const e = v as Partial<ConversationEntry> | null;
  return !!e && typeof e.id === 'string' && typeof e.title === 'string' && typeof e.updatedAt === 'number';
}

export function matches(c: Pick<Conversation, 'title' | 'messages'>, query: string): boolean {
  const q = query.toLowerCase();
  return c.title.toLowerCase().includes(q) || c.messages.some((m) => m.content.toLowerCase().includes(q));
}

/** Conversations in IndexedDB: an index store for the list, a record store for the messages. */
export function createIdbRepo(prefix = 'ponder'): ConversationRepo {
  // Opened on first use, so importing the store (in tests, or before the app needs it) opens nothing.
  let opened: { index: UseStore; records: UseStore } | null = null;
  const stores = () =>
    (opened ??= {
      index: createStore(`${prefix}-conversation-index`, 'index'),
      records: createStore(`${prefix}-conversations`, 'conversations'),
    });
  const index: UseStore = (mode, fn) => stores().index(mode, fn);
  const records: UseStore = (mode, fn) => stores().records(mode, fn);

  return {
    async list() {
      const problems: string[] = [];
      const entries = (await values<unknown>(index)).filter((e): e is ConversationEntry => {
        if (isEntry(e)) return true;
        problems.push('A conversation entry in this browser’s storage could not be read and was skipped.');
        return false;
      });
      entries.sort((a, b) => b.updatedAt - a.updatedAt);
      return { entries, problems };
    },

    async load(id) {
      const raw = await get<unknown>(id, records);
      if (raw === undefined) return { conversation: null, problem: 'This conversation is no longer stored.' };
      try {
        return { conversation: migrateConversation(raw), problem: null };
      } catch (error) {
        const why = error instanceof UnreadableRecordError ? error.message : String(error);
        return { conversation: null, problem: `This conversation could not be read (${why}). Your other conversations are unaffected.` };
      }
    },

    async save(conversation) {
      // Record before index: a crash between the two leaves a record the list misses, never an entry without data.
      await set(conversation.id, { ...conversation, schema: CURRENT_SCHEMA }, records);
      await set(conversation.id, entryOf(conversation), index);
    },

    async remove(id) {
      await del(id, index);
      await del(id, records);
    },

    async search(query) {
      const hits: string[] = [];
      await records('readonly', (store) => {
        const cursor = store.openCursor();
        return new Promise<void>((resolve, reject) => {
          cursor.onsuccess = () => {
            const c = cursor.result;
            if (!c) return resolve();
            try {
              const conv = migrateConversation(c.value);
              if (matches(conv, query)) hits.push(conv.id);
            } catch {
              // Unreadable records are reported by load(); search just skips them.
            }
            c.continue();
          };
          cursor.onerror = () => reject(cursor.error);
        });
      });
      return hits;
    },
  };
}

