import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openSession } from './harness/browser';

const COUNT = 1000;

describe('many stored conversations', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('lists 1,000 chats from the index, opens one, and searches their content', async () => {
    const { page } = await openSession(browser, inject('appUrl'));
    // Write the stores the app itself uses (an index entry and a record per chat), as a long-time user would have them.
    await page.evaluate(async (count) => {
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
      const index = await open('ponder-conversation-index', 'index');
      const records = await open('ponder-conversations', 'conversations');
      const entries: Array<[string, unknown]> = [];
      const bodies: Array<[string, unknown]> = [];
      for (let i = 0; i < count; i++) {
        const id = `seed-${i}`;
        const title = `Problem ${i}`;
        const messages = [
          { id: `${id}-u`, role: 'user', content: `Question number ${i}` },
          { id: `${id}-a`, role: 'assistant', content: `Thinking ${i}\n</think>\n\nAnswer ${i}${i === 777 ? ' zebra' : ''}`, thinking: `Thinking ${i}`, answer: `Answer ${i}${i === 777 ? ' zebra' : ''}`, thinkingClosed: true, status: 'done' },
        ];
        entries.push([id, { id, title, createdAt: i, updatedAt: i, messageCount: 2 }]);
        bodies.push([id, { schema: 1, id, title, createdAt: i, updatedAt: i, messages }]);
      }
      await put(records, 'conversations', bodies);
      await put(index, 'index', entries);
    }, COUNT);
    await page.reload();

    const items = page.getByRole('list', { name: 'Chats' }).locator('li');
    await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(COUNT);
    // Newest first.
    expect(await items.first().textContent()).toContain(`Problem ${COUNT - 1}`);
    await page.getByRole('button', { name: 'Problem 123', exact: true }).click();
    await expect.poll(() => page.locator('article.message.user').textContent()).toContain('Question number 123');
    await page.getByLabel('Search conversations').fill('zebra');
    await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(1);
    expect(await items.first().textContent()).toContain('Problem 777');
  });
});
