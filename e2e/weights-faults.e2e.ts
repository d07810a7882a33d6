import { beforeEach, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { FaultRule } from '../tools/hub/index.ts';
import { loadModel, waitForChat } from './harness/app';
import { openSession, type Session } from './harness/browser';
import { browserAndHub } from './harness/suite';
import {
  corruptStoredChunk,
  fileKey,
  getsOf,
  hubFile,
  loseStoredChunk,
  rangeStart,
  storageEstimate,
  storedRecord,
  storedSha256,
} from './weights-helpers';

// Faults injected by the local hub while the real app downloads into the real IndexedDB store.
// tiny-r1 on WASM loads onnx/model_q4.onnx (212 KB, stored as 64 KiB chunks).
const REPO = 'ponder-test/tiny-r1';
const GRAPH = 'onnx/model_q4.onnx';
const KEY = fileKey(REPO, GRAPH);

describe('weight store under faults', () => {
  const suite = browserAndHub();

  beforeEach(() => {
    suite.hub.clearFaults();
    suite.hub.clearRequests();
  });

  const open = (): Promise<Session> => openSession(suite.browser, inject('appUrl'));

  /** The same model loaded in a new tab of `context`, as a reload does; it must end stored as the hub has it. */
  async function reopen(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(inject('appUrl'));
    await loadModel(page, suite.hub.url, REPO, 'wasm');
    await waitForChat(page);
    await expectStoredLikeSource(page);
    return page;
  }

  async function expectStoredLikeSource(page: Page): Promise<void> {
    const source = await hubFile(REPO, GRAPH);
    const record = await storedRecord(page, KEY);
    expect(record?.complete).toBe(true);
    expect(record?.sha256).toBe(source.sha256);
    expect(await storedSha256(page, KEY)).toBe(source.sha256);
  }

  it('a connection dropped at several points resumes on its own, refetching less than a chunk each time', async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    // Bytes arrive at a network's pace, not loopback's: Chromium discards what is still queued in
    // a fetch body when the connection errors, and at loopback speed the whole response is queued.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 5, downloadThroughput: 400_000, uploadThroughput: -1 });
    await page.goto(inject('appUrl'));
    // Each resumed request is a Range request, and its body restarts the count.
    for (const afterBytes of [100_000, 70_000, 40_000]) suite.hub.addFault({ kind: 'drop', afterBytes, match: GRAPH, times: 1 });
    await loadModel(page, suite.hub.url, REPO, 'wasm');
    await waitForChat(page);
    await expectStoredLikeSource(page);

    const gets = getsOf(suite.hub.requests, GRAPH);
    expect(gets.map((r) => r.fault)).toEqual(['drop', 'drop', 'drop', null]);
    const chunk = (await storedRecord(page, KEY))!.chunkSize;
    const refetched: number[] = [];
    for (let i = 0; i + 1 < gets.length; i++) {
      expect(rangeStart(gets[i + 1]!) % chunk).toBe(0);
      refetched.push(gets[i]!.bytesSent - (rangeStart(gets[i + 1]!) - rangeStart(gets[i]!)));
    }
    console.info(JSON.stringify({ test: 'drops', chunk, size: (await hubFile(REPO, GRAPH)).size, starts: gets.map(rangeStart), refetched }));
    for (const n of refetched) expect(n).toBeLessThanOrEqual(chunk);
    await context.close();
  });

  it('a tab closed mid-download resumes in the next tab from the last stored chunk', async () => {
    const first = await open();
    suite.hub.addFault({ kind: 'slow', bytesPerSecond: 40_000, match: GRAPH });
    await loadModel(first.page, suite.hub.url, REPO, 'wasm');
    await expect.poll(async () => (await storedRecord(first.page, KEY))?.storedChunks ?? 0, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    await first.page.close();
    suite.hub.clearFaults();

    const second = await reopen(first.context);

    const [cut, resumed] = getsOf(suite.hub.requests, GRAPH);
    const chunk = (await storedRecord(second, KEY))!.chunkSize;
    expect(rangeStart(cut!)).toBe(0);
    expect(rangeStart(resumed!)).toBeGreaterThanOrEqual(2 * chunk);
    const refetched = cut!.bytesSent - rangeStart(resumed!);
    expect(refetched).toBeLessThanOrEqual(chunk);
    console.info(JSON.stringify({ test: 'tab closed', chunk, sentBeforeClose: cut!.bytesSent, resumedAt: rangeStart(resumed!), refetched }));
  });

  const hostFaults: Array<[string, FaultRule, RegExp]> = [
    ['HTTP 500', { kind: 'status', status: 500, match: GRAPH }, /HTTP 500.*retry/i],
    ['HTTP 404', { kind: 'status', status: 404, match: GRAPH }, /no such repository or file/],
    ['a Content-Length larger than the file', { kind: 'wrongLength', extraBytes: 1024, match: GRAPH }, /does not match its file list/],
    ['a Content-Length smaller than the file', { kind: 'wrongLength', extraBytes: -1024, match: GRAPH }, /does not match its file list/],
    ['bytes corrupted in transit, every time', { kind: 'corrupt', match: GRAPH }, /did not match the checksum/],
  ];

  it.each(hostFaults)('%s: a clear message, Retry, and nothing marked complete', async (_, fault, message) => {
    const { page } = await open();
    suite.hub.addFault(fault);
    await loadModel(page, suite.hub.url, REPO, 'wasm');
    const error = page.getByTestId('load-error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toMatch(message);
    expect((await storedRecord(page, KEY))?.complete ?? false).toBe(false);

    suite.hub.clearFaults();
    await page.getByRole('button', { name: 'Retry' }).click();
    await waitForChat(page);
    await expectStoredLikeSource(page);
  });

  it('bytes corrupted in transit once are caught by the hash and downloaded again without asking', async () => {
    const { page } = await open();
    suite.hub.addFault({ kind: 'corrupt', match: GRAPH, times: 1 });
    await loadModel(page, suite.hub.url, REPO, 'wasm');
    await waitForChat(page);
    await expectStoredLikeSource(page);
    expect(getsOf(suite.hub.requests, GRAPH).map((r) => [rangeStart(r), r.fault])).toEqual([
      [0, 'corrupt'],
      [0, null],
    ]);
  });

  // The chunks are checked beside the load (load-checked.ts). A lost chunk makes transformers.js's
  // read of the model fail, which it never reports (its load would wait forever): the check, not
  // the load, must notice, fetch the chunk again and load once more.
  it.each([
    { harm: 'damaged', damage: corruptStoredChunk, pick: () => 1 },
    { harm: 'lost', damage: loseStoredChunk, pick: (chunks: number) => chunks - 1 },
  ])('a stored chunk $harm on disk is found on the next load, only that chunk is fetched again, and the model loads', async ({ damage, pick }) => {
    const first = await open();
    await loadModel(first.page, suite.hub.url, REPO, 'wasm');
    await waitForChat(first.page);
    const { chunkSize, storedChunks } = (await storedRecord(first.page, KEY))!;
    const index = pick(storedChunks);
    await damage(first.page, KEY, index);
    expect(await storedSha256(first.page, KEY).catch(() => 'unreadable')).not.toBe((await hubFile(REPO, GRAPH)).sha256);
    await first.page.close();
    suite.hub.clearRequests();

    await reopen(first.context);
    const { size } = await hubFile(REPO, GRAPH);
    const gets = getsOf(suite.hub.requests, GRAPH);
    expect(gets.map((r) => r.range)).toEqual([`bytes=${index * chunkSize}-${Math.min(size, (index + 1) * chunkSize) - 1}`]);
    // Nothing else was fetched: the stored plan and the other files were trusted after checking.
    expect(suite.hub.requests.filter((r) => !r.path.endsWith(GRAPH))).toEqual([]);
  });

  // Chromium enforces Storage.overrideQuotaForOrigin on IndexedDB writes only when it is set before
  // the origin first opens IndexedDB, and in these (incognito) contexts storage.estimate() keeps
  // reporting a made-up 10 GiB quota. So the test measures what the two models take in one
  // context, then fills the disk for real in a second one with a quota between the two.
  it('running out of quota while writing names the space needed and keeps other stored models', async () => {
    const origin = new URL(inject('appUrl')).origin;
    const other = { repo: 'ponder-test/tiny-r1-chunked', path: 'onnx/model.onnx_data_1' };
    // No service worker, so its precache of the app (tens of MB, at its own pace) is not in the usage.
    const measureContext = await suite.browser.newContext({ serviceWorkers: 'block' });
    const measure = await measureContext.newPage();
    await measure.goto(inject('appUrl'));
    await loadModel(measure, suite.hub.url, other.repo, 'wasm');
    await waitForChat(measure);
    const withOther = (await storageEstimate(measure)).usage;
    const next = await measureContext.newPage();
    await next.goto(inject('appUrl'));
    await loadModel(next, suite.hub.url, REPO, 'wasm');
    await waitForChat(next);
    const withBoth = (await storageEstimate(next)).usage;
    await measureContext.close();

    const context = await suite.browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: Math.round((withOther + withBoth) / 2) });
    await page.goto(inject('appUrl'));
    await loadModel(page, suite.hub.url, other.repo, 'wasm');
    await waitForChat(page);
    const otherSha = await storedSha256(page, fileKey(other.repo, other.path));

    const second = await context.newPage();
    await second.goto(inject('appUrl'));
    await loadModel(second, suite.hub.url, REPO, 'wasm');
    const error = second.getByTestId('load-error');
    await error.waitFor({ timeout: 60_000 });
    const text = (await error.textContent()) ?? '';
    expect(text).toMatch(/Not enough storage space for ponder-test\/tiny-r1: it needs [\d.]+ [KMG]?B free/);
    expect(text).toContain('Models already stored are kept.');
    expect((await storedRecord(second, KEY))?.complete ?? false).toBe(false);
    expect((await storedRecord(second, fileKey(other.repo, other.path)))?.complete).toBe(true);
    expect(await storedSha256(second, fileKey(other.repo, other.path))).toBe(otherSha);
    console.info(JSON.stringify({ test: 'quota', withOther, withBoth, message: text.slice(0, 200) }));
    await context.close();
  });
});
