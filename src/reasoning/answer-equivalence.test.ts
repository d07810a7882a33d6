import { describe, expect, it } from 'vitest';
import { normalizeAnswer, sameAnswer } from './answer.ts';
import { seeded } from './testing/random.ts';

/** Pairs that must be the same answer, checked in both orders. */
const EQUIVALENT: [string, string][] = [
  // Fractions, decimals, signs.
  ['\\frac{1}{2}', '\\dfrac12'],
  ['\\frac{1}{2}', '0.5'],
  ['\\frac{1}{2}', '1/2'],
  ['\\dfrac12', '0.5'],
  ['\\dfrac12', '1/2'],
  ['0.5', '1/2'],
  ['\\tfrac{1}{2}', '.5'],
  ['\\frac1{2}', '\\frac{1}{2}'],
  ['\\frac{1}2', '0.50'],
  ['\\cfrac{3}{4}', '0.75'],
  ['\\frac{-1}{2}', '-\\frac{1}{2}'],
  ['-\\frac12', '-0.5'],
  ['+5', '5'],
  ['2.0', '2'],
  ['\\frac{6}{4}', '\\frac{3}{2}'],
  ['\\frac{1}{3}', '0.3333333'],
  ['\\frac{2}{3}', '0.66666667'],
  ['0', '-0'],
  ['1e', 'e'],
  ['2\\frac{1}{2}', '\\frac{5}{2}'],
  ['3\\frac{3}{4}', '3.75'],
  ['10^{-3}', '0.001'],
  ['1.5\\times 10^{3}', '1500'],
  ['2^{10}', '1024'],
  ['2^10', '1024'],
  // Wrappers and decoration.
  ['\\boxed{ 1/2 }', '1/2'],
  ['\\boxed{\\boxed{7}}', '7'],
  ['\\fbox{7}', '7'],
  ['$7$', '7'],
  ['\\(7\\)', '7'],
  ['\\displaystyle\\frac{1}{2}', '\\frac{1}{2}'],
  ['\\left( \\frac{1}{2} \\right)', '\\frac12'],
  ['\\left[ 1, 2 \\right]', '[1,2]'],
  ['\\big( 3 \\big)', '3'],
  ['\\$5', '5'],
  ['\\$1,000', '1000'],
  ['5 \\text{ dollars}', '5'],
  ['50\\%', '50'],
  ['12.5\\%', '12.5'],
  ['90^\\circ', '90'],
  ['90^{\\circ}', '90'],
  ['45°', '45'],
  ['5\\text{ cm}', '5'],
  ['5 \\text{cm}^2', '5'],
  ['\\frac{1}{2}\\text{ inches}', '0.5'],
  ['3\\sqrt{2} \\mbox{ units}', '\\sqrt{18}'],
  ['12 \\mathrm{km}', '12'],
  ['5 cm', '5'],
  ['7 square feet', '7'],
  ['20 minutes', '20'],
  ['5^{\\text{th}}', '5'],
  ['3\\,\\text{m}', '3'],
  // Thousands separators.
  ['1,000', '1000'],
  ['1{,}000', '1000'],
  ['1\\,000', '1000'],
  ['1 000', '1000'],
  ['1,000,000', '10^6'],
  ['12,345.5', '12345.5'],
  ['1,\\!000', '1000'],
  // Spacing and products.
  ['2 \\cdot 3', '6'],
  ['2\\times3', '6'],
  ['6 \\div 4', '1.5'],
  ['2 \\, x', '2x'],
  ['x \\! y', 'yx'],
  ['2*x', '2x'],
  ['\\sqrt{8}', '2\\sqrt{2}'],
  ['\\sqrt{12}', '2\\sqrt3'],
  ['\\sqrt2', '\\sqrt{2}'],
  ['\\frac{\\sqrt{2}}{2}', '\\frac{1}{\\sqrt{2}}'],
  ['\\sqrt[3]{8}', '2'],
  ['\\sqrt[3]{-27}', '-3'],
  ['\\sqrt[4]{16}', '2'],
  ['3\\pi', '\\pi \\cdot 3'],
  ['\\frac{\\pi}{2}', '\\frac12\\pi'],
  ['2\\pi r', '2 r \\pi'],
  ['\\pi r^2', 'r^{2}\\pi'],
  ['e^{2}', '\\exp(2)'],
  ['\\ln e', '1'],
  ['\\ln(e^3)', '3'],
  ['\\log_2 8', '3'],
  ['\\log_{10} 1000', '3'],
  ['\\sin \\frac{\\pi}{6}', '\\frac{1}{2}'],
  ['\\cos(\\pi)', '-1'],
  ['\\tan\\frac{\\pi}{4}', '1'],
  ['\\sin^2 x + \\cos^2 x', '1'],
  ['\\sin^{-1}(1)', '\\frac{\\pi}{2}'],
  ['\\arctan 1', '\\frac{\\pi}{4}'],
  ['5!', '120'],
  ['\\binom{5}{2}', '10'],
  ['\\dbinom{6}{3}', '20'],
  ['|-3|', '3'],
  ['\\left\\lfloor 2.5 \\right\\rfloor', '2'],
  ['\\lceil 2.1 \\rceil', '3'],
  ['007', '7'],
  ['\\{1,000\\}', '\\{0, 1\\}'],
  ['\\left| -3 \\right|', '3'],
  ['\\lvert x \\rvert', '|x|'],
  ['\\sqrt{x^2}', '|x|'],
  ['\\infty', '\\infty'],
  ['-\\infty', '-\\infty'],
  // Variables.
  ['x^2+2x+1', '(x+1)^2'],
  ['(x+1)(x-1)', 'x^2-1'],
  ['\\frac{x^2-1}{x-1}', 'x+1'],
  ['2x', 'x+x'],
  ['2x', '2 \\cdot x'],
  ['x^{2}', 'x^2'],
  ['xy', 'yx'],
  ['2ab', 'ba \\cdot 2'],
  ['a_1 + a_2', 'a_{2} + a_{1}'],
  ['\\alpha + \\beta', '\\beta + \\alpha'],
  ['\\frac{1}{x}', 'x^{-1}'],
  ['\\sqrt{x}\\sqrt{x}', 'x'],
  ['e^{x}e^{y}', 'e^{x+y}'],
  ['\\ln(xy)', '\\ln x + \\ln y'],
  // Equations.
  ['x=2', '2'],
  ['x = \\frac{1}{2}', '0.5'],
  ['y = 2x+1', '2x+1'],
  ['f(x) = x^2', 'x^2'],
  ['\\theta = \\frac{\\pi}{3}', '\\frac{\\pi}{3}'],
  ['a_1 = 3', '3'],
  ['x \\approx 2.5', '2.5'],
  ['x \\in [1, 2]', '[1,2]'],
  ['x = 1,000', '1000'],
  ['x+y=3', 'y+x=3'],
  ['x+y=3', '2x+2y=6'],
  ['x + y = 3', '3 = x + y'],
  ['y - 2x = 1', '2x - y = -1'],
  ['x^2 = 4', 'x^2 - 4 = 0'],
  ['x > 3', '3 < x'],
  ['x \\geq 3', '3 \\le x'],
  ['x \\leq 3', '2x \\le 6'],
  ['x \\ne 1', 'x \\neq 1'],
  // Multiple choice.
  ['\\text{(A)}', 'A'],
  ['(A)', 'A'],
  ['\\text{A}', 'A'],
  ['\\textbf{(A)}', 'A'],
  ['A)', 'A'],
  ['\\text{(A) } 5', 'A'],
  ['(B) \\frac{1}{2}', '\\textbf{B}'],
  ['C.', '(C)'],
  ['\\mathrm{(D)}', 'D'],
  // Sets, lists, unions.
  ['\\{1,2\\}', '\\{2,1\\}'],
  ['\\{1, 2, 3\\}', '\\{3,1,2\\}'],
  ['\\left\\{ 1, 2 \\right\\}', '\\{2,1\\}'],
  ['\\lbrace 1, 2 \\rbrace', '\\{1,2\\}'],
  ['\\{1,1,2\\}', '\\{2,1\\}'],
  ['1, 2', '2, 1'],
  ['1, 2', '\\{1, 2\\}'],
  ['x=1, x=2', '2,1'],
  ['x = 1 \\text{ or } x = 2', '\\{1,2\\}'],
  ['1 \\text{ and } 2', '2, 1'],
  ['\\frac12, \\frac13', '\\frac{1}{3}, 0.5'],
  ['1 \\pm \\sqrt{2}', '1+\\sqrt2, 1-\\sqrt2'],
  ['x = \\pm 2', '2, -2'],
  ['\\frac{1 \\pm \\sqrt{5}}{2}', '\\frac{1-\\sqrt5}{2}, \\frac{1+\\sqrt5}{2}'],
  ['\\{5\\}', '5'],
  ['\\emptyset', '\\varnothing'],
  ['\\emptyset', '\\{\\}'],
  ['\\{(1,2), (3,4)\\}', '\\{(3,4), (1,2)\\}'],
  ['x=1, y=2', 'y=2, x=1'],
  ['x = 1, y = 2', '\\{y=2, x=1\\}'],
  ['x=1, 2', '2, 1'],
  ['(-\\infty, 1) \\cup (2, \\infty)', '(2,\\infty)\\cup(-\\infty,1)'],
  ['\\{1\\} \\cup \\{2\\}', '\\{1,2\\}'],
  // Tuples, intervals, matrices.
  ['(1,2)', '\\left(1, 2\\right)'],
  ['(\\frac12, 3)', '(0.5, 3)'],
  ['\\langle 1, 2 \\rangle', '(1,2)'],
  ['[1,2)', '\\left[1,2\\right)'],
  ['(-\\infty, 0]', '(-\\infty,0]'],
  ['(1,000)', '(1, 0)'],
  ['\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}', '\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}'],
  ['\\begin{pmatrix} \\frac12 \\\\ 2 \\end{pmatrix}', '\\begin{pmatrix} 0.5 \\\\ 2 \\\\ \\end{pmatrix}'],
  // Words.
  ['\\text{yes}', 'Yes'],
  ['\\text{Yes}', 'YES'],
  ['\\textbf{No}', 'no'],
  ['\\text{no solution}', 'No  Solution'],
  ['\\text{Yes.}', 'yes'],
  ['\\text{Monday}', '\\mbox{monday}'],
  ['\\text{yes}, \\text{no}', '\\text{no}, \\text{yes}'],
  ['\\text{even}', 'Even'],
  ['mn', 'nm'],
];

