/**
 * Tokenizer and recursive-descent parser for answers already normalized by `latex-normalize.ts`
 * (no `\left`, spacing, `\dfrac`, units or `\text{...}` wrappers left, except canonical
 * `\text{word}` answers). The tree is what `latex-equal.ts` evaluates and compares.
 *
 * Grammar, loosest first:
 *   answer   := list                        several items: an unordered set of solutions
 *   list     := union (',' union)*
 *   union    := relation ('\cup' relation)*  a set of its members
 *   relation := expr (('=' | '<' | '>' | '\le' | '\ge' | '\ne') expr)?   no chains (`1 < x < 2`)
 *   expr     := ['+'|'-'] term (('+'|'-') term)*
 *   term     := factor (('*'|'\cdot'|'\times'|'/'|'\div') factor | power)*   juxtaposition multiplies
 *   factor   := ('-'|'+') factor | power
 *   power    := postfix ('^' exponent)?
 *   postfix  := primary '!'*
 * Primaries: numbers, letters (`e` is Euler's number: a free `e` in a final answer is nearly always
 * the constant), Greek letters, `\pi`, `\infty`, `(..)`/`[..]` (a group, or with commas a tuple or
 * interval), `{..}`, `\{..\}` sets, `|..|`, `\lfloor..\rfloor`, `\lceil..\rceil`, `\frac`, `\sqrt[n]{}`,
 * `\binom`, functions (`\sin`...; `\log` is natural, `\log_b` has base b), matrices.
 * A digit string followed by a proper `\frac` of integers is a mixed number (`2\frac{1}{2}` = 5/2):
 * nobody boxes an unsimplified product 2·(1/2), while mixed numbers are common in word problems.
 */

export type NumericFunction = (...args: number[]) => number;

export type Scalar =
  | { kind: 'num'; value: number }
  | { kind: 'var'; name: string }
  | { kind: 'apply'; fn: NumericFunction; args: Scalar[] };

/** `>` and `\ge` are stored flipped, so each relation has one spelling. */
export type RelationOp = '=' | '<' | 'le' | 'ne';

export type LatexNode =
  | Scalar
  | { kind: 'text'; text: string }
  | { kind: 'set'; items: LatexNode[] }
  | { kind: 'tuple'; open: string; close: string; items: LatexNode[] }
  | { kind: 'matrix'; rows: LatexNode[][] }
  | { kind: 'relation'; op: RelationOp; lhs: Scalar; rhs: Scalar };

/** Greek letters that name variables (`\pi` is the constant). Shared with the normalizer's `x =` rule. */
export const GREEK_LETTERS: ReadonlySet<string> = new Set(
  (
    'alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi rho sigma tau ' +
    'upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Sigma Phi Psi Omega'
  ).split(' '),
);

/** Null when the text is not an answer this grammar reads; the caller then compares strings. */
export function parseLatex(latex: string): LatexNode | null {
  try {
    return new Parser(tokenize(latex)).answer();
  } catch {
    // A ParseError, or a RangeError from nesting deeper than the stack: either way, not parseable.
    return null;
  }
}

export function isScalar(node: LatexNode): node is Scalar {
  return node.kind === 'num' || node.kind === 'var' || node.kind === 'apply';
}

class ParseError extends Error {}

interface Token {
  kind: 'num' | 'id' | 'cmd' | 'sym' | 'text';
  text: string;
}

const NUMBER = /\d+(?:\.\d*)?|\.\d+/y;
const COMMAND = /\\(?:[A-Za-z]+|[^A-Za-z])/y;
const TEXT = /\\text\{([^{}]*)\}/y;
const SYMBOLS = '+-*/^_()[]{},=<>!|&';

