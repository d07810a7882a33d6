/**
 * A reasoning path's confidence, from the distributions the sampler already sees (DeepConf, Fu et al.
 * 2025): token confidence is minus the mean log-probability of the step's top-k tokens, so a peaked
 * distribution scores high; a path's confidence is its lowest group confidence, the least confident
 * stretch of `window` consecutive tokens (the whole path when it is shorter). A path that loses its
 * way somewhere scores low even when the rest of it reads confidently.
 *
 * Log-probabilities are of the model's own distribution (temperature 1), as servers report them.
 */

/** DeepConf's settings: the top 20 tokens of each step, windows of 2,048 tokens. */
export const CONFIDENCE_TOP_K = 20;
export const CONFIDENCE_WINDOW = 2048;

/** −(1/k)·Σ log p over the k most likely tokens of one step's logits. */
export function tokenConfidence(logits: Float32Array, k = CONFIDENCE_TOP_K): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  if (!Number.isFinite(max)) return 0;
  // The k largest logits, kept sorted ascending in a small array (k is tiny next to the vocabulary).
  const top = new Float64Array(Math.min(k, logits.length)).fill(-Infinity);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    sum += Math.exp(v - max);
    if (v <= top[0]!) continue;
    let j = 0;
    while (j + 1 < top.length && top[j + 1]! < v) {
      top[j] = top[j + 1]!;
      j++;
    }
    top[j] = v;
  }
  const logSum = max + Math.log(sum);
  let total = 0;
  for (const v of top) total += Number.isFinite(v) ? v - logSum : 0;
  return -total / top.length;
}

/**
 * The same token confidence from log-probabilities a server already reports for one step (OpenAI's
 * `top_logprobs`): the k largest of them, so a server that sends more than k counts as the top k.
 */
export function topLogProbConfidence(logProbs: readonly number[], k = CONFIDENCE_TOP_K): number {
  const top = [...logProbs].sort((a, b) => b - a).slice(0, k);
  if (top.length === 0) return 0;
  let total = 0;
  for (const v of top) total += Number.isFinite(v) ? v : 0;
  return -total / top.length;
}

/** The lowest mean token confidence over any `window` consecutive tokens, updated token by token. */
export class LowestGroupConfidence {
  private readonly window: number;
  private readonly ring: Float64Array;
  private count = 0;
  private sum = 0;
  private lowest = Infinity;

  constructor(window = CONFIDENCE_WINDOW) {
    this.window = window;
    this.ring = new Float64Array(window);
  }

  push(confidence: number): void {
    const slot = this.count % this.window;
    if (this.count >= this.window) this.sum -= this.ring[slot]!;
    this.ring[slot] = confidence;
    this.sum += confidence;
    this.count += 1;
    if (this.count >= this.window) this.lowest = Math.min(this.lowest, this.sum / this.window);
  }

  /** Null before any token; a path shorter than the window is one group. */
  get value(): number | null {
    if (this.count === 0) return null;
    return this.count < this.window ? this.sum / this.count : this.lowest;
  }
}
