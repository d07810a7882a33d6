// Steps shared by the "Connect a server" e2e tests (remote.e2e.ts, remote-engines.e2e.ts).

import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

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
