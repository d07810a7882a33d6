import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import type { Hub } from '../tools/hub/index.ts';
import { loadModel, sendMessage, waitForReply } from './harness/app';
import { launchBrowser, openSession } from './harness/browser';
import { startFixtureHub } from './harness/hub';
import { buildVariant, chatOrLoadError, startSwitchableServer, waitForServiceWorkerControl, type SwitchableServer } from './pwa-support';

const WORK = '.cache/e2e-pwa-update';
const A = `${WORK}/a`;
const B = `${WORK}/b`;

// A redeploy: the same origin starts serving a new build. The open app must notice, offer the reload,
// refuse it while a reply is being generated, and on the click come back as the new version.
describe('updates', () => {
  let browser: Browser;
  let hub: Hub;
  let server: SwitchableServer;

  beforeAll(async () => {
    await buildVariant(A, 'e2e-a');
    await buildVariant(B, 'e2e-b');
    server = await startSwitchableServer(A);
    hub = await startFixtureHub();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await server?.close();
    await rm(WORK, { recursive: true, force: true });
  });

  it('offers "Reload to update" after a new build, never during a reply, and reloads into the new version', async () => {
    const { page, errors } = await openSession(browser, server.url);
    expect(await page.getByTestId('app-version').textContent()).toBe('Version e2e-a');
    await waitForServiceWorkerControl(page);
    const prompt = page.getByRole('button', { name: 'Reload to update' });
    expect(await prompt.count()).toBe(0);

    // A reply that runs until stopped, so the update arrives mid-generation.
    await loadModel(page, hub.url, 'ponder-test/tiny-r1-endless', 'wasm');
    await chatOrLoadError(page);
    // The longest reply allowed, so it outlasts the new worker's install even on a loaded machine: the
    // threaded WASM decode keeps both cores busy, and an 8k-token reply once ended before the offer came.
    await page.getByRole('button', { name: '⚙ Settings' }).click();
    await page.getByLabel('Maximum reply length (tokens)').fill('32768');
    await page.getByRole('button', { name: 'Done' }).click();
    await sendMessage(page, 'Think about 2 + 3 forever.');
    await page.getByRole('button', { name: '■ Stop' }).waitFor();

    server.serve(B);
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration!.update();
    });
    await prompt.waitFor({ timeout: 120_000 });
    // Offered, but not while the model is writing: the click would swap code under the generation.
    expect(await prompt.isDisabled()).toBe(true);
    expect(await page.getByTestId('update-prompt').innerText()).toContain('once this reply is finished');
    expect(await page.getByTestId('app-version').textContent()).toBe('Version e2e-a');

    await page.getByRole('button', { name: '■ Stop' }).click();
    expect(await waitForReply(page, 1), `page errors: ${errors.join('\n')}`).toBe('stopped');
    expect(await prompt.isEnabled()).toBe(true);

    await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), prompt.click()]);
    await page.getByTestId('app-version').waitFor();
    expect(await page.getByTestId('app-version').textContent()).toBe('Version e2e-b');
    expect(await prompt.count()).toBe(0);
    // The new worker now controls the page, with nothing left waiting.
    const state = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return { waiting: registration?.waiting !== null, controlled: navigator.serviceWorker.controller !== null };
    });
    expect(state).toEqual({ waiting: false, controlled: true });
  });
});
