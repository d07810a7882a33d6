/**
 * A recorded-looking DeepSeek-R1 reply for the render benchmark, made deterministically: a long
 * chain of thought rich in what R1 writes (prose with inline math, `$$`/`\[` display math with
 * aligned, cases and pmatrix, numbered and bulleted lists, code blocks, tables, "Wait, ..."
 * re-checks), then `</think>` and a Markdown answer that ends in `\boxed{}`.
 *
 * Tokens are realistic small pieces: Qwen2's own pre-tokenizer split (words with their leading
 * space, single digits, punctuation runs, whitespace) with pieces longer than 10 characters cut, about
 * what a real BPE vocabulary yields on maths prose (common words are one token, digits are one each). `</think>` is one token, as in R1.
 *
 *   npx tsx tools/bench/traces/r1-trace.ts [tokens]   # writes r1-<tokens/1000>k.md next to this file
 *
 * The benchmark builds the trace in memory; the written file (the 32k one is committed) is for people
 * to read, and the benchmark checks it still matches this generator.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../../workers/seeded-random.ts';
import { preTokenize } from '../../fixture/tokenizer.ts';

export const THINK_END = '</think>';
/** Tokens of the answer part (after `</think>`), roughly: the rest of the budget is thinking. */
const ANSWER_TOKENS = 900;
const MAX_PIECE = 10;

export interface Trace {
  /** Each token's text, in order; `pieces.join('')` is the reply. */
  pieces: string[];
  text: string;
  /** Tokens before `</think>`. */
  thinkingTokens: number;
}

