import { describe, expect, it } from 'vitest';
import { latexToText } from './plaintext.ts';

describe('latexToText', () => {
  it.each([
    ['\\frac{a}{b}', 'a/b'],
    ['\\dfrac{a+1}{2}', '(a+1)/2'],
    ['\\frac12', '1/2'],
    ['-\\frac{3}{4}', '-3/4'],
    ['\\boxed{\\dfrac{\\pi}{4}}', 'π/4'],
    ['x^{2} + 2^{n+1}', 'x^2 + 2^(n+1)'],
    ['a_{n}', 'a_n'],
    ['\\sqrt{2}', '√2'],
    ['2\\sqrt{x+1}', '2√(x+1)'],
    ['\\sqrt[3]{x}', 'x^(1/3)'],
    ['5\\text{ cm}^2', '5 cm^2'],
    ['\\sin\\theta + \\cos(x)', 'sin θ + cos(x)'],
    ['\\left( \\frac{1}{2} \\right)', '(1/2)'],
    ['\\left\\{ 1, 2 \\right\\}', '{1, 2}'],
    ['90^\\circ', '90°'],
    ['3 \\times 4 \\cdot 5 \\le 60', '3 × 4 · 5 ≤ 60'],
    ['\\binom{5}{2}', 'C(5, 2)'],
    ['\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}', '1 2; 3 4'],
    ['\\$5 or 10\\%', '$5 or 10%'],
    ['x = 1, \\, y = 2', 'x = 1, y = 2'],
    ['\\mathbb{R}', 'R'],
    ['a}b', 'ab'],
  ])('%s → %s', (tex, text) => {
    expect(latexToText(tex)).toBe(text);
  });
});
