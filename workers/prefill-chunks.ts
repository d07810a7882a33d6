/**
 * How many prompt tokens one forward pass may take. A graph without `num_logits_to_keep` (the
 * onnx-community 1.5B export, for one) returns logits for every token it is fed: 2,500 tokens of a
 * 151,936-wide vocabulary are 1.5 GB in one buffer, over a typical GPU's 1 GiB `maxBufferSize`, and the
 * plain-op attention of those exports holds heads x fed x total scores in another. Feeding the prompt in
 * chunks keeps every such buffer within the device's limit, whatever the prompt's length.
 */

export interface ChunkLimits {
  /** Largest single buffer the runtime may allocate, bytes (WebGPU: min of maxBufferSize, maxStorageBufferBindingSize). */
  maxBufferBytes: number;
  /** Logits width. */
  vocabSize: number;
  numHeads: number;
}

/** Bigger chunks gain little once the GPU is busy, and a chunk is the granularity of Stop during prefill. */
export const MAX_CHUNK = 512;
/** Room for the runtime's own temporaries beside the largest buffer we can reason about. */
const SAFETY = 0.5;
/** Activations are at most 4 bytes wide (float32; float16 exports use half). */
const BYTES = 4;

/** Tokens for the next forward pass, when `past` tokens are cached and `remaining` are left to feed. */
export function nextChunk(limits: ChunkLimits, past: number, remaining: number): number {
  const budget = limits.maxBufferBytes * SAFETY;
  const byLogits = Math.floor(budget / (BYTES * limits.vocabSize));
  let chunk = Math.max(1, Math.min(MAX_CHUNK, remaining, byLogits));
  // Attention scores are heads x chunk x (past + chunk) wide; shrink until they fit.
  while (chunk > 1 && BYTES * limits.numHeads * chunk * (past + chunk) > budget) chunk = Math.floor(chunk / 2);
  return chunk;
}

/** The chunk sizes a whole prompt of `total` tokens is fed in, after `past` cached ones. */
export function planChunks(limits: ChunkLimits, past: number, total: number): number[] {
  const sizes: number[] = [];
  for (let fed = past; fed < total; ) {
    const size = nextChunk(limits, fed, total - fed);
    sizes.push(size);
    fed += size;
  }
  return sizes;
}

/** A WASM heap is 4 GiB at most and holds the weights too; a quarter GiB per buffer leaves them room. */
export const WASM_MAX_BUFFER_BYTES = 256 * 1024 * 1024;
