// Prompts of any length the context allows: a 6,000-token question, and a conversation of that length,
// to models with R1's real vocabulary width (151,936 logits per token). Fed at once, such a prompt's
// logits alone (6,000 x 151,936 x 4 B = 3.6 GB) are over SwiftShader's 1 GiB buffer limit and over
// WASM's 4 GiB heap. tiny-r1-vocab (R1's real tokenizer, a tiny model) and bench-r1 (16 layers of
// width 1,024) answer them.
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fixtureInfo, replyText, TOKENIZER, type FixtureInfo } from '../tools/fixture/generate.ts';
import { RealTokenizer } from '../tools/fixture/real-tokenizer.ts';
import { loadModel, sendMessage, waitForChat, waitForReply, type Backend } from './harness/app';
import { openSession } from './harness/browser';
import { browserAndHub } from './harness/suite';

const BENCH = fixtureInfo('bench-r1');
const VOCAB = fixtureInfo('tiny-r1-vocab');
const tokenizerOf = (info: FixtureInfo) => (info === VOCAB ? new RealTokenizer() : TOKENIZER);
const REPLY_TOKENS = 6;
const SENTENCE = 'What is 2 + 3? Please reason step by step, and put your final answer within \\boxed{}. ';
const SLOW = process.env.PONDER_E2E_SLOW === '1';

/** A question of at least `tokens` tokens in the model's own tokenizer. */
function question(info: FixtureInfo, tokens: number, tag: string): string {
  const tokenizer = tokenizerOf(info);
  // Repeats merge across sentence boundaries in a real BPE, so count the whole text, not one sentence.
  let text = `${tag} ${SENTENCE.repeat(Math.ceil(tokens / tokenizer.encode(SENTENCE).length))}`;
  while (tokenizer.encode(text).length < tokens) text += SENTENCE.repeat(10);
  return text;
}

async function chatWith(page: Page, hubUrl: string, info: FixtureInfo, backend: Backend): Promise<void> {
  await loadModel(page, hubUrl, info.id, backend);
  await waitForChat(page, 600_000);
  await page.getByRole('button', { name: '⚙ Settings' }).click();
  await page.getByLabel('Maximum reply length (tokens)').fill(String(REPLY_TOKENS));
  await page.getByRole('button', { name: 'Done' }).click();
}

/** The n-th reply ran to the length limit with exactly the fixture's first tokens, and no error. */
async function expectScriptedReply(page: Page, info: FixtureInfo, n: number): Promise<void> {
  expect(await waitForReply(page, n, 1_800_000)).toBe('length');
  const reply = page.locator('article.message.assistant').nth(n - 1);
  expect(await reply.getByRole('alert').count()).toBe(0);
  await expect.poll(async () => reply.getByTestId('message-stats').textContent()).toContain(`${REPLY_TOKENS} tokens`);
  // Still thinking when the limit hit, so the thinking block is open.
  expect((await reply.locator('.thinking-body').innerText()).trim()).toBe(replyText(info, REPLY_TOKENS).trim());
}

async function askLong(page: Page, hubUrl: string, info: FixtureInfo, backend: Backend, tokens: number): Promise<void> {
  await chatWith(page, hubUrl, info, backend);
  await sendMessage(page, question(info, tokens, 'Long:'));
  await expectScriptedReply(page, info, 1);
}

describe.each<Backend>(['webgpu', 'wasm'])('long prompts on %s', (backend) => {
  const suite = browserAndHub();
  // SwiftShader computes the logits of every prompt token at about 10 tokens a second here, so WebGPU
  // runs the prompt that crashed before (2,500 tokens: 1.5 GB of logits against a 1 GiB limit) and the
  // 6,000-token cases only with PONDER_E2E_SLOW=1; WASM runs them all.
  const full = backend === 'wasm' || SLOW;

  it.runIf(backend === 'webgpu')('answers a 2,500-token question, whose logits alone are over the GPU buffer limit', { timeout: 900_000 }, async () => {
    const { page } = await openSession(suite.browser, inject('appUrl'));
    await askLong(page, suite.hub.url, VOCAB, backend, 2_500);
  });

  it.runIf(full)('answers a 6,000-token question (real vocabulary width)', { timeout: 1_200_000 }, async () => {
    const { page } = await openSession(suite.browser, inject('appUrl'));
    await askLong(page, suite.hub.url, VOCAB, backend, 6_000);
  });

  it.runIf(full)('answers in a multi-turn conversation of 6,000 tokens', { timeout: 1_800_000 }, async () => {
    const { page } = await openSession(suite.browser, inject('appUrl'));
    await chatWith(page, suite.hub.url, VOCAB, backend);
    // Three turns of 2,000 tokens: the last prompt carries all of them (and the replies' answers).
    for (const n of [1, 2, 3]) {
      await sendMessage(page, question(VOCAB, 2_000, `Turn ${n}:`));
      await expectScriptedReply(page, VOCAB, n);
    }
  });

  it.runIf(full)('bench-r1 answers a 6,000-token question', { timeout: 1_800_000 }, async () => {
    const { page } = await openSession(suite.browser, inject('appUrl'));
    await askLong(page, suite.hub.url, BENCH, backend, 6_000);
  });
});
