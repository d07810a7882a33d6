import { describe, expect, inject, it } from 'vitest';
import { loadModel, waitForChat } from './harness/app';
import { externalRequests, openSession } from './harness/browser';
import { browserAndHub } from './harness/suite';

describe('model host errors', () => {
  const suite = browserAndHub();

  it('a host answering 500 shows the reason and a Retry that works once the host recovers', async () => {
    const { page, requests } = await openSession(suite.browser, inject('appUrl'));
    suite.hub.addFault({ kind: 'status', status: 500 });
    await loadModel(page, suite.hub.url, 'ponder-test/tiny-r1', 'wasm');
    const error = page.getByTestId('load-error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toContain('HTTP 500');
    expect(await page.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);

    suite.hub.clearFaults();
    await page.getByRole('button', { name: 'Retry' }).click();
    await waitForChat(page);
    expect(externalRequests(requests)).toEqual([]);
  });

  it('a model file failing mid-load names the problem, keeps nothing broken, and Retry completes', async () => {
    const { page } = await openSession(suite.browser, inject('appUrl'));
    suite.hub.addFault({ kind: 'status', status: 503, match: 'onnx/model_q4.onnx' });
    await loadModel(page, suite.hub.url, 'ponder-test/tiny-r1', 'wasm');
    const error = page.getByTestId('load-error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toContain('HTTP 503');
    suite.hub.clearFaults();
    await page.getByRole('button', { name: 'Retry' }).click();
    await waitForChat(page);
  });

  it('an unknown model id says the repository does not exist, and the user can pick another', async () => {
    const { page } = await openSession(suite.browser, inject('appUrl'));
    await loadModel(page, suite.hub.url, 'ponder-test/no-such-model', 'wasm');
    const error = page.getByTestId('load-error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toContain('no such repository');
    await page.getByRole('button', { name: 'Choose another model' }).click();
    expect(await page.getByRole('heading', { name: 'Choose a model' }).isVisible()).toBe(true);
  });

  it('an invalid model id is refused before anything is fetched', async () => {
    const { page } = await openSession(suite.browser, inject('appUrl'));
    suite.hub.clearRequests();
    await page.getByText('Advanced: model host, backend, custom model').click();
    await page.getByLabel('Custom model id').fill('not a repo id');
    await page.getByRole('button', { name: 'Load custom' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('organisation/name');
    expect(suite.hub.requests.length).toBe(0);
  });
});
