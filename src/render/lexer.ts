// Markdown → tokens for one block of model output. Pure (no DOM, no React).
//
// Why Marked's lexer: it is maintained, fast, synchronous, dependency-free, and yields a plain token
// tree we render to React ourselves (its HTML renderer is never used), with GFM tables, task lists,
// strikethrough and autolinks built in. Its extension API lets math be a first-class token, so code
// spans and fences win over `$` naturally (they are tokenized first) and display math can span blank
// lines. micromark/mdast would also work, but as a dozen small packages whose math extension knows
// only dollar delimiters, not the `\(` and `\[` R1 writes.

import { Lexer, Marked, type Token, type TokenizerExtension } from 'marked';
import { displayBlockStart, inlineMathStart, maskInlineMath, matchDisplayBlock, matchInlineMath } from './math.ts';

export type { MarkedToken, Token, Tokens } from 'marked';

/** A math span in the token tree (`type: 'math'`, inline or display). */
export interface MathToken {
  type: 'math';
  raw: string;
  tex: string;
  display: boolean;
}

export function isMathToken(token: Token): token is MathToken & Token {
  return token.type === 'math';
}

const asIndex = (i: number): number | undefined => (i === -1 ? undefined : i);

const inlineMath: TokenizerExtension = {
  name: 'math',
  level: 'inline',
  start: (src) => asIndex(inlineMathStart(src)),
  tokenizer: (src) => {
    const math = matchInlineMath(src);
    return math ? { type: 'math', ...math } : undefined;
  },
};

const blockMath: TokenizerExtension = {
  name: 'math',
  level: 'block',
  start: (src) => asIndex(displayBlockStart(src)),
  tokenizer: (src) => {
    const math = matchDisplayBlock(src);
    return math ? { type: 'math', ...math } : undefined;
  },
};

// Marked's em/strong masking hook only receives the masked string, so the lexer records the
// original source of each inline run (runs nest: link text, emphasis contents) for it.
const inlineSources: string[] = [];

class MathAwareLexer extends Lexer {
  override inlineTokens(src: string, tokens?: Token[]): Token[] {
    inlineSources.push(src);
    try {
      return super.inlineTokens(src, tokens);
    } finally {
      inlineSources.pop();
    }
  }
}

const options = new Marked({
  gfm: true,
  extensions: [blockMath, inlineMath],
  // Model output is untrusted: raw HTML is not a construct at all, so `<b>` stays literal text
  // (and Markdown inside it still works). Returning undefined falls through to the text rules.
  tokenizer: {
    html: () => undefined,
    tag: () => undefined,
  },
  hooks: {
    emStrongMask: (masked) => {
      const original = inlineSources.at(-1);
      return original !== undefined && original.length === masked.length ? maskInlineMath(original, masked) : masked;
    },
  },
}).defaults;

/** Tokens of a Markdown block (or a whole document), with `math` tokens for TeX. */
export function lexMarkdown(source: string): Token[] {
  return new MathAwareLexer(options).lex(source);
}
