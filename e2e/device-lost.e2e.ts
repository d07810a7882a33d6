import { describe, expect, inject, it } from 'vitest';
import { loadModel, sendMessage, waitForChat, waitForReply } from './harness/app';
import { openSession } from './harness/browser';
import { browserAndHub } from './harness/suite';

describe('a lost GPU device', () => {
  const suite = browserAndHub();

  it('is explained, keeps the chat, and the model can be reloaded', async () => {
    const { page } = await openSession(suite.browser, inject('appUrl'));
    // Keep a handle on the device ONNX Runtime creates in the worker, so the test can lose it for real.
    const workerStarted = page.waitForEvent('worker');
    await loadModel(page, suite.hub.url, 'ponder-test/tiny-r1', 'webgpu');
    const worker = await workerStarted;
    await worker.evaluate(() => {
      const request = GPUAdapter.prototype.requestDevice;
      GPUAdapter.prototype.requestDevice = async function (this: GPUAdapter, ...args: Parameters<GPUAdapter['requestDevice']>) {
        const device = await request.apply(this, args);
        (self as unknown as { __devices: GPUDevice[] }).__devices = [...((self as unknown as { __devices?: GPUDevice[] }).__devices ?? []), device];
        return device;
      };
    });
    await waitForChat(page);
    await sendMessage(page, 'Before the loss');
    expect(await waitForReply(page, 1)).toBe('done');

    const lost = await worker.evaluate(() => {
      const devices = (self as unknown as { __devices?: GPUDevice[] }).__devices ?? [];
      devices.forEach((d) => d.destroy());
      return devices.length;
    });
    expect(lost).toBeGreaterThan(0);
    await sendMessage(page, 'After the loss');
    expect(await waitForReply(page, 2)).toBe('error');
    const reply = page.locator('article.message.assistant').nth(1);
    expect(await reply.textContent()).toContain('GPU stopped responding');
    // A failed reply says what failed, never that it ran into the token limit.
    expect(await reply.textContent()).not.toContain('token limit');
    // The earlier exchange is intact.
    expect(await page.locator('article.message.assistant').first().getByTestId('answer').textContent()).toContain('The sum is');

    await reply.getByRole('button', { name: 'Reload the model' }).click();
    await waitForChat(page);
    await sendMessage(page, 'After reloading');
    expect(await waitForReply(page, 3)).toBe('done');
  });
});
