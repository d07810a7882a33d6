// LaTeX → readable plain text for "Copy text" on an answer: `\frac{a+1}{2}` → "(a+1)/2",
// `\sqrt{2}` → "√2", `x^{2}` → "x^2", `\pi` → "π"; unknown commands lose their backslash
// (`\sin` → "sin") and formatting commands keep only their argument. Not a TeX engine: a
// readable approximation for pasting into a chat, a spreadsheet or a search box.

const SYMBOLS: Record<string, string> = {
  cdot: '·', times: '×', div: '÷', pm: '±', mp: '∓', ast: '*',
  le: '≤', leq: '≤', leqslant: '≤', ge: '≥', geq: '≥', geqslant: '≥', ne: '≠', neq: '≠',
  approx: '≈', equiv: '≡', sim: '~', propto: '∝', infty: '∞', circ: '∘', degree: '°',
  to: '→', rightarrow: '→', leftarrow: '←', Rightarrow: '⇒', implies: '⇒', iff: '⇔', mapsto: '↦',
  in: '∈', notin: '∉', subset: '⊂', subseteq: '⊆', cup: '∪', cap: '∩', emptyset: '∅', varnothing: '∅',
  forall: '∀', exists: '∃', neg: '¬', land: '∧', lor: '∨', angle: '∠', perp: '⊥', parallel: '∥',
  sum: '∑', prod: '∏', int: '∫', oint: '∮', partial: '∂', nabla: '∇',
  ldots: '…', dots: '…', cdots: '⋯', vdots: '⋮',
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  rho: 'ρ', sigma: 'σ', tau: 'τ', upsilon: 'υ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  // Spacing and line breaks.
  quad: ' ', qquad: ' ', ',': ' ', ';': ' ', ':': ' ', '>': ' ', ' ': ' ', '!': '', '\\': '; ',
};

/** Commands that only style their argument. */
const KEEP_ARGUMENT = new Set([
  'text', 'textbf', 'textit', 'textrm', 'textsf', 'texttt', 'mathrm', 'mathbf', 'mathit', 'mathsf',
  'mathtt', 'mathbb', 'mathcal', 'mathfrak', 'boldsymbol', 'bm', 'operatorname', 'boxed', 'fbox',
  'hbox', 'mbox', 'displaystyle', 'textstyle', 'overline', 'underline', 'hat', 'bar', 'vec', 'tilde',
]);

/** Sizing prefixes of a delimiter; the delimiter itself is kept. */
const DROP = new Set(['left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'middle', 'limits', 'nolimits']);

const FRACTIONS = new Set(['frac', 'dfrac', 'tfrac', 'cfrac']);

/** Text that reads as one unit next to an operator: a number, a word, a single symbol. */
const ATOMIC = /^(?:-?\d+(?:\.\d+)?|[\p{L}\p{N}]+|.)$/u;
function wrap(text: string): string {
  const s = text.trim();
  return ATOMIC.test(s) ? s : `(${s})`;
}

class Reader {
  private i = 0;
  constructor(private readonly src: string) {}

  /** Text up to the closing brace of the current group (consumed) or the end; a stray `}` at the top is skipped. */
  sequence(nested: boolean): string {
    let out = '';
    while (this.i < this.src.length) {
      if (this.src[this.i] === '}') {
        this.i++;
        if (nested) return out;
        continue;
      }
      out += this.item();
    }
    return out;
  }

  /** One argument: a braced group or a single token. */
  private argument(): string {
    while (this.src[this.i] === ' ') this.i++;
    if (this.src[this.i] === '{') {
      this.i++;
      return this.sequence(true);
    }
    return this.i < this.src.length ? this.item() : '';
  }

  /** An optional `[...]` argument, as in `\sqrt[3]{x}`. */
  private optional(): string | null {
    if (this.src[this.i] !== '[') return null;
    const end = this.src.indexOf(']', this.i);
    if (end === -1) return null;
    const inner = latexToText(this.src.slice(this.i + 1, end));
    this.i = end + 1;
    return inner;
  }

  private item(): string {
    const ch = this.src[this.i++]!;
    if (ch === '{') return this.sequence(true);
    if (ch === '^') {
      const sup = this.argument();
      return sup.trim() === '∘' ? '°' : `^${wrap(sup)}`;
    }
    if (ch === '_') return `_${wrap(this.argument())}`;
    if (ch === '&' || ch === '~') return ' ';
    if (ch !== '\\') return ch;
    return this.command();
  }

  private command(): string {
    const name = /^(?:[A-Za-z]+|.)/s.exec(this.src.slice(this.i))?.[0] ?? '';
    this.i += name.length;
    if (FRACTIONS.has(name)) {
      const num = this.argument();
      return `${wrap(num)}/${wrap(this.argument())}`;
    }
    if (name === 'sqrt') {
      const index = this.optional();
      const radicand = this.argument();
      return index === null ? `√${wrap(radicand)}` : `${wrap(radicand)}^(1/${index})`;
    }
    if (name === 'binom') {
      const n = this.argument();
      return `C(${n.trim()}, ${this.argument().trim()})`;
    }
    if (KEEP_ARGUMENT.has(name)) return this.argument();
    if (DROP.has(name)) return this.src[this.i] === '.' ? (this.i++, '') : '';
    if (name === 'begin' || name === 'end') {
      this.argument(); // environment name
      return ' ';
    }
    const symbol = SYMBOLS[name];
    if (symbol !== undefined) return symbol;
    // A function name such as \sin or \log: keep a space before a following letter ("sin θ", not "sinθ").
    return /^[A-Za-z\\]/.test(this.src[this.i] ?? '') ? `${name} ` : name;
  }
}

export function latexToText(tex: string): string {
  return new Reader(tex)
    .sequence(false)
    .replace(/\s+/g, ' ')
    .replace(/([([{]) | ([)\]},;])/g, '$1$2') // "\left( x \right) ," reads "(x),"
    .trim();
}
