/** Parsing of a single-range `Range: bytes=...` request header against a known size. */

export type RangeResult =
  | { kind: 'full' }
  /** Inclusive byte offsets. */
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i;

/**
 * `bytes=a-b`, `bytes=a-` and `bytes=-n`. A header that is absent, malformed or asks for several
 * ranges is ignored (full response), which RFC 9110 allows. A range that starts past the end, ends
 * before it starts, or is an empty suffix is unsatisfiable.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'full' };
  const m = SINGLE_RANGE.exec(header);
  if (!m) return { kind: 'full' };
  const first = m[1] ?? '';
  const last = m[2] ?? '';
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    const n = Number(last);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return { kind: 'unsatisfiable' };
  if (last === '') return { kind: 'partial', start, end: size - 1 };
  const end = Number(last);
  if (end < start) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}
