import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Hub } from '../tools/hub/index.ts';
import { loadModel, sendMessage, waitForChat, waitForReply } from './harness/app';
import { launchBrowser, openSession } from './harness/browser';
import { startFixtureHub } from './harness/hub';

const SHOTS = 'test-results/screens';

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Pairs of visible top-bar controls whose boxes overlap, and controls that stick out of the bar. */
async function topBarClashes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bar = document.querySelector('.topbar')!.getBoundingClientRect();
    const items = [...document.querySelectorAll<HTMLElement>('.topbar button, .topbar .badge, .topbar .speed, .topbar strong')]
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => ({ name: (el.textContent ?? '').trim() || el.tagName, r: el.getBoundingClientRect() }));
    const clashes: string[] = [];
    for (const [i, a] of items.entries()) {
      if (a.r.left < bar.left - 1 || a.r.right > bar.right + 1) clashes.push(`${a.name} sticks out`);
      for (const b of items.slice(i + 1)) {
        const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (w > 1 && h > 1) clashes.push(`${a.name} (${Math.round(a.r.left)}–${Math.round(a.r.right)}) overlaps ${b.name} (${Math.round(b.r.left)}–${Math.round(b.r.right)})`);
      }
    }
    return clashes;
  });
}

async function backgroundLuminance(page: Page): Promise<number> {
  return page.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g)!.map(Number) as [number, number, number];
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  });
}

describe.each([
  { width: 360, height: 740, scheme: 'light' as const },
  { width: 360, height: 740, scheme: 'dark' as const },
  { width: 1440, height: 900, scheme: 'light' as const },
  { width: 1440, height: 900, scheme: 'dark' as const },
])('layout at $width px, $scheme', ({ width, height, scheme }) => {
  let browser: Browser;
  let hub: Hub;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
    hub = await startFixtureHub();
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('fits the width, follows the colour scheme, and keeps the composer in view while chatting', async () => {
    const { page } = await openSession(browser, inject('appUrl'), { width, height, colorScheme: scheme });
    await page.getByTestId('capability').waitFor();
    const lum = await backgroundLuminance(page);
    expect(scheme === 'dark' ? lum < 0.2 : lum > 0.8).toBe(true);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/welcome-${width}-${scheme}.png`, fullPage: true });

    await loadModel(page, hub.url, 'ponder-test/tiny-r1', 'wasm');
    await waitForChat(page);
    await sendMessage(page, 'What is 2 + 3? Please reason step by step, and put your final answer within \\boxed{}.');
    expect(await waitForReply(page, 1)).toBe('done');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await topBarClashes(page)).toEqual([]);

    const composer = await page.locator('form.composer').boundingBox();
    expect(composer).not.toBeNull();
    expect(composer!.y + composer!.height).toBeLessThanOrEqual(height);
    expect(composer!.x).toBeGreaterThanOrEqual(0);
    expect(composer!.x + composer!.width).toBeLessThanOrEqual(width);

    const sidebar = page.getByRole('navigation', { name: 'Conversations' });
    if (width < 760) {
      // Narrow: the sidebar is a drawer behind the menu button.
      expect(await sidebar.evaluate((el) => el.getBoundingClientRect().right <= 0)).toBe(true);
      await page.screenshot({ path: `${SHOTS}/chat-${width}-${scheme}.png` });
      await page.getByRole('button', { name: 'Open conversations' }).click();
      await expect.poll(() => sidebar.evaluate((el) => el.getBoundingClientRect().left)).toBeGreaterThanOrEqual(0);
      await page.keyboard.press('Escape');
      await expect.poll(() => sidebar.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(0);
    } else {
      expect(await sidebar.isVisible()).toBe(true);
      // The message column is centred in the space beside the sidebar, at a readable width.
      const column = (await page.locator('.messages').boundingBox())!;
      const nav = (await sidebar.boundingBox())!;
      expect(column.width).toBeLessThanOrEqual(48 * 16 + 1);
      const left = column.x - (nav.x + nav.width);
      const right = width - (column.x + column.width);
      expect(Math.abs(left - right)).toBeLessThan(24);
      await page.screenshot({ path: `${SHOTS}/chat-${width}-${scheme}.png` });
    }
  });
});
