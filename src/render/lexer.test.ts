import { describe, expect, it } from 'vitest';
import { lexMarkdown, type Token, type Tokens } from './lexer.ts';

/** Every token of a tree, depth first, loosely typed for inspection. */
function flatten(tokens: Token[]): Tokens.Generic[] {
  return tokens.flatMap((t: Tokens.Generic) => [t, ...flatten(t.tokens ?? []), ...flatten((t.items as Token[] | undefined) ?? [])]);
}
const maths = (src: string) =>
  flatten(lexMarkdown(src))
    .filter((t) => t.type === 'math')
    .map((t) => ({ tex: t.tex as string, display: t.display as boolean }));

describe('lexMarkdown math', () => {
  it('finds inline and display math in prose', () => {
    expect(maths('Let $x$ and \\(y\\); then $$z$$ and \\[w\\].')).toEqual([
      { tex: 'x', display: false },
      { tex: 'y', display: false },
      { tex: 'z', display: true },
      { tex: 'w', display: true },
    ]);
  });

  it('is not math inside inline code or code blocks', () => {
    expect(maths('Run `echo $HOME$` now')).toEqual([]);
    expect(maths('```bash\necho $A $B$\n$$\n```')).toEqual([]);
    expect(maths('    $$x$$ indented code')).toEqual([]);
  });

  it('keeps an escaped dollar and currency as text', () => {
    const tokens = lexMarkdown('It costs \\$5, or $5 and $6.');
    expect(maths('It costs \\$5, or $5 and $6.')).toEqual([]);
    expect(tokens[0]?.type).toBe('paragraph');
  });

  it('ends a paragraph at a display block and keeps blank lines inside it', () => {
    const tokens = lexMarkdown('So we get\n\\[\n\\begin{aligned}\na &= 1 \\\\\n\nb &= 2\n\\end{aligned}\n\\]\nThus');
    expect(tokens.map((t) => t.type)).toEqual(['paragraph', 'math', 'paragraph']);
    expect(tokens[1]).toMatchObject({ display: true, tex: '\n\\begin{aligned}\na &= 1 \\\\\n\nb &= 2\n\\end{aligned}\n' });
  });

  it('handles display math inside list items', () => {
    expect(maths('1. First\n   $$\n   a\n\n   b\n   $$\n2. Next')).toEqual([{ tex: '\na\n\nb\n', display: true }]);
  });

  it('does not pair emphasis delimiters with * or _ inside math', () => {
    const [p] = flatten(lexMarkdown('*see $a*b$ here* and _x $y_{1}$ z_'));
    const types = (p?.tokens ?? []).map((t) => t.type);
    expect(types).toEqual(['em', 'text', 'em']);
    expect(maths('*see $a*b$ here*')).toEqual([{ tex: 'a*b', display: false }]);
  });

  it('leaves an unclosed delimiter as text while streaming', () => {
    expect(maths('The value $x^2 + ')).toEqual([]);
    expect(maths('\\[\n\\frac{1}{2}')).toEqual([]);
  });
});

describe('lexMarkdown safety', () => {
  it('never produces HTML tokens: tags are text', () => {
    const all = flatten(lexMarkdown('<script>alert(1)</script>\n\n<div>\n*hi*\n</div>\n\nInline <img src=x onerror=alert(1)>'));
    expect(all.some((t) => t.type === 'html')).toBe(false);
    expect(all.filter((t) => t.type === 'em')).toHaveLength(1);
  });
});
