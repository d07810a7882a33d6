// Shared links and files are written by strangers. Payloads that would set window.__pwned, open an
// alert or request the attacker URL are opened as links, imported as files, shown in the chat and
// exported to HTML: nothing runs and nothing is requested. Broken links explain themselves and leave
// the user's own conversation as it was.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { encodeTranscript } from '../src/share/codec';
import { linkForJson } from '../src/share/testing/links';
import { PAYLOAD_TEXT, STEAL } from '../src/share/testing/payloads';
import { assistantTurn as reply } from '../src/share/testing/turns';
import { TRANSCRIPT_VERSION, type Transcript } from '../src/share/transcript';
import { launchBrowser } from './harness/browser';
import { downloadText, openWatched, type Watched } from './share-helpers';

const HOSTILE: Transcript = {
  format: 'ponder-transcript',
  version: 1,
  title: `</title><script>window.__pwned=1</script>`,
  sharedAt: 1.7e12,
  thinkingIncluded: true,
  messages: [
    { role: 'user', text: PAYLOAD_TEXT },
    reply({ thinking: PAYLOAD_TEXT, answer: `${PAYLOAD_TEXT}\n\nSo $\\boxed{\\href{javascript:alert(1)}{5}}$` }),
    { role: 'user', text: 'again' },
    reply({ status: 'error', error: '<img src=x onerror="window.__pwned=1">', answer: PAYLOAD_TEXT }),
  ],
};

const BENIGN: Transcript = {
  ...HOSTILE,
  title: 'Mine',
  messages: [{ role: 'user', text: 'My own question' }, reply({ answer: 'My own answer, $\\boxed{7}$.' })],
};

/** Proof that nothing ran or called out, after giving any payload time to fire. */
async function expectInert(s: Watched, page: Page = s.page): Promise<void> {
  await page.waitForTimeout(750);
  expect(s.dialogs, 'alert/confirm dialogs').toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(s.requests.filter((u) => u.startsWith(new URL(STEAL).origin))).toEqual([]);
  const live = await page.evaluate(() =>
    document.querySelectorAll('main script, main img, main iframe, main object, main embed, main svg, main link, main meta, main base, main style, main [onerror], main [onload], main [ontoggle], main [onmouseover], a[href^="javascript:"], a[href^="data:"]').length,
  );
  expect(live, 'active elements from model text').toBe(0);
}

