/**
 * Whether two parsed answers mean the same thing, for majority voting over sampled replies.
 *
 * Why no computer algebra system: the obvious one in the browser, @cortex-js/compute-engine, is about
 * 1 MB gzipped, compiles expressions with `new Function` (our CSP forbids it) and mis-parses some
 * answers. Voting only needs "same or not", so the pipeline is a normalizer (`latex-normalize.ts`), a
 * small parser (`latex-parse.ts`) and this numeric comparison, in the spirit of Math-Verify, Qwen2.5-Math
 * `math_equal` and lm-eval's Minerva `is_equiv`:
 * - Numbers are equal within a relative tolerance of 1e-6 (absolute 1e-9 near zero): `\frac{1}{3}`
 *   equals 0.3333333 but not 0.33.
 * - Expressions with variables are evaluated at fixed pseudo-random points, the same for both sides,
 *   so `(x+1)^2` equals `x^2+2x+1` and `2x` differs from `x`. A point where either side is undefined
 *   (`\sqrt{x}` at x < 0) is skipped; at least two points must compare.
 * - Sets (and unordered solution lists) are equal when each member of one equals some member of the
 *   other; tuples, intervals and matrices compare in order, with the same brackets (`[1,2)` ≠ `(1,2)`).
 * - Equations are equal up to a non-zero factor (`x+y=3` = `2x+2y=6`), inequalities up to a positive
 *   one, with `>` read as a flipped `<`.
 * Every rule is symmetric, so the relation is too; it need not be transitive.
 */

import { isScalar, type LatexNode, type Scalar } from './latex-parse.ts';

type Point = ReadonlyMap<string, number>;
type Relation = Extract<LatexNode, { kind: 'relation' }>;

const RELATIVE_TOLERANCE = 1e-6;
const ABSOLUTE_TOLERANCE = 1e-9;
const SAMPLES = 6;
/** Samples at negative values: enough to tell `|x|` from `x`, few enough that `\ln x` still has points. */
const NEGATIVE_SAMPLES = 2;

export function equivalent(a: LatexNode, b: LatexNode): boolean {
  const names = new Set<string>();
  collectVariables(a, names);
  collectVariables(b, names);
  return nodesEqual(a, b, samplePoints(names));
}

function closeEnough(x: number, y: number): boolean {
  if (x === y) return true; // also equal infinities
  const scale = Math.max(Math.abs(x), Math.abs(y));
  return Number.isFinite(scale) && Math.abs(x - y) <= Math.max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * scale);
}

function evaluate(node: Scalar, point: Point): number {
  switch (node.kind) {
    case 'num':
      return node.value;
    case 'var':
      return point.get(node.name) ?? NaN;
    case 'apply': {
      const args = node.args.map((arg) => evaluate(arg, point));
      const result = node.fn(...args);
      // An infinity comes only from an `\infty` in the answer: an overflow (`10^{400}`) or a division by
      // zero is no value, or every huge number would equal every other.
      return Number.isFinite(result) || args.some((arg) => arg === Infinity || arg === -Infinity) ? result : NaN;
    }
  }
}

function collectVariables(node: LatexNode, names: Set<string>): void {
  switch (node.kind) {
    case 'num':
    case 'text':
      return;
    case 'var':
      names.add(node.name);
      return;
    case 'apply':
      for (const arg of node.args) collectVariables(arg, names);
      return;
    case 'set':
    case 'tuple':
      for (const item of node.items) collectVariables(item, names);
      return;
    case 'matrix':
      for (const row of node.rows) for (const item of row) collectVariables(item, names);
      return;
    case 'relation':
      collectVariables(node.lhs, names);
      collectVariables(node.rhs, names);
  }
}

/** Without variables one point is all there is to evaluate. */
function samplePoints(names: ReadonlySet<string>): Point[] {
  if (names.size === 0) return [new Map()];
  return Array.from({ length: SAMPLES }, (_, k) => new Map([...names].map((name) => [name, sampleValue(name, k)])));
}

/** A value in ±[0.5, 3) from a hash of the name and sample index, so it depends on nothing else. */
function sampleValue(name: string, k: number): number {
  let h = 0x811c9dc5 ^ k; // FNV-1a, then a final mix so similar names spread apart
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h ^= h >>> 13;
  const magnitude = 0.5 + (2.5 * (h >>> 0)) / 2 ** 32;
  return k < SAMPLES - NEGATIVE_SAMPLES ? magnitude : -magnitude;
}

function nodesEqual(a: LatexNode, b: LatexNode, points: readonly Point[]): boolean {
  if (isScalar(a)) return isScalar(b) && scalarsEqual(a, b, points);
  switch (a.kind) {
    case 'text':
      return b.kind === 'text' && a.text === b.text;
    case 'set':
      return b.kind === 'set' && covers(a.items, b.items, points) && covers(b.items, a.items, points);
    case 'tuple':
      return b.kind === 'tuple' && a.open === b.open && a.close === b.close && pairwise(a.items, b.items, points);
    case 'matrix':
      return (
        b.kind === 'matrix' &&
        a.rows.length === b.rows.length &&
        a.rows.every((row, i) => pairwise(row, b.rows[i] ?? [], points))
      );
    case 'relation':
      return b.kind === 'relation' && relationsEqual(a, b, points);
  }
}

function covers(items: readonly LatexNode[], others: readonly LatexNode[], points: readonly Point[]): boolean {
  return items.every((item) => others.some((other) => nodesEqual(item, other, points)));
}

function pairwise(items: readonly LatexNode[], others: readonly LatexNode[], points: readonly Point[]): boolean {
  return items.length === others.length && items.every((item, i) => nodesEqual(item, others[i] as LatexNode, points));
}

function scalarsEqual(a: Scalar, b: Scalar, points: readonly Point[]): boolean {
  let compared = 0;
  for (const point of points) {
    const x = evaluate(a, point);
    const y = evaluate(b, point);
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    if (!closeEnough(x, y)) return false;
    compared++;
  }
  return compared >= Math.min(2, points.length);
}

function relationsEqual(a: Relation, b: Relation, points: readonly Point[]): boolean {
  if (a.op !== b.op) return false;
  const pairs = points
    .map((point) => [difference(a, point), difference(b, point)] as const)
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (pairs.length < Math.min(2, points.length)) return false;
  // `lhs - rhs` up to a factor; with one point (no variables) there is no factor to divide out.
  const scaled = (values: number[]): number[] => {
    const largest = points.length === 1 ? 1 : Math.max(...values.map(Math.abs));
    return values.map((v) => (largest === 0 ? 0 : v / largest));
  };
  const x = scaled(pairs.map(([v]) => v));
  const y = scaled(pairs.map(([, v]) => v));
  const same = (sign: number): boolean => x.every((v, i) => closeEnough(v, sign * (y[i] as number)));
  return same(1) || ((a.op === '=' || a.op === 'ne') && same(-1));
}

function difference(relation: Relation, point: Point): number {
  return evaluate(relation.lhs, point) - evaluate(relation.rhs, point);
}
