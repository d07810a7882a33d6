import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Hub } from '../tools/hub/index.ts';
import { loadModel, waitForChat } from './harness/app';
import { externalRequests, launchBrowser, openSession } from './harness/browser';
import { startFixtureHub } from './harness/hub';

describe('model host errors', () => {
  let browser: Browser;
  let hub: Hub;

  beforeAll(async () => {
    browser = await launchBrowser();
    hub = await startFixtureHub();
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('a host answering 500 shows the reason and a Retry that works once the host recovers', async () => {
    const { page, requests } = await openSession(browser, inject('appUrl'));
    hub.addFault({ kind: 'status', status: 500 });
    await loadModel(page, hub.url, 'ponder-test/tiny-r1', 'wasm');
    const error = page.getByTestId('load-error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toContain('HTTP 500');
    expect(await page.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);

    hub.clearFaults();
    await page.getByRole('button', { name: 'Retry' }).click();
    await waitForChat(page);
    expect(externalRequests(requests)).toEqual([]);
  });

  it('a model file failing mid-load names the problem, keeps nothing broken, and Retry completes', async () => {
    const { page } = await openSession(browser, inject('appUrl'));
    hub.addFault({ kind: 'status', status: 503, match: 'onnx/model_q4.onnx' });
    await loadModel(page, hub.url, 'ponder-test/tiny-r1', 'wasm');
    const error = page.getByTestId('load-error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toContain('HTTP 503');
    hub.clearFaults();
    await page.getByRole('button', { name: 'Retry' }).click();
    await waitForChat(page);
  });

  it('an unknown model id says the repository does not exist, and the user can pick another', async () => {
    const { page } = await openSession(browser, inject('appUrl'));
    await loadModel(page, hub.url, 'ponder-test/no-such-model', 'wasm');
    const error = page.getByTestId('load-error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toContain('no such repository');
    await page.getByRole('button', { name: 'Choose another model' }).click();
    expect(await page.getByRole('heading', { name: 'Choose a model' }).isVisible()).toBe(true);
  });

  it('an invalid model id is refused before anything is fetched', async () => {
    const { page } = await openSession(browser, inject('appUrl'));
    hub.clearRequests();
    await page.getByText('Advanced: model host, backend, custom model').click();
    await page.getByLabel('Custom model id').fill('not a repo id');
    await page.getByRole('button', { name: 'Load custom' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('organisation/name');
    expect(hub.requests.length).toBe(0);
  });
});
