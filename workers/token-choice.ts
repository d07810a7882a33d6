import { topPFilter } from './sampling';

export interface ChoiceOptions {
  /** 0 means greedy. */
  temperature: number;
  topP: number;
  /** Uniform in [0, 1); injectable so seeded runs repeat exactly. */
  random: () => number;
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/**
 * Tokens whose scaled logit is more than this below the best carry, all together, under
 * vocab · e^-34 ≈ 2.6e-10 of the probability (152k vocab): far inside top-p's 1e-6 tolerance, so
 * they can be left out before the nucleus is computed without changing any choice.
 */
const CANDIDATE_SPAN = 34;

/**
 * Picks the next token the way the R1 model card asks (temperature, then nucleus/top-p).
 * transformers.js 4.3.1 ignores top_p and its sampler adds top_k=50, so the app chooses the token
 * itself and hands the library a one-hot row to take greedily. Only the few candidates near the
 * top go through top-p and the draw: the full 152k vocabulary is scanned twice, not seven times.
 */
export function chooseToken(logits: Float32Array, { temperature, topP, random }: ChoiceOptions): number {
  const best = argmax(logits);
  if (temperature <= 0) return best;
  const top = logits[best]!;
  const indices: number[] = [];
  if (Number.isFinite(top)) {
    const floor = top - CANDIDATE_SPAN * temperature;
    for (let i = 0; i < logits.length; i++) if (logits[i]! >= floor) indices.push(i);
  } else {
    for (let i = 0; i < logits.length; i++) indices.push(i);
  }
  // Index order is kept, so top-p's tie-break (lower index first) is unchanged.
  const scaled = new Float32Array(indices.length);
  for (let k = 0; k < indices.length; k++) scaled[k] = logits[indices[k]!]! / temperature;
  const kept = topPFilter(scaled, topP);
  const max = kept[argmax(kept)]!;
  let sum = 0;
  for (let k = 0; k < kept.length; k++) {
    const w = Math.exp(kept[k]! - max);
    kept[k] = w;
    sum += w;
  }
  let r = random() * sum;
  let last = 0;
  for (let k = 0; k < kept.length; k++) {
    const w = kept[k]!;
    if (w === 0) continue;
    last = k;
    r -= w;
    if (r < 0) return indices[k]!;
  }
  // Rounding can leave r a hair above zero; the last candidate is the right answer then.
  return indices[last]!;
}
