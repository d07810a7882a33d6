/**
 * String normalization of a final answer: the canonical display/grouping string, and the input of
 * `latex-parse.ts`. It removes what changes how an answer looks but not what it says: wrappers (`$`,
 * `\boxed`), `\left`/`\right`, spacing, `\dfrac`, `\$`, degrees, units after a value, `x =` in front of
 * a value; and it orders the members of sets and solution lists.
 *
 * Decisions:
 * - Percent: `\%` is dropped, so `50\%` is `50` and not `0.5`. A question that asks for a percentage
 *   wants the number of percent; Qwen's `math_equal` also matches 0.5 with 50, but then equality is
 *   no longer transitive (50% = 50, 50% = 0.5, 50 ≠ 0.5) and vote groups would depend on the order
 *   the answers arrive in.
 * - Commas: a whole answer of three-digit groups without spaces (`1,000`, `12,345.5`) is one number;
 *   a space-grouped one (`1 000`) too. Any other top-level comma separates a list of solutions, which
 *   is unordered (`1, 2` = `2, 1` = `\{1,2\}`), as is every `\{..\}` set; commas inside `(..)`/`[..]`
 *   make ordered tuples and intervals (see the parser). `1, 234` (with a space) is a list.
 * - `x =`: a leading single name (a letter or Greek letter, optionally subscripted or with arguments,
 *   `f(x) =`), followed by `=`, `\approx` or `\in`, is dropped, in the whole answer and in the items
 *   of a list that name at most one variable (`x=1, x=2` = `1, 2`), unless the rest holds another `=`.
 *   So `x = y` is `y`; but `x=1, y=2` keeps its equations, and differs from `x=2, y=1`.
 * - Multiple choice: a capital A–J in parentheses (`(A)`, `\textbf{(A)}`) or followed by `)`, `.` or
 *   `:`, then nothing or a space and anything (`\text{(A) } 5`), is that letter: the letter identifies
 *   the choice, the option text after it is the model quoting it. A bare `A` is already the letter.
 * - Words: letters and spaces inside `\text{..}` (or `\textbf`, `\mbox`, ...), at least two of them,
 *   are lower-cased text compared as a string (`\text{Yes}` = `YES`): `no` and `on` are different
 *   words, not equal products of variables. A bare run of letters is a word when it has a vowel
 *   (`Yes`, `no`, `even`); without one (`xy`, `mn`, `pq`) it is a product, so `xy` = `yx`.
 * - `\pm`: one `\pm` or `\mp` in a list item makes it two items (`1 \pm \sqrt{2}`).
 * - Units: a trailing `\text{...}`/`\mbox{...}`/`\mathrm{...}` of letters after a value, or a common
 *   unit word after a number (`5 cm`, `3 square feet`), is dropped; lone-letter units (`5 m`) are not,
 *   they read as a product.
 */

import { GREEK_LETTERS } from './latex-parse.ts';

/** Longer inputs are runaway text, not answers: only their whitespace is normalized. */
const MAX_LENGTH = 1000;

export function normalizeLatex(latex: string): string {
  const text = latex.trim();
  if (text.length > MAX_LENGTH) return text.replace(/\s+/g, ' ');
  let s = unwrap(text);
  for (const [pattern, replacement] of REWRITES) s = s.replace(pattern, replacement);
  return normalizeList(unwrapTextCommands(s));
}

const BOX = /^\\(?:boxed|fbox)(?![A-Za-z])\s*/;
const DELIMITERS: ReadonlyArray<readonly [string, string]> = [
  ['$$', '$$'],
  ['$', '$'],
  ['\\(', '\\)'],
  ['\\[', '\\]'],
];

/** Strips wrappers around the whole answer: `$..$`, `\(..\)`, `\[..\]`, `\boxed{..}`, `\fbox{..}`. */
function unwrap(text: string): string {
  let s = text;
  for (;;) {
    const inner = boxContent(s) ?? delimitedContent(s);
    if (inner === null) return s;
    s = inner.trim();
  }
}

function boxContent(s: string): string | null {
  const box = BOX.exec(s);
  if (box === null) return null;
  const open = box[0].length;
  if (s.charAt(open) !== '{') return /^[^\s{}$]+$/.test(s.slice(open)) ? s.slice(open) : null;
  return closingBrace(s, open) === s.length - 1 ? s.slice(open + 1, -1) : null;
}

function delimitedContent(s: string): string | null {
  for (const [open, close] of DELIMITERS) {
    if (s.length >= open.length + close.length && s.startsWith(open) && s.endsWith(close)) {
      return s.slice(open.length, s.length - close.length);
    }
  }
  return null;
}

/** Index of the `}` matching the `{` at `open`, skipping escapes (`\}`), or -1. */
function closingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

const NOT_LETTER = '(?![A-Za-z])';
const UNIT_WORDS =
  'cm|mm|km|meters?|metres?|inch(?:es)?|feet|foot|ft|yards?|miles?|mph|kg|grams?|pounds?|lbs?|ounces?|' +
  'seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|units?|degrees?|dollars?|cents?';
