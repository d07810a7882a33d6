/**
 * Pure logits transforms for the inference worker's logits processor. transformers.js accepts
 * `top_p` but ignores it in `generate()`, and R1 is meant to be sampled at T=0.6, top-p 0.95.
 * No transformers.js imports here: these work on plain Float32Arrays and are unit tested in Node.
 */

/**
 * Slack when comparing a cumulative probability with p. Logits arrive as float32 (~1e-7 relative
 * error), so a nucleus whose mass "should" equal p exactly (0.5 + 0.3 for p = 0.8) must count.
 */
export const TOP_P_TOLERANCE = 1e-6;

/** First-level bands: BINS_PER_UNIT per unit of logit distance from the max, up to BIN_RANGE. */
const BINS_PER_UNIT = 16;
const BIN_RANGE = 32;
const OVERFLOW_BIN = BINS_PER_UNIT * BIN_RANGE;
/** Later levels split the boundary band's own logit range into this many bins. */
const SUB_BINS = 512;
/** Below this many boundary candidates a comparator sort is cheaper than another histogram level. */
const SORT_BELOW = 256;
/** Levels before giving up on histograms (only adversarial spacings get here); then sort. */
const MAX_LEVELS = 16;

// Grow-only scratch buffers: one call per generated token, so avoid reallocating ~2 MB each time.
// Not observable from outside; the functions stay pure.
let weights = new Float64Array(0);
let boundary = new Uint32Array(0);
const binMass = new Float64Array(Math.max(OVERFLOW_BIN + 1, SUB_BINS));
const binCount = new Uint32Array(Math.max(OVERFLOW_BIN + 1, SUB_BINS));

/** First-level band of a token at logit distance d >= 0 from the max: monotone in d. */
const band = (d: number): number => (d < BIN_RANGE ? (d * BINS_PER_UNIT) | 0 : OVERFLOW_BIN);

/**
 * Top-p (nucleus) filter. Returns a copy of `logits` in which every token outside the nucleus is
 * `-Infinity`; kept tokens keep their logit unchanged.
 *
 * - Nucleus: the smallest set of highest-logit tokens whose softmax probability sum reaches p
 *   (within `TOP_P_TOLERANCE`). Order is logit descending, then index ascending, so ties at the
 *   boundary keep the lower indices: deterministic.
 * - p >= 1 keeps every token; p <= 0 keeps only the argmax (lowest index among equal maxima).
 *   At least one token is always kept if any logit is above -Infinity.
 * - `-Infinity` logits never enter; NaN logits are treated as -Infinity (the output is NaN-free).
 *   If some logits are +Infinity, they alone share all the probability equally.
 * - If every logit is -Infinity/NaN the result is all -Infinity.
 * - Softmax is computed in float64 with max subtraction, so shifting all logits changes nothing.
 *
 * Cost: linear, no full sort. Tokens are bucketed by logit distance from the max (a monotone map,
 * so every token in a nearer bucket outranks every token in a farther one); buckets that lie wholly
 * inside the nucleus are kept without ordering, and only the one bucket the boundary falls in is
 * split again by a finer histogram, until few enough remain to sort. Throws RangeError for NaN p.
 */
export function topPFilter(logits: Float32Array, p: number): Float32Array {
  if (Number.isNaN(p)) throw new RangeError('topPFilter: p is NaN');
  const n = logits.length;
  const out = new Float32Array(n).fill(-Infinity);

  let max = -Infinity;
  let argmax = -1;
  for (let i = 0; i < n; i++) {
    const l = logits[i] as number;
    if (l > max) {
      max = l;
      argmax = i;
    }
  }
  if (argmax < 0) return out; // nothing above -Infinity (or all NaN)

  if (p >= 1) {
    for (let i = 0; i < n; i++) {
      const l = logits[i] as number;
      if (l > -Infinity) out[i] = l; // drops NaN
    }
    return out;
  }
  if (p <= 0) {
    out[argmax] = max;
    return out;
  }
  if (max === Infinity) {
    // Infinite logits take all the mass, split equally; keep ceil(p * k) of them by index order.
    let count = 0;
    for (let i = 0; i < n; i++) if (logits[i] === Infinity) count++;
    const keep = Math.max(1, Math.ceil((p - TOP_P_TOLERANCE) * count));
    for (let i = 0, kept = 0; i < n && kept < keep; i++) {
      if (logits[i] === Infinity) {
        out[i] = Infinity;
        kept++;
      }
    }
    return out;
  }

  // Unnormalised probabilities, their total, and mass/count per band.
  if (weights.length < n) weights = new Float64Array(n);
  const w = weights;
  binMass.fill(0);
  binCount.fill(0);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const l = logits[i] as number;
    if (!(l > -Infinity)) continue; // -Infinity and NaN
    const d = max - l;
    const wi = Math.exp(-d);
    w[i] = wi;
    total += wi;
    const b = band(d);
    binMass[b] = (binMass[b] as number) + wi;
    binCount[b] = (binCount[b] as number) + 1;
  }
  // Positive even for p below the tolerance, so the top token is always kept.
  const target = Math.max((p - TOP_P_TOLERANCE) * total, Number.MIN_VALUE);

  const { last, before } = findBoundary(OVERFLOW_BIN + 1, target);
  // Keep the nearer bands whole; gather the boundary band's tokens in index order.
  const m = binCount[last] as number;
  if (boundary.length < m) boundary = new Uint32Array(Math.max(m, boundary.length * 2));
  let k = 0;
  for (let i = 0; i < n; i++) {
    const l = logits[i] as number;
    if (!(l > -Infinity)) continue;
    const b = band(max - l);
    if (b < last) out[i] = l;
    else if (b === last) boundary[k++] = i;
  }
  keepBoundary(logits, w, boundary, k, target - before, out);
  return out;
}

