/**
 * DeepSeek-R1-Distill-Qwen's chat template (deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B, tokenizer_config.json,
 * after DeepSeek's February 2025 change), verbatim. Ponder uses it when a repo ships no template (ONNX
 * Runtime GenAI folders may not), and the fixtures ship it. What it does: BOS, an optional system prompt,
 * `<｜User｜>{content}`, earlier assistant turns as `<｜Assistant｜>{content after the last </think>}<｜end▁of▁sentence｜>`,
 * and with add_generation_prompt the prompt ends with `<｜Assistant｜><think>\n`.
 * (`'\\n'` below is the two characters backslash-n inside a Jinja string literal, as in the JSON.)
 */
export const R1_CHAT_TEMPLATE =
  "{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}" +
  "{% set ns = namespace(is_first=false, is_tool=false, is_output_first=true, system_prompt='') %}" +
  "{%- for message in messages %}{%- if message['role'] == 'system' %}{% set ns.system_prompt = message['content'] %}{%- endif %}{%- endfor %}" +
  '{{bos_token}}{{ns.system_prompt}}' +
  '{%- for message in messages %}' +
  "{%- if message['role'] == 'user' %}{%- set ns.is_tool = false -%}{{'<｜User｜>' + message['content']}}{%- endif %}" +
  "{%- if message['role'] == 'assistant' and message['content'] is none %}{%- set ns.is_tool = false -%}" +
  "{%- for tool in message['tool_calls']%}" +
  "{%- if not ns.is_first %}{{'<｜Assistant｜><｜tool▁calls▁begin｜><｜tool▁call▁begin｜>' + tool['type'] + '<｜tool▁sep｜>' + tool['function']['name'] + '\\n' + '```json' + '\\n' + tool['function']['arguments'] + '\\n' + '```' + '<｜tool▁call▁end｜>'}}{%- set ns.is_first = true -%}" +
  "{%- else %}{{'\\n' + '<｜tool▁call▁begin｜>' + tool['type'] + '<｜tool▁sep｜>' + tool['function']['name'] + '\\n' + '```json' + '\\n' + tool['function']['arguments'] + '\\n' + '```' + '<｜tool▁call▁end｜>'}}{{'<｜tool▁calls▁end｜><｜end▁of▁sentence｜>'}}{%- endif %}" +
  '{%- endfor %}{%- endif %}' +
  "{%- if message['role'] == 'assistant' and message['content'] is not none %}" +
  "{%- if ns.is_tool %}{{'<｜tool▁outputs▁end｜>' + message['content'] + '<｜end▁of▁sentence｜>'}}{%- set ns.is_tool = false -%}" +
  "{%- else %}{% set content = message['content'] %}{% if '</think>' in content %}{% set content = content.split('</think>')[-1] %}{% endif %}{{'<｜Assistant｜>' + content + '<｜end▁of▁sentence｜>'}}{%- endif %}" +
  '{%- endif %}' +
  "{%- if message['role'] == 'tool' %}{%- set ns.is_tool = true -%}" +
  "{%- if ns.is_output_first %}{{'<｜tool▁outputs▁begin｜><｜tool▁output▁begin｜>' + message['content'] + '<｜tool▁output▁end｜>'}}{%- set ns.is_output_first = false %}" +
  "{%- else %}{{'\\n<｜tool▁output▁begin｜>' + message['content'] + '<｜tool▁output▁end｜>'}}{%- endif %}" +
  '{%- endif %}' +
  '{%- endfor -%}' +
  "{% if ns.is_tool %}{{'<｜tool▁outputs▁end｜>'}}{% endif %}" +
  "{% if add_generation_prompt and not ns.is_tool %}{{'<｜Assistant｜><think>\\n'}}{% endif %}";
