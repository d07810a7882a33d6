// Sharing in real Chromium: a reply shared as a link opens read-only elsewhere and imports; files
// export and import; a transcript too long for a link is offered as a file.

import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Hub } from '../tools/hub/index.ts';
import { seeded } from '../src/reasoning/testing/random';
import { randomTranscript } from '../src/share/testing/random-transcript';
import { assistantTurn } from '../src/share/testing/turns';
import { loadModel, sendMessage, waitForChat, waitForReply } from './harness/app';
import { externalRequests, launchBrowser } from './harness/browser';
import { startFixtureHub } from './harness/hub';
import { downloadText, openWatched, type Watched } from './share-helpers';

const QUESTION = 'What is 2 + 3?';

describe('sharing transcripts', () => {
  let browser: Browser;
  let hub: Hub;
  let dir: string;
  const sessions: Watched[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    hub = await startFixtureHub();
    dir = await mkdtemp(join(tmpdir(), 'ponder-share-'));
  });

  afterAll(async () => {
    for (const s of sessions) {
      expect(externalRequests(s.requests), 'requests that left 127.0.0.1').toEqual([]);
      expect(await s.violations(), 'CSP violations').toEqual([]);
    }
    await browser?.close();
    await hub?.close();
  });

  async function open(url = inject('appUrl'), width?: number): Promise<Watched> {
    const s = await openWatched(browser, url, { width });
    sessions.push(s);
    return s;
  }

  async function chatOnce(): Promise<Watched> {
    const s = await open();
    await loadModel(s.page, hub.url, 'ponder-test/tiny-r1', 'wasm');
    await waitForChat(s.page);
    await sendMessage(s.page, QUESTION);
    expect(await waitForReply(s.page, 1)).toBe('done');
    return s;
  }

  const dialog = (page: Page) => page.getByRole('dialog', { name: 'Share or open a transcript' });

  it('shares a chat as a link that opens read-only in another browser and imports into its chats', async () => {
    const { page } = await chatOnce();
    const share = page.getByRole('button', { name: 'Share' });
    await share.click();
    await dialog(page).waitFor();
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    expect(await page.getByLabel('Include the model’s thinking').isChecked()).toBe(true);
    const link = page.getByLabel('Share link');
    await expect.poll(() => link.inputValue()).toMatch(/#share=1\.[A-Za-z0-9_-]+$/);
    const url = await link.inputValue();
    // Escape closes the dialog and focus goes back to the Share button.
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });
    expect(await share.evaluate((el) => el === document.activeElement)).toBe(true);

    // Someone else, with no model and no chats, opens the link.
    const other = await open(url);
    const view = other.page;
    await view.getByRole('heading', { name: /Shared transcript/ }).waitFor();
    const reply = view.locator('article.message.assistant');
    expect(await reply.locator('.thinking-toggle').textContent()).toMatch(/Thought for \d+ s \(\d+ tokens\)/);
    await reply.locator('.thinking-toggle').click();
    expect(await reply.locator('.thinking-body').innerText()).toMatch(/\S/);
    expect(await reply.locator('.answer').innerText()).toContain('The sum is');
    expect(await reply.locator('.answer .katex').count()).toBeGreaterThan(0);
    expect(await reply.locator('.answer-card').innerText()).toContain('5');
    expect(await reply.locator('.stats').innerText()).toMatch(/ponder-test\/tiny-r1 · q4 on WASM · [\d.]+ tok\/s/);
    expect(await view.locator('article.message.user').innerText()).toContain(QUESTION);

    await view.getByRole('button', { name: 'Import into my chats' }).click();
    await view.locator('.app article.message.assistant').waitFor();
    expect(new URL(view.url()).hash).toBe('');
    expect(await view.locator('article.message.user').first().innerText()).toContain(QUESTION);
    expect(await view.locator('article.message.assistant').getByTestId('answer').innerText()).toContain('The sum is');
    // Saved like any chat: listed, and still there after a reload.
    await expect.poll(() => view.getByRole('list', { name: 'Chats' }).innerText()).toContain(QUESTION);
    await view.reload();
    await expect.poll(() => view.getByRole('list', { name: 'Chats' }).innerText(), { timeout: 10_000 }).toContain(QUESTION);
  });

  it('leaves the thinking out when asked, and exports Markdown, HTML and JSON; the JSON opens and imports', async () => {
    const { page } = await chatOnce();
    await page.getByRole('button', { name: 'Share' }).click();
    const link = page.getByLabel('Share link');
    await expect.poll(() => link.inputValue()).toContain('#share=');
    const withThinking = await link.inputValue();
    await page.getByLabel('Include the model’s thinking').uncheck();
    await expect.poll(() => link.inputValue()).not.toBe(withThinking);
    const withoutThinking = await link.inputValue();
    expect(withoutThinking.length).toBeLessThan(withThinking.length);

    const md = await downloadText(page, () => page.getByRole('button', { name: 'Download Markdown' }).click());
    expect(md.name).toMatch(/\.ponder\.md$/);
    expect(md.text).toContain(`# ${QUESTION}`);
    expect(md.text).not.toContain('<details>');
    await page.getByLabel('Include the model’s thinking').check();
    const md2 = await downloadText(page, () => page.getByRole('button', { name: 'Download Markdown' }).click());
    expect(md2.text).toMatch(/<details>\n<summary>Thought for/);
    expect(md2.text).toMatch(/\$[^$]+\$/); // math stays LaTeX

    const html = await downloadText(page, () => page.getByRole('button', { name: 'Download HTML' }).click());
    expect(html.text).not.toMatch(/<script/i);
    expect(html.text).toContain('data:font/woff2;base64,');
    expect(html.text).toContain('class="katex"');
    // It opens offline from disk and shows the transcript, with math fonts loaded from the file itself.
    const htmlPath = join(dir, html.name); // the download's own path has no extension, so no HTML type
    await writeFile(htmlPath, html.text);
    const fileView = await browser.newPage();
    const fileRequests: string[] = [];
    fileView.on('request', (r) => fileRequests.push(r.url()));
    await fileView.goto(`file://${htmlPath}`);
    expect(await fileView.locator('article.message.assistant .answer').innerText()).toContain('The sum is');
    expect(await fileView.evaluate(async () => (await document.fonts.ready, document.fonts.check('16px KaTeX_Main')))).toBe(true);
    expect(fileRequests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    await fileView.close();

    const json = await downloadText(page, () => page.getByRole('button', { name: 'Download JSON' }).click());
    const parsed = JSON.parse(json.text) as { format: string; version: number; messages: unknown[] };
    expect(parsed).toMatchObject({ format: 'ponder-transcript', version: 1 });
    expect(parsed.messages).toHaveLength(2);

    // Open it in a fresh browser through the dialog, read-only, then import.
    const other = await open();
    // An empty chat has nothing to share: the same button offers opening a transcript instead.
    expect(await other.page.getByRole('button', { name: 'Share' }).count()).toBe(0);
    await other.page.getByRole('button', { name: 'Open transcript' }).click();
    await other.page.getByLabel('Transcript file (.json)').setInputFiles(json.path);
    await other.page.getByRole('heading', { name: /Shared transcript/ }).waitFor();
    expect(await other.page.locator('article.message.assistant .answer').innerText()).toContain('The sum is');
    await other.page.getByRole('button', { name: 'Import into my chats' }).click();
    await other.page.locator('.app article.message.assistant').waitFor();
    expect(await other.page.locator('article.message.user').first().innerText()).toContain(QUESTION);
  });

  it('offers the file instead of a link when the transcript is too long, and says why', async () => {
    // Random text barely compresses, so this encodes to well over 32 KB.
    const r = seeded(11);
    const noise = Array.from({ length: 60_000 }, () => String.fromCharCode(0x20 + r.int(0x5e))).join('');
    const big = randomTranscript(r);
    big.messages = [
      { role: 'user', text: 'Think about noise.' },
      assistantTurn({ thinking: noise, answer: 'Done: $\\boxed{1}$' }),
    ];
    const path = join(dir, 'big.json');
    await writeFile(path, JSON.stringify(big));
    const s = await open(inject('appUrl'), 360);
    await s.page.getByRole('button', { name: 'Open transcript' }).click();
    await s.page.getByLabel('Transcript file (.json)').setInputFiles(path);
    await s.page.getByRole('button', { name: 'Import into my chats' }).click();
    await s.page.locator('.app').waitFor();
    await s.page.getByRole('button', { name: 'Share' }).click();
    const notice = s.page.getByTestId('link-too-long');
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/over 32 KB get cut off .* share it as a file instead/);
    expect(await s.page.getByLabel('Share link').count()).toBe(0);
    const json = await downloadText(s.page, () => s.page.getByRole('button', { name: 'Download JSON' }).click());
    expect(JSON.parse(json.text)).toMatchObject({ format: 'ponder-transcript' });
    // The dialog fits a 360 px screen.
    const box = (await dialog(s.page).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
  });
});
