import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Hub } from '../tools/hub/index.ts';
import { fixtureInfo } from '../tools/fixture/generate.ts';
import { loadModel, sendMessage, waitForChat, waitForReply } from './harness/app';
import { externalRequests, launchBrowser, openSession, type Session } from './harness/browser';
import { startFixtureHub } from './harness/hub';

const TINY = fixtureInfo('tiny-r1');
const chats = (page: Page) => page.getByRole('list', { name: 'Chats' }).locator('li');

describe('conversations', () => {
  let browser: Browser;
  let hub: Hub;
  const sessions: Session[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    hub = await startFixtureHub();
  });

  afterAll(async () => {
    for (const s of sessions) expect(externalRequests(s.requests)).toEqual([]);
    await browser?.close();
    await hub?.close();
  });

  async function chatWith(repo: string): Promise<Session> {
    const session = await openSession(browser, inject('appUrl'));
    sessions.push(session);
    await loadModel(session.page, hub.url, repo, 'wasm');
    await waitForChat(session.page);
    return session;
  }

  it('persist across a reload and open without a model', async () => {
    const { page } = await chatWith('ponder-test/tiny-r1');
    await sendMessage(page, 'What is 2 + 3?');
    expect(await waitForReply(page, 1)).toBe('done');
    await page.reload();
    await expect.poll(() => chats(page).count()).toBe(1);
    await chats(page).getByRole('button', { name: 'What is 2 + 3?', exact: true }).click();
    await page.locator('article.message.assistant').waitFor();
    expect(await page.locator('article.message.user').textContent()).toContain('What is 2 + 3?');
    expect(await page.getByTestId('answer').textContent()).toContain('The sum is');
    // No model is loaded after a reload: the chat is readable and offers to load one.
    expect(await page.getByRole('button', { name: 'Choose a model' }).isVisible()).toBe(true);
  });

  it('keep a reply that was streaming when the page closed, marked as interrupted', async () => {
    const { page, context } = await chatWith('ponder-test/tiny-r1-endless');
    await sendMessage(page, 'Think forever');
    const reply = page.locator('article.message.assistant').first();
    await expect.poll(async () => ((await reply.textContent()) ?? '').length, { timeout: 60_000 }).toBeGreaterThan(400);
    // Saved about once a second while streaming: stream for a few seconds (so the second that may be
    // lost is a minority of it, however fast this machine decodes), then close mid-stream.
    await page.waitForTimeout(3500);
    const shown = ((await reply.locator('.thinking-body').textContent()) ?? '').length;
    await page.close();

    const again = await context.newPage();
    await again.goto(inject('appUrl'));
    await chats(again).getByRole('button', { name: 'Think forever', exact: true }).click();
    const restored = again.locator('article.message.assistant').first();
    await restored.waitFor();
    expect(await restored.getAttribute('data-status')).toBe('interrupted');
    expect(await restored.textContent()).toContain('interrupted');
    const kept = ((await restored.locator('.thinking-body').textContent()) ?? '').length;
    // At most about a second of tokens is lost.
    expect(kept).toBeGreaterThan(shown / 2);
    expect((await restored.locator('.thinking-body').textContent()) ?? '').toContain('Okay, the user wants 2 + 3.');
  });

  it('regenerate keeps versions; edit and resend replaces the rest of the chat', async () => {
    const { page } = await chatWith('ponder-test/tiny-r1');
    await sendMessage(page, 'First question');
    expect(await waitForReply(page, 1)).toBe('done');
    await page.getByRole('button', { name: '↻ Regenerate' }).click();
    await expect.poll(() => page.getByTestId('version-count').textContent()).toBe('2 / 2');
    expect(await waitForReply(page, 1)).toBe('done');
    await page.getByRole('button', { name: 'Previous version' }).click();
    expect(await page.getByTestId('version-count').textContent()).toBe('1 / 2');
    expect(await page.getByTestId('answer').textContent()).toContain('The sum is');

    await sendMessage(page, 'Second question');
    expect(await waitForReply(page, 2)).toBe('done');
    await page.locator('article.message.user').first().getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('textbox', { name: 'Edit your message' }).fill('First question, edited');
    await page.getByRole('form', { name: 'Edit your message' }).getByRole('button', { name: 'Send' }).click();
    expect(await waitForReply(page, 1)).toBe('done');
    expect(await page.locator('article.message.user').count()).toBe(1);
    expect(await page.locator('article.message.assistant').count()).toBe(1);
    expect(await page.locator('article.message.user').textContent()).toContain('First question, edited');
    expect(await page.locator('article.message.assistant').textContent()).toContain('The sum is');
  });

  it('delete with undo, rename and search in the sidebar', async () => {
    const { page } = await chatWith('ponder-test/tiny-r1');
    await sendMessage(page, 'Alpha question');
    expect(await waitForReply(page, 1)).toBe('done');
    await page.getByRole('button', { name: '+ New chat' }).click();
    await sendMessage(page, 'Beta question');
    expect(await waitForReply(page, 1)).toBe('done');
    await expect.poll(() => chats(page).count()).toBe(2);

    await page.getByRole('button', { name: 'Rename Alpha question' }).click();
    await page.getByLabel('New name for Alpha question').fill('Renamed alpha');
    await page.keyboard.press('Enter');
    await chats(page).getByRole('button', { name: 'Renamed alpha', exact: true }).waitFor();

    await page.getByLabel('Search conversations').fill('renamed');
    await expect.poll(() => chats(page).count()).toBe(1);
    await page.getByLabel('Search conversations').fill('sum is');
    await expect.poll(() => chats(page).count()).toBe(2);
    await page.getByLabel('Search conversations').fill('');

    await page.getByRole('button', { name: 'Delete Beta question' }).click();
    await expect.poll(() => chats(page).count()).toBe(1);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => chats(page).count()).toBe(2);
    await page.reload();
    await expect.poll(() => chats(page).count()).toBe(2);
    expect(await chats(page).allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Renamed alpha')]));
  });

  it('a thinking budget ends the thinking after that many tokens and says so', async () => {
    const { page } = await chatWith('ponder-test/tiny-r1');
    await page.getByRole('button', { name: '⚙ Settings' }).click();
    await page.getByLabel('Thinking budget (tokens, optional)').fill('5');
    await page.getByRole('button', { name: 'Done' }).click();
    await sendMessage(page, 'Think briefly');
    expect(await waitForReply(page, 1)).toBe('done');
    const reply = page.locator('article.message.assistant').first();
    const header = (await reply.locator('.thinking-toggle').textContent()) ?? '';
    expect(header).toContain('(5 tokens)');
    expect(await reply.locator('.thinking').textContent()).toMatch(/budget/i);
    // The thinking holds exactly the first five scripted tokens.
    await reply.locator('.thinking-toggle').click();
    expect((await reply.locator('.thinking-body').innerText()).trim()).toBe(TINY.replyPieces.slice(0, 5).join('').trim());
  });
});
