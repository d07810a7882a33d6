import { Tensor, type DynamicCache, type PreTrainedModel } from '@huggingface/transformers';
import { nextChunk, type ChunkLimits } from './prefill-chunks';

function int64(values: readonly number[], dims: number[]): Tensor {
  return new Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
}

/** Graphs that take `num_logits_to_keep` compute logits for this many positions only; others ignore it. */
const KEEP_LAST = new Tensor('int64', BigInt64Array.of(1n), []);

/**
 * Moves a forward pass's `present.*` outputs into the cache as the next step's `past_key_values.*`
 * (what transformers.js's own loop does; the cache disposes the GPU buffers it replaces).
 */
function keepPresent(outputs: Record<string, Tensor>, cache: DynamicCache): void {
  const entries: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(outputs)) {
    if (name.startsWith('present')) entries[name.replace('present', 'past_key_values')] = tensor;
  }
  cache.update(entries);
}

/**
 * Feeds `ids` to the model after the tokens `cache` already holds, in chunks that keep every buffer
 * within the device's limits, and returns the logits of the last position (float32), or null when
 * `stop()` said so between chunks. The cache then covers every token fed; on a failure it is left
 * half-updated and must be dropped.
 */
export async function feed(
  model: PreTrainedModel,
  cache: DynamicCache,
  ids: readonly number[],
  limits: ChunkLimits,
  stop: () => boolean = () => false,
): Promise<Float32Array | null> {
  let last: Float32Array | null = null;
  for (let start = 0; start < ids.length; ) {
    if (start > 0 && stop()) return null;
    const past = cache.get_seq_length();
    const size = nextChunk(limits, past, ids.length - start);
    const chunk = ids.slice(start, start + size);
    const outputs = (await model.forward({
      input_ids: int64(chunk, [1, size]),
      attention_mask: int64(new Array<number>(past + size).fill(1), [1, past + size]),
      past_key_values: cache,
      num_logits_to_keep: KEEP_LAST,
    })) as Record<string, Tensor>;
    keepPresent(outputs, cache);
    const logits = outputs.logits;
    if (!logits) throw new Error('The model returned no logits.');
    // Only the last position's row is kept: the copy is one vocabulary wide, whatever the chunk was.
    last = start + size === ids.length ? (logits.slice(null, -1, null).to('float32').data as Float32Array) : null;
    start += size;
  }
  if (!last) throw new Error('Nothing was fed to the model.');
  return last;
}