/** Pairs that must not be the same answer, checked in both orders. */
const DIFFERENT: [string, string][] = [
  ['(1,2)', '(2,1)'],
  ['\\frac{1}{3}', '0.33'],
  ['\\frac{1}{3}', '0.333'],
  ['1', '2'],
  ['1', '-1'],
  ['0', '0.001'],
  ['1000', '1001'],
  ['50\\%', '0.5'],
  ['2x', 'x'],
  ['x', 'y'],
  ['x^2', 'x^3'],
  ['x^2', '2x'],
  ['|x|', 'x'],
  ['\\sqrt{x}', 'x'],
  ['x+1', 'x-1'],
  ['\\pi', '3.14'],
  ['e', '2.718'],
  ['\\sqrt{2}', '1.414'],
  ['\\infty', '-\\infty'],
  ['\\infty', '10^{400}'],
  ['10^{400}', '10^{500}'],
  ['\\frac{1}{0}', '\\frac{2}{0}'],
  ['\\sqrt{-1}', '\\sqrt{-4}'],
  ['[1,2)', '(1,2)'],
  ['[1,2)', '[1,2]'],
  ['(1,2]', '(1,2)'],
  ['(1,2)', '\\{1,2\\}'],
  ['(1,2)', '1, 2'],
  ['(1,2,3)', '(1,2)'],
  ['\\{1,2\\}', '\\{1,2,3\\}'],
  ['\\{1,2\\}', '\\{1,3\\}'],
  ['1, 2', '1, 2, 3'],
  ['1, 234', '1234'],
  ['\\{1\\}', '\\emptyset'],
  ['A', 'B'],
  ['(A)', '(B)'],
  ['\\text{(A) } 5', '5'],
  ['A', 'a'],
  ['\\text{yes}', '\\text{no}'],
  ['\\text{no}', '\\text{on}'],
  ['no', 'on'],
  ['\\text{odd}', '\\text{even}'],
  ['\\text{yes}', '1'],
  ['x+y=3', 'x+y=4'],
  ['x+y=3', 'x-y=3'],
  ['x > 3', 'x < 3'],
  ['x > 3', 'x \\ge 3'],
  ['x < 3', '2x > 6'],
  ['x = 2', 'x = 3'],
  ['x=1, y=2', 'x=2, y=1'],
  ['x=1, y=2', '1, 2'],
  ['x^2 = 4', '2'],
  ['\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}', '\\begin{pmatrix} 1 & 3 \\\\ 2 & 4 \\end{pmatrix}'],
  ['\\begin{pmatrix} 1 & 2 \\end{pmatrix}', '\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}'],
  ['\\sin x', '\\cos x'],
  ['\\ln x', '\\log_2 x'],
  ['5!', '5'],
  ['2\\frac{1}{2}', '1'],
  ['xy', 'x'],
  ['a_1', 'a_2'],
  ['\\alpha', 'a'],
  // Unparseable answers are equal only to what normalizes to the same string, never to each other.
  ['\\foo{1}', '\\foo{2}'],
  ['1 < x < 2', '1 < y < 2'],
  ['@', '#'],
  ['', '0'],
];