/** Where a unit may end: the end of the answer or of a list item, tuple or set member. */
const UNIT_END = String.raw`(?:\s*\^\s*\{?\s*\d\s*\}?)?(?=\s*(?:$|,|\\\}|[)\]]))`;

/** Applied in order; later patterns rely on earlier ones (units before `\text` is unwrapped). */
const REWRITES: ReadonlyArray<readonly [RegExp, string]> = [
  // Sizing only: `\left(` is `(`, and `\left.` is an invisible delimiter.
  [new RegExp(String.raw`\\(?:left|right|[bB]igg?[lr]?)${NOT_LETTER}\s*\.?`, 'g'), ''],
  [new RegExp(String.raw`\\(?:displaystyle|textstyle|scriptstyle|limits)${NOT_LETTER}`, 'g'), ''],
  // Thin spaces, which are also the thousands separator of `1\,000`. Not the `\\` row break.
  [/(?<!\\)\\[,!;:>]/g, ''],
  [new RegExp(String.raw`(?<!\\)\\ |~|\\q?quad${NOT_LETTER}`, 'g'), ' '],
  [/(\d)\{,\}(?=\d)/g, '$1'],
  [new RegExp(String.raw`\\[dtc]frac${NOT_LETTER}`, 'g'), '\\frac'],
  [new RegExp(String.raw`\\[dt]binom${NOT_LETTER}`, 'g'), '\\binom'],
  [new RegExp(String.raw`\\lbrace${NOT_LETTER}`, 'g'), '\\{'],
  [new RegExp(String.raw`\\rbrace${NOT_LETTER}`, 'g'), '\\}'],
  [new RegExp(String.raw`\\langle${NOT_LETTER}`, 'g'), '('],
  [new RegExp(String.raw`\\rangle${NOT_LETTER}`, 'g'), ')'],
  [new RegExp(String.raw`\\[lr]?vert${NOT_LETTER}`, 'g'), '|'],
  [new RegExp(String.raw`\\(?:leq?|leqslant)${NOT_LETTER}`, 'g'), '\\le'],
  [new RegExp(String.raw`\\(?:geq?|geqslant)${NOT_LETTER}`, 'g'), '\\ge'],
  [new RegExp(String.raw`\\neq?${NOT_LETTER}`, 'g'), '\\ne'],
  [new RegExp(String.raw`\\(?:varnothing|emptyset)${NOT_LETTER}|\\\{\s*\\\}`, 'g'), '\\emptyset'],
  [/\\\$|\$/g, ''],
  [/\\%|%/g, ''],
  [new RegExp(String.raw`\^\s*\{\s*\\circ\s*\}|\^\s*\\circ${NOT_LETTER}|°|\\degree${NOT_LETTER}`, 'g'), ''],
  [/\^\s*\{\s*\\(?:text|mathrm)\s*\{\s*(?:st|nd|rd|th)\s*\}\s*\}/g, ''],
  [/\\(?:text|textrm|mbox|mathrm)\s*\{\s*(?:and|or)\s*\}/g, ','],
  [
    new RegExp(String.raw`([\w})])\s*\\(?:text|textrm|mbox|mathrm)\s*\{\s*[A-Za-z][A-Za-z\s./]*\}${UNIT_END}`, 'g'),
    '$1',
  ],
  [new RegExp(String.raw`([\d}])\s*(?:(?:sq|square)\s+)?(?:${UNIT_WORDS})${UNIT_END}`, 'g'), '$1'],
];

const TEXT_COMMANDS =
  'text|textbf|textit|textrm|textsf|texttt|textnormal|mbox|mathrm|mathbf|mathit|mathsf|mathnormal|boldsymbol|' +
  'operatorname';
const TEXT_COMMAND = new RegExp(String.raw`\\(?:${TEXT_COMMANDS})\s*\{([^{}]*)\}`, 'g');

const WORDS = /^[A-Za-z]+(?:\s+[A-Za-z]+)*\.?$/;

/** Canonical `\text{..}` for words, so that the parser reads them as text and not as products. */
function asText(words: string): string {
  return `\\text{${words.replace(/\.$/, '').replace(/\s+/g, ' ').toLowerCase()}}`;
}

/** Letters and spaces, at least two letters: one letter is a variable or a choice. */
function isWords(s: string): boolean {
  return WORDS.test(s) && /[A-Za-z]{2}|\s/.test(s);
}

const unwrapText = (_command: string, content: string): string =>
  isWords(content.trim()) ? asText(content.trim()) : content;

/**
 * Innermost first, until nothing changes: each pass unwraps a command or leaves a canonical
 * `\text{words}` that the next pass maps to itself, so this ends.
 */
function unwrapTextCommands(text: string): string {
  let s = text;
  for (let next = s.replace(TEXT_COMMAND, unwrapText); next !== s; next = s.replace(TEXT_COMMAND, unwrapText)) s = next;
  return s;
}

