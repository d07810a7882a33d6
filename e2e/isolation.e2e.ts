// Cross-origin isolation, so that ONNX Runtime runs WebAssembly on several threads: from the preview
// server's headers, from the service worker alone on a host that sends none, and what the page says
// where isolation cannot be had. The fixture hub is another origin (its own port), and it answers
// weights as huggingface.co does, with a 302 to a storage host on a third origin: every model
// download here crosses origins, through a redirect, under COEP.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Hub } from '../tools/hub/index.ts';
import { defaultThreads } from '../src/engine/threads';
import { loadModel, sendMessage, waitForChat, waitForReply } from './harness/app';
import { launchBrowser, openSession, type Session } from './harness/browser';
import { startFixtureHub } from './harness/hub';
import { startSwitchableServer, waitForServiceWorkerControl, type SwitchableServer } from './pwa-support';

interface Isolation {
  page: boolean;
  worker: boolean;
  cores: number;
}

/** Whether the page and a dedicated worker it starts are isolated (SharedArrayBuffer included). */
async function isolation(page: Page): Promise<Isolation> {
  return page.evaluate(async () => {
    const source = 'postMessage(self.crossOriginIsolated && typeof SharedArrayBuffer === "function")';
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const worker = new Worker(url);
    const inWorker = await new Promise<boolean>((done) => worker.addEventListener('message', (e) => done(e.data === true)));
    worker.terminate();
    return { page: self.crossOriginIsolated && typeof SharedArrayBuffer === 'function', worker: inWorker, cores: navigator.hardwareConcurrency };
  });
}

/** Loads tiny-r1 on WASM, checks the thread count the top bar reports, and has one reply written. */
async function chatsOnWasm(session: Session, hubUrl: string, threads: number): Promise<void> {
  const { page, errors } = session;
  await loadModel(page, hubUrl, 'ponder-test/tiny-r1', 'wasm');
  await waitForChat(page);
  expect(await page.getByTestId('device-badge').textContent()).toBe(`WASM (CPU) · ${threads === 1 ? '1 thread' : `${threads} threads`}`);
  await sendMessage(page, 'What is 2 + 3?');
  expect(await waitForReply(page, 1), errors.join('\n')).toBe('done');
  expect(await page.locator('article.message.assistant .answer-card').innerText()).toContain('5');
}

describe('cross-origin isolation and WebAssembly threads', () => {
  let browser: Browser;
  let hub: Hub;
  let bare: SwitchableServer;

  beforeAll(async () => {
    browser = await launchBrowser();
    hub = await startFixtureHub({ storageRedirect: true });
    // A static host that sends no COOP/COEP, as GitHub Pages does: only the service worker can isolate.
    bare = await startSwitchableServer('dist');
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    await bare?.close();
  });

  it('the preview server sends COOP and COEP, and a WASM chat runs on every core', async () => {
    const session = await openSession(browser, inject('appUrl'));
    const response = await session.page.reload();
    const headers = response?.headers() ?? {};
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    // Chromium knows credentialless; other browsers get require-corp (src/isolation/headers.test.ts).
    expect(headers['cross-origin-embedder-policy']).toBe('credentialless');
    const isolated = await isolation(session.page);
    expect(isolated).toMatchObject({ page: true, worker: true });
    hub.clearRequests();
    await chatsOnWasm(session, hub.url, defaultThreads(isolated.cores));
    const weights = hub.requests.filter((r) => r.path.endsWith('.onnx'));
    expect(weights.map((r) => r.status)).toEqual(expect.arrayContaining([302, 200]));
    expect(weights.some((r) => r.path.startsWith('/__storage/'))).toBe(true);
    // ONNX Runtime's own threads: Emscripten starts one worker per extra thread from its .mjs.
    if (isolated.cores > 1) expect(session.page.workers().filter((w) => /ort-wasm-simd-threaded/.test(w.url())).length).toBeGreaterThan(0);
    await session.context.close();
  });

  it('on a host that sends no headers, the service worker isolates the page after one reload of the first visit', async () => {
    const session = await openSession(browser, bare.url);
    const { page } = session;
    const first = await page.evaluate(() => self.crossOriginIsolated);
    expect(first).toBe(false);
    // The worker takes control (clientsClaim), the page reloads itself once, and is then isolated.
    await page.waitForFunction(() => self.crossOriginIsolated, undefined, { timeout: 60_000 });
    expect(await waitForServiceWorkerControl(page)).toBe(`${bare.url}/sw.js`);
    const isolated = await isolation(page);
    expect(isolated).toMatchObject({ page: true, worker: true });
    expect(await page.evaluate(() => sessionStorage.getItem('ponder.isolationReload'))).toBe('1');
    await chatsOnWasm(session, hub.url, defaultThreads(isolated.cores));

    // A later visit is isolated from its first paint; the navigation was answered by the worker.
    const again = await page.reload();
    expect(again?.fromServiceWorker()).toBe(true);
    expect(again?.headers()['cross-origin-opener-policy']).toBe('same-origin');
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    await session.context.close();
  });

  it('without isolation (no headers, service workers blocked) WASM says it runs on one thread, and why', async () => {
    const session = await openSession(browser, bare.url, { serviceWorkers: 'block' });
    const { page } = session;
    expect(await isolation(page)).toMatchObject({ page: false, worker: false });
    await page.getByText('Advanced: model host, backend, custom model').click();
    expect(await page.getByLabel('CPU threads').isDisabled()).toBe(true);
    expect(await page.getByTestId('threads-hint').innerText()).toMatch(/one thread.*not cross-origin isolated/i);
    await page.getByText('Advanced: model host, backend, custom model').click(); // closed again for loadModel
    await chatsOnWasm(session, hub.url, 1);
    await session.context.close();
  });

  it('a chosen thread count applies from the next load, in a fresh worker', async () => {
    const session = await openSession(browser, inject('appUrl'));
    const { page } = session;
    const { cores } = await isolation(page);
    await chatsOnWasm(session, hub.url, defaultThreads(cores));
    await page.getByRole('button', { name: 'Change model' }).click();
    await page.getByRole('button', { name: '+ New chat' }).click();
    await page.getByText('Advanced: model host, backend, custom model').click();
    await page.getByLabel('CPU threads').selectOption('1');
    await page.getByText('Advanced: model host, backend, custom model').click(); // closed again for loadModel
    await chatsOnWasm(session, hub.url, 1);
    // The setting is kept for the next visit.
    expect(await page.evaluate(() => localStorage.getItem('ponder.threads'))).toBe('1');
    await session.context.close();
  });
});
