import { describe, expect, it } from 'vitest';
import { displayBlockStart, displayMathOpenedBy, maskInlineMath, matchDisplayBlock, matchInlineMath } from './math.ts';

const tex = (src: string) => matchInlineMath(src)?.tex ?? null;

describe('matchInlineMath', () => {
  it('matches every delimiter, with display mode for $$ and \\[', () => {
    expect(matchInlineMath('$x^2$ rest')).toEqual({ raw: '$x^2$', tex: 'x^2', display: false });
    expect(matchInlineMath('\\(a+b\\) rest')).toEqual({ raw: '\\(a+b\\)', tex: 'a+b', display: false });
    expect(matchInlineMath('$$\\sum_i i$$ rest')).toEqual({ raw: '$$\\sum_i i$$', tex: '\\sum_i i', display: true });
    expect(matchInlineMath('\\[ y \\] rest')).toEqual({ raw: '\\[ y \\]', tex: ' y ', display: true });
  });

  it('matches at an offset without slicing', () => {
    expect(matchInlineMath('ab $c$', 3)?.raw).toBe('$c$');
  });

  it('treats currency as text', () => {
    expect(tex('$5 and $6')).toBeNull();
    expect(tex('$20,000 to $30,000')).toBeNull();
    expect(tex('$ x$')).toBeNull(); // opener followed by a space
    expect(tex('$x $')).toBeNull(); // closer preceded by a space
    expect(tex('$x$5')).toBeNull(); // closer followed by a digit
  });

  it('does not close on escaped dollars or escaped backslashes', () => {
    expect(tex('$\\$5 + 1$')).toBe('\\$5 + 1');
    expect(tex('$a \\\\$')).toBe('a \\\\');
    expect(tex('$$a \\$$ b$$')).toBe('a \\$$ b');
    expect(tex('\\(\\\\)\\)')).toBe('\\\\)');
  });

  it('leaves unclosed and empty delimiters as text (a stream shows them as text until closed)', () => {
    for (const open of ['$x + ', '$$\\frac{1}{', '\\(a', '\\[ b', '$$ $$', '\\(\\)', '$$', '$']) expect(tex(open)).toBeNull();
  });

  it('spans lines, as R1 writes \\[ ... \\] inside paragraphs', () => {
    expect(tex('\\[\n\\begin{aligned}\na &= 1\n\\end{aligned}\n\\]')).toBe('\n\\begin{aligned}\na &= 1\n\\end{aligned}\n');
  });
});

describe('matchDisplayBlock', () => {
  it('matches display math across blank lines and consumes the closer line', () => {
    const src = '$$\n\\begin{pmatrix}\n1 & 2\n\n\\end{pmatrix}\n$$\nAfter';
    expect(matchDisplayBlock(src)).toEqual({
      raw: '$$\n\\begin{pmatrix}\n1 & 2\n\n\\end{pmatrix}\n$$\n',
      tex: '\n\\begin{pmatrix}\n1 & 2\n\n\\end{pmatrix}\n',
      display: true,
    });
    expect(matchDisplayBlock('   \\[\nf(x) = \\begin{cases} 1 \\\\ 0 \\end{cases}\n\\]')?.tex).toBe('\nf(x) = \\begin{cases} 1 \\\\ 0 \\end{cases}\n');
  });

  it('stops at the closer when text follows it on a later line', () => {
    expect(matchDisplayBlock('\\[\nx\n\\] so')?.raw).toBe('\\[\nx\n\\]');
  });

  it('leaves a one-line formula followed by text to the paragraph', () => {
    expect(matchDisplayBlock('$$x$$ is the value')).toBeNull();
    expect(matchDisplayBlock('$$x$$')?.tex).toBe('x');
  });

  it('needs an opener at the block start (at most 3 spaces) and a closer', () => {
    expect(matchDisplayBlock('    $$x$$')).toBeNull();
    expect(matchDisplayBlock('text $$x$$')).toBeNull();
    expect(matchDisplayBlock('$$\nx\n')).toBeNull();
  });

  it('finds a later line that starts a closed display block', () => {
    expect(displayBlockStart('Thus\n\\[\nx\n\\]')).toBe(5);
    expect(displayBlockStart('Thus\n\\[\nx (unclosed)')).toBe(-1);
    expect(displayBlockStart('Inline $$x$$ only')).toBe(-1);
  });
});

describe('displayMathOpenedBy', () => {
  it('reports an opener left open at the start of a line, after indentation or list markers', () => {
    expect(displayMathOpenedBy('$$')).toBe('$$');
    expect(displayMathOpenedBy('   \\[')).toBe('\\]');
    expect(displayMathOpenedBy('1. $$ a')).toBe('$$');
    expect(displayMathOpenedBy('$$ a $$')).toBeNull();
    expect(displayMathOpenedBy('\\[ x \\]')).toBeNull();
    expect(displayMathOpenedBy('text $$')).toBeNull();
    expect(displayMathOpenedBy('\\(')).toBeNull();
  });
});

describe('maskInlineMath', () => {
  it('hides em/strong delimiters inside math and keeps the length', () => {
    const original = '*a $b*c$ d*';
    expect(maskInlineMath(original, original)).toBe('*a aaaaa d*');
  });

  it('does not treat a dollar that Marked masked (code span, escape) as an opener', () => {
    const original = '`$a*b$` and \\$x*y$';
    const masked = '[aaaaa] and ++x*y$';
    expect(maskInlineMath(original, masked)).toBe(masked);
  });

  it('masks \\( \\) spans, which Marked masked as escaped punctuation', () => {
    expect(maskInlineMath('\\(a_b\\)_', '++a_b++_')).toBe('aaaaaaa_');
  });
});
