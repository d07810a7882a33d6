import { Tensor, type DynamicCache, type PreTrainedModel } from '@huggingface/transformers';
import { nextChunk, type ChunkLimits } from './prefill-chunks';

function int64(values: readonly number[], dims: number[]): Tensor {
  return new Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
}

/** Graphs that take `num_logits_to_keep` compute logits for this many positions only; others ignore it. */
const KEEP_LAST = new Tensor('int64', BigInt64Array.of(1n), []);

interface InputMeta {
  name: string;
  type: string;
  shape: Array<number | string>;
}

/**
 * The empty cache of a first forward pass, shaped [batch 1, KV heads, 0, head size]. transformers.js
 * would build it from the graph's input metadata and turn every named dimension but the batch into 0;
 * GenAI builds from v0.15 name the head size (`kv_cache_dim`), so the config's numbers are used instead.
 */
function emptyEntries(model: PreTrainedModel): Record<string, Tensor> {
  const session = (model as unknown as { sessions: Record<string, { inputMetadata: InputMeta[] }> }).sessions.model;
  const config = model.config as { num_key_value_heads?: number; num_attention_heads?: number; head_dim?: number; hidden_size?: number };
  const heads = config.num_key_value_heads ?? config.num_attention_heads ?? 0;
  const headDim = config.head_dim ?? (config.hidden_size ?? 0) / (config.num_attention_heads ?? 1);
  const entries: Record<string, Tensor> = {};
  for (const meta of session?.inputMetadata ?? []) {
    if (!meta.name.startsWith('past_key_values.')) continue;
    const [, h, , d] = meta.shape;
    const dims = [1, typeof h === 'number' ? h : heads, 0, typeof d === 'number' ? d : headDim];
    entries[meta.name] = new Tensor(meta.type as 'float32', meta.type === 'float16' ? new Uint16Array(0) : new Float32Array(0), dims);
  }
  return entries;
}

/**
 * Moves a forward pass's `present.*` outputs into the cache as the next step's `past_key_values.*`
 * (what transformers.js's own loop does), disposing the GPU buffers they replace, except `protect`ed
 * ones that a kept snapshot still holds.
 */
function keepPresent(outputs: Record<string, Tensor>, cache: DynamicCache, protect: ReadonlySet<Tensor>): void {
  const slots = cache as unknown as Record<string, Tensor | undefined>;
  for (const [name, tensor] of Object.entries(outputs)) {
    if (!name.startsWith('present')) continue;
    const key = name.replace('present', 'past_key_values');
    const old = slots[key];
    if (old && old !== tensor && old.location === 'gpu-buffer' && !protect.has(old)) void old.dispose();
    slots[key] = tensor;
  }
}

/**
 * Feeds `ids` to the model after the tokens `cache` already holds, in chunks that keep every buffer
 * within the device's limits, and returns the logits of the last position (float32), or null when
 * `stop()` said so between chunks. Tensors in `protect` are never disposed (a kept snapshot's). The cache then covers every token fed; on a failure it is left
 * half-updated and must be dropped.
 */
export async function feed(
  model: PreTrainedModel,
  cache: DynamicCache,
  ids: readonly number[],
  limits: ChunkLimits,
  { stop = () => false, protect = new Set<Tensor>() }: { stop?: () => boolean; protect?: ReadonlySet<Tensor> } = {},
): Promise<Float32Array | null> {
  let last: Float32Array | null = null;
  if (Object.keys(cache).length === 0) cache.update(emptyEntries(model));
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
    keepPresent(outputs, cache, protect);
    const logits = outputs.logits;
    if (!logits) throw new Error('The model returned no logits.');
    // Only the last position's row is kept: the copy is one vocabulary wide, whatever the chunk was.
    last = start + size === ids.length ? (logits.slice(null, -1, null).to('float32').data as Float32Array) : null;
    start += size;
  }
  if (!last) throw new Error('Nothing was fed to the model.');
  return last;
}
