// The built app runs under its Content Security Policy in Chromium: the policy is there, enforced,
// and a full model load plus chat (WebGPU and WASM) triggers no violation.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Hub } from '../tools/hub/index.ts';
import { loadModel, sendMessage, waitForChat, waitForReply, type Backend } from './harness/app';
import { externalRequests, launchBrowser } from './harness/browser';
import { startFixtureHub } from './harness/hub';
import { openWatched, type Watched } from './share-helpers';

describe('Content Security Policy', () => {
  let browser: Browser;
  let hub: Hub;
  const sessions: Watched[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    hub = await startFixtureHub();
  });

  afterAll(async () => {
    for (const s of sessions) expect(externalRequests(s.requests), 'requests that left 127.0.0.1').toEqual([]);
    await browser?.close();
    await hub?.close();
  });

  async function open(): Promise<Watched> {
    const s = await openWatched(browser, inject('appUrl'));
    sessions.push(s);
    return s;
  }

  it('is delivered in the built page and enforced: an injected inline script does not run', async () => {
    const s = await open();
    const policy = await s.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    for (const directive of ["script-src 'self' 'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'none'", "form-action 'none'", "worker-src 'self' blob:"]) {
      expect(policy).toContain(directive);
    }
    expect(policy).not.toMatch(/'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
    await s.page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__pwned = 1';
      document.body.append(script);
    });
    await expect.poll(() => s.violations()).toContainEqual(expect.stringMatching(/^script-src-elem inline/));
    expect(await s.pwned()).toBe(false);
  });

  it.each(['webgpu', 'wasm'] as Backend[])('raises no violation during a full load and chat on %s', async (backend) => {
    const s = await open();
    await loadModel(s.page, hub.url, 'ponder-test/tiny-r1', backend);
    await waitForChat(s.page);
    await sendMessage(s.page, 'What is 2 + 3?');
    expect(await waitForReply(s.page, 1), s.errors.join('\n')).toBe('done');
    const reply = s.page.locator('article.message.assistant').first();
    await reply.locator('.thinking-toggle').click();
    expect(await reply.locator('.answer .katex').count()).toBeGreaterThan(0);
    expect(await s.violations()).toEqual([]);
    expect(s.errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  });
});
