// Consensus end to end on the real worker: the noisy solver (boxes A, B or C at random) sampled along
// several paths as one batch, on WASM and on WebGPU; the vote survives a reload and travels in a link.
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadModel, sendMessage, turnOnConsensus, waitForChat, waitForReply } from './harness/app';
import { openSession } from './harness/browser';
import { browserAndHub } from './harness/suite';

const NOISY = 'ponder-test/tiny-r1-noisy';

/** The path tabs, opened (a finished consensus shows them folded). */
async function pathTabs(page: Page) {
  const toggle = page.locator('.consensus-paths-toggle');
  if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  return page.getByRole('tab');
}

describe('consensus on the real worker', () => {
  const suite = browserAndHub();

  for (const backend of ['wasm', 'webgpu'] as const) {
    it(`samples 8 paths of the noisy solver on ${backend}, votes, and keeps the vote across a reload`, async () => {
      const { page, errors } = await openSession(suite.browser, inject('appUrl'));
      await loadModel(page, suite.hub.url, NOISY, backend);
      await waitForChat(page);
      await turnOnConsensus(page, 8);
      // The app adds the model card's "reason step by step ... \\boxed{}" directive itself.
      await sendMessage(page, 'Which option is right?');
      expect(await waitForReply(page, 1, 180_000), `page errors: ${errors.join('\n')}`).toBe('done');

      const summary = page.getByTestId('consensus-summary');
      const text = (await summary.innerText()).replace(/\s+/g, ' ');
      // Fixed k samples all k.
      const spent = Number(/(\d+) of (?:up to )?8 samples spent/.exec(text)?.[1]);
      expect(spent, text).toBe(8);
      const tabs = await pathTabs(page);
      expect(await tabs.count()).toBe(spent);
      // The paths were sampled, not copied: each boxed one of the solver's options, and the vote counts them.
      const labels = await tabs.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
      const answers = labels.map((l) => /answer ([ABC])/.exec(l)?.[1]);
      expect(answers.every((a) => a !== undefined), labels.join(' | ')).toBe(true);
      const counts = new Map<string, number>();
      for (const a of answers) counts.set(a!, (counts.get(a!) ?? 0) + 1);
      const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
      const [leader, runnerUp] = ranked;
      const outcome = await summary.getAttribute('data-outcome');
      if (runnerUp && runnerUp[1] === leader![1]) {
        expect(outcome).toBe('tie');
        expect(text).toMatch(/Tie/);
      } else {
        expect(outcome).toBe('majority');
        expect(text).toContain(`${leader![1]} of 8 votes`);
        // The reply shown is a path of the winning answer.
        const shown = (await page.locator('article.message.assistant .answer').first().innerText()).trim();
        expect(shown).toContain(leader![0]);
      }

      await page.reload();
      await page.getByRole('button', { name: 'Which option is right?', exact: true }).click();
      await page.getByTestId('consensus-summary').waitFor();
      expect((await page.getByTestId('consensus-summary').innerText()).replace(/\s+/g, ' ')).toBe(text);
      expect(await (await pathTabs(page)).count()).toBe(spent);
    });
  }

  it('a shared link carries the vote and the paths', async () => {
    const { page } = await openSession(suite.browser, inject('appUrl'));
    await loadModel(page, suite.hub.url, NOISY, 'wasm');
    await waitForChat(page);
    await turnOnConsensus(page, 4);
    await sendMessage(page, 'Pick one.');
    expect(await waitForReply(page, 1, 180_000)).toBe('done');
    const sampled = await (await pathTabs(page)).count();
    expect(sampled).toBe(4);
    await page.getByRole('button', { name: 'Share' }).click();
    const link = page.getByLabel('Share link');
    await expect.poll(() => link.inputValue()).toMatch(/#share=/);
    const url = await link.inputValue();

    const other = await openSession(suite.browser, url);
    await other.page.getByRole('heading', { name: /Shared transcript/ }).waitFor();
    const consensus = other.page.getByRole('region', { name: 'Consensus' });
    expect(await consensus.innerText()).toMatch(/Majority answer: [ABC]|Tie between/);
    expect(await consensus.locator('details.consensus-path').count()).toBe(sampled);
  });
});
