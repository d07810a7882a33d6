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
 * Picks the next token the way the R1 model card asks (temperature, then nucleus/top-p), in one
 * pass over the vocabulary. transformers.js 4.3.1 ignores top_p and its sampler adds top_k=50, so
 * the app chooses the token itself and hands the library a one-hot row to take greedily.
 */
export function chooseToken(logits: Float32Array, { temperature, topP, random }: ChoiceOptions): number {
  if (temperature <= 0) return argmax(logits);
  const scaled = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i++) scaled[i] = logits[i]! / temperature;
  const kept = topPFilter(scaled, topP);
  const max = kept[argmax(kept)]!;
  let sum = 0;
  for (let i = 0; i < kept.length; i++) {
    const w = Math.exp(kept[i]! - max);
    kept[i] = w;
    sum += w;
  }
  let r = random() * sum;
  let last = 0;
  for (let i = 0; i < kept.length; i++) {
    const w = kept[i]!;
    if (w === 0) continue;
    last = i;
    r -= w;
    if (r < 0) return i;
  }
  // Rounding can leave r a hair above zero; the last candidate is the right answer then.
  return last;
}
