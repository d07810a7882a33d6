import { mkdir } from 'node:fs/promises';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { consensusRecord, type PathSpec } from '../src/consensus/testing/records.ts';
import type { ConsensusRecord } from '../src/consensus/types.ts';
import { loadModel, sendMessage, turnOnConsensus, waitForChat, waitForReply } from './harness/app';
import { openSession } from './harness/browser';
import { browserAndHub } from './harness/suite';
import { storeChats } from './harness/stored-chats';

const specs = (...finals: Array<string | null>): PathSpec[] => finals.map((final, i) => ({ final, confidence: 10 + i / 4 }));

/** Three finished consensus replies: a decided majority, a tie, and one the user stopped. */
const CHATS: Array<{ title: string; record: ConsensusRecord; status: string }> = [
  {
    title: 'Majority vote',
    record: consensusRecord(specs('42', '42', '7', '42', '42', '7', '42'), {
      stop: 'decided',
      certainty: 0.96,
      settings: { maxPaths: 8, mode: 'adaptive', weighting: 'count' },
    }),
    status: 'done',
  },
  { title: 'Tied vote', record: consensusRecord(specs('12', '15', '12', '15')), status: 'done' },
  {
    title: 'Stopped vote',
    record: consensusRecord(
      [{ final: '5' }, { final: '5' }, { final: '6' }, { final: null, status: 'stopped' }, { final: null, status: 'stopped' }],
      { stop: 'stopped', settings: { maxPaths: 8, mode: 'fixed', weighting: 'count' } },
    ),
    status: 'stopped',
  },
];

/** The chats as the app stores them, in the stores it reads. */
async function seed(page: Page): Promise<void> {
  await storeChats(
    page,
    CHATS.map(({ title, record, status }, i) => {
      const id = `consensus-${i}`;
      const chosen = record.paths[record.chosenPath ?? 0]!;
      const reply = { ...chosen, id: `${id}-a`, role: 'assistant', status, startedAt: 1000, updatedAt: 9000, consensus: record };
      return { id, title, createdAt: i, messages: [{ id: `${id}-u`, role: 'user', content: `Question for ${title}` }, reply] };
    }),
  );
}

async function openChat(page: Page, title: string) {
  await page.getByRole('button', { name: title, exact: true }).click();
  await expect.poll(() => page.locator('article.message.user').textContent()).toContain(`Question for ${title}`);
  return page.getByTestId('consensus-summary');
}

/** The chat scrolls inside its own pane, so a tall window shows the whole reply; no motion, so no half-slid drawer. */
async function shoot(page: Page, name: string, width: number, colorScheme: 'light' | 'dark'): Promise<void> {
  await page.setViewportSize({ width, height: 1500 });
  await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
  await page.waitForTimeout(100);
  await page.screenshot({ path: `.cache/consensus-${name}-${width}-${colorScheme}.png` });
}