const THOUSANDS = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[+-]?\d{1,3}(?: \d{3})+(?:\.\d+)?$/;

function normalizeList(text: string): string {
  const s = stripName(text.trim());
  const set = setContent(s);
  if (set !== null) return `\\{${normalizeMembers(set)}\\}`;
  if (THOUSANDS.test(s)) return normalizeItem(s.replace(/[,\s]/g, ''));
  return normalizeMembers(s);
}

/** The inside of `\{..\}` when that set is the whole of `s`. */
function setContent(s: string): string | null {
  if (!s.startsWith('\\{') || !s.endsWith('\\}')) return null;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.charAt(i) !== '\\') continue;
    const c = s.charAt(++i);
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i === s.length - 1 ? s.slice(2, -2) : null;
  }
  return null;
}

function normalizeMembers(list: string): string {
  const items = splitTopLevel(list).flatMap(expandPlusMinus);
  // `x = 1, x = 2` lists values of x; in a system (`x = 1, y = 2`) the names are part of the answer.
  const names = new Set(items.map((item) => NAMED_VALUE.exec(item.trim())?.[1]).filter((name) => name !== undefined));
  const values = names.size <= 1 ? items.map((item) => stripName(item.trim())) : items;
  return values.map(normalizeItem).sort().join(',');
}

/** Splits at commas outside every bracket: `(`, `[`, `{` and `\{` (in any pairing, for `[1,2)`). */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === '\\') {
      const escaped = s.charAt(++i);
      if (escaped === '{') depth++;
      else if (escaped === '}') depth--;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

const PLUS_MINUS = /\\(?:pm|mp)(?![A-Za-z])/g;

function expandPlusMinus(item: string): string[] {
  if (item.match(PLUS_MINUS)?.length !== 1) return [item];
  return [item.replace(PLUS_MINUS, '+'), item.replace(PLUS_MINUS, '-')];
}

const LETTER = String.raw`(?:[A-Za-z]|\\(?:${[...GREEK_LETTERS].join('|')})(?![A-Za-z]))`;
const NAME = String.raw`${LETTER}(?:_(?:\{[A-Za-z0-9]+\}|[A-Za-z0-9]))?(?:\([^()]*\))?`;
const NAMED_VALUE = new RegExp(String.raw`^(${NAME})\s*(?:=|\\approx(?![A-Za-z])|\\in(?![A-Za-z]))([\s\S]*)$`);

/** `x = 2` → `2`, `f(x) = 2x` → `2x`; `x = 1 = y` (a chain) and `x =` (nothing after) are kept. */
function stripName(s: string): string {
  const value = NAMED_VALUE.exec(s)?.[2]?.trim();
  return value === undefined || value === '' || value.includes('=') ? s : value;
}

/** What `asText` made of a whole item; its spaces are part of the words. */
const TEXT_ITEM = /^\\text\{[a-z ]*\}$/;
const CHOICE = /^(?:\(([A-J])\)|([A-J])[).:])(?:\s|$)/;

function normalizeItem(item: string): string {
  const s = item.trim();
  const choice = CHOICE.exec(s);
  if (choice !== null) return choice[1] ?? choice[2] ?? s;
  if (TEXT_ITEM.test(s)) return s;
  if (isWords(s) && /[aeiou]/i.test(s)) return asText(s);
  return canonicalTokens(squeeze(s.replace(/^\+/, '')));
}

/** Drops whitespace, except one space that ends a control word before a letter (`\pi r`). */
function squeeze(s: string): string {
  return s.replace(/\s+/g, (space: string, at: number) =>
    /\\[A-Za-z]+$/.test(s.slice(Math.max(0, at - 32), at)) && /[A-Za-z]/.test(s.charAt(at + space.length)) ? ' ' : '',
  );
}

/** One spelling for what the parser reads alike: braced `\frac`/`\sqrt` arguments, `0.5` for `.50` or `00.5`. */
const CANONICAL: ReadonlyArray<readonly [RegExp, string]> = [
  [/\\(frac|binom)(?![A-Za-z]) ?([0-9A-Za-z]) ?([0-9A-Za-z])/g, '\\$1{$2}{$3}'],
  [/\\(frac|binom)(?![A-Za-z]) ?([0-9A-Za-z])(?=\{)/g, '\\$1{$2}'],
  [/\\(frac|binom)(\{[^{}]*\})([0-9A-Za-z])/g, '\\$1$2{$3}'],
  [/\\sqrt(?![A-Za-z]) ?([0-9A-Za-z])/g, '\\sqrt{$1}'],
  [/(?<![\d.])0+(?=\d)/g, ''],
  [/(?<lead>^|[^\d.])\.(?=\d)/g, '$<lead>0.'],
  [/(\d\.\d*?)0+(?!\d)/g, '$1'],
  [/(\d)\.(?!\d)/g, '$1'],
];

function canonicalTokens(s: string): string {
  return CANONICAL.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), s);
}