describe('sameAnswer on equivalent pairs', () => {
  it.each(EQUIVALENT)('%s ≡ %s', (a, b) => {
    expect(sameAnswer(a, b)).toBe(true);
    expect(sameAnswer(b, a)).toBe(true);
  });
});

describe('sameAnswer on different pairs', () => {
  it.each(DIFFERENT)('%s ≢ %s', (a, b) => {
    expect(sameAnswer(a, b)).toBe(false);
    expect(sameAnswer(b, a)).toBe(false);
  });
});

describe('normalizeAnswer', () => {
  const cases: [string, string][] = [
    ['\\boxed{ \\dfrac12 }', '\\frac{1}{2}'],
    ['\\left( 1, 2 \\right)', '(1,2)'],
    ['\\{3, 1, 2\\}', '\\{1,2,3\\}'],
    ['x = 2, x = 1', '1,2'],
    ['1,000', '1000'],
    ['x = 1,000', '1000'],
    ['\\text{(C) } 12', 'C'],
    ['\\text{ No Solution. }', '\\text{no solution}'],
    ['\\pi r', '\\pi r'],
    ['5\\text{ cm}^2', '5'],
    ['50\\%', '50'],
    ['.50', '0.5'],
    ['\\sqrt2 + \\frac 1 2', '\\sqrt{2}+\\frac{1}{2}'],
  ];
  it.each(cases)('%s → %s', (input, expected) => {
    expect(normalizeAnswer(input)).toBe(expected);
  });
});

