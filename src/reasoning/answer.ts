import { equivalent } from './latex-equal.ts';
import { normalizeLatex } from './latex-normalize.ts';
import { parseLatex, type LatexNode } from './latex-parse.ts';

/**
 * Final-answer extraction: R1 is prompted to "put your final answer within \boxed{}".
 *
 * Rules for `extractBoxedAnswer`:
 * - Commands: `\boxed` and `\fbox`, not followed by a letter (`\boxedfoo`, `\fboxsep` are other
 *   commands). Preceding backslashes are not checked, so a markdown-escaped `\\boxed{}` also counts.
 * - Argument, after optional whitespace (TeX skips spaces after a control word):
 *   - `{...}` with balanced braces; `\{`, `\}` (any backslash pair, `\\` included) do not count.
 *     No closing brace before the end of the text (cut off) → that occurrence is ignored.
 *   - otherwise a single bare token (`\boxed 5`, `\boxed x`, `\boxed5`): up to the next whitespace,
 *     `$`, or `}` (the `}` of an enclosing group such as `{\boxed 5}`).
 * - The content is trimmed; empty content (`\boxed{}`, which models echo from the instruction while
 *   thinking) is ignored.
 * - The LAST remaining occurrence wins. Occurrences nested inside an accepted one (`\boxed{\boxed{1}}`)
 *   are part of its content, not separate answers; if the outer one is cut off, inner ones still count.
 */
export function extractBoxedAnswer(text: string): string | null {
  const command = /\\(?:boxed|fbox)(?![A-Za-z])/g;
  let closers: Int32Array | null = null;
  let found: string | null = null;
  let m: RegExpExecArray | null;
  while ((m = command.exec(text)) !== null) {
    let i = m.index + m[0].length;
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    let content: string;
    let end: number;
    if (text[i] === '{') {
      closers ??= matchBraces(text);
      const close = closers[i] as number;
      if (close < 0) continue; // cut off: keep scanning right after the command name
      content = text.slice(i + 1, close).trim();
      end = close + 1;
    } else {
      end = i;
      while (end < text.length && !/[\s$}]/.test(text[end] as string)) end++;
      content = text.slice(i, end);
    }
    if (!content) continue;
    found = content;
    command.lastIndex = end;
  }
  return found;
}

/**
 * For each unescaped `{`, the index of its matching `}` (-1 if unmatched); one pass, so many cut-off
 * boxes cannot make extraction quadratic. Escapes pair from the start of the text; an argument brace
 * follows a letter or whitespace, never a backslash, so it agrees with a scan starting at the brace.
 */
function matchBraces(text: string): Int32Array {
  const closers = new Int32Array(text.length).fill(-1);
  const open: number[] = [];
  for (let j = 0; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92 /* \\ */) j++; // escaped character (\{, \}, \\): never a group delimiter
    else if (c === 123 /* { */) open.push(j);
    else if (c === 125 /* } */) {
      const o = open.pop();
      if (o !== undefined) closers[o] = j;
    }
  }
  return closers;
}

export interface FinalAnswer {
  latex: string;
  source: 'answer' | 'thinking';
}

/**
 * The boxed answer of a reply: the answer part first; the thinking only when the answer has none
 * (the model was cut off after boxing a result while thinking, or closed thinking without boxing).
 */
export function findFinalAnswer(parts: { thinking: string | null; answer: string }): FinalAnswer | null {
  const fromAnswer = extractBoxedAnswer(parts.answer);
  if (fromAnswer !== null) return { latex: fromAnswer, source: 'answer' };
  const fromThinking = parts.thinking === null ? null : extractBoxedAnswer(parts.thinking);
  return fromThinking === null ? null : { latex: fromThinking, source: 'thinking' };
}

/**
 * The canonical string of an answer (see latex-normalize.ts): what a vote group shows, and a key on
 * which answers that normalize alike are always the same answer.
 */
export function normalizeAnswer(latex: string): string {
  return analyze(latex).normalized;
}

/**
 * Whether two boxed answers are the same answer (see latex-equal.ts for the rules): synchronous,
 * symmetric, reflexive, true whenever `normalizeAnswer` agrees, and never throws. What the parser
 * cannot read is only equal to what normalizes to the same string.
 */
export function sameAnswer(a: string, b: string): boolean {
  const x = analyze(a);
  const y = analyze(b);
  if (x.normalized === y.normalized) return true;
  return x.value !== null && y.value !== null && equivalent(x.value, y.value);
}

interface Analysis {
  normalized: string;
  value: LatexNode | null;
}

/** Parsing longer answers would make the pairwise set comparison slow; they still compare as strings. */
const MAX_PARSED_LENGTH = 400;
/** Voting compares each of up to 16 answers with every other: analyze each once. */
const CACHE_SIZE = 256;
const cache = new Map<string, Analysis>();

function analyze(latex: string): Analysis {
  const cached = cache.get(latex);
  if (cached !== undefined) return cached;
  const normalized = normalizeLatex(latex);
  const analysis = { normalized, value: normalized.length > MAX_PARSED_LENGTH ? null : parseLatex(normalized) };
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(latex, analysis);
  return analysis;
}
