/**
 * Uniform numbers in [0, 1) for token sampling: a seeded stream for reproducible replies, or
 * Math.random when no seed is given.
 *
 * sfc32 (128-bit state, integer-only, so every browser and Node produce the same stream) seeded by
 * splitmix32, which spreads neighbouring seeds (1, 2, 3 ...) into unrelated states. The stream is part
 * of the reproducibility promise: changing the algorithm changes every seeded reply, which the pinned
 * values in the tests guard against.
 */

const MAX_SEED = 0xffffffff;

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A deterministic stream for a uint32 seed. */
export function seededRandom(seed: number): () => number {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(`A sampling seed must be an integer from 0 to ${MAX_SEED}, got ${seed}.`);
  }
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // sfc32's authors discard the first outputs so the state is well mixed before use.
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** The random source for one request: seeded when a seed is given, else Math.random. */
export function randomSource(seed: number | null | undefined): () => number {
  return seed === null || seed === undefined ? Math.random : seededRandom(seed);
}