describe('share links and files are inert', () => {
  let browser: Browser;
  let dir: string;
  let hostileLink: string;
  const app = () => inject('appUrl');

  beforeAll(async () => {
    browser = await launchBrowser();
    dir = await mkdtemp(join(tmpdir(), 'ponder-xss-'));
    hostileLink = `${app()}/#share=${await encodeTranscript(HOSTILE)}`;
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('a hostile link renders as text in the read-only view, in the chat after import, and in the exported HTML', async () => {
    const s = await openWatched(browser, hostileLink);
    await s.page.getByRole('heading', { name: /Shared transcript/ }).waitFor();
    await s.page.locator('.thinking-toggle').first().click(); // render the thinking too
    expect(await s.page.locator('main').innerText()).toContain('<script>window.__pwned=1</script>');
    await expectInert(s);
    expect(await s.violations()).toEqual([]);

    await s.page.getByRole('button', { name: 'Import into my chats' }).click();
    await s.page.locator('.app article.message.assistant').first().waitFor();
    await s.page.locator('.app .thinking-toggle').first().click();
    expect(await s.page.locator('.app .messages').innerText()).toContain('<img src=x onerror="window.__pwned=1;alert(1)">');
    await expectInert(s);
    expect(await s.violations()).toEqual([]);

    await s.page.getByRole('button', { name: 'Share' }).click();
    const html = await downloadText(s.page, () => s.page.getByRole('button', { name: 'Download HTML' }).click());
    expect(html.text).not.toMatch(/<script/i);

    // The exported file, loaded as a page's content and from disk: still nothing runs or loads.
    for (const load of [(p: Page) => p.setContent(html.text), async (p: Page) => {
      const path = join(dir, 'hostile.html');
      await writeFile(path, html.text);
      await p.goto(`file://${path}`);
    }]) {
      const page = await s.context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await load(page);
      await page.locator('details.thinking summary').first().click();
      expect(await page.locator('main').innerText()).toContain('<script>window.__pwned=1</script>');
      await expectInert({ ...s, dialogs }, page);
      await page.close();
    }
    expect(s.requests.filter((u) => u.startsWith('http') && !u.startsWith(app()))).toEqual([]);
    await s.context.close();
  });

  it('a hostile transcript file opens read-only and imports without running anything', async () => {
    const path = join(dir, 'hostile.json');
    await writeFile(path, JSON.stringify(HOSTILE));
    const s = await openWatched(browser, app());
    await s.page.getByRole('button', { name: 'Open transcript' }).click();
    await s.page.getByLabel('Transcript file (.json)').setInputFiles(path);
    await s.page.getByRole('heading', { name: /Shared transcript/ }).waitFor();
    await expectInert(s);
    await s.page.getByRole('button', { name: 'Import into my chats' }).click();
    await s.page.locator('.app article.message.assistant').first().waitFor();
    await expectInert(s);
    expect(await s.violations()).toEqual([]);
    await s.context.close();
  });

  /** A format this Ponder does not know yet. */
  const NEWER = TRANSCRIPT_VERSION + 1;

  it('oversized, truncated, wrong-version and corrupted links and files explain themselves and leave the conversation untouched', async () => {
    const s = await openWatched(browser, `${app()}/#share=${await encodeTranscript(BENIGN)}`);
    const { page } = s;
    await page.getByRole('button', { name: 'Import into my chats' }).click();
    const conversation = page.locator('.app .messages');
    await conversation.locator('article.message.assistant').waitFor();
    const before = await conversation.innerText();
    expect(before).toContain('My own answer');

    const good = await encodeTranscript(HOSTILE);
    const middle = Math.floor(good.length / 2);
    const cases: [string, string, RegExp][] = [
      ['oversized', await linkForJson(`{"format":"ponder-transcript","version":1,"title":"${' '.repeat(40 * 1024 * 1024)}"}`), /unpacks to more than 8 MB/],
      ['truncated', good.slice(0, -12), /damaged or incomplete/],
      ['wrong version', await linkForJson(JSON.stringify({ ...BENIGN, version: NEWER })), new RegExp(`format version ${NEWER}, made by a newer Ponder`)],
      ['newer link encoding', `7.${good.slice(2)}`, /made by a newer version of Ponder/],
      ['corrupted', good.slice(0, middle) + (good[middle] === 'A' ? 'B' : 'A') + good.slice(middle + 1), /damaged or incomplete/],
      ['not a transcript', await linkForJson('{"hello":"world"}'), /not a Ponder transcript/],
      ['garbage', 'hello%20world', /not a Ponder share link/],
    ];
    for (const [name, encoded, message] of cases) {
      await page.goto(`${app()}/#share=${encoded}`);
      const error = page.getByTestId('share-error');
      await error.waitFor();
      expect(await error.innerText(), name).toMatch(message);
      expect(await page.getByRole('button', { name: 'Import into my chats' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Go to my chats' }).click();
      await conversation.waitFor();
      expect(await conversation.innerText(), name).toBe(before);
    }

    // A broken file: the dialog says why and nothing opens.
    for (const [name, content, message] of [
      ['not JSON', '{"format":', /not JSON/],
      ['wrong version', JSON.stringify({ ...BENIGN, version: NEWER }), /newer Ponder/],
      ['bad field', JSON.stringify({ ...BENIGN, messages: [{ role: 'user', text: 5 }] }), /messages\[0\]\.text must be text/],
    ] as const) {
      const path = join(dir, `${name.replace(/\W/g, '-')}.json`);
      await writeFile(path, content);
      await page.getByRole('button', { name: 'Share' }).click();
      await page.getByLabel('Transcript file (.json)').setInputFiles(path);
      const alert = page.getByRole('dialog').getByRole('alert');
      await alert.waitFor();
      expect(await alert.innerText(), name).toMatch(message);
      await page.keyboard.press('Escape');
      expect(await conversation.innerText(), name).toBe(before);
    }
    await expectInert(s);
    await s.context.close();
  });
});
