// An ONNX Runtime GenAI build (genai_config.json, GroupQueryAttention, MatMulNBits, one model.onnx.data,
// in a folder of the repo, as onnxruntime/DeepSeek-R1-Distill-ONNX ships its 7B) loads and answers on
// WebGPU and WASM. `?part-bytes=` makes its data go through the split the real 7B's 5 GB file needs.
import { cp, mkdtemp, rm, truncate, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GENAI_FIXTURE } from '../tools/fixture/fixtures.ts';
import { GENAI_DATA_FILE, GENAI_MODEL_DIR } from '../tools/fixture/genai-files.ts';
import { startHub, type Hub } from '../tools/hub/index.ts';
import { loadModel, sendMessage, waitForChat, waitForReply, type Backend } from './harness/app';
import { externalRequests, launchBrowser, openSession } from './harness/browser';
import type { Browser, Page } from 'playwright-core';

/** Small enough that the fixture's 2.3 MB of data arrives as two parts; larger than its biggest tensor (the 1 MB rotary caches). */
const PART_BYTES = 1_200_000;
const ORG = GENAI_FIXTURE.org;

let browser: Browser;
let hub: Hub;
let root = '';
let dataBytes = 0;

/** A copy of the fixture repo under another name, broken by `damage(dir)`. */
async function variant(name: string, damage: (folder: string) => Promise<void>): Promise<void> {
  const dir = join(root, ORG, name);
  await cp(join(inject('hubRoot'), ORG, GENAI_FIXTURE.repo), dir, { recursive: true });
  await damage(join(dir, GENAI_MODEL_DIR));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ponder-genai-'));
  await cp(join(inject('hubRoot'), ORG, GENAI_FIXTURE.repo), join(root, ORG, GENAI_FIXTURE.repo), { recursive: true });
  dataBytes = (await stat(join(root, ORG, GENAI_FIXTURE.repo, GENAI_MODEL_DIR, GENAI_DATA_FILE))).size;
  await variant('genai-no-data', (f) => rm(join(f, GENAI_DATA_FILE)));
  await variant('genai-short-data', (f) => truncate(join(f, GENAI_DATA_FILE), Math.floor(dataBytes / 2)));
  await cp(join(inject('hubRoot'), ORG, 'tiny-r1'), join(root, ORG, 'tiny-r1'), { recursive: true });
  browser = await launchBrowser();
  hub = await startHub({ root });
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

async function open(partBytes = PART_BYTES) {
  return openSession(browser, `${inject('appUrl')}/?part-bytes=${partBytes}`);
}

async function loadError(repo: string, folder: string): Promise<{ text: string; page: Page }> {
  const { page } = await open();
  await loadModel(page, hub.url, repo, 'wasm', folder);
  const error = page.getByTestId('load-error');
  await error.waitFor({ timeout: 120_000 });
  return { text: (await error.textContent()) ?? '', page };
}

describe.each<Backend>(['webgpu', 'wasm'])('a GenAI build on %s', (backend) => {
  it('loads from its folder, its data in parts, and answers with the scripted reply', async () => {
    expect(dataBytes).toBeGreaterThan(PART_BYTES);
    const { page, requests } = await open();
    await loadModel(page, hub.url, GENAI_FIXTURE.id, backend, GENAI_MODEL_DIR);
    await waitForChat(page, 300_000);
    await sendMessage(page, 'What is 2 + 3?');
    expect(await waitForReply(page, 1)).toBe('done');
    const reply = page.locator('article.message.assistant').first();
    expect((await reply.getByTestId('answer').innerText()).replace(/\s+/g, ' ')).toContain('The sum is');
    expect(await reply.locator('.answer-card').count()).toBe(1);
    expect(await reply.getByTestId('message-stats').textContent()).toContain(`${GENAI_FIXTURE.dtypes[0]} on ${backend === 'webgpu' ? 'WebGPU' : 'WASM'}`);
    // GroupQueryAttention writes its KV cache in place (workers/static-kv.ts): in GPU buffers on WebGPU,
    // in ORT's heap on WASM (workers/wasm-heap/); the exact thinking below and the next turn's reuse
    // check what it wrote.
    expect(await page.getByTestId('model-chip').getAttribute('data-kv-cache')).toBe('in-place');
    await reply.locator('.thinking-toggle').click();
    const squash = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();
    await expect.poll(async () => squash(await reply.locator('.thinking-body').innerText())).toBe(squash(GENAI_FIXTURE.thinking));
    // The next turn starts from the kept cache (up to the last <｜Assistant｜>) and says the same again.
    await sendMessage(page, 'And 2 + 3 again?');
    expect(await waitForReply(page, 2)).toBe('done');
    const second = page.locator('article.message.assistant').nth(1);
    expect((await second.getByTestId('answer').innerText()).replace(/\s+/g, ' ')).toContain('The sum is');
    // The folder's files came from the hub under their own paths; nothing else was asked for.
    const fetched = requests.filter((u) => u.includes('/resolve/'));
    expect(fetched.some((u) => u.endsWith(`${GENAI_MODEL_DIR}/${GENAI_DATA_FILE}`))).toBe(true);
    expect(fetched.every((u) => u.includes(`/${GENAI_MODEL_DIR}/`))).toBe(true);
    expect(externalRequests(requests)).toEqual([]);
  });
});

describe('GenAI builds that cannot load', () => {
  it('a repo that is neither layout at the folder given says where models are', async () => {
    expect((await loadError(GENAI_FIXTURE.id, 'no/such/folder')).text).toContain(`It has one in: ${GENAI_MODEL_DIR}`);
    expect((await loadError(GENAI_FIXTURE.id, '')).text).toContain('holds ONNX Runtime GenAI models in folders');
  });

  it('a missing data file is named', async () => {
    expect((await loadError(`${ORG}/genai-no-data`, GENAI_MODEL_DIR)).text).toContain(
      `reads its weights from ${GENAI_DATA_FILE}, which the repository does not have`,
    );
  });

  it('a data file of the wrong size is named, and nothing is marked complete', async () => {
    const { text, page } = await loadError(`${ORG}/genai-short-data`, GENAI_MODEL_DIR);
    expect(text).toContain(`${GENAI_DATA_FILE} is`);
    expect(text).toContain('the download is incomplete or it belongs to another export');
    await page.getByRole('button', { name: 'Storage' }).click();
    const card = page.locator(`[data-testid="stored-model"][data-model="${ORG}/genai-short-data"]`);
    await expect.poll(async () => card.getByTestId('stored-state').textContent()).toMatch(/^Partial/);
  });
});
