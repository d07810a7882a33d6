// Steps shared by the "Connect a server" e2e tests (remote.e2e.ts, remote-engines.e2e.ts,
// remote-continue.e2e.ts).

import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startEngineServer, type EngineServer, type EngineServerOptions } from '../../tools/engines/server.ts';
import { openWatched, type Watched } from '../share-helpers';
import { externalRequests, launchBrowser } from './browser';

export interface RemoteSuite {
  /** Starts a stand-in engine server for this test; it is closed after the test. */
  serve(options: EngineServerOptions): Promise<EngineServer>;
  /** Opens the app in a fresh watched context; after the test its requests and CSP violations are checked and it is closed. */
  open(options?: Parameters<typeof openWatched>[2]): Promise<Watched>;
}

/**
 * One Chromium for the calling `describe`, and per test the servers and pages it opened. Each page
 * is checked in afterEach, so a request that left 127.0.0.1 or a CSP violation fails the test that
 * caused it.
 */
export function remoteSuite(): RemoteSuite {
  let browser: Browser | undefined;
  const servers: EngineServer[] = [];
  const sessions: Watched[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterEach(async () => {
    // A test may have closed its server itself (to take it away mid-test); closing it again is
    // harmless, as node's server.close calls back (with ERR_SERVER_NOT_RUNNING) when already closed.
    await Promise.all(servers.splice(0).map((server) => server.close()));
    for (const s of sessions.splice(0)) {
      expect(externalRequests(s.requests), 'requests that left 127.0.0.1').toEqual([]);
      expect(await s.violations().catch(() => []), 'CSP violations').toEqual([]);
      await s.context.close();
    }
  });

  afterAll(async () => {
    await browser?.close();
  });

  return {
    async serve(options) {
      const server = await startEngineServer(options);
      servers.push(server);
      return server;
    },
    async open(options = {}) {
      if (!browser) throw new Error('remoteSuite: used outside a test');
      const s = await openWatched(browser, inject('appUrl'), options);
      sessions.push(s);
      return s;
    },
  };
}

/** Opens the first screen's "Connect a server" form, picks the engine by its label and types the address. */
export async function openForm(page: Page, engine: string, url: string): Promise<void> {
  await page.getByText('Connect a server', { exact: false }).first().click();
  await page.getByLabel('Engine').selectOption({ label: engine });
  await page.getByLabel('Server address').fill(url);
}

/** Opens the finished reply's (collapsed) thinking block and reads it. */
export async function expectThinking(reply: Locator, text: string): Promise<void> {
  const toggle = reply.locator('.thinking-toggle');
  await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('false');
  await toggle.click();
  await expect.poll(() => reply.locator('.thinking-body').innerText()).toContain(text);
}
