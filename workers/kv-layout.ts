import type { PreTrainedModel } from '@huggingface/transformers';

interface InputMeta {
  name: string;
  type: string;
  shape: Array<number | string>;
}

/** The shape of a model's KV cache inputs: names, element type, KV heads and head size. */
export interface KvLayout {
  /** `past_key_values.{i}.key|value`, in the graph's order. */
  names: string[];
  type: 'float32' | 'float16';
  heads: number;
  headDim: number;
}

/**
 * Read from the graph's input metadata, shaped [batch, KV heads, past length, head size]. Named
 * dimensions come from the config instead: GenAI builds from v0.15 name the head size (`kv_cache_dim`).
 */
export function kvLayout(model: PreTrainedModel): KvLayout {
  const session = (model as unknown as { sessions: Record<string, { inputMetadata?: InputMeta[] }> }).sessions.model;
  const config = model.config as { num_key_value_heads?: number; num_attention_heads?: number; head_dim?: number; hidden_size?: number };
  const metas = (session?.inputMetadata ?? []).filter((m) => m.name.startsWith('past_key_values.'));
  const [first] = metas;
  const [, h, , d] = first?.shape ?? [];
  return {
    names: metas.map((m) => m.name),
    type: first?.type === 'float16' ? 'float16' : 'float32',
    heads: typeof h === 'number' ? h : (config.num_key_value_heads ?? config.num_attention_heads ?? 0),
    headDim: typeof d === 'number' ? d : (config.head_dim ?? (config.hidden_size ?? 0) / (config.num_attention_heads ?? 1)),
  };
}
