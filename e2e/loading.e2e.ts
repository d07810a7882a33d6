import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadModel, waitForChat } from './harness/app';
import { openSession } from './harness/browser';
import { browserAndHub } from './harness/suite';

describe('loading a model', () => {
  const suite = browserAndHub();

  /** Records every load phase and overall-progress text the page shows, in order. */
  async function watchProgress(page: Page): Promise<void> {
    await page.evaluate(() => {
      const w = window as unknown as { __phases: string[]; __overall: string[] };
      w.__phases = [];
      w.__overall = [];
      new MutationObserver(() => {
        const phase = document.querySelector('[data-testid=load-phase]')?.getAttribute('data-phase');
        if (phase && w.__phases.at(-1) !== phase) w.__phases.push(phase);
        const overall = document.querySelector('[data-testid=load-overall]')?.textContent;
        if (overall && w.__overall.at(-1) !== overall) w.__overall.push(overall);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  }

  const progressSeen = (page: Page) =>
    page.evaluate(() => {
      const w = window as unknown as { __phases: string[]; __overall: string[] };
      return { phases: w.__phases, overall: w.__overall };
    });

  it('shows per-file and overall progress, then the warm-up step, then the chat', async () => {
    const { page } = await openSession(suite.browser, inject('appUrl'));
    // A slow weight file keeps the download visible long enough to read it.
    suite.hub.addFault({ kind: 'slow', bytesPerSecond: 60_000, match: 'onnx/model_q4.onnx' });
    await watchProgress(page);
    await loadModel(page, suite.hub.url, 'ponder-test/tiny-r1', 'webgpu');

    const file = page.getByLabel('onnx/model_q4.onnx progress', { exact: true });
    await file.waitFor({ timeout: 30_000 });
    await expect.poll(async () => Number(await file.getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.getByLabel('config.json progress', { exact: true }).getAttribute('value')).toBe('100');
    await waitForChat(page);

    const { phases, overall } = await progressSeen(page);
    expect(phases).toEqual(expect.arrayContaining(['download', 'compile', 'warmup']));
    expect(phases.indexOf('download')).toBeLessThan(phases.indexOf('warmup'));
    // Overall bytes and percent moved through intermediate values, ending complete.
    const percents = overall.map((t) => Number(/(\d+)%/.exec(t)?.[1] ?? NaN));
    expect(percents.filter((p) => p > 0 && p < 100).length).toBeGreaterThan(1);
    expect(percents.at(-1)).toBe(100);
    expect(overall.at(-1)).toMatch(/ of /);
  });

  it('on WASM there are no shaders to compile: no warm-up pass and no "Compiling GPU shaders" step', async () => {
    const { page } = await openSession(suite.browser, inject('appUrl'));
    suite.hub.addFault({ kind: 'slow', bytesPerSecond: 200_000, match: 'onnx/model_q4.onnx' });
    await watchProgress(page);
    await loadModel(page, suite.hub.url, 'ponder-test/tiny-r1', 'wasm');
    await waitForChat(page);
    const { phases } = await progressSeen(page);
    expect(phases).toContain('download');
    expect(phases).not.toContain('warmup');
  });
});
