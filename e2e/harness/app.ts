import { expect } from 'vitest';
import type { Page } from 'playwright-core';

export type Backend = 'webgpu' | 'wasm';

/** Loads a model through the first screen's Advanced panel, as a user pointing at a mirror would. */
export async function loadModel(page: Page, hubUrl: string, repo: string, backend: Backend, folder = ''): Promise<void> {
  await page.getByText('Advanced: model host, backend, custom model').click();
  const host = page.getByLabel('Model host');
  await host.fill(hubUrl);
  await host.blur();
  await page.getByLabel('Backend').selectOption(backend);
  await page.getByLabel('Custom model id').fill(repo);
  await page.getByLabel('Folder in the repository (optional)').fill(folder);
  await page.getByRole('button', { name: 'Load custom' }).click();
}

export async function waitForChat(page: Page, timeout = 180_000): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).waitFor({ timeout });
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

/** Waits for the n-th assistant reply (1-based) to leave the streaming state and returns its status. */
export async function waitForReply(page: Page, n: number, timeout = 120_000): Promise<string> {
  const reply = page.locator('article.message.assistant').nth(n - 1);
  await reply.waitFor({ timeout });
  await expect
    .poll(async () => reply.getAttribute('data-status'), { timeout, interval: 200 })
    .not.toBe('streaming');
  return (await reply.getAttribute('data-status')) ?? '';
}

/**
 * Switches consensus on by the composer's control: adaptive with its default 8 paths, or, given
 * `fixed`, that many paths every time. Waits until the control says so.
 */
export async function turnOnConsensus(page: Page, fixed?: number): Promise<void> {
  await page.getByRole('button', { name: 'Consensus: off' }).click();
  await page.getByLabel(/Answer by consensus/).check();
  if (fixed !== undefined) {
    await page.getByLabel(/Fixed/).check();
    await page.getByLabel(/Maximum paths/).fill(String(fixed));
  }
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('button', { name: fixed === undefined ? 'Consensus · up to 8' : `Consensus · ${fixed} paths` }).waitFor();
}
