import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadModel, waitForChat } from './harness/app';
import { openSession } from './harness/browser';
import { browserAndHub } from './harness/suite';
import { fileKey, storageEstimate, storedRecord } from './weights-helpers';

const TINY = 'ponder-test/tiny-r1';
const CHUNKED = 'ponder-test/tiny-r1-chunked';

describe('storage manager', () => {
  const suite = browserAndHub();

  const card = (page: Page, repo: string) => page.locator(`[data-testid="stored-model"][data-model="${repo}"]`);

  async function confirmDelete(scope: ReturnType<Page['locator']> | Page, label: string): Promise<void> {
    await scope.getByRole('button', { name: label, exact: true }).click();
    await scope.getByRole('button', { name: 'Yes, delete' }).click();
  }

  it('lists stored models with size and state, deletes one and then all, and the space comes back', async () => {
    const { page, context } = await openSession(suite.browser, inject('appUrl'));
    await loadModel(page, suite.hub.url, TINY, 'wasm');
    await waitForChat(page);
    const second = await context.newPage();
    await second.goto(inject('appUrl'));
    await loadModel(second, suite.hub.url, CHUNKED, 'wasm');
    await waitForChat(second);

    // A third download is cut off: it shows as partial.
    suite.hub.addFault({ kind: 'slow', bytesPerSecond: 30_000, match: 'onnx/model.onnx' });
    const third = await context.newPage();
    await third.goto(inject('appUrl'));
    await loadModel(third, suite.hub.url, 'ponder-test/tiny-r1-endless', 'wasm');
    await expect.poll(async () => (await storedRecord(third, fileKey('ponder-test/tiny-r1-endless', 'onnx/model.onnx')))?.storedChunks ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
    await third.close();
    suite.hub.clearFaults();

    await second.getByRole('button', { name: 'Storage' }).click();
    await second.getByTestId('storage-screen').waitFor();
    await expect.poll(() => second.getByTestId('stored-model').count()).toBe(3);
    expect(await card(second, TINY).getByTestId('stored-state').textContent()).toBe('Complete');
    expect(await card(second, CHUNKED).getByTestId('stored-state').textContent()).toBe('Complete');
    expect(await card(second, 'ponder-test/tiny-r1-endless').getByTestId('stored-state').textContent()).toMatch(/^Partial \(4 of 5 files\)$/);
    expect(await card(second, CHUNKED).getByTestId('stored-size').textContent()).toMatch(/^\d+ KB on disk$/);
    expect(await card(second, CHUNKED).textContent()).toMatch(/Last used: \d/);
    expect(await second.getByTestId('storage-quota').textContent()).toMatch(/This site uses .* available\)/);
    expect(await second.getByTestId('storage-persisted').textContent()).toMatch(/persistent/);

    const before = await storageEstimate(second);
    await confirmDelete(card(second, CHUNKED), 'Delete');
    await expect.poll(() => second.getByTestId('storage-notice').textContent()).toMatch(/^Deleted ponder-test\/tiny-r1-chunked; \d+ KB freed\.$/);
    await expect.poll(() => second.getByTestId('stored-model').count()).toBe(2);
    const afterOne = await storageEstimate(second);
    expect(afterOne.usage).toBeLessThan(before.usage);
    expect(await storedRecord(second, fileKey(CHUNKED, 'onnx/model.onnx_data'))).toBeNull();
    expect((await storedRecord(second, fileKey(TINY, 'onnx/model_q4.onnx')))?.complete).toBe(true);

    await confirmDelete(second, 'Delete all models');
    await second.getByTestId('storage-empty').waitFor();
    const afterAll = await storageEstimate(second);
    expect(afterAll.usage).toBeLessThan(afterOne.usage);
    console.info(JSON.stringify({ test: 'storage', before: before.usage, afterOne: afterOne.usage, afterAll: afterAll.usage }));

    await second.getByRole('button', { name: 'Back' }).click();
    await waitForChat(second);
  });

  it('says which catalog models fit this device and why not, and works at 360 px in dark mode', async () => {
    const { page } = await openSession(suite.browser, inject('appUrl'), { width: 360, height: 740, colorScheme: 'dark' });
    const cards = page.getByTestId('model-card');
    await expect.poll(() => cards.count()).toBe(2);
    // SwiftShader: WebGPU without shader-f16. The 1.5B runs with q4; the 7B ships only q4f16.
    await expect.poll(() => cards.nth(0).getByTestId('fit').textContent()).toMatch(/lacks shader-f16/);
    expect(await cards.nth(0).textContent()).toMatch(/q4 · 2.0 GB download · GPU/);
    // The memory estimate: how much thinking fits, and what that rests on (this machine's RAM, if reported).
    expect(await cards.nth(0).getByTestId('fits-context').textContent()).toMatch(
      /^Fits (the full|about) \d+k tokens of thinking here\. Estimate: \d+(\.\d)? GB for weights, KV cache and logits[,;] /,
    );
    expect(await cards.nth(1).getByTestId('fits-context').count()).toBe(0);
    expect(await cards.nth(1).getByTestId('fit').textContent()).toMatch(/Does not fit: Its weights \(q4f16\) need the WebGPU shader-f16 feature/);
    expect(await cards.nth(1).getByRole('button', { name: 'Load' }).isDisabled()).toBe(true);
    expect(await cards.nth(0).getByRole('button', { name: 'Load' }).isEnabled()).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    await page.getByRole('button', { name: 'Open conversations' }).click();
    await page.getByRole('button', { name: 'Storage' }).click();
    await page.getByTestId('storage-empty').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  });
});
