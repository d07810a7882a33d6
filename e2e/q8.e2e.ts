import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fixtureInfo } from '../tools/fixture/generate.ts';
import { loadModel, sendMessage, waitForChat, waitForReply } from './harness/app';
import { externalRequests, openSession } from './harness/browser';
import { readStoredChats } from './harness/stored-chats';
import { browserAndHub } from './harness/suite';
import { getsOf } from './weights-helpers';

// tiny-r1's script in the 8-bit graph transformers.js's quantize.py writes (onnx/model_quantized.onnx:
// DynamicQuantizeLinear + MatMulInteger with int8 weights, a uint8 embedding + DequantizeLinear), the
// only graph in its repo: what the app asks for first on WASM, run by onnxruntime-web's WebAssembly build.
const Q8 = fixtureInfo('tiny-r1-q8');

interface StoredMessage {
  role: string;
  content: string;
  thinking: string | null;
  answer: string;
  status: string;
  model: { repo: string; dtype: string; device: string } | null;
}

/** The assistant messages the app saved, raw text and all. */
const storedReplies = async (page: Page): Promise<StoredMessage[]> =>
  (await readStoredChats<StoredMessage>(page)).flatMap((c) => c.messages).filter((m) => m.role === 'assistant');

describe('the 8-bit (q8) graph on WASM', () => {
  const suite = browserAndHub();

  it('loads model_quantized.onnx on the WASM backend and streams the scripted reply exactly', async () => {
    const { page, requests, errors } = await openSession(suite.browser, inject('appUrl'));
    await loadModel(page, suite.hub.url, Q8.id, 'wasm');
    await waitForChat(page);
    expect(await page.getByTestId('device-badge').textContent()).toMatch(/^WASM \(CPU\) · \d+ threads?$/);
    expect(await page.getByTestId('model-chip').textContent()).toContain('q8');
    expect(getsOf(suite.hub.requests, 'onnx/model_quantized.onnx'), 'GETs of the 8-bit graph').toHaveLength(1);
    expect(suite.hub.requests.filter((r) => /\/onnx\/model(_q4|_q4f16|_fp16)?\.onnx$/.test(r.path)), 'other graphs fetched').toEqual([]);

    await sendMessage(page, 'What is 2 + 3?');
    expect(await waitForReply(page, 1), `page errors: ${errors.join('\n')}`).toBe('done');
    const reply = page.locator('article.message.assistant').first();
    await reply.locator('.thinking-toggle').click();
    // What the page shows (whitespace folded as the renderer does), then the raw text the app saved.
    const shown = ((await reply.locator('.thinking-body').textContent()) ?? '').replace(/\s+/g, ' ').trim();
    expect(shown).toBe((Q8.thinking ?? '').replace(/\s+/g, ' ').trim());
    expect(await reply.locator('.answer-card').innerText()).toContain('5');

    await expect.poll(async () => (await storedReplies(page)).map((m) => m.status), { timeout: 10_000 }).toEqual(['done']);
    const [saved] = await storedReplies(page);
    expect(saved?.content).toBe(Q8.reply);
    expect(saved?.thinking).toBe((Q8.thinking ?? '').trim());
    expect(saved?.answer).toBe((Q8.answer ?? '').trim());
    expect(saved?.model).toMatchObject({ repo: Q8.id, dtype: 'q8', device: 'wasm' });

    expect(externalRequests(requests), 'requests that left 127.0.0.1').toEqual([]);
  });
});