/**
 * The first of `bins` histogram bins (nearest first) at which the cumulative mass reaches `need`,
 * and the mass before it. If rounding leaves the total just short of `need`, the last non-empty bin
 * with `before = -Infinity`: the remaining need becomes +Infinity, so that bin is kept whole rather
 * than cut by a near-zero remainder.
 */
function findBoundary(bins: number, need: number): { last: number; before: number } {
  let last = 0;
  let before = 0;
  for (let b = 0; b < bins; b++) {
    if ((binCount[b] as number) === 0) continue;
    last = b;
    const mass = binMass[b] as number;
    if (before + mass >= need) return { last, before };
    before += mass;
  }
  return { last, before: -Infinity };
}

/**
 * Keeps, from `cands[0..count)` (ascending index order), the highest-ranked tokens until their mass
 * reaches `need`, writing them into `out`. Refines with histograms over the candidates' own logit
 * range; ties stay in one bin, so index order inside a bin is the tie-break order.
 */
function keepBoundary(logits: Float32Array, w: Float64Array, cands: Uint32Array, count: number, need: number, out: Float32Array): void {
  for (let level = 0; ; level++) {
    let hi = -Infinity;
    let lo = Infinity;
    for (let k = 0; k < count; k++) {
      const l = logits[cands[k] as number] as number;
      if (l > hi) hi = l;
      if (l < lo) lo = l;
    }
    if (hi === lo) {
      // All tied: index order is rank order.
      let cum = 0;
      for (let k = 0; k < count && cum < need; k++) {
        const i = cands[k] as number;
        out[i] = logits[i] as number;
        cum += w[i] as number;
      }
      return;
    }
    if (count < SORT_BELOW || level >= MAX_LEVELS) {
      const order = Array.from(cands.subarray(0, count));
      order.sort((a, b) => (logits[b] as number) - (logits[a] as number) || a - b);
      let cum = 0;
      for (const i of order) {
        if (cum >= need) break;
        out[i] = logits[i] as number;
        cum += w[i] as number;
      }
      return;
    }
    // Bin by distance from hi; the clamp keeps the map monotone when rounding lands on SUB_BINS.
    const scale = SUB_BINS / (hi - lo);
    const sub = (l: number): number => Math.min(SUB_BINS - 1, ((hi - l) * scale) | 0);
    binMass.fill(0, 0, SUB_BINS);
    binCount.fill(0, 0, SUB_BINS);
    for (let k = 0; k < count; k++) {
      const i = cands[k] as number;
      const b = sub(logits[i] as number);
      binMass[b] = (binMass[b] as number) + (w[i] as number);
      binCount[b] = (binCount[b] as number) + 1;
    }
    const { last, before } = findBoundary(SUB_BINS, need);
    // Keep nearer bins whole, compact the boundary bin's tokens in place (index order preserved).
    let next = 0;
    for (let k = 0; k < count; k++) {
      const i = cands[k] as number;
      const b = sub(logits[i] as number);
      if (b < last) out[i] = logits[i] as number;
      else if (b === last) cands[next++] = i;
    }
    count = next;
    need -= before;
  }
}

/**
 * Divides logits by temperature t, returning a copy. t = 0 means greedy: only the argmax (lowest
 * index among equal maxima) stays, unchanged; the rest become -Infinity. -Infinity and NaN logits
 * become -Infinity. Throws RangeError unless 0 <= t < Infinity.
 */
export function temperatureScale(logits: Float32Array, t: number): Float32Array {
  if (!(t >= 0 && t < Infinity)) throw new RangeError(`temperatureScale: invalid temperature ${t}`);
  if (t === 0) return topPFilter(logits, 0);
  const out = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i++) {
    const l = logits[i] as number;
    out[i] = l > -Infinity ? l / t : -Infinity;
  }
  return out;
}