/** Answers of every shape, for properties over all pairs. */
const POOL: string[] = [
  ...new Set([
    ...EQUIVALENT.flat(),
    ...DIFFERENT.flat(),
    '0.3333333',
    '0.3333334',
    '\\frac{1}{3}',
    '1/3',
    '\\{1/3\\}',
    '(1/3)',
    '3',
    '\\sqrt{9}',
    '2x+2',
    '2(x+1)',
  ]),
];

describe('properties', () => {
  it('the pool is large enough to mean something', () => {
    expect(POOL.length).toBeGreaterThan(60);
  });

  // Failures are collected rather than asserted one by one: the pool has tens of thousands of pairs.
  it('is symmetric and reflexive over every pair of the pool', () => {
    const failures: string[] = [];
    for (const a of POOL) {
      if (!sameAnswer(a, a)) failures.push(`not reflexive: ${a}`);
      for (const b of POOL) if (sameAnswer(a, b) !== sameAnswer(b, a)) failures.push(`not symmetric: ${a} / ${b}`);
    }
    expect(failures).toEqual([]);
  });

  it('equal normalized strings are the same answer', () => {
    const normalized = POOL.map(normalizeAnswer);
    const failures: string[] = [];
    POOL.forEach((a, i) =>
      POOL.forEach((b, j) => {
        if (normalized[i] === normalized[j] && !sameAnswer(a, b)) failures.push(`${a} / ${b}`);
      }),
    );
    expect(failures).toEqual([]);
  });

  it('never throws, and stays fast, on random input', () => {
    const random = seeded(20250101);
    const pieces = [
      ...'0123456789+-*/^_()[]{},.=<>!|&$%~ \\\n\t\'"@#:;?xyzeAB',
      '\\frac', '\\sqrt', '\\{', '\\}', '\\left', '\\right', '\\text{', '\\boxed{', '\\pm', '\\cup', '\\pi',
      '\\begin{pmatrix}', '\\end{pmatrix}', '\\\\', '\\sin', '\\log_', '\\infty', '\\cdot', '^\\circ', '\\%',
    ];
    const inputs: string[] = [];
    for (let n = 0; n < 1500; n++) {
      let s = '';
      for (let length = random.int(40); length > 0; length--) s += random.pick(pieces);
      inputs.push(s);
    }
    // Pathological shapes: deep nesting, long chains, huge sets, and far more than an answer's length.
    inputs.push('('.repeat(5000), '\\frac{'.repeat(300), '1+'.repeat(3000), `\\{${'1,'.repeat(2000)}1\\}`);
    inputs.push(`${'\\sqrt{'.repeat(150)}2${'}'.repeat(150)}`, `${'{'.repeat(400)}1${'}'.repeat(400)}`);
    inputs.push('0'.repeat(999), 'x'.repeat(100_000), `${'1,'.repeat(190)}1`, `(${'x+'.repeat(130)}1)^2`);
    const started = performance.now();
    for (let i = 0; i < inputs.length; i++) {
      const a = inputs[i] as string;
      const b = inputs[(i * 7 + 3) % inputs.length] as string;
      expect(() => normalizeAnswer(a), a).not.toThrow();
      expect(sameAnswer(a, a), a).toBe(true);
      expect(sameAnswer(a, b), `${a} / ${b}`).toBe(sameAnswer(b, a));
    }
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('compares 16 answers pairwise quickly', () => {
    const answers = POOL.slice(0, 16);
    const started = performance.now();
    for (const a of answers) for (const b of answers) sameAnswer(a, b);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
