import { describe, expect, it } from 'vitest';
import { generationConfig, parseGenaiConfig, transformersConfig } from './genai-config';

/** genai_config.json as the model builder writes it for DeepSeek-R1-Distill-Qwen-7B (fields that matter here). */
const SEVEN_B = {
  model: {
    bos_token_id: 151646,
    context_length: 131072,
    decoder: {
      filename: 'model.onnx',
      head_size: 128,
      hidden_size: 3584,
      inputs: { input_ids: 'input_ids', attention_mask: 'attention_mask', past_key_names: 'past_key_values.%d.key', past_value_names: 'past_key_values.%d.value' },
      outputs: { logits: 'logits', present_key_names: 'present.%d.key', present_value_names: 'present.%d.value' },
      num_attention_heads: 28,
      num_hidden_layers: 28,
      num_key_value_heads: 4,
    },
    eos_token_id: 151643,
    pad_token_id: 151643,
    type: 'qwen2',
    vocab_size: 152064,
  },
  search: { max_length: 131072, past_present_share_buffer: true },
};

describe('genai_config.json', () => {
  it('gives transformers.js the config it needs for the KV cache and the model class', () => {
    const m = parseGenaiConfig(SEVEN_B, 'genai_config.json');
    expect(transformersConfig(m, 3)).toMatchObject({
      architectures: ['Qwen2ForCausalLM'],
      model_type: 'qwen2',
      vocab_size: 152064,
      hidden_size: 3584,
      num_attention_heads: 28,
      num_key_value_heads: 4,
      num_hidden_layers: 28,
      head_dim: 128,
      max_position_embeddings: 131072,
      eos_token_id: [151643],
      'transformers.js_config': { dtype: 'fp32', use_external_data_format: { 'model.onnx': 3 } },
    });
    expect(generationConfig(m)).toEqual({ bos_token_id: 151646, eos_token_id: [151643], pad_token_id: 151643 });
  });

  it('names the file and the field that is missing', () => {
    const noHeads = structuredClone(SEVEN_B) as { model: { decoder: Record<string, unknown> } };
    delete noHeads.model.decoder.num_key_value_heads;
    expect(() => parseGenaiConfig(noHeads, 'x/genai_config.json')).toThrow('x/genai_config.json does not say the model\'s num key value heads');
    expect(() => parseGenaiConfig({ search: {} }, 'genai_config.json')).toThrow(/not an ONNX Runtime GenAI config/);
    expect(() => parseGenaiConfig({ model: { ...SEVEN_B.model, eos_token_id: [] } }, 'genai_config.json')).toThrow(/no end-of-sequence token/);
  });
});
