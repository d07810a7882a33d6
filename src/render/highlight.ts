// Syntax highlighting to a hast tree (lowlight = highlight.js grammars without its HTML output),
// which CodeBlock turns into React spans: highlighter output is never injected as HTML.
// A handful of languages R1 answers actually use keeps the bundle small; others render plain.

import { createLowlight } from 'lowlight';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import latex from 'highlight.js/lib/languages/latex';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import type { Root } from 'hast';

const lowlight = createLowlight({ bash, c, cpp, css, go, java, javascript, json, latex, python, rust, sql, typescript, xml, yaml });

// Code blocks of the open (streaming) block are re-rendered per token; settled ones inside it are
// unchanged, so a small cache avoids re-highlighting them.
const CACHE_SIZE = 100;
const cache = new Map<string, Root>();

/** Highlighted tree for a fenced block's info-string language, or null when it is not one we know. */
export function highlight(code: string, lang: string): Root | null {
  const name = lang.toLowerCase();
  if (!name || !lowlight.registered(name)) return null;
  const key = `${name}\n${code}`;
  let tree = cache.get(key);
  if (!tree) {
    tree = lowlight.highlight(name, code);
    cache.set(key, tree);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  return tree;
}