describe('consensus replies', () => {
  const suite = browserAndHub();

  beforeAll(async () => {
    await mkdir('.cache', { recursive: true });
  });

  it('explains a stored vote, its spread and its paths', async () => {
    const { page, errors } = await openSession(suite.browser, inject('appUrl'));
    await seed(page);

    const summary = await openChat(page, 'Majority vote');
    await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toContain('5 of 7 votes');
    const text = (await summary.textContent()) ?? '';
    expect(text).toContain('5 of 7 votes · 71%');
    expect(text).toContain('7 of up to 8 samples spent.');
    expect(text).toContain('Stopped early: 96% sure the leader is the most likely answer.');
    // The answer itself is typeset in the answer card inside the summary.
    expect(await summary.locator('.answer-card .katex-mathml').textContent()).toContain('42');

    const bars = page.getByTestId('consensus-distribution').getByRole('listitem');
    expect(await bars.count()).toBe(2);
    expect(await bars.nth(0).textContent()).toContain('5 votes · 71% (the majority)');
    expect(await bars.nth(1).textContent()).toContain('2 votes · 29%');

    // Finished, so the paths start collapsed; opened, the chosen path (the majority's most confident) is selected.
    expect(await page.locator('.consensus-chosen').textContent()).toBe('Path 7, from the majority, is shown as the reply:');
    const toggle = page.getByRole('button', { name: /7 paths/ });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    const tabs = page.getByRole('tab');
    expect(await tabs.count()).toBe(7);
    const selected = page.getByRole('tab', { selected: true });
    expect(await selected.getAttribute('aria-label')).toBe('Path 7: done, answer 42, with the majority');
    const panel = page.getByRole('tabpanel');
    expect(await panel.textContent()).toContain('confidence 11.50');

    await selected.focus();
    await page.keyboard.press('Home');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Path 1: done, answer 42, with the majority');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Path 3: done, answer 7');
    expect(await page.getByRole('tab', { selected: true }).getAttribute('aria-label')).toBe('Path 3: done, answer 7');
    expect(await panel.textContent()).toContain('Path 3');
    expect(await panel.textContent()).toContain('So the answer is');
    await page.keyboard.press('End');
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe('7');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe('1');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe('6');
    // The panel's thinking block is the path's own, collapsed as a finished one is.
    expect(await panel.locator('.thinking-toggle').getAttribute('aria-expanded')).toBe('false');

    for (const width of [1280, 360]) {
      for (const scheme of ['light', 'dark'] as const) await shoot(page, 'majority', width, scheme);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });

    const tie = await openChat(page, 'Tied vote');
    await expect.poll(() => tie.textContent()).toContain('Consensus: no majority');
    expect(await tie.textContent()).toContain('Tie: 12 and 15 have 2 votes each, so there is no winner.');
    expect(await tie.locator('.answer-card').count()).toBe(0);
    expect(await tie.textContent()).toContain('Sampled all 4 paths allowed.');
    await shoot(page, 'tie', 1280, 'light');

    const stopped = await openChat(page, 'Stopped vote');
    await expect.poll(() => stopped.textContent()).toContain('Stopped by you: the vote covers the 3 paths that finished.');
    expect(await stopped.textContent()).toContain('5 of 8 samples spent.');
    expect(await stopped.textContent()).toContain('2 of 3 votes · 67%');
    await shoot(page, 'stopped', 360, 'dark');
    expect(errors).toEqual([]);
  });

  it('switches consensus on by the composer, by keyboard, at phone width', async () => {
    const { page } = await openSession(suite.browser, inject('appUrl'), { width: 360, height: 800 });
    await loadModel(page, suite.hub.url, 'ponder-test/tiny-r1', 'wasm');
    await waitForChat(page);

    const toggle = page.getByRole('button', { name: 'Consensus: off' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const k = page.getByLabel('Maximum paths');
    expect(await k.isDisabled()).toBe(true);
    await page.getByLabel(/Answer by consensus/).check();
    expect(await page.getByRole('button', { name: 'Consensus · up to 8' }).count()).toBe(1);
    await k.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.getByLabel(/^Fixed/).check();
    await page.getByLabel(/Weight by confidence/).check();
    const settings = await page.evaluate(() => document.querySelector('.consensus-toggle')?.textContent);
    expect(settings).toBe('Consensus · 10 paths');
    for (const scheme of ['light', 'dark'] as const) await shoot(page, 'control', 360, scheme);
    // Escape closes the panel and gives focus back to the toggle.
    await page.getByLabel(/Weight by confidence/).focus();
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('consensus-toggle'))).toBe(true);
    expect(await page.locator('.consensus-popover').count()).toBe(0);
  });

  it('samples a question along several paths and shows the vote live', async () => {
    const { page } = await openSession(suite.browser, inject('appUrl'));
    await loadModel(page, suite.hub.url, 'ponder-test/tiny-r1', 'wasm');
    await waitForChat(page);
    await turnOnConsensus(page);

    await sendMessage(page, 'What is 6 times 7?');
    const summary = page.getByTestId('consensus-summary');
    await expect.poll(() => summary.textContent(), { timeout: 60_000 }).toMatch(/Sampling paths… \d+ of up to 8/);
    // While sampling, the paths are open.
    expect(await page.getByRole('button', { name: /paths/ }).getAttribute('aria-expanded')).toBe('true');
    await waitForReply(page, 1);
    const text = (await summary.textContent()) ?? '';
    expect(text).toMatch(/\d+ of up to 8 samples spent\./);
    expect(text).toMatch(/Stopped early|Sampled all 8 paths allowed/);
    expect(await page.getByRole('button', { name: /paths/ }).getAttribute('aria-expanded')).toBe('false');
    await shoot(page, 'live-done', 1280, 'light');
  });

  it('shows paths streaming, and Stop ends every one', async () => {
    const { page } = await openSession(suite.browser, inject('appUrl'));
    await loadModel(page, suite.hub.url, 'ponder-test/tiny-r1-endless', 'wasm');
    await waitForChat(page);
    await turnOnConsensus(page);

    await sendMessage(page, 'Think forever');
    const summary = page.getByTestId('consensus-summary');
    await expect.poll(() => summary.textContent(), { timeout: 60_000 }).toMatch(/Sampling paths… \d+ of up to 8/);
    await expect.poll(() => page.locator('.consensus-tab[data-status="streaming"]').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // The selected path is one being written, its thinking live.
    await expect.poll(() => page.getByRole('tabpanel').locator('.thinking').getAttribute('data-phase')).toBe('live');
    for (const width of [1280, 360]) await shoot(page, 'streaming', width, 'light');
    await shoot(page, 'streaming', 360, 'dark');

    await page.getByRole('button', { name: '■ Stop' }).click();
    await waitForReply(page, 1);
    await expect.poll(() => summary.textContent()).toContain('Stopped by you: no path had finished.');
    expect(await page.locator('.consensus-tab[data-status="streaming"]').count()).toBe(0);
  });
});