/** Token pieces of `text`, as a BPE tokenizer on Qwen2's split regex would cut it (roughly). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const pre of preTokenize(text)) {
    for (let i = 0; i < pre.length; i += MAX_PIECE) out.push(pre.slice(i, i + MAX_PIECE));
  }
  return out;
}

type Rand = () => number;

const pick = <T,>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const VARS = ['x', 'y', 'n', 'k', 'a', 'b', 't', 'm'] as const;
const FUNCS = ['f', 'g', 'h', 'p'] as const;

/** The section writers: each returns one Markdown chunk R1 might write, with fresh numbers. */
const SECTIONS: ReadonlyArray<(r: Rand) => string> = [
  // Prose with inline math, both `$...$` and `\(...\)`.
  (r) => {
    const v = pick(r, VARS);
    const [a, b, c] = [int(r, 2, 19), int(r, 1, 40), int(r, 3, 90)];
    return (
      `${pick(r, ['Okay, so', 'Alright,', 'Now', 'So', 'Let me see,'])} I need to find all $${v}$ such that $${a}${v}^2 + ${b}${v} - ${c} = 0$. ` +
      `The discriminant is \\(\\Delta = ${b}^2 + 4 \\cdot ${a} \\cdot ${c} = ${b * b + 4 * a * c}\\), which is positive, ` +
      `so there are two real roots $${v}_{1,2} = \\frac{-${b} \\pm \\sqrt{${b * b + 4 * a * c}}}{${2 * a}}$. ` +
      `Hmm, that does not look like a perfect square, so the roots are irrational unless I made a mistake somewhere.`
    );
  },
  // Display math with aligned.
  (r) => {
    const [a, b] = [int(r, 2, 12), int(r, 2, 12)];
    return (
      `Let me expand it carefully:\n\n$$\n\\begin{aligned}\n(${a}x + ${b})^2 &= ${a * a}x^2 + 2 \\cdot ${a} \\cdot ${b} x + ${b * b} \\\\\n` +
      `&= ${a * a}x^2 + ${2 * a * b}x + ${b * b} \\\\\n&\\geq ${b * b} - \\frac{(${2 * a * b})^2}{4 \\cdot ${a * a}} = 0.\n\\end{aligned}\n$$`
    );
  },
  // \[ ... \] with cases.
  (r) => {
    const f = pick(r, FUNCS);
    const [a, b] = [int(r, 2, 9), int(r, 1, 30)];
    return (
      `So the function is piecewise:\n\n\\[\n${f}(x) = \\begin{cases} ${a}x + ${b} & \\text{if } x < 0, \\\\ x^{${a}} - ${b} & \\text{if } 0 \\le x \\le ${a}, \\\\ ` +
      `\\sqrt{x + ${b}} & \\text{otherwise.} \\end{cases}\n\\]\n\nAt $x = 0$ both pieces give $${b}$ and $-${b}$, so ${f} is not continuous there.`
    );
  },
  // pmatrix.
  (r) => {
    const m = Array.from({ length: 4 }, () => int(r, -9, 9));
    const det = m[0]! * m[3]! - m[1]! * m[2]!;
    return (
      `Write the system as a matrix:\n\n$$\nA = \\begin{pmatrix} ${m[0]} & ${m[1]} \\\\ ${m[2]} & ${m[3]} \\end{pmatrix}, \\qquad ` +
      `\\det A = (${m[0]})(${m[3]}) - (${m[1]})(${m[2]}) = ${det}.\n$$\n\n` +
      `Since $\\det A ${det === 0 ? '= 0' : '\\neq 0'}$, the inverse ${det === 0 ? 'does not exist' : `is $A^{-1} = \\frac{1}{${det}} \\begin{pmatrix} ${m[3]} & ${-m[1]!} \\\\ ${-m[2]!} & ${m[0]} \\end{pmatrix}$`}.`
    );
  },
  // Numbered list with bold and inline math.
  (r) => {
    const n = int(r, 3, 5);
    const items = Array.from({ length: n }, (_, i) => {
      const [a, b] = [int(r, 2, 50), int(r, 2, 50)];
      return `${i + 1}. **Step ${i + 1}:** compute $a_{${i + 1}} = ${a} \\times ${b} = ${a * b}$, then check that $${a * b} \\bmod ${int(r, 2, 9)}$ matches.`;
    });
    return `Let me organize the steps:\n\n${items.join('\n')}`;
  },
  // Bulleted list, nested.
  (r) => {
    const [k, p, j] = [int(r, 2, 9), int(r, 2, 5), int(r, 2, 6)];
    return (
      `Cases to consider:\n\n- If $k < ${k}$, then the sum $\\sum_{i=1}^{k} i^{${p}}$ stays below $${k}^{${p + 1}}$, which is small.\n` +
      `  - For $k = 1$ it is $1$.\n  - For $k = ${j}$ it is $${Array.from({ length: j }, (_, i) => (i + 1) ** p).reduce((x, y) => x + y)}$.\n` +
      `- If $k \\ge ${k}$, the bound $\\int_0^k x^{${p}}\\,dx = \\frac{k^{${p + 1}}}{${p + 1}}$ dominates.\n` +
      `- Otherwise, *nothing* changes, and the estimate from before still holds.`
    );
  },
  // Plain reasoning prose, the bulk of a real chain of thought.
  (r) => {
    const [a, b] = [int(r, 2, 30), int(r, 2, 30)];
    return pick(r, [
      `Hmm, but wait. Maybe I should approach this differently. If the pattern holds for the first few cases, perhaps there is a general argument by induction. Suppose it is true for $n = ${a}$; then adding the next term should preserve the inequality, as long as the new term is at most ${b}.`,
      `Alternatively, I could think about the problem geometrically. The points lie on a circle of radius ${a}, and the chord between them subtends an angle whose cosine is $\\frac{${b}}{${a + b}}$. That seems more complicated than necessary, though, so let me go back to the algebra.`,
      `Let me reconsider the original question. It asks for the smallest value, not the largest, so I need to be careful about which root I pick. With ${a} and ${b} as the candidates, the smaller one is ${Math.min(a, b)}, but I should confirm that it actually satisfies every condition stated in the problem.`,
      `I think I am overcomplicating this. The key observation is that the expression is symmetric, so swapping the variables does not change anything. That means I can assume without loss of generality that the first one is at most the second one, which cuts the number of cases in half.`,
    ]);
  },
  // Code block.
  (r) => {
    const n = int(r, 10, 99);
    return (
      `Let me verify with a quick script:\n\n\`\`\`python\ndef count(n):\n    total = 0\n    for k in range(1, n + 1):\n` +
      `        if n % k == 0:\n            total += k * k\n    return total\n\nprint(count(${n}))  # expect ${n * 3}\n\`\`\`\n\n` +
      `That prints a number close to ${n * 3}, which matches the estimate \`O(n log n)\`.`
    );
  },
  // Table.
  (r) => {
    const start = int(r, 1, 20);
    const rows = Array.from({ length: 4 }, (_, i) => {
      const n = start + i;
      return `| ${n} | $${n}^2 = ${n * n}$ | ${n % 2 === 0 ? 'even' : 'odd'} |`;
    });
    return `Tabulating the first values:\n\n| $n$ | $n^2$ | parity |\n|---|:---:|---|\n${rows.join('\n')}`;
  },
  // The re-check R1 is known for.
  (r) => {
    const [a, b] = [int(r, 11, 99), int(r, 11, 99)];
    return (
      `Wait, let me double-check that. ${a} times ${b} is ${a * b}, and ${a * b} divided by ${b} is ${a} again, so that part is right. ` +
      `But earlier I wrote $${a} + ${b} = ${a + b + 1}$, which is wrong: it is $${a + b}$. Let me redo the last step with the correct value.`
    );
  },
];

