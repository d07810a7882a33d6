import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openSession } from './harness/browser';
import { storeChats } from './harness/stored-chats';

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
    const chats = Array.from({ length: COUNT }, (_, i) => {
      const answer = `Answer ${i}${i === 777 ? ' zebra' : ''}`;
      const messages = [
        { id: `seed-${i}-u`, role: 'user', content: `Question number ${i}` },
        { id: `seed-${i}-a`, role: 'assistant', content: `Thinking ${i}\n</think>\n\n${answer}`, thinking: `Thinking ${i}`, answer, thinkingClosed: true, status: 'done' },
      ];
      return { id: `seed-${i}`, title: `Problem ${i}`, createdAt: i, messages };
    });
    await storeChats(page, chats);

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