function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: Token['kind'], text: string, length: number): void => {
    tokens.push({ kind, text });
    i += length;
  };
  while (i < s.length) {
    const c = s.charAt(i);
    NUMBER.lastIndex = i;
    TEXT.lastIndex = i;
    COMMAND.lastIndex = i;
    let m: RegExpExecArray | null;
    if (/\s/.test(c)) i++;
    else if ((m = NUMBER.exec(s))) push('num', m[0], m[0].length);
    else if (/[A-Za-z]/.test(c)) push('id', c, 1);
    else if ((m = TEXT.exec(s))) push('text', m[1] as string, m[0].length);
    else if ((m = COMMAND.exec(s))) push('cmd', m[0].slice(1), m[0].length);
    else if (SYMBOLS.includes(c)) push('sym', c, 1);
    else throw new ParseError();
  }
  return tokens;
}

const add: NumericFunction = (a, b) => a + b;
const subtract: NumericFunction = (a, b) => a - b;
const multiply: NumericFunction = (a, b) => a * b;
const divide: NumericFunction = (a, b) => a / b;
const negate: NumericFunction = (a) => -a;
const power: NumericFunction = (a, b) => Math.pow(a, b);
/** Real n-th root: odd roots of negatives are real (`\sqrt[3]{-8}` = -2), unlike `Math.pow`. */
const root: NumericFunction = (x, n) => (x < 0 && Math.abs(n % 2) === 1 ? -Math.pow(-x, 1 / n) : Math.pow(x, 1 / n));
const factorial: NumericFunction = (n) => {
  if (!Number.isInteger(n) || n < 0 || n > 170) return NaN;
  let product = 1;
  for (let k = 2; k <= n; k++) product *= k;
  return product;
};
/** Integer arguments only; past k = 1000 the loop would cost more than the result (an overflow) is worth. */
const binomial: NumericFunction = (n, k) => {
  if (!Number.isInteger(n) || !Number.isInteger(k) || k < 0 || k > n) return NaN;
  const m = Math.min(k, n - k);
  if (m > 1000) return NaN;
  let product = 1;
  for (let j = 1; j <= m; j++) product = (product * (n - m + j)) / j;
  return Math.round(product);
};

interface MathFunction {
  fn: NumericFunction;
  /** What `^{-1}` means after the name (`\sin^{-1}` is arcsin); otherwise it is a power. */
  inverse?: NumericFunction;
}

const FUNCTIONS: ReadonlyMap<string, MathFunction> = new Map<string, MathFunction>([
  ['sin', { fn: Math.sin, inverse: Math.asin }],
  ['cos', { fn: Math.cos, inverse: Math.acos }],
  ['tan', { fn: Math.tan, inverse: Math.atan }],
  ['cot', { fn: (x) => 1 / Math.tan(x) }],
  ['sec', { fn: (x) => 1 / Math.cos(x) }],
  ['csc', { fn: (x) => 1 / Math.sin(x) }],
  ['arcsin', { fn: Math.asin }],
  ['arccos', { fn: Math.acos }],
  ['arctan', { fn: Math.atan }],
  ['sinh', { fn: Math.sinh }],
  ['cosh', { fn: Math.cosh }],
  ['tanh', { fn: Math.tanh }],
  ['exp', { fn: Math.exp }],
  ['ln', { fn: Math.log }],
  // Natural, as in SymPy-based graders; `\log_b` takes its base.
  ['log', { fn: Math.log }],
]);

const MATRICES: ReadonlySet<string> = new Set(['matrix', 'pmatrix', 'bmatrix', 'Bmatrix', 'smallmatrix']);
/** Commands that may start a factor written right after another (`2\sqrt{2}`, `3\pi`). */
const FACTOR_COMMANDS: ReadonlySet<string> = new Set(['frac', 'sqrt', 'binom', 'pi', 'infty']);
const MULTIPLY = new Set(['*', '\\cdot', '\\times']);
const DIVIDE = new Set(['/', '\\div']);
const RELATIONS: ReadonlyMap<string, readonly [RelationOp, boolean]> = new Map([
  ['=', ['=', false]],
  ['<', ['<', false]],
  ['>', ['<', true]],
  ['\\le', ['le', false]],
  ['\\ge', ['le', true]],
  ['\\ne', ['ne', false]],
] as const);
/** Nested groups allowed; far beyond any real answer, well within the stack. */
const MAX_DEPTH = 100;

const num = (value: number): Scalar => ({ kind: 'num', value });

