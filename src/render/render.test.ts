// Components rendered to static HTML in Node (no DOM needed): what reaches the page for untrusted input.
import { readdirSync, readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AnswerCard, Markdown, ThinkingBlock } from './index.ts';

const md = (text: string, streaming = false) => renderToStaticMarkup(createElement(Markdown, { text, streaming }));

describe('Markdown', () => {
  it('shows HTML in the source as literal text', () => {
    const html = md('<script>alert(1)</script>\n\nHi <img src=x onerror="alert(1)"> <b>bold</b>');
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });

  it('links only http(s)/mailto, in a new tab without opener or referrer', () => {
    const html = md('[ok](https://example.com) [bad](javascript:alert(1)) [data](data:text/html,x) <vbscript:x>');
    expect(html).toContain('<a href="https://example.com/" target="_blank" rel="noopener noreferrer">ok</a>');
    expect(html).not.toMatch(/javascript:|data:text|href="vbscript/i);
    expect(html).toContain('<span class="md-link-blocked"');
  });

  it('never loads images', () => {
    const html = md('![a chart](https://example.com/chart.png) ![](javascript:x)');
    expect(html).not.toContain('<img');
    expect(html).toContain('[image: a chart]');
    expect(html).toContain('[image]');
  });

  it('highlights code as React spans and offers a Copy button', () => {
    const html = md('```python\ndef f(x):\n    return "<b>"\n```');
    expect(html).toContain('<span class="hljs-keyword">def</span>');
    expect(html).toContain('&quot;&lt;b&gt;&quot;');
    expect(html).toMatch(/<button type="button" class="md-copy" data-state="idle">Copy<\/button>/);
    expect(html).toContain('aria-live="polite"');
  });

  it('typesets math and shows broken TeX as its source, styled as an error', () => {
    const html = md('Good $x^2$ and bad $\\frac{1}{$ and `$code$`.');
    expect(html).toContain('class="md-math"');
    expect(html).toContain('<code class="md-math-error" title="KaTeX parse error');
    expect(html).toContain('$\\frac{1}{$');
    expect(html).toContain('<code>$code$</code>');
  });

  it('renders tables, nested lists, blockquotes, headings and rules', () => {
    const html = md('# T\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n3. x\n   - y\n\n> q\n\n---');
    expect(html).toContain('<h1>T</h1>');
    expect(html).toContain('<th scope="col" style="text-align:left">a</th>');
    expect(html).toMatch(/<ol start="3"><li>x<ul><li>y<\/li><\/ul><\/li><\/ol>/);
    expect(html).toContain('<blockquote><p>q</p></blockquote>');
    expect(html).toContain('<hr/>');
  });

  it('marks itself busy while streaming', () => {
    expect(md('a', true)).toContain('aria-busy="true"');
    expect(md('a', false)).toContain('aria-busy="false"');
  });
});

describe('ThinkingBlock', () => {
  const props = { thinking: 'Let $x = 1$.', tokens: 42, seconds: 3, cutOff: false };

  it('is expanded with a live header while thinking', () => {
    const html = renderToStaticMarkup(createElement(ThinkingBlock, { ...props, closed: false, streaming: true }));
    expect(html).toMatch(/<button type="button" class="thinking-toggle" aria-expanded="true" aria-controls="[^"]+"/);
    expect(html).toContain('Thinking… 42 tokens · 3 s');
    expect(html).toContain('class="md-math"');
  });

  it('collapses to a summary once closed, rendering nothing inside', () => {
    const html = renderToStaticMarkup(createElement(ThinkingBlock, { ...props, closed: true, streaming: true }));
    expect(html).toContain('aria-expanded="false"');
    expect(html).toContain('Thought for 3 s (42 tokens)');
    expect(html).toMatch(/<div id="[^"]+" class="thinking-body" hidden=""><\/div>/);
  });

  it('says when thinking was cut off', () => {
    const html = renderToStaticMarkup(createElement(ThinkingBlock, { ...props, closed: false, streaming: false, cutOff: true }));
    expect(html).toContain('Thinking was cut off at the token limit');
    expect(html).toContain('aria-expanded="true"');
  });
});

describe('AnswerCard', () => {
  it('shows the typeset answer with its label and copy buttons', () => {
    const html = renderToStaticMarkup(createElement(AnswerCard, { latex: '\\frac{\\pi}{4}' }));
    expect(html).toMatch(/<section class="answer-card" aria-labelledby="([^"]+)">.*<span id="\1" class="answer-card-label">Answer<\/span>/);
    expect(html).toContain('>Copy LaTeX</button>');
    expect(html).toContain('>Copy text</button>');
    expect(html).toContain('katex-display');
  });
});

describe('HTML injection', () => {
  it('happens in MathView only, for KaTeX output', () => {
    const dir = new URL('.', import.meta.url);
    const users = readdirSync(dir)
      .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'))
      .filter((f) => /dangerouslySetInnerHTML|innerHTML|outerHTML|insertAdjacentHTML/.test(readFileSync(new URL(f, dir), 'utf8')));
    expect(users).toEqual(['MathView.tsx']);
  });
});
