// Reading while the model writes: the conversation follows the stream only while the reader is at the
// bottom. Scrolling up to read stops the following (the view stays put while the reply grows below),
// and "Jump to latest" brings the view back down and resumes following. Real wheel input, a reply
// that never ends (`tiny-r1-endless`) and a small window, so the reply overflows quickly.

import { describe, expect, inject, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { loadModel, sendMessage, waitForChat, waitForReply } from './harness/app';
import { openSession } from './harness/browser';
import { browserAndHub } from './harness/suite';

interface ScrollState {
  top: number;
  height: number;
  /** Pixels below the visible part: 0 when scrolled to the bottom. */
  below: number;
}

const state = (scroller: Locator): Promise<ScrollState> =>
  scroller.evaluate((el) => ({ top: el.scrollTop, height: el.scrollHeight, below: el.scrollHeight - el.scrollTop - el.clientHeight }));

/** Waits until the reply has grown by `px` more pixels of content. */
async function grows(scroller: Locator, px: number): Promise<void> {
  const { height } = await state(scroller);
  await expect.poll(async () => (await state(scroller)).height, { timeout: 60_000 }).toBeGreaterThan(height + px);
}

describe('scrolling while a reply streams', () => {
  const suite = browserAndHub();

  it('follows at the bottom, stays put when scrolled up, and "Jump to latest" resumes following', async () => {
    const { page, context, errors } = await openSession(suite.browser, inject('appUrl'), { width: 800, height: 520 });
    await loadModel(page, suite.hub.url, 'ponder-test/tiny-r1-endless', 'wasm');
    await waitForChat(page);
    const scroller = page.locator('.scroll', { has: page.getByRole('log', { name: 'Conversation' }) });
    const jump = page.getByRole('button', { name: 'Jump to latest' });
    await sendMessage(page, 'Think about 2 + 3 forever.');

    // Following: once the reply overflows the window, the view stays at the bottom as it grows.
    await expect
      .poll(async () => {
        const s = await state(scroller);
        return s.top + s.below;
      }, { timeout: 60_000 })
      .toBeGreaterThan(400);
    await grows(scroller, 200);
    expect((await state(scroller)).below, 'pixels below the view while following').toBeLessThanOrEqual(1);
    expect(await jump.count()).toBe(0);

    // The reader scrolls up (wheel over the conversation): following stops at once.
    const box = await scroller.boundingBox();
    if (!box) throw new Error('the conversation is not visible');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await jump.waitFor();
    const readingAt = (await state(scroller)).top;
    await grows(scroller, 300);
    const reading = await state(scroller);
    expect(reading.top, 'the view stays where the reader left it').toBe(readingAt);
    expect(reading.below).toBeGreaterThan(300);

    // "Jump to latest": back at the bottom, the button goes away, and the view follows again.
    await jump.click();
    await jump.waitFor({ state: 'detached' });
    expect((await state(scroller)).below).toBeLessThanOrEqual(1);
    await grows(scroller, 200);
    expect((await state(scroller)).below, 'following again after the jump').toBeLessThanOrEqual(1);

    await page.getByRole('button', { name: '■ Stop' }).click();
    expect(await waitForReply(page, 1), `page errors: ${errors.join('\n')}`).toBe('stopped');
    await context.close();
  });
});
