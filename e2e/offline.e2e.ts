import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Hub } from '../tools/hub/index.ts';
import { loadModel, sendMessage, waitForChat, waitForReply } from './harness/app';
import { launchBrowser, openSession, type Session } from './harness/browser';
import { startFixtureHub } from './harness/hub';
import { chatOrLoadError, recordRequests, startPreview, waitForServiceWorkerControl } from './pwa-support';

// A plane: after one online visit that stores the model, the network, the model host and the app's
// own server are all gone. The page must come from the service worker, the weights from IndexedDB.
describe('offline after the first visit', () => {
  let browser: Browser;
  let hub: Hub;
  let app: Awaited<ReturnType<typeof startPreview>>;
  let session: Session;

  beforeAll(async () => {
    browser = await launchBrowser();
    hub = await startFixtureHub();
    // Our own preview server: the shared one serves the other test files and must stay up.
    app = await startPreview();
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close().catch(() => {});
    await app?.close().catch(() => {});
  });

  it('reloads from the service worker with no servers and no network, loads the stored model and chats', async () => {
    session = await openSession(browser, app.url);
    const { context, page, errors } = session;
    await loadModel(page, hub.url, 'ponder-test/tiny-r1', 'wasm');
    await waitForChat(page);
    const swUrl = await waitForServiceWorkerControl(page);
    expect(swUrl).toBe(`${app.url}/sw.js`);
    // Offline-ready is only claimed once the SW is active, i.e. its precache is complete.
    await page.getByTestId('offline-ready').waitFor();

    await context.setOffline(true);
    await hub.close();
    await app.close();
    const log = recordRequests(context);

    await page.reload();
    // The shell, its JS/CSS and the first screen came back without any server.
    await page.getByRole('heading', { name: 'Think it through, privately.' }).waitFor();
    expect(await page.getByTestId('network-status').textContent()).toBe('Offline');
    await page.getByTestId('offline-hint').waitFor();

    // Choose the stored model again as a person would; the host field kept its value.
    await loadModel(page, hub.url, 'ponder-test/tiny-r1', 'wasm');
    await chatOrLoadError(page);
    await sendMessage(page, 'What is 2 + 3?');
    expect(await waitForReply(page, 1), `page errors: ${errors.join('\n')}`).toBe('done');
    const reply = page.locator('article.message.assistant').first();
    expect(await reply.getByTestId('answer').innerText()).toContain('The sum is');
    expect(await reply.locator('.answer-card').innerText()).toContain('5');
    // KaTeX rendered from precached fonts and scripts: nothing came from a CDN.
    expect(await reply.locator('.answer .katex').count()).toBeGreaterThan(0);

    // The page, the inference worker (ORT .mjs/.wasm) and the fonts were all answered by the SW.
    expect(log.count()).toBeGreaterThan(5);
    expect(await log.notFromServiceWorker()).toEqual([]);
    log.stop();
  });

  it('says plainly that a model which is not stored yet needs a connection', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Change model' }).click();
    // A fresh chat shows the model picker (a chat with messages stays readable without a model).
    await page.getByRole('button', { name: '+ New chat' }).click();
    await page.getByTestId('offline-hint').waitFor();
    await loadModel(page, hub.url, 'ponder-test/tiny-r1-endless', 'wasm');
    await page.getByTestId('load-error').waitFor();
    const notice = page.getByTestId('offline-not-stored');
    expect(await notice.innerText()).toContain('You are offline, and ponder-test/tiny-r1-endless is not stored on this device yet');
    expect(await notice.getAttribute('role')).toBe('alert');
  });
});
