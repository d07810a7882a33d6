import { describe, expect, it } from 'vitest';
import { extractBoxedAnswer, findFinalAnswer } from './answer.ts';

describe('extractBoxedAnswer', () => {
  const cases: [string, string, string | null][] = [
    ['simple', 'The answer is $\\boxed{42}$.', '42'],
    ['nested braces', '$\\boxed{\\frac{1}{2}}$', '\\frac{1}{2}'],
    ['deeply nested', '\\boxed{\\sqrt{\\frac{a^{2}}{b_{1}}}}', '\\sqrt{\\frac{a^{2}}{b_{1}}}'],
    ['last occurrence wins', '\\boxed{1} then \\boxed{2}', '2'],
    ['no box', 'The answer is 42.', null],
    ['empty string', '', null],
    ['bare token digit', '$\\boxed 5$', '5'],
    ['bare token letter', 'so \\boxed x works', 'x'],
    ['bare token runs to whitespace', '\\boxed 12.5 cm', '12.5'],
    ['bare token stops at $', '$\\boxed{} \\boxed 7$', '7'],
    ['bare token stops at enclosing group', '{\\boxed 5}', '5'],
    ['bare token glued to the command', '\\boxed5', '5'],
    ['bare command at end is ignored', 'answer: \\boxed', null],
    ['bare command then only space', 'answer: \\boxed  \n', null],
    ['fbox', '\\fbox{yes}', 'yes'],
    ['fbox and boxed: last wins', '\\boxed{a} \\fbox{b}', 'b'],
    ['fboxsep is not fbox', '\\setlength{\\fboxsep}{2pt} \\boxed{3}', '3'],
    ['only fboxsep', '\\fboxsep{2pt}', null],
    ['boxedfoo is not boxed', '\\boxedfoo{1}', null],
    ['escaped braces do not count', '\\boxed{\\{1, 2\\}}', '\\{1, 2\\}'],
    ['escaped close brace inside', '\\boxed{a\\}b}', 'a\\}b'],
    ['escaped open brace inside', '\\boxed{\\{x}', '\\{x'],
    ['double backslash before brace closes', '\\boxed{a\\\\}', 'a\\\\'],
    ['cut off: ignored', '\\boxed{\\frac{1}{2', null],
    ['cut off last: earlier one wins', '\\boxed{3} and finally \\boxed{\\frac{1}{', '3'],
    ['cut off outer: inner counts', '\\boxed{x = \\boxed{4}', '4'],
    ['nested box returns the outer content', '\\boxed{\\boxed{1}}', '\\boxed{1}'],
    ['nested box followed by another', '\\boxed{\\boxed{1}} \\boxed{2}', '2'],
    ['empty box ignored', 'put your final answer within \\boxed{}.', null],
    ['empty box does not hide an earlier one', '\\boxed{5} ... \\boxed{ }', '5'],
    ['whitespace before the brace', '\\boxed {  7 }', '7'],
    ['newline before the brace', '\\boxed\n{7}', '7'],
    ['content trimmed', '\\boxed{ \\text{(B)} }', '\\text{(B)}'],
    ['text command inside', '\\boxed{\\text{Yes}}', '\\text{Yes}'],
    ['markdown-escaped backslash', 'the answer is \\\\boxed{9}', '9'],
    ['display math', '\\[\n\\boxed{x^2 + 1}\n\\]', 'x^2 + 1'],
    ['multiple values', '\\boxed{1, 2, 3}', '1, 2, 3'],
    ['unicode content', '\\boxed{π ≈ 3.14}', 'π ≈ 3.14'],
    ['unbalanced extra close after box is fine', '\\boxed{1}}', '1'],
    ['box of a bare command token', '\\boxed \\pi', '\\pi'],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => expect(extractBoxedAnswer(input)).toBe(expected));
  }

  it('handles a long text linearly', () => {
    const text = 'x '.repeat(200_000) + '\\boxed{\\frac{1}{2}}' + ' y'.repeat(200_000);
    expect(extractBoxedAnswer(text)).toBe('\\frac{1}{2}');
  });

  it('stays linear with many cut-off boxes', () => {
    // Each unclosed \boxed{ would otherwise rescan to the end of the text.
    const text = '\\boxed{1} ' + '\\boxed{ {'.repeat(50_000) + 'x';
    const start = performance.now();
    expect(extractBoxedAnswer(text)).toBe('1');
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});

describe('findFinalAnswer', () => {
  it('prefers the answer part', () => {
    expect(findFinalAnswer({ thinking: 'maybe \\boxed{3}', answer: 'So \\boxed{4}.' })).toEqual({ latex: '4', source: 'answer' });
  });
  it('falls back to the thinking', () => {
    expect(findFinalAnswer({ thinking: 'so it is \\boxed{3}, wait', answer: '' })).toEqual({ latex: '3', source: 'thinking' });
  });
  it('falls back when the answer box is cut off', () => {
    expect(findFinalAnswer({ thinking: '\\boxed{3}', answer: '\\boxed{\\frac{1}' })).toEqual({ latex: '3', source: 'thinking' });
  });
  it('null thinking and no box', () => {
    expect(findFinalAnswer({ thinking: null, answer: 'no box here' })).toBeNull();
  });
  it('answer-only output with a box', () => {
    expect(findFinalAnswer({ thinking: null, answer: '$\\boxed 5$' })).toEqual({ latex: '5', source: 'answer' });
  });
  it('no box anywhere', () => {
    expect(findFinalAnswer({ thinking: 'put the answer within \\boxed{}', answer: 'It is 4.' })).toBeNull();
  });
});
