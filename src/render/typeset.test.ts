import { describe, expect, it } from 'vitest';
import { typeset } from './typeset.ts';

describe('typeset', () => {
  it('renders the environments R1 uses in display mode', () => {
    for (const tex of [
      '\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}',
      'f(x) = \\begin{cases} 1 & x > 0 \\\\ 0 & \\text{otherwise} \\end{cases}',
      '\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}',
      '\\boxed{\\dfrac{\\pi}{4}}',
    ]) {
      const result = typeset(tex, true);
      expect(result.ok, tex).toBe(true);
      if (result.ok) expect(result.html).toContain('katex-display');
    }
  });

  it('reports a parse error instead of throwing', () => {
    const result = typeset('\\frac{1}{', false);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/KaTeX parse error/);
  });

  it('does not honour commands that link or load (trust: false)', () => {
    for (const tex of ['\\href{javascript:alert(1)}{x}', '\\url{https://example.com}', '\\includegraphics{https://example.com/a.png}']) {
      const result = typeset(tex, false);
      const html = result.ok ? result.html : '';
      expect(html).not.toMatch(/<a |<img |href=|src=/);
    }
  });

  it('does not leak \\gdef between formulas', () => {
    typeset('\\gdef\\leak{LEAKED} x', false);
    const result = typeset('\\leak', false);
    expect(result.ok && result.html.includes('LEAKED')).toBe(false);
  });
});