/** Prose (the last writer) a third of the time, as in real traces; the rest evenly. */
function section(r: Rand): string {
  return r() < 1 / 3 ? SECTIONS.at(-1)!(r) : pick(r, SECTIONS.slice(0, -1))(r);
}

/**
 * Chunks joined by blank lines: exactly `tokens` tokens (the last chunk cut, as a stream is), or with
 * `whole`, only complete chunks up to that many.
 */
function fill(r: Rand, tokens: number, lead: string, whole = false): string[] {
  const pieces = tokenize(lead);
  for (;;) {
    const next = tokenize(`\n\n${section(r)}`);
    if (whole && pieces.length + next.length > tokens) return pieces;
    pieces.push(...next);
    if (pieces.length >= tokens) return pieces.slice(0, tokens);
  }
}

/**
 * A reply of exactly `totalTokens` tokens: thinking, `\n</think>\n\n`, an answer ending in
 * `\boxed{}`. Same arguments, same trace; a shorter trace's thinking is a prefix of a longer one's.
 */
export function makeTrace(totalTokens: number, seed = 20260122): Trace {
  const r = seededRandom(seed);
  const answerRand = seededRandom(seed + 1);
  const boxed = `\n\n### Final answer\n\nPutting it together, the answer is\n\n$$\n\\boxed{\\frac{${int(answerRand, 10, 99)}}{${int(answerRand, 2, 9)}}}\n$$`;
  const closing = tokenize(boxed);
  const answerBody = fill(answerRand, ANSWER_TOKENS - closing.length, '## Solution\n\nWe work through the problem in steps.', true);
  const answer = [...answerBody, ...closing];
  const separator = ['\n', THINK_END, '\n\n'];
  const thinkingTokens = totalTokens - answer.length - separator.length;
  if (thinkingTokens < 100) throw new Error(`makeTrace: ${totalTokens} tokens is too short for a trace`);
  const thinking = fill(r, thinkingTokens, 'Okay, let me try to figure this out step by step.');
  const pieces = [...thinking, ...separator, ...answer];
  return { pieces, text: pieces.join(''), thinkingTokens: thinking.length + 1 };
}

/** Where the committed copy of a trace lives. */
export function tracePath(totalTokens: number): string {
  return join(dirname(fileURLToPath(import.meta.url)), `r1-${Math.round(totalTokens / 1000)}k.md`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const tokens = Number(process.argv[2] ?? 32_000);
  const trace = makeTrace(tokens);
  writeFileSync(tracePath(tokens), trace.text);
  console.log(`${tracePath(tokens)}: ${trace.pieces.length} tokens, ${trace.text.length} characters`);
}
