// "Connect a server" end to end for the engines remote.e2e.ts does not drive: llama-server, SGLang,
// LM Studio, DeepSeek's API and Ollama's OpenAI /v1. The built app in Chromium, through the first
// screen's form, against tools/engines' stand-in serving each engine's literal stream
// (src/remote/fixtures.ts says where each shape was read).

import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { eventsOf, FIXTURES, type FixtureName } from '../src/remote/fixtures.ts';
import { PRESETS, type EngineId } from '../src/remote/presets.ts';
import type { EngineFaults } from '../tools/engines/server.ts';
import { sendMessage, waitForChat, waitForReply } from './harness/app';
import { expectThinking, openForm, remoteSuite } from './harness/remote';

const KEY = 'sk-e2e-engines-4b1d-secret';
const QUESTION = 'What is 2 + 2?';

interface EngineCase {
  engine: EngineId;
  /** What the server lists, and the one picked from it. */
  models: string[];
  model: string;
  reply: FixtureName;
  /**
   * Whom the server lets read its answers: any origin (SGLang's CORSMiddleware allows "*",
   * python/sglang/srt/entrypoints/http_server.py; llama-server by default; LM Studio with --cors;
   * DeepSeek's API, not verified), or only the page's origin (OLLAMA_ORIGINS).
   */
  cors: 'any' | 'page';
  key?: string;
  faults?: EngineFaults;
}

