import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../chat/chat-store';
import { blankMessage } from '../chat/conversation';
import { toChatMessages, toTranscript } from './convert.ts';
import { EXPORT_CSP, toHtml } from './html.ts';
import { toMarkdown } from './markdown.ts';
import { PAYLOAD_TEXT, STEAL } from './testing/payloads.ts';
import { validateTranscript } from './validate.ts';

function chat(): ChatMessage[] {
  const reply: ChatMessage = {
    ...blankMessage('assistant', 'Add: $2+3=5$.</think>The sum is $\\boxed{5}$.'),
    thinking: 'Add: $2+3=5$.',
    thinkingClosed: true,
    answer: 'The sum is $\\boxed{5}$.',
    status: 'done',
    thinkingMs: 2000,
    thinkingTokens: 9,
    generatedTokens: 20,
    model: { repo: 'ponder-test/tiny-r1', dtype: 'q4', device: 'wasm' },
    stats: { promptTokens: 12, generatedTokens: 20, timeToFirstTokenMs: 50, tokensPerSecond: 321.5, totalMs: 90, reusedCacheTokens: 3 },
  };
  const second = { ...reply, thinking: 'Again: 2+4.', answer: 'Now $\\boxed{6}$.', status: 'stopped' as const };
  return [blankMessage('user', 'What is 2 + 3?'), reply, blankMessage('user', 'And 2 + 4?'), second];
}

describe('toTranscript / toChatMessages', () => {
  it('keeps thinking, answer, model, timings and stats, and nothing private', () => {
    const t = toTranscript(chat(), { includeThinking: true, exchange: null, now: 1 });
    expect(validateTranscript(t)).toEqual(t);
    expect(t.title).toBe('What is 2 + 3?');
    expect(t.messages).toHaveLength(4);
    const reply = t.messages[1]!;
    expect(reply).toMatchObject({ role: 'assistant', thinking: 'Add: $2+3=5$.', thinkingMs: 2000, thinkingTokens: 9, model: { dtype: 'q4' } });
    expect(JSON.stringify(t)).not.toMatch(/reusedCacheTokens|"id"|versions/);
  });

  it('leaves thinking out when asked', () => {
    const t = toTranscript(chat(), { includeThinking: false, exchange: null });
    expect(t.thinkingIncluded).toBe(false);
    expect(JSON.stringify(t)).not.toContain('Add: $2+3=5$.');
  });

  it('shares one exchange: its question and its reply', () => {
    const t = toTranscript(chat(), { includeThinking: true, exchange: 2 });
    expect(t.messages.map((m) => (m.role === 'user' ? m.text : m.answer))).toEqual(['And 2 + 4?', 'Now $\\boxed{6}$.']);
    expect(t.title).toBe('And 2 + 4?');
  });

  it('turns a transcript back into chat messages whose raw content feeds the next prompt', () => {
    const messages = toChatMessages(toTranscript(chat(), { includeThinking: true, exchange: null }));
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(messages[1]!.content.split('</think>').at(-1)).toBe('The sum is $\\boxed{5}$.');
    expect(new Set(messages.map((m) => m.id)).size).toBe(4);
    const without = toChatMessages(toTranscript(chat(), { includeThinking: false, exchange: null }));
    expect(without[1]!.content).toBe('The sum is $\\boxed{5}$.');
  });
});

describe('toMarkdown', () => {
  it('keeps math as LaTeX and puts thinking in <details>', () => {
    const md = toMarkdown(toTranscript(chat(), { includeThinking: true, exchange: null }));
    expect(md).toContain('# What is 2 + 3?');
    expect(md).toContain('The sum is $\\boxed{5}$.');
    expect(md).toMatch(/<details>\n<summary>Thought for 2 s \(9 tokens\)<\/summary>\n\nAdd: \$2\+3=5\$\.\n\n<\/details>/);
    expect(md).toContain('*Stopped.*');
    expect(md).toContain('ponder-test/tiny-r1 · q4 on WASM · 321.5 tok/s');
  });

  it('omits thinking when left out, and model text cannot close the <details> block', () => {
    const messages = chat();
    messages[1] = { ...messages[1]!, thinking: 'a </details> b <summary>x' };
    expect(toMarkdown(toTranscript(messages, { includeThinking: true, exchange: null }))).toContain('a &lt;/details> b &lt;summary>x');
    expect(toMarkdown(toTranscript(messages, { includeThinking: false, exchange: null }))).not.toContain('<details>');
  });
});

describe('toHtml', () => {
  const hostile = (): ChatMessage[] => {
    const messages = chat();
    messages[0] = blankMessage('user', PAYLOAD_TEXT);
    messages[1] = { ...messages[1]!, thinking: PAYLOAD_TEXT, answer: `${PAYLOAD_TEXT}\n\n$\\boxed{5}$` };
    return messages;
  };

  it('is one document with its own no-script CSP, the styles inlined, and math typeset', () => {
    const html = toHtml(toTranscript(chat(), { includeThinking: true, exchange: null }), '.x { color: red }');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${EXPORT_CSP}">`);
    expect(EXPORT_CSP).toContain("default-src 'none'");
    expect(html).toContain('.x { color: red }');
    expect(html).toContain('class="katex"');
    expect(html).toMatch(/<details class="thinking"><summary/);
    expect(html).toContain('class="answer-card"');
  });

  it('escapes every payload: no script, handler, javascript: URL or attacker URL survives as markup', () => {
    const html = toHtml(toTranscript(hostile(), { includeThinking: true, exchange: null }), 'body{}</style><script>alert(1)</script>');
    const body = html.slice(html.indexOf('<body>'));
    expect(html.match(/<script/gi) ?? []).toEqual([]);
    expect(html).not.toMatch(/<\/style><script/i);
    expect(body).not.toMatch(/<(img|svg|iframe|object|link|meta|base|style|a href="javascript)/i);
    // The only <math> elements are KaTeX's MathML for screen readers.
    expect(body.match(/<math[^>]*>/g)?.every((tag) => tag.startsWith('<math xmlns="http://www.w3.org/1998/Math/MathML"'))).toBe(true);
    expect(body).not.toMatch(/<[^>]*\son[a-z]+=/i);
    expect(body).not.toMatch(/<[^>]*\ssrc=|href="(javascript:|data:)/i);
    // Plain http(s) URLs stay clickable links (never loaded by themselves), opening in a new tab.
    expect(body.match(/<a [^>]*>/g)?.every((a) => a.includes('target="_blank" rel="noopener noreferrer"'))).toBe(true);
    expect(body).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(html).not.toContain(`url(${STEAL}`.replace(/[()]/g, '') + '"');
  });

  it('escapes the title', () => {
    const t = { ...toTranscript(chat(), { includeThinking: true, exchange: null }), title: '</title><script>alert(1)</script>' };
    expect(toHtml(t, '')).toContain('<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>');
  });
});
