import { ExplainedError } from '../errors';

/**
 * ONNX Runtime GenAI folders (the model builder's output) describe the model in `genai_config.json`
 * and ship no transformers.js `config.json`. These are the fields transformers.js needs, read from it:
 * the model type picks the model class, the layer/head counts name and shape the KV cache, the token
 * ids stop generation.
 */
export interface GenaiModel {
  type: string;
  vocabSize: number;
  hiddenSize: number;
  numHeads: number;
  numKvHeads: number;
  numLayers: number;
  headSize: number;
  contextLength: number;
  bosTokenId: number | null;
  eosTokenIds: number[];
  padTokenId: number | null;
  /** decoder.filename: the graph inside the folder. */
  filename: string;
}

const ids = (v: unknown): number[] => (Array.isArray(v) ? v : [v]).filter((x): x is number => Number.isInteger(x));

/** Reads genai_config.json, or says which field is missing. `file` names it in the message. */
export function parseGenaiConfig(json: unknown, file: string): GenaiModel {
  const model = (json as { model?: Record<string, unknown> } | null)?.model;
  const decoder = model?.decoder as Record<string, unknown> | undefined;
  const int = (from: Record<string, unknown> | undefined, key: string): number => {
    const v = from?.[key];
    if (!Number.isInteger(v) || (v as number) <= 0) {
      throw new ExplainedError('unsupported', `${file} does not say the model's ${key.replaceAll('_', ' ')}, so Ponder cannot set the model up.`, `missing ${key}`);
    }
    return v as number;
  };
  if (!model || !decoder) throw new ExplainedError('unsupported', `${file} is not an ONNX Runtime GenAI config (it has no model.decoder section).`);
  const type = typeof model.type === 'string' ? model.type : '';
  if (!type) throw new ExplainedError('unsupported', `${file} does not say the model's type.`);
  const eos = ids(model.eos_token_id);
  if (eos.length === 0) throw new ExplainedError('unsupported', `${file} names no end-of-sequence token, so replies could never end.`);
  const numHeads = int(decoder, 'num_attention_heads');
  const hiddenSize = int(decoder, 'hidden_size');
  return {
    type,
    vocabSize: int(model, 'vocab_size'),
    hiddenSize,
    numHeads,
    numKvHeads: int(decoder, 'num_key_value_heads'),
    numLayers: int(decoder, 'num_hidden_layers'),
    headSize: Number.isInteger(decoder.head_size) ? (decoder.head_size as number) : hiddenSize / numHeads,
    contextLength: int(model, 'context_length'),
    bosTokenId: ids(model.bos_token_id)[0] ?? null,
    eosTokenIds: eos,
    padTokenId: ids(model.pad_token_id)[0] ?? null,
    filename: typeof decoder.filename === 'string' && decoder.filename ? decoder.filename : 'model.onnx',
  };
}

const ARCHITECTURES: Record<string, string> = { qwen2: 'Qwen2ForCausalLM', llama: 'LlamaForCausalLM' };

/** The transformers.js `config.json` for a GenAI model; `dataChunks` external-data parts beside `onnx/model.onnx`. */
export function transformersConfig(m: GenaiModel, dataChunks: number): object {
  return {
    architectures: [ARCHITECTURES[m.type] ?? `${m.type}ForCausalLM`],
    model_type: m.type,
    vocab_size: m.vocabSize,
    hidden_size: m.hiddenSize,
    num_attention_heads: m.numHeads,
    num_key_value_heads: m.numKvHeads,
    num_hidden_layers: m.numLayers,
    head_dim: m.headSize,
    max_position_embeddings: m.contextLength,
    bos_token_id: m.bosTokenId,
    eos_token_id: m.eosTokenIds,
    pad_token_id: m.padTokenId,
    tie_word_embeddings: false,
    'transformers.js_config': { dtype: 'fp32', ...(dataChunks > 0 ? { use_external_data_format: { 'model.onnx': dataChunks } } : {}) },
  };
}

/** generation_config.json: the stop tokens, so the decoding loop ends where the builder's search would. */
export function generationConfig(m: GenaiModel): object {
  return { bos_token_id: m.bosTokenId, eos_token_id: m.eosTokenIds, pad_token_id: m.padTokenId };
}
