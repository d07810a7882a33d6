// KaTeX typesetting of untrusted TeX. Pure (KaTeX renders to a string without a DOM).

import katex from 'katex';

export type Typeset = { ok: true; html: string } | { ok: false; error: string };

const OPTIONS = {
  throwOnError: true, // a ParseError is reported to the caller, which shows the source instead
  trust: false, // no \href, \url, \includegraphics, \htmlClass...: nothing that links or loads
  strict: 'ignore', // R1 writes unicode and \text{} freely; warnings would only spam the console
  output: 'htmlAndMathml', // MathML for screen readers
  maxSize: 20, // em cap on user sizes such as \rule{9999em}{9999em}
  maxExpand: 1000, // bounds macro-expansion bombs
} as const;

// Streaming re-renders the open block on every token, and most of its formulas are unchanged:
// a small LRU keeps that re-typesetting to a lookup.
const CACHE_SIZE = 500;
const cache = new Map<string, Typeset>();

export function typeset(tex: string, display: boolean): Typeset {
  const key = (display ? 'D' : 'I') + tex;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  let result: Typeset;
  try {
    // A fresh macros object per call: \gdef in one message must not leak into another.
    result = { ok: true, html: katex.renderToString(tex, { ...OPTIONS, displayMode: display, macros: {} }) };
  } catch (error) {
    result = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  cache.set(key, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return result;
}