function scalar(node: LatexNode): Scalar {
  if (isScalar(node)) return node;
  throw new ParseError();
}

function apply(fn: NumericFunction, ...args: LatexNode[]): Scalar {
  return { kind: 'apply', fn, args: args.map(scalar) };
}

/** One item is that item (`\{5\}` is `5`, `(x)` is `x`); several make a set. */
function setOf(items: LatexNode[]): LatexNode {
  return items.length === 1 ? (items[0] as LatexNode) : { kind: 'set', items };
}

const key = (t: Token): string => (t.kind === 'cmd' ? `\\${t.text}` : t.text);

class Parser {
  private pos = 0;
  private depth = 0;
  /** Inside `|..|` a `|` closes, so it cannot start an implicit factor. */
  private absDepth = 0;

  constructor(private readonly tokens: Token[]) {}

  answer(): LatexNode {
    if (this.tokens.length === 0) throw new ParseError();
    const items = this.list();
    if (this.pos !== this.tokens.length) throw new ParseError();
    return setOf(items);
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private is(kind: Token['kind'], text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === kind && t.text === text;
  }

  private accept(kind: Token['kind'], text: string): boolean {
    if (!this.is(kind, text)) return false;
    this.pos++;
    return true;
  }

  private acceptOperator(operators: ReadonlySet<string>): boolean {
    const t = this.peek();
    if (t === undefined || (t.kind !== 'sym' && t.kind !== 'cmd') || !operators.has(key(t))) return false;
    this.pos++;
    return true;
  }

  private expect(kind: Token['kind'], text: string): void {
    if (!this.accept(kind, text)) throw new ParseError();
  }

  private next(): Token {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw new ParseError();
    return t;
  }

  /** One TeX argument token: `\frac12` takes `1` and `2` out of the number `12`. */
  private single(): Token {
    const t = this.next();
    if (t.kind !== 'num' || t.text.length === 1) return t;
    if (!/\d/.test(t.text.charAt(0))) throw new ParseError();
    const first: Token = { kind: 'num', text: t.text.charAt(0) };
    // Split in place rather than consume, so backtracking (mixed numbers) sees the same tokens.
    this.tokens.splice(this.pos - 1, 1, first, { kind: 'num', text: t.text.slice(1) });
    return first;
  }

  private list(): LatexNode[] {
    const items = [this.union()];
    while (this.accept('sym', ',')) items.push(this.union());
    return items;
  }

  private union(): LatexNode {
    let part = this.relation();
    if (!this.is('cmd', 'cup')) return part;
    const members: LatexNode[] = [];
    for (;;) {
      if (part.kind === 'set') members.push(...part.items);
      else members.push(part);
      if (!this.accept('cmd', 'cup')) return { kind: 'set', items: members };
      part = this.relation();
    }
  }

  private relation(): LatexNode {
    const lhs = this.expression();
    const op = this.relationOperator();
    if (op === null) return lhs;
    const rhs = this.expression();
    if (this.relationOperator() !== null) throw new ParseError();
    const [name, flip] = op;
    return { kind: 'relation', op: name, lhs: scalar(flip ? rhs : lhs), rhs: scalar(flip ? lhs : rhs) };
  }

  private relationOperator(): readonly [RelationOp, boolean] | null {
    const t = this.peek();
    const op = t === undefined || (t.kind !== 'sym' && t.kind !== 'cmd') ? undefined : RELATIONS.get(key(t));
    if (op === undefined) return null;
    this.pos++;
    return op;
  }

  private expression(): LatexNode {
    let left = this.accept('sym', '-') ? apply(negate, this.term()) : (this.accept('sym', '+'), this.term());
    for (;;) {
      if (this.accept('sym', '+')) left = apply(add, left, this.term());
      else if (this.accept('sym', '-')) left = apply(subtract, left, this.term());
      else return left;
    }
  }

  private term(): LatexNode {
    let left = this.factor();
    for (;;) {
      if (this.acceptOperator(MULTIPLY)) left = apply(multiply, left, this.factor());
      else if (this.acceptOperator(DIVIDE)) left = apply(divide, left, this.factor());
      else if (this.startsFactor()) left = apply(multiply, left, this.power());
      else return left;
    }
  }

  private factor(): LatexNode {
    if (this.accept('sym', '-')) return apply(negate, this.factor());
    if (this.accept('sym', '+')) return this.factor();
    return this.power();
  }

  private power(): LatexNode {
    const base = this.postfix();
    return this.accept('sym', '^') ? apply(power, base, this.exponent()) : base;
  }

  private exponent(): LatexNode {
    if (this.accept('sym', '-')) return apply(negate, this.exponent());
    if (this.accept('sym', '+')) return this.exponent();
    const t = this.peek();
    // A whole number, not its first digit: `2^10` is how plain-text answers write 2^{10}.
    if (t?.kind === 'num') {
      this.pos++;
      return num(Number(t.text));
    }
    return this.primary();
  }

  private postfix(): LatexNode {
    let node = this.primary();
    while (this.accept('sym', '!')) node = apply(factorial, node);
    return node;
  }

  /** Whether the next token begins an implicitly multiplied factor; a number does not (`x2`). */
  private startsFactor(): boolean {
    const t = this.peek();
    if (t === undefined) return false;
    if (t.kind === 'id') return true;
    if (t.kind === 'cmd') return FACTOR_COMMANDS.has(t.text) || GREEK_LETTERS.has(t.text) || FUNCTIONS.has(t.text);
    return t.kind === 'sym' && (t.text === '(' || (t.text === '|' && this.absDepth === 0));
  }

  private primary(): LatexNode {
    if (++this.depth > MAX_DEPTH) throw new ParseError();
    try {
      return this.primaryToken(this.next());
    } finally {
      this.depth--;
    }
  }

  private primaryToken(t: Token): LatexNode {
    switch (t.kind) {
      case 'num':
        return this.number(t.text);
      case 'id':
        return this.variable(t.text);
      case 'text':
        return { kind: 'text', text: t.text };
      case 'cmd':
        return this.command(t.text);
      case 'sym':
        if (t.text === '(' || t.text === '[') return this.bracketed(t.text);
        if (t.text === '{') return this.group('sym', '}');
        if (t.text === '|') return this.absolute();
        throw new ParseError();
    }
  }

  private number(text: string): LatexNode {
    const value = Number(text);
    if (/^\d+$/.test(text) && this.is('cmd', 'frac')) {
      const start = this.pos++;
      const a = this.argument();
      const b = this.argument();
      const integers = a.kind === 'num' && b.kind === 'num' && Number.isInteger(a.value) && Number.isInteger(b.value);
      if (integers && a.value > 0 && a.value < b.value) return num(value + a.value / b.value);
      this.pos = start;
    }
    return num(value);
  }

  private variable(letter: string): LatexNode {
    if (this.accept('sym', '_')) return { kind: 'var', name: `${letter}_${this.subscript()}` };
    return letter === 'e' ? num(Math.E) : { kind: 'var', name: letter };
  }

  /** A subscript names a variable (`a_{n}` is `a_n`); it is not evaluated. */
  private subscript(): string {
    const t = this.single();
    if (t.kind !== 'sym' || t.text !== '{') return key(t);
    let name = '';
    for (let depth = 1; ; ) {
      const inner = this.next();
      if (inner.kind === 'sym' && inner.text === '{') depth++;
      if (inner.kind === 'sym' && inner.text === '}' && --depth === 0) return name;
      name += key(inner);
    }
  }

  /** A `\frac`/`\sqrt`/`\binom` argument: a `{group}` or one token. */
  private argument(): LatexNode {
    if (this.is('sym', '{')) return this.primary();
    const t = this.single();
    if (t.kind === 'num' || t.kind === 'id' || t.kind === 'cmd') return this.primaryToken(t);
    throw new ParseError();
  }

  private bracketed(open: string): LatexNode {
    const items = this.list();
    const close = this.next();
    if (close.kind !== 'sym' || (close.text !== ')' && close.text !== ']')) throw new ParseError();
    if (items.length > 1) return { kind: 'tuple', open, close: close.text, items };
    if ((open === '(') !== (close.text === ')')) throw new ParseError();
    return items[0] as LatexNode;
  }

  private group(kind: Token['kind'], close: string): LatexNode {
    if (this.accept(kind, close)) return { kind: 'set', items: [] };
    const items = this.list();
    this.expect(kind, close);
    return setOf(items);
  }

  private delimited(fn: NumericFunction, close: string): LatexNode {
    const inner = this.expression();
    this.expect('cmd', close);
    return apply(fn, inner);
  }

  private absolute(): LatexNode {
    this.absDepth++;
    const inner = this.expression();
    this.absDepth--;
    this.expect('sym', '|');
    return apply(Math.abs, inner);
  }

  private command(name: string): LatexNode {
    switch (name) {
      case 'frac': {
        const numerator = this.argument();
        return apply(divide, numerator, this.argument());
      }
      case 'binom': {
        const n = this.argument();
        return apply(binomial, n, this.argument());
      }
      case 'sqrt': {
        if (!this.accept('sym', '[')) return apply(Math.sqrt, this.argument());
        const index = this.expression();
        this.expect('sym', ']');
        return apply(root, this.argument(), index);
      }
      case 'pi':
        return num(Math.PI);
      case 'infty':
        return num(Infinity);
      case 'emptyset':
        return { kind: 'set', items: [] };
      case '{':
        return this.group('cmd', '}');
      case 'begin':
        return this.matrix();
      case 'log':
        return this.logarithm();
      case 'lfloor':
        return this.delimited(Math.floor, 'rfloor');
      case 'lceil':
        return this.delimited(Math.ceil, 'rceil');
    }
    if (GREEK_LETTERS.has(name)) return this.variable(`\\${name}`);
    const fn = FUNCTIONS.get(name);
    if (fn === undefined) throw new ParseError();
    return this.application(fn);
  }

  private application({ fn, inverse }: MathFunction): LatexNode {
    const exponent = this.accept('sym', '^') ? this.exponent() : null;
    const arg = this.is('sym', '(') || this.is('sym', '{') ? this.primary() : this.functionArgument();
    if (exponent === null) return apply(fn, arg);
    if (inverse !== undefined && isMinusOne(exponent)) return apply(inverse, arg);
    return apply(power, apply(fn, arg), exponent);
  }

  /** `\sin 2x` is sin(2x), `\sin x \cos x` is sin(x)·cos(x): the argument stops at the next function. */
  private functionArgument(): LatexNode {
    let arg = this.power();
    while (this.startsFactor() && !this.startsFunction()) arg = apply(multiply, arg, this.power());
    return arg;
  }

  private startsFunction(): boolean {
    const t = this.peek();
    return t?.kind === 'cmd' && FUNCTIONS.has(t.text);
  }

  private logarithm(): LatexNode {
    const base = this.accept('sym', '_') ? this.argument() : null;
    const natural = this.application({ fn: Math.log });
    return base === null ? natural : apply(divide, natural, apply(Math.log, base));
  }

  private matrix(): LatexNode {
    const env = this.environmentName();
    if (!MATRICES.has(env)) throw new ParseError();
    const rows: LatexNode[][] = [];
    for (;;) {
      const row = [this.expression()];
      while (this.accept('sym', '&')) row.push(this.expression());
      rows.push(row);
      // A `\\` before `\end` ends the last row without starting another.
      if (this.accept('cmd', '\\') && !this.is('cmd', 'end')) continue;
      this.expect('cmd', 'end');
      if (this.environmentName() !== env) throw new ParseError();
      break;
    }
    const width = rows[0]?.length;
    if (rows.some((row) => row.length !== width)) throw new ParseError();
    return { kind: 'matrix', rows };
  }

  private environmentName(): string {
    this.expect('sym', '{');
    let name = '';
    while (this.peek()?.kind === 'id') name += this.next().text;
    this.expect('sym', '}');
    return name;
  }
}

function isMinusOne(node: LatexNode): boolean {
  return node.kind === 'apply' && node.fn === negate && node.args[0]?.kind === 'num' && node.args[0].value === 1;
}
