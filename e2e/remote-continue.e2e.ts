// Server replies cut short, in the built app in Chromium against tools/engines' stand-ins: a vLLM
// stream that broke off says the server went away (not "Stopped", not "the page closed"), and
// Continue sends the reply so far as the assistant message vLLM writes on from; a thinking budget on
// llama-server closes the thinking and asks for the answer after it; an engine with no documented
// way to continue offers no Continue.

import { describe, expect, it } from 'vitest';
import { sendMessage, waitForChat, waitForReply } from './harness/app';
import { expectThinking, openForm, remoteSuite } from './harness/remote';

const VLLM_MODEL = 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B';

describe('a server reply that broke off', () => {
  const { serve, open } = remoteSuite();

  async function connect(engine: 'vllm' | 'ollama' | 'llama-server', label: string, model: string) {
    const server = await serve({ engine, allowedOrigins: '*' });
    const s = await open();
    await openForm(s.page, label, server.url);
    await s.page.getByLabel('Model', { exact: true }).fill(model);
    await s.page.getByRole('button', { name: 'Connect', exact: true }).click();
    await waitForChat(s.page, 30_000);
    return { s, server };
  }

  it('vLLM: a dropped stream is kept and named, and Continue finishes it from where it broke', async () => {
    const { s, server: engine } = await connect('vllm', 'vLLM', VLLM_MODEL);
    const { page } = s;
    // The sidebar's privacy line stays true: the questions now go to the server.
    expect(await page.getByTestId('privacy-line').innerText()).toMatch(/^Connected to a server \(vLLM\): your questions/);
    // Events spaced out: bytes still unread when a connection is destroyed are lost to the page.
    engine.set({ faults: { dropAfterEvents: 2, eventDelayMs: 150 } });
    await sendMessage(page, 'What is 2 + 2?');
    expect(await waitForReply(page, 1, 30_000), s.errors.join('\n')).toBe('interrupted');
    const reply = page.locator('article.message.assistant').first();
    expect(await reply.getByRole('alert').innerText()).toMatch(/The server closed the connection before the reply finished/);
    // The generic notes would be wrong here: nobody pressed Stop, and the page did not close.
    expect(await reply.locator('.note.muted').count()).toBe(0);

    engine.set({ faults: {}, reply: 'vllm-continued-thinking' });
    await reply.getByRole('button', { name: 'Continue', exact: true }).click();
    await expect.poll(() => reply.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    await expect.poll(() => reply.locator('.answer').innerText()).toContain('The answer is');
    await expectThinking(reply, 'Okay, 2 + 2. That is 4.');
    expect(await reply.getByRole('alert').count()).toBe(0);

    const chats = engine.requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');
    expect(chats).toHaveLength(2);
    const body = chats[1]?.body as { messages: { role: string; content: string }[]; continue_final_message?: boolean; add_generation_prompt?: boolean };
    expect(body.messages.at(-1)).toEqual({ role: 'assistant', content: '<think>\nOkay, 2 + 2.' });
    expect(body).toMatchObject({ continue_final_message: true, add_generation_prompt: false, temperature: 0.6, top_p: 0.95 });
  });

  it('llama-server: a thinking budget closes the thinking there, and the server answers after it', async () => {
    const { s, server: engine } = await connect('llama-server', 'llama.cpp (llama-server)', 'DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf');
    const { page } = s;
    await page.getByRole('button', { name: '⚙ Settings' }).click();
    await page.getByLabel('Thinking budget (tokens, optional)').fill('1');
    await page.getByRole('button', { name: 'Done' }).click();
    engine.set({ sequence: ['llama-server', 'llama-server-continued-answer'] });
    await sendMessage(page, 'What is 2 + 2?');
    expect(await waitForReply(page, 1, 30_000), s.errors.join('\n')).toBe('done');
    const reply = page.locator('article.message.assistant').first();
    await expect.poll(() => reply.locator('.answer').innerText()).toContain('The answer is');
    expect(await reply.locator('.thinking-toggle').textContent()).toMatch(/thinking budget reached/);
    await expectThinking(reply, 'Okay, 2 + 2.');
    const chats = engine.requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');
    expect(chats).toHaveLength(2);
    const body = chats[1]?.body as { messages: { role: string; content: string }[] };
    expect(body.messages.at(-1)).toEqual({ role: 'assistant', content: 'Okay, 2 + 2.\n</think>\n\n' });
  });

  it('Ollama: a stopped reply offers Regenerate but no Continue, since Ollama documents no way to continue one', async () => {
    const { s, server: engine } = await connect('ollama', 'Ollama', 'deepseek-r1:32b');
    const { page } = s;
    engine.set({ faults: { eventDelayMs: 400 } });
    await sendMessage(page, 'What is 2 + 2?');
    const reply = page.locator('article.message.assistant').first();
    await expect.poll(() => reply.locator('.thinking').count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('button', { name: /Stop/ }).click();
    expect(await waitForReply(page, 1, 10_000)).toBe('stopped');
    expect(await reply.getByRole('button', { name: /Regenerate/ }).count()).toBe(1);
    expect(await reply.getByRole('button', { name: 'Continue', exact: true }).count()).toBe(0);
  });
});
