import type { Page } from 'playwright-core';

/** One chat as the app stores it: its index entry and its record (schema 1). */
export interface StoredChat {
  id: string;
  title: string;
  /** Also its updatedAt: the list shows the newest first. */
  createdAt: number;
  messages: unknown[];
}

/**
 * Writes chats into the IndexedDB stores the app itself reads (an index entry and a record per chat),
 * as a long-time user would have them, then reloads so the app lists them.
 */
export async function storeChats(page: Page, chats: readonly StoredChat[]): Promise<void> {
  const rows = chats.map(({ id, title, createdAt, messages }) => ({
    id,
    entry: { id, title, createdAt, updatedAt: createdAt, messageCount: messages.length },
    body: { schema: 1, id, title, createdAt, updatedAt: createdAt, messages },
  }));
  await page.evaluate(async (rows) => {
    const open = (name: string, store: string) =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(name);
        req.onupgradeneeded = () => req.result.createObjectStore(store);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    const put = (db: IDBDatabase, store: string, items: Array<[string, unknown]>) =>
      new Promise<void>((resolve, reject) => {
        const tx = db.transaction(store, 'readwrite');
        for (const [key, value] of items) tx.objectStore(store).put(value, key);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
    await put(await open('ponder-conversations', 'conversations'), 'conversations', rows.map((r) => [r.id, r.body]));
    await put(await open('ponder-conversation-index', 'index'), 'index', rows.map((r) => [r.id, r.entry]));
  }, rows);
  await page.reload();
}

/** Every chat record the app has saved (IndexedDB `ponder-conversations`), as stored; none before the first. */
export function readStoredChats<Message = unknown>(page: Page): Promise<Array<{ messages: Message[] }>> {
  return page.evaluate(
    () =>
      new Promise<Array<{ messages: Message[] }>>((resolve, reject) => {
        const request = indexedDB.open('ponder-conversations');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains('conversations')) return resolve([]);
          const all = db.transaction('conversations').objectStore('conversations').getAll();
          all.onsuccess = () => resolve(all.result as Array<{ messages: Message[] }>);
          all.onerror = () => reject(all.error);
        };
      }),
  );
}
