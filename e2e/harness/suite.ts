import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Hub } from '../../tools/hub/index.ts';
import { launchBrowser } from './browser';
import { startFixtureHub } from './hub';

/** One Chromium and one fixture hub for a test file, started before its tests and closed after. */
export function browserAndHub(): { readonly browser: Browser; readonly hub: Hub } {
  let browser: Browser | undefined;
  let hub: Hub | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
    hub = await startFixtureHub();
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('browserAndHub: used outside a test');
      return browser;
    },
    get hub() {
      if (!hub) throw new Error('browserAndHub: used outside a test');
      return hub;
    },
  };
}
