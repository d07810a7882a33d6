import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Hub } from '../tools/hub/index.ts';
import { fixtureInfo } from '../tools/fixture/generate.ts';
import { loadModel, sendMessage, waitForChat, waitForReply, type Backend } from './harness/app';
import { externalRequests, launchBrowser, openSession, type Session } from './harness/browser';
import { startFixtureHub } from './harness/hub';
import { startStreamProbe, streamLengths } from './harness/stream-probe';

const BACKENDS: Backend[] = ['webgpu', 'wasm'];
const TINY = fixtureInfo('tiny-r1');
/** Tokens before `</think>`: what the collapsed thinking header must count. */
const THINKING_TOKENS = TINY.replyPieces.indexOf('</think>');

describe.each(BACKENDS)('chat on %s', (backend) => {
  let browser: Browser;
  let hub: Hub;
  const sessions: Session[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    hub = await startFixtureHub();
  });

  afterAll(async () => {
    for (const s of sessions) {
      expect(externalRequests(s.requests), 'requests that left 127.0.0.1').toEqual([]);
    }
    await browser?.close();
    await hub?.close();
  });

  async function open(): Promise<Session> {
    const session = await openSession(browser, inject('appUrl'));
    sessions.push(session);
    return session;
  }

  it('shows what this browser can do on the first screen', async () => {
    const { page } = await open();
    await expect.poll(() => page.getByTestId('webgpu-status').textContent()).toBe('Available');
    expect(await page.getByTestId('adapter-name').textContent()).toMatch(/\S/);
    // SwiftShader has no shader-f16, so the q4 (not q4f16) weights are the right choice here.
    expect(await page.getByTestId('shader-f16').textContent()).toBe('No');
    expect(await page.getByRole('button', { name: 'Load' }).count()).toBeGreaterThanOrEqual(2);
  });

  it('loads the fixture model from the local hub, streams the scripted reply, and answers a second turn', async () => {
    const { page, errors } = await open();
    await loadModel(page, hub.url, 'ponder-test/tiny-r1', backend);
    await waitForChat(page);
    expect(await page.getByTestId('device-badge').textContent()).toMatch(backend === 'webgpu' ? /^WebGPU$/ : /^WASM \(CPU\) · \d+ threads?$/);
    // SwiftShader has no shader-f16 and WASM prefers 4-bit too: the fixture's MatMulNBits graph runs.
    expect(await page.getByTestId('model-chip').textContent()).toContain('q4');
    expect(hub.requests.some((r) => r.method === 'GET' && r.path.endsWith('/onnx/model_q4.onnx'))).toBe(true);

    await startStreamProbe(page);
    await sendMessage(page, 'What is 2 + 3?');
    expect(await waitForReply(page, 1), `page errors: ${errors.join('\n')}`).toBe('done');
    // Streamed: the reply passed through intermediate states rather than appearing whole
    // (the endless model below proves sustained streaming; this one is over in a few frames).
    expect((await streamLengths(page)).length).toBeGreaterThanOrEqual(3);

    const reply = page.locator('article.message.assistant').first();
    // Thinking collapsed itself when `</think>` arrived, counting exactly the thinking tokens.
    const toggle = reply.locator('.thinking-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await toggle.textContent()).toContain(`(${THINKING_TOKENS} tokens)`);
    await toggle.click();
    // textContent, not innerText: rendering skips off-screen blocks (content-visibility), text stays.
    const thinking = ((await reply.locator('.thinking-body').textContent()) ?? '').replace(/\s+/g, ' ').trim();
    // Exactly the script's thinking: nothing lost or doubled at delta boundaries.
    expect(thinking).toBe((TINY.thinking ?? '').replace(/\s+/g, ' ').trim());
    const answer = await reply.getByTestId('answer').innerText();
    expect(answer).toContain('The sum is');
    expect(answer).not.toContain('</think>');
    expect(await reply.locator('.answer .katex').count()).toBeGreaterThan(0);
    expect(await reply.locator('.answer-card').innerText()).toContain('5');
    expect(await reply.getByTestId('message-stats').textContent()).toMatch(/tok\/s/);

    await sendMessage(page, 'And what is 2 + 4?');
    expect(await waitForReply(page, 2)).toBe('done');
    expect(await page.locator('article.message.user').count()).toBe(2);
    expect(await page.locator('article.message.assistant').nth(1).getByTestId('answer').textContent()).toContain('The sum is');
  });

  it('Stop ends a reply mid-stream, and the next message works', async () => {
    const { page } = await open();
    await loadModel(page, hub.url, 'ponder-test/tiny-r1-endless', backend);
    await waitForChat(page);
    await startStreamProbe(page);
    await sendMessage(page, 'Think about 2 + 3 forever.');
    const reply = page.locator('article.message.assistant').first();
    await expect.poll(async () => ((await reply.textContent()) ?? '').length, { timeout: 60_000 }).toBeGreaterThan(600);
    // Token by token: the text grew through several visible states while the model thought.
    expect((await streamLengths(page)).length).toBeGreaterThanOrEqual(4);
    await page.getByRole('button', { name: '■ Stop' }).click();
    expect(await waitForReply(page, 1)).toBe('stopped');
    const stoppedText = await reply.locator('.thinking').textContent();
    await page.waitForTimeout(500);
    expect(await reply.locator('.thinking').textContent()).toBe(stoppedText);
    expect(await reply.textContent()).toContain('Stopped.');

    await sendMessage(page, 'Again, but shorter.');
    await expect.poll(async () => ((await page.locator('article.message.assistant').nth(1).textContent()) ?? '').length, { timeout: 60_000 }).toBeGreaterThan(100);
    await page.getByRole('button', { name: '■ Stop' }).click();
    expect(await waitForReply(page, 2)).toBe('stopped');
  });
});