const CASES: EngineCase[] = [
  { engine: 'llama-server', models: ['DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf'], model: 'DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf', reply: 'llama-server', cors: 'any' },
  { engine: 'sglang', models: ['deepseek-ai/DeepSeek-R1-Distill-Qwen-32B'], model: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B', reply: 'sglang', cors: 'any' },
  { engine: 'lmstudio', models: ['deepseek-r1-distill-qwen-32b'], model: 'deepseek-r1-distill-qwen-32b', reply: 'lmstudio', cors: 'any' },
  // More `: keep-alive` comments before the stream, as DeepSeek's API sends while a request is
  // queued (api-docs.deepseek.com, "Rate Limit"); the fixture itself starts with two.
  {
    engine: 'deepseek',
    models: ['deepseek-flash', 'deepseek-v4-pro'],
    model: 'deepseek-v4-pro',
    reply: 'deepseek-api',
    cors: 'any',
    key: KEY,
    faults: { keepAlives: 3 },
  },
  { engine: 'ollama-openai', models: ['deepseek-r1:32b', 'deepseek-r1:7b'], model: 'deepseek-r1:32b', reply: 'ollama-v1', cors: 'page' },
];

/** The first event of a fixture that carries thinking text, counted from 1, and that text. */
function firstThought(reply: FixtureName): { events: number; text: string } {
  const events = eventsOf(FIXTURES[reply].body, 'sse');
  for (const [i, event] of events.entries()) {
    const data = /^data: (.*)$/m.exec(event)?.[1];
    if (!data || data === '[DONE]') continue;
    const delta = (JSON.parse(data) as { choices?: { delta?: { reasoning_content?: unknown; reasoning?: unknown } }[] }).choices?.[0]?.delta;
    const text = delta?.reasoning_content ?? delta?.reasoning;
    if (typeof text === 'string' && text !== '') return { events: i + 1, text };
  }
  throw new Error(`${reply} has no thinking`);
}

describe('connect a server: llama-server, SGLang, LM Studio, DeepSeek and Ollama /v1', () => {
  const { serve, open } = remoteSuite();

  /** The rest of the open form, as a user fills it: the key where given, "Fetch models", the model, Connect. */
  async function connect(page: Page, c: Pick<EngineCase, 'model' | 'key'>): Promise<void> {
    if (c.key) await page.getByLabel(/^API key/).fill(c.key);
    await page.getByRole('button', { name: 'Fetch models' }).click();
    await page.getByText(/^The server offers \d+ models?/).waitFor({ timeout: 10_000 });
    await page.getByLabel('Models on the server').selectOption(c.model);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await waitForChat(page, 30_000);
  }

  it.each(CASES)('$engine: streams the thinking and answer with R1 sampling, keeps a dropped reply, and Stop aborts', async (c) => {
    const appUrl = inject('appUrl');
    const fixture = FIXTURES[c.reply];
    const label = PRESETS[c.engine].label;
    const server = await serve({
      engine: c.engine,
      models: c.models,
      reply: c.reply,
      allowedOrigins: c.cors === 'any' ? '*' : [appUrl],
      ...(c.key ? { apiKey: c.key } : {}),
      ...(c.faults ? { faults: c.faults } : {}),
    });
    const s = await open();
    const { page } = s;
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: appUrl });

    // The form asks for this page's origin only where the engine does not already allow any.
    await openForm(page, label, server.url);
    expect((await page.getByTestId('start-command').innerText()).includes(appUrl)).toBe(c.cors === 'page');
    await connect(page, c);
    expect(await page.getByTestId('device-badge').innerText()).toBe(`Server · ${label}`);
    expect(await page.getByTestId('model-chip').innerText()).toContain(c.model);

    await sendMessage(page, QUESTION);
    expect(await waitForReply(page, 1, 30_000), s.errors.join('\n')).toBe('done');
    const reply = page.locator('article.message.assistant').first();
    await expectThinking(reply, fixture.expected.thinking);
    expect(await reply.locator('.thinking-body').innerText()).toBe(fixture.expected.thinking);
    // The answer as the reply's Copy button gives it: the raw Markdown, before KaTeX renders the box.
    await reply.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(fixture.expected.answer);
    const stats = await reply.getByTestId('message-stats').innerText();
    expect(stats).toContain(`· ${fixture.expected.usage?.completionTokens} tokens ·`);
    expect(stats).toContain(`${c.engine} on a server`);

    expect(server.requests.filter((r) => r.method === 'GET' && r.path === '/v1/models').length).toBeGreaterThanOrEqual(2);
    const chats = server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');
    expect(chats).toHaveLength(1);
    // Exactly this body: the user's turn alone (no system message) with the model card's maths
    // directive, R1's sampling, and usage asked for.
    expect(chats[0]?.body).toEqual({
      model: c.model,
      messages: [{ role: 'user', content: `${QUESTION}\n\nPlease reason step by step, and put your final answer within \\boxed{}.` }],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.6,
      top_p: 0.95,
      max_tokens: expect.any(Number),
    });
    // Every request, list or chat: the key only where one was given, and from this page's origin.
    for (const r of server.requests.filter((x) => x.method !== 'OPTIONS')) {
      expect(r.headers.authorization, `${r.method} ${r.path}`).toBe(c.key ? `Bearer ${c.key}` : undefined);
      expect(r.headers.origin, `${r.method} ${r.path}`).toBe(appUrl);
    }

    // The server dies after the first thinking: what arrived stays, the reply ends interrupted,
    // and the note says the server went away (not that the user stopped it). The events are paced
    // because an errored fetch body drops the chunks the page has not read yet (Streams: erroring
    // resets the queue), so a close right behind the last bytes may lose them in any browser.
    const first = firstThought(c.reply);
    server.set({ faults: { ...c.faults, eventDelayMs: 150, dropAfterEvents: (c.faults?.keepAlives ?? 0) + first.events } });
    await sendMessage(page, 'And 3 + 3?');
    expect(await waitForReply(page, 2, 30_000), s.errors.join('\n')).toBe('interrupted');
    const dropped = page.locator('article.message.assistant').nth(1);
    expect(await dropped.locator('.thinking-body').innerText()).toBe(first.text);
    expect(await dropped.locator('.answer').count()).toBe(0);
    expect(await dropped.getByRole('alert').innerText()).toMatch(/server closed the connection/i);

    // Stop while the thinking streams: the browser aborts the request, and the server sees it go.
    server.set({ faults: { ...c.faults, eventDelayMs: 500 } });
    const abortedBefore = server.aborted;
    await sendMessage(page, 'And 4 + 4?');
    const third = page.locator('article.message.assistant').nth(2);
    // Thinking has arrived (its header counts it, open or collapsed): the stream is under way.
    await expect.poll(() => third.locator('.thinking-header').innerText().catch(() => ''), { timeout: 15_000 }).toMatch(/\b[1-9]\d* tokens?\b/);
    await page.getByRole('button', { name: /Stop/ }).click();
    expect(await waitForReply(page, 3, 10_000)).toBe('stopped');
    await expect.poll(() => server.aborted, { timeout: 5_000 }).toBeGreaterThan(abortedBefore);
    expect(server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions')).toHaveLength(3);
  });

  it("DeepSeek's API: the form refuses to connect without a key, and nothing is sent", async () => {
    const server = await serve({ engine: 'deepseek', models: ['deepseek-flash'], allowedOrigins: '*', apiKey: KEY });
    const { page } = await open();
    await openForm(page, PRESETS.deepseek.label, server.url);
    // Not "(optional)" as for the self-hosted engines.
    expect(await page.getByLabel('API key', { exact: true }).count()).toBe(1);
    await page.getByLabel('Model', { exact: true }).fill('deepseek-flash');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const alert = page.getByTestId('connect-server').getByRole('alert');
    await expect.poll(async () => (await alert.innerText()).trim()).toBe("DeepSeek's API needs an API key: paste it into the API key field.");
    expect(server.requests).toEqual([]);
    expect(await page.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
  });

  it('llama-server: an `error:` line in the stream is named, with the thinking before it kept', async () => {
    const fixture = FIXTURES['llama-server-context-error'];
    const c = CASES.find((x) => x.engine === 'llama-server')!;
    const server = await serve({ engine: 'llama-server', models: c.models, allowedOrigins: '*', reply: 'llama-server-context-error' });
    const s = await open();
    const { page } = s;
    await openForm(page, PRESETS['llama-server'].label, server.url);
    await connect(page, c);
    await sendMessage(page, QUESTION);
    expect(await waitForReply(page, 1, 30_000), s.errors.join('\n')).toBe('error');
    const reply = page.locator('article.message.assistant').first();
    const note = reply.locator('.note.error');
    expect(await note.locator('p').innerText()).toMatch(/^The conversation is longer than the server’s context allows\. .*llama-server -c\)\.$/);
    expect(await note.locator('details pre').textContent()).toContain(fixture.expected.error);
    expect(await reply.locator('.thinking-body').innerText()).toBe(fixture.expected.thinking);
  });
});
