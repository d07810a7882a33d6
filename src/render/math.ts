// Math delimiter scanning for model output. Pure string logic (no DOM, no Markdown parser) so the
// Markdown lexer, the em/strong masking and the block splitter all agree on where math is.
//
// Delimiters, as DeepSeek-R1 emits them:
//   inline  $...$   \(...\)
//   display $$...$$ \[...\]   (often on their own lines, may span lines and blank lines)
//
// A backslash always escapes the next character inside math, so `\$` and `\\` never close a span.

export interface MathMatch {
  /** The source consumed, delimiters included. */
  raw: string;
  /** The TeX between the delimiters. */
  tex: string;
  display: boolean;
}

type Closer = '$$' | '\\]' | '\\)';

const CLOSER_OF: Record<string, Closer> = { '$$': '$$', '\\[': '\\]', '\\(': '\\)' };

const isSpace = (ch: string | undefined): boolean => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';

/** Index of `closer` at or after `from`, stepping over backslash escapes; -1 if absent. */
export function findCloser(src: string, from: number, closer: Closer): number {
  for (let i = from; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') {
      if (closer !== '$$' && src[i + 1] === closer[1]) return i;
      i++; // skip the escaped character
    } else if (closer === '$$' && ch === '$' && src[i + 1] === '$') {
      return i;
    }
  }
  return -1;
}

/**
 * Closing `$` of single-dollar inline math opened at `open`, or -1. Currency heuristic, as in
 * Pandoc: the opener must be followed by a non-space; the first unescaped `$` after it is the
 * closer, and the span fails if that `$` follows a space or is followed by a digit. So in
 * "costs $5 and $6" neither dollar opens math.
 */
function findDollarCloser(src: string, open: number): number {
  const first = src[open + 1];
  if (first === undefined || isSpace(first) || first === '$') return -1;
  for (let i = open + 1; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') {
      i++;
    } else if (ch === '$') {
      return isSpace(src[i - 1]) || isDigit(src[i + 1]) ? -1 : i;
    }
  }
  return -1;
}

/**
 * Inline-level math starting exactly at `src[pos]`: `$..$`, `$$..$$`, `\(..\)`, `\[..\]`.
 * Returns null when there is no closed, non-empty span there, which is also how an unclosed
 * delimiter in a streaming message stays plain text until its closer arrives.
 */
export function matchInlineMath(src: string, pos = 0): MathMatch | null {
  const two = src.slice(pos, pos + 2);
  const closer = CLOSER_OF[two];
  if (closer !== undefined) {
    const end = findCloser(src, pos + 2, closer);
    if (end === -1) return null;
    const tex = src.slice(pos + 2, end);
    if (tex.trim() === '') return null;
    return { raw: src.slice(pos, end + 2), tex, display: closer !== '\\)' };
  }
  if (src[pos] !== '$') return null;
  const end = findDollarCloser(src, pos);
  if (end === -1) return null;
  return { raw: src.slice(pos, end + 1), tex: src.slice(pos + 1, end), display: false };
}

/** Earliest index where inline math might start (a hint for cutting plain text), or -1. */
export function inlineMathStart(src: string): number {
  return src.search(/\$|\\[([]/);
}

const BLOCK_OPENER = /^ {0,3}(\$\$|\\\[)/;

/**
 * Display math as a block of its own: `$$` or `\[` at the start of a block, closed later, possibly
 * across blank lines. The span ends at its closer; the rest of that line, if blank, is consumed too.
 * An opener and closer on one line with text after it is left to the inline rule (it is a paragraph
 * that happens to start with display math).
 */
export function matchDisplayBlock(src: string): MathMatch | null {
  const open = BLOCK_OPENER.exec(src);
  if (!open) return null;
  const opener = open[1] as '$$' | '\\[';
  const closer = CLOSER_OF[opener] as Closer;
  const end = findCloser(src, open[0].length, closer);
  if (end === -1) return null;
  const tex = src.slice(open[0].length, end);
  if (tex.trim() === '') return null;
  const afterCloser = end + closer.length;
  const lineEnd = src.indexOf('\n', afterCloser);
  const restOfLine = src.slice(afterCloser, lineEnd === -1 ? src.length : lineEnd);
  let rawEnd = afterCloser;
  if (restOfLine.trim() === '') rawEnd = lineEnd === -1 ? src.length : lineEnd + 1;
  else if (!src.slice(0, afterCloser).includes('\n')) return null;
  return { raw: src.slice(0, rawEnd), tex, display: true };
}

/**
 * Index of the first later line that starts a display-math block, or -1. The Markdown lexer uses
 * it to end a paragraph there, so `\[` on its own line after prose still becomes a display block.
 */
export function displayBlockStart(src: string): number {
  const lineStart = /\n(?= {0,3}(?:\$\$|\\\[))/g;
  for (let m = lineStart.exec(src); m; m = lineStart.exec(src)) {
    const at = m.index + 1;
    if (matchDisplayBlock(src.slice(at))) return at;
  }
  return -1;
}

/** A line's leading indentation and list markers, e.g. "  1. " or "- ", which may precede a fence or `$$`. */
const LINE_PREFIX = /^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*/;

/**
 * For the block splitter: when this source line opens display math (at its start, after any
 * indentation or list markers) that is not closed on the same line, the closer to wait for.
 */
export function displayMathOpenedBy(line: string): '$$' | '\\]' | null {
  const at = (LINE_PREFIX.exec(line)?.[0] ?? '').length;
  const closer = CLOSER_OF[line.slice(at, at + 2)];
  if (closer === undefined || closer === '\\)') return null;
  return findCloser(line, at + 2, closer) === -1 ? closer : null;
}

/**
 * Hide inline math from em/strong/strikethrough delimiter matching: `*`, `_` and `~` inside
 * `$a*b$` or `$x_{1}$` must not pair with delimiters outside it. `masked` is Marked's same-length
 * masked copy of `original`, where code spans, links and escaped punctuation are already masked;
 * a `$` that Marked masked is not an opener. Escaped `\(` and `\[` are masked to "++" by Marked,
 * which is exactly how they look when they open math.
 */
export function maskInlineMath(original: string, masked: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < original.length; i++) {
    const ch = original[i];
    const opener =
      (ch === '$' && masked[i] === '$') ||
      (ch === '\\' && (original[i + 1] === '(' || original[i + 1] === '[') && masked.startsWith('++', i));
    if (!opener) continue;
    const math = matchInlineMath(original, i);
    if (!math) continue;
    out += masked.slice(copied, i) + 'a'.repeat(math.raw.length);
    copied = i + math.raw.length;
    i = copied - 1;
  }
  return copied === 0 ? masked : out + masked.slice(copied);
}
