import type { Page } from 'playwright-core';

/**
 * Records, in the page, the text length of the newest assistant message at every DOM change, so a
 * test can tell a reply that streamed in from one that appeared all at once.
 */
export async function startStreamProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __lengths: number[] };
    w.__lengths = [];
    new MutationObserver(() => {
      const replies = document.querySelectorAll('article.message.assistant');
      const last = replies[replies.length - 1];
      if (last) w.__lengths.push(last.textContent?.length ?? 0);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** Distinct lengths seen while streaming, in order. */
export async function streamLengths(page: Page): Promise<number[]> {
  const lengths = await page.evaluate(() => (window as unknown as { __lengths: number[] }).__lengths);
  return lengths.filter((n, i) => i === 0 || n !== lengths[i - 1]);
}
