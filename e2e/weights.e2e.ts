import { beforeEach, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadModel, sendMessage, waitForChat, waitForReply } from './harness/app';
import { openSession } from './harness/browser';
import { browserAndHub } from './harness/suite';
import { fileKey, getsOf, hubFile, storedRecord } from './weights-helpers';

describe('weight store', () => {
  const suite = browserAndHub();

  beforeEach(() => {
    suite.hub.clearFaults();
    suite.hub.clearRequests();
  });

  async function chatOnce(page: Page): Promise<void> {
    await sendMessage(page, 'What is 2 + 3?');
    expect(await waitForReply(page, 1)).toBe('done');
    expect(await page.locator('article.message.assistant').first().textContent()).toContain('5');
  }

  it('loads a model whose weights are split into external data chunks', async () => {
    const repo = 'ponder-test/tiny-r1-chunked';
    const { page } = await openSession(suite.browser, inject('appUrl'));
    await loadModel(page, suite.hub.url, repo, 'wasm');
    await waitForChat(page);
    const chunks = ['onnx/model.onnx_data', 'onnx/model.onnx_data_1', 'onnx/model.onnx_data_2', 'onnx/model.onnx_data_3', 'onnx/model.onnx_data_4'];
    for (const path of chunks) {
      expect(getsOf(suite.hub.requests, path), path).toHaveLength(1);
      expect((await storedRecord(page, fileKey(repo, path)))?.sha256).toBe((await hubFile(repo, path)).sha256);
    }
    await chatOnce(page);
  });

  it('runs the 4-bit q4 graph on WebGPU (no shader-f16 here), then loads it again offline with zero requests', async () => {
    const repo = 'ponder-test/tiny-r1';
    const { page, context, requests } = await openSession(suite.browser, inject('appUrl'));
    expect(await page.getByTestId('shader-f16').textContent()).toBe('No');
    await loadModel(page, suite.hub.url, repo, 'webgpu');
    await waitForChat(page);
    expect(await page.getByTestId('device-badge').textContent()).toBe('WebGPU');
    expect(await page.getByTestId('model-chip').textContent()).toContain('q4');
    // The MatMulNBits graph, and not the fp32 one, is what was downloaded and run.
    expect(getsOf(suite.hub.requests, 'onnx/model_q4.onnx')).toHaveLength(1);
    expect(getsOf(suite.hub.requests, 'onnx/model.onnx')).toHaveLength(0);
    await chatOnce(page);
    await page.close();

    // The model host goes off the network. (The app's own files come from its server here; offline
    // they come from the service worker's precache, which the PWA tests cover.)
    await context.route(`${suite.hub.url}/**`, (route) => route.abort('internetdisconnected'));
    const again = await context.newPage();
    await again.goto(inject('appUrl'));
    suite.hub.clearRequests();
    const before = requests.length;
    await loadModel(again, suite.hub.url, repo, 'webgpu');
    await waitForChat(again);
    await chatOnce(again);
    expect(requests.slice(before).filter((u) => u.startsWith(suite.hub.url)), 'model host requests while loading a stored model').toEqual([]);
    expect(suite.hub.requests).toEqual([]);
  });

  it('a second tab loading the same model waits for the first tab’s download instead of fetching in parallel', async () => {
    const repo = 'ponder-test/tiny-r1';
    const graph = 'onnx/model_q4.onnx';
    const { page, context } = await openSession(suite.browser, inject('appUrl'));
    const other = await context.newPage();
    await other.goto(inject('appUrl'));
    suite.hub.addFault({ kind: 'slow', bytesPerSecond: 60_000, match: graph });
    await Promise.all([loadModel(page, suite.hub.url, repo, 'wasm'), loadModel(other, suite.hub.url, repo, 'wasm')]);
    await Promise.all([waitForChat(page), waitForChat(other)]);
    const { size } = await hubFile(repo, graph);
    const gets = getsOf(suite.hub.requests, graph);
    expect(gets, 'one download of the graph across both tabs').toHaveLength(1);
    expect(gets[0]!.bytesSent).toBe(size);
    for (const path of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) expect(getsOf(suite.hub.requests, path), path).toHaveLength(1);
  });
});
