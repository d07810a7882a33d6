/**
 * Literal response bodies of each engine's streaming chat endpoint, per engine and version. The wire
 * tests read them with `collectReply`; the test server in tools/engines streams them event by event.
 *
 * Where the shapes were read (public sources, checked 2026-12-01 through the search index; verify
 * against a live server before relying on a detail):
 * - vLLM: docs/features/reasoning_outputs.md ("`reasoning` used to be called `reasoning_content`");
 *   RFC vllm-project/vllm#27755 and PR #27752 (rename to `reasoning`, Nov 2025); PR #34030 (a
 *   model_validator in DeltaMessage that fills `reasoning_content` from `reasoning` and back, so both
 *   fields carry the same text); PR #33402 (removes `reasoning_content`). Chunks are
 *   `chat.completion.chunk` with a first `delta.role` chunk, `logprobs`, `finish_reason`, `stop_reason`,
 *   and with `stream_options.include_usage` a final chunk with `choices: []` and `usage`. Stream errors
 *   are `data: {"error": {"message", "type", "param", "code"}}`; older builds sent the ErrorResponse
 *   itself (`{"object":"error","message":...}`).
 * - SGLang: `--reasoning-parser deepseek-r1` (separate_reasoning) puts the thinking in
 *   `delta.reasoning_content` with `content: null`; usage chunk like OpenAI's.
 * - llama.cpp `llama-server --jinja --reasoning-format deepseek`: `delta.reasoning_content`, its own
 *   `system_fingerprint` ("b<build>-<hash>"), `timings` beside `usage` in the last chunk, `data: [DONE]`;
 *   an error after the stream started is written as a bare `error: {json}` line (not `data:`).
 * - LM Studio with "separate reasoning_content" on: `delta.reasoning_content`; off: the raw
 *   `<think>...</think>` in `content`.
 * - DeepSeek API `deepseek-reasoner`: `delta.reasoning_content` while thinking (content null), then
 *   `content` (reasoning_content null); `: keep-alive` comments while the request waits; usage with
 *   `completion_tokens_details.reasoning_tokens` and the prompt-cache counters.
 * - Ollama `/v1/chat/completions`: `delta.reasoning`, `system_fingerprint: "fp_ollama"`; errors as
 *   `data: {"error":{"message":...}}`. `/api/chat`: NDJSON with `message.thinking` / `message.content`,
 *   the last object `done: true`, `done_reason`, `prompt_eval_count`, `eval_count`; an error line is
 *   `{"error":"..."}`.
 */
import type { Framing } from './wire';

export interface WireFixture {
  /** Engine preset id (see presets.ts). */
  engine: string;
  framing: Framing;
  thinkingPrefilled: boolean;
  /** A continued reply's output (WireOptions `resume`). */
  resume?: 'thinking' | 'answer';
  body: string;
  expected: {
    thinking: string;
    answer: string;
    finishReason: string | null;
    error: string | null;
    usage: { promptTokens: number; completionTokens: number } | null;
  };
}

const M32 = 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B';
const THINK = 'Okay, 2 + 2. That is 4.';
const ANSWER = 'The answer is $\\boxed{4}$.';

export const FIXTURES = {
  'vllm-reasoning': {
    engine: 'vllm',
    framing: 'sse',
    thinkingPrefilled: true,
    body: `data: {"id":"chatcmpl-a1","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-a1","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"reasoning":"Okay, 2 + 2."},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-a1","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"reasoning":" That is 4.\\n"},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-a1","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"content":"\\n\\nThe answer is "},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-a1","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"content":"$\\\\boxed{4}$."},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-a1","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}

data: {"id":"chatcmpl-a1","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[],"usage":{"prompt_tokens":17,"total_tokens":31,"completion_tokens":14}}

data: [DONE]

`,
    expected: { thinking: THINK, answer: ANSWER, finishReason: 'stop', error: null, usage: { promptTokens: 17, completionTokens: 14 } },
  },
  // vLLM 0.12–0.15: DeltaMessage's validator mirrors the text into both fields.
  'vllm-both-fields': {
    engine: 'vllm',
    framing: 'sse',
    thinkingPrefilled: true,
    body: `data: {"id":"chatcmpl-b2","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":null,"reasoning_content":null},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-b2","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"reasoning":"Okay, 2 + 2.","reasoning_content":"Okay, 2 + 2."},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-b2","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"reasoning":" That is 4.","reasoning_content":" That is 4."},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-b2","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"content":"The answer is $\\\\boxed{4}$.","reasoning":null,"reasoning_content":null},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-b2","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"length","stop_reason":null}]}

data: {"id":"chatcmpl-b2","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[],"usage":{"prompt_tokens":17,"total_tokens":29,"completion_tokens":12}}

data: [DONE]

`,
    expected: { thinking: THINK, answer: ANSWER, finishReason: 'length', error: null, usage: { promptTokens: 17, completionTokens: 12 } },
  },
  'vllm-0.11-reasoning-content': {
    engine: 'vllm',
    framing: 'sse',
    thinkingPrefilled: true,
    body: `data: {"id":"chatcmpl-c3","object":"chat.completion.chunk","created":1740000000,"model":"${M32}","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-c3","object":"chat.completion.chunk","created":1740000000,"model":"${M32}","choices":[{"index":0,"delta":{"reasoning_content":"Okay, 2 + 2."},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-c3","object":"chat.completion.chunk","created":1740000000,"model":"${M32}","choices":[{"index":0,"delta":{"reasoning_content":" That is 4."},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-c3","object":"chat.completion.chunk","created":1740000000,"model":"${M32}","choices":[{"index":0,"delta":{"content":"The answer is $\\\\boxed{4}$."},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}

data: [DONE]

`,
    expected: { thinking: THINK, answer: ANSWER, finishReason: 'stop', error: null, usage: null },
  },
  // vLLM without --reasoning-parser: the template prefilled `<think>\n`, the text carries `</think>`.
  'vllm-no-parser': {
    engine: 'vllm',
    framing: 'sse',
    thinkingPrefilled: true,
    body: `data: {"id":"chatcmpl-d4","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-d4","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"content":"Okay, 2 + 2. That is 4.\\n</th"},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-d4","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"content":"ink>\\n\\nThe answer is $\\\\boxed{4}$."},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}

data: [DONE]

`,
    expected: { thinking: THINK, answer: ANSWER, finishReason: 'stop', error: null, usage: null },
  },
  'sglang': {
    engine: 'sglang',
    framing: 'sse',
    thinkingPrefilled: true,
    body: `data: {"id":"4f2b","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning_content":null,"tool_calls":null},"logprobs":null,"finish_reason":null,"matched_stop":null}],"usage":null}

data: {"id":"4f2b","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"role":null,"content":null,"reasoning_content":"Okay, 2 + 2. That is 4.","tool_calls":null},"logprobs":null,"finish_reason":null,"matched_stop":null}],"usage":null}

data: {"id":"4f2b","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"role":null,"content":"The answer is $\\\\boxed{4}$.","reasoning_content":null,"tool_calls":null},"logprobs":null,"finish_reason":null,"matched_stop":null}],"usage":null}

data: {"id":"4f2b","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"role":null,"content":null,"reasoning_content":null,"tool_calls":null},"logprobs":null,"finish_reason":"stop","matched_stop":151643}],"usage":null}

data: {"id":"4f2b","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[],"usage":{"prompt_tokens":15,"total_tokens":27,"completion_tokens":12,"prompt_tokens_details":null}}

data: [DONE]

`,
    expected: { thinking: THINK, answer: ANSWER, finishReason: 'stop', error: null, usage: { promptTokens: 15, completionTokens: 12 } },
  },
  'llama-server': {
    engine: 'llama-server',
    framing: 'sse',
    thinkingPrefilled: true,
    body: `data: {"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null}}],"created":1764590000,"id":"chatcmpl-Xq1","model":"DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf","system_fingerprint":"b7200-1a2b3c4d","object":"chat.completion.chunk"}

data: {"choices":[{"finish_reason":null,"index":0,"delta":{"reasoning_content":"Okay, 2 + 2."}}],"created":1764590000,"id":"chatcmpl-Xq1","model":"DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf","system_fingerprint":"b7200-1a2b3c4d","object":"chat.completion.chunk"}

data: {"choices":[{"finish_reason":null,"index":0,"delta":{"reasoning_content":" That is 4."}}],"created":1764590000,"id":"chatcmpl-Xq1","model":"DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf","system_fingerprint":"b7200-1a2b3c4d","object":"chat.completion.chunk"}

data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"The answer is $\\\\boxed{4}$."}}],"created":1764590000,"id":"chatcmpl-Xq1","model":"DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf","system_fingerprint":"b7200-1a2b3c4d","object":"chat.completion.chunk"}

data: {"choices":[{"finish_reason":"stop","index":0,"delta":{}}],"created":1764590000,"id":"chatcmpl-Xq1","model":"DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf","system_fingerprint":"b7200-1a2b3c4d","object":"chat.completion.chunk","usage":{"completion_tokens":13,"prompt_tokens":16,"total_tokens":29},"timings":{"prompt_n":16,"prompt_ms":40.1,"predicted_n":13,"predicted_ms":210.5,"predicted_per_second":61.8}}

data: [DONE]

`,
    expected: { thinking: THINK, answer: ANSWER, finishReason: 'stop', error: null, usage: { promptTokens: 16, completionTokens: 13 } },
  },
  'llama-server-error': {
    engine: 'llama-server',
    framing: 'sse',
    thinkingPrefilled: true,
    body: `data: {"choices":[{"finish_reason":null,"index":0,"delta":{"reasoning_content":"Okay, 2 + 2."}}],"created":1764590000,"id":"chatcmpl-Xq2","model":"r1.gguf","system_fingerprint":"b7200-1a2b3c4d","object":"chat.completion.chunk"}

error: {"code":500,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error"}

`,
    expected: {
      thinking: 'Okay, 2 + 2.',
      answer: '',
      finishReason: null,
      error: 'the request exceeds the available context size, try increasing it',
      usage: null,
    },
  },
  'lmstudio': {
    engine: 'lmstudio',
    framing: 'sse',
    thinkingPrefilled: true,
    body: `data: {"id":"chatcmpl-lm1","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-r1-distill-qwen-32b","system_fingerprint":"deepseek-r1-distill-qwen-32b","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Okay, 2 + 2."},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-lm1","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-r1-distill-qwen-32b","system_fingerprint":"deepseek-r1-distill-qwen-32b","choices":[{"index":0,"delta":{"reasoning_content":" That is 4."},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-lm1","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-r1-distill-qwen-32b","system_fingerprint":"deepseek-r1-distill-qwen-32b","choices":[{"index":0,"delta":{"content":"The answer is $\\\\boxed{4}$."},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-lm1","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-r1-distill-qwen-32b","system_fingerprint":"deepseek-r1-distill-qwen-32b","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":14,"completion_tokens":12,"total_tokens":26}}

data: [DONE]

`,
    expected: { thinking: THINK, answer: ANSWER, finishReason: 'stop', error: null, usage: { promptTokens: 14, completionTokens: 12 } },
  },
  // LM Studio with the reasoning setting off: the model's own `<think>` tags in the content.
  'lmstudio-raw-tags': {
    engine: 'lmstudio',
    framing: 'sse',
    thinkingPrefilled: false,
    body: `data: {"id":"chatcmpl-lm2","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-r1-distill-qwen-32b","system_fingerprint":"deepseek-r1-distill-qwen-32b","choices":[{"index":0,"delta":{"role":"assistant","content":"<th"},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-lm2","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-r1-distill-qwen-32b","system_fingerprint":"deepseek-r1-distill-qwen-32b","choices":[{"index":0,"delta":{"content":"ink>\\nOkay, 2 + 2."},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-lm2","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-r1-distill-qwen-32b","system_fingerprint":"deepseek-r1-distill-qwen-32b","choices":[{"index":0,"delta":{"content":" That is 4.\\n</think>\\n\\n"},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-lm2","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-r1-distill-qwen-32b","system_fingerprint":"deepseek-r1-distill-qwen-32b","choices":[{"index":0,"delta":{"content":"The answer is $\\\\boxed{4}$."},"logprobs":null,"finish_reason":"stop"}]}

data: [DONE]

`,
    expected: { thinking: THINK, answer: ANSWER, finishReason: 'stop', error: null, usage: null },
  },
  // No prefill and no thinking at all (a model or template that skipped it).
  'lmstudio-no-thinking': {
    engine: 'lmstudio',
    framing: 'sse',
    thinkingPrefilled: false,
    body: `data: {"id":"chatcmpl-lm3","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-r1-distill-qwen-32b","choices":[{"index":0,"delta":{"role":"assistant","content":"The answer"},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-lm3","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-r1-distill-qwen-32b","choices":[{"index":0,"delta":{"content":" is $\\\\boxed{4}$."},"logprobs":null,"finish_reason":"stop"}]}

data: [DONE]

`,
    expected: { thinking: '', answer: ANSWER, finishReason: 'stop', error: null, usage: null },
  },
  'deepseek-api': {
    engine: 'deepseek',
    framing: 'sse',
    thinkingPrefilled: true,
    body: `: keep-alive

: keep-alive

data: {"id":"8d1e","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e0991cad4_prod0820_fp8_kvcache","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":""},"logprobs":null,"finish_reason":null}]}

data: {"id":"8d1e","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e0991cad4_prod0820_fp8_kvcache","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"Okay, 2 + 2."},"logprobs":null,"finish_reason":null}]}

data: {"id":"8d1e","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e0991cad4_prod0820_fp8_kvcache","choices":[{"index":0,"delta":{"content":null,"reasoning_content":" That is 4."},"logprobs":null,"finish_reason":null}]}

data: {"id":"8d1e","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e0991cad4_prod0820_fp8_kvcache","choices":[{"index":0,"delta":{"content":"The answer is $\\\\boxed{4}$.","reasoning_content":null},"logprobs":null,"finish_reason":null}]}

data: {"id":"8d1e","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e0991cad4_prod0820_fp8_kvcache","choices":[{"index":0,"delta":{"content":"","reasoning_content":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":13,"completion_tokens":12,"total_tokens":25,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":8},"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":13}}

data: [DONE]

`,
    expected: { thinking: THINK, answer: ANSWER, finishReason: 'stop', error: null, usage: { promptTokens: 13, completionTokens: 12 } },
  },
  'ollama-v1': {
    engine: 'ollama-openai',
    framing: 'sse',
    thinkingPrefilled: true,
    body: `data: {"id":"chatcmpl-512","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-r1:32b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Okay, 2 + 2."},"finish_reason":null}]}

data: {"id":"chatcmpl-512","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-r1:32b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":" That is 4."},"finish_reason":null}]}

data: {"id":"chatcmpl-512","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-r1:32b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"The answer is $\\\\boxed{4}$."},"finish_reason":null}]}

data: {"id":"chatcmpl-512","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-r1:32b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}]}

data: {"id":"chatcmpl-512","object":"chat.completion.chunk","created":1764590000,"model":"deepseek-r1:32b","system_fingerprint":"fp_ollama","choices":[],"usage":{"prompt_tokens":11,"completion_tokens":12,"total_tokens":23}}

data: [DONE]

`,
    expected: { thinking: THINK, answer: ANSWER, finishReason: 'stop', error: null, usage: { promptTokens: 11, completionTokens: 12 } },
  },
  'ollama-chat': {
    engine: 'ollama',
    framing: 'ndjson',
    thinkingPrefilled: true,
    body: `{"model":"deepseek-r1:32b","created_at":"2026-12-01T10:00:00.000000Z","message":{"role":"assistant","content":"","thinking":"Okay, 2 + 2."},"done":false}
{"model":"deepseek-r1:32b","created_at":"2026-12-01T10:00:00.050000Z","message":{"role":"assistant","content":"","thinking":" That is 4."},"done":false}
{"model":"deepseek-r1:32b","created_at":"2026-12-01T10:00:00.100000Z","message":{"role":"assistant","content":"The answer is $\\\\boxed{4}$."},"done":false}
{"model":"deepseek-r1:32b","created_at":"2026-12-01T10:00:00.150000Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"total_duration":912345678,"load_duration":12345678,"prompt_eval_count":11,"prompt_eval_duration":23456789,"eval_count":12,"eval_duration":812345678}
`,
    expected: { thinking: THINK, answer: ANSWER, finishReason: 'stop', error: null, usage: { promptTokens: 11, completionTokens: 12 } },
  },
  'ollama-chat-error': {
    engine: 'ollama',
    framing: 'ndjson',
    thinkingPrefilled: true,
    body: `{"model":"deepseek-r1:32b","created_at":"2026-12-01T10:00:00.000000Z","message":{"role":"assistant","content":"","thinking":"Okay"},"done":false}
{"error":"an error was encountered while running the model: unexpected EOF"}
`,
    expected: { thinking: 'Okay', answer: '', finishReason: null, error: 'an error was encountered while running the model: unexpected EOF', usage: null },
  },
  'vllm-stream-error': {
    engine: 'vllm',
    framing: 'sse',
    thinkingPrefilled: true,
    body: `data: {"id":"chatcmpl-e5","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"reasoning":"Okay"},"logprobs":null,"finish_reason":null}]}

data: {"error": {"message": "The decoder prompt (length 40000) is longer than the maximum model length of 32768.", "type": "BadRequestError", "param": null, "code": 400}}

data: [DONE]

`,
    expected: {
      thinking: 'Okay',
      answer: '',
      finishReason: null,
      error: 'The decoder prompt (length 40000) is longer than the maximum model length of 32768.',
      usage: null,
    },
  },
  'vllm-old-stream-error': {
    engine: 'vllm',
    framing: 'sse',
    thinkingPrefilled: true,
    body: `data: {"object":"error","message":"The model \`deepseek-r1\` does not exist.","type":"NotFoundError","param":null,"code":404}

data: [DONE]

`,
    expected: { thinking: '', answer: '', finishReason: null, error: 'The model `deepseek-r1` does not exist.', usage: null },
  },
  'ollama-v1-error': {
    engine: 'ollama-openai',
    framing: 'sse',
    thinkingPrefilled: true,
    body: `data: {"error":{"message":"model \\"deepseek-r1:671b\\" not found, try pulling it first","type":"api_error","param":null,"code":null}}

`,
    expected: { thinking: '', answer: '', finishReason: null, error: 'model "deepseek-r1:671b" not found, try pulling it first', usage: null },
  },
  // llama-server's context error as a whole stream sends it, read 2026-12-01 in ggml-org/llama.cpp
  // tools/server/server.cpp (`handle_completions_impl`: the stream's error callback writes
  // `server_sent_event(sink, "error", error_data)`, then an OpenAI-style stream still ends with
  // `data: [DONE]`) and `format_error_response` (exceed_context_size_error has code 400).
  'llama-server-context-error': {
    engine: 'llama-server',
    framing: 'sse',
    thinkingPrefilled: true,
    body: `data: {"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null}}],"created":1764590000,"id":"chatcmpl-Xq3","model":"DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf","system_fingerprint":"b7200-1a2b3c4d","object":"chat.completion.chunk"}

data: {"choices":[{"finish_reason":null,"index":0,"delta":{"reasoning_content":"Okay, 2 + 2."}}],"created":1764590000,"id":"chatcmpl-Xq3","model":"DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf","system_fingerprint":"b7200-1a2b3c4d","object":"chat.completion.chunk"}

error: {"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error"}

data: [DONE]

`,
    expected: {
      thinking: 'Okay, 2 + 2.',
      answer: '',
      finishReason: null,
      error: 'the request exceeds the available context size, try increasing it',
      usage: null,
    },
  },
  // Continue on vLLM inside the thinking (continue-reply.ts): the rendered prompt ends in the open
  // thinking, and the deepseek_r1 parser reads reasoning until the model's `</think>`, as for a reply.
  'vllm-continued-thinking': {
    engine: 'vllm',
    framing: 'sse',
    thinkingPrefilled: true,
    resume: 'thinking',
    body: `data: {"id":"chatcmpl-c2","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-c2","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"reasoning":" That is 4.\\n"},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-c2","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"content":"\\n\\nThe answer is "},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-c2","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"content":"$\\\\boxed{4}$."},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-c2","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}

data: {"id":"chatcmpl-c2","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[],"usage":{"prompt_tokens":30,"total_tokens":41,"completion_tokens":11}}

data: [DONE]

`,
    expected: { thinking: 'That is 4.', answer: ANSWER, finishReason: 'stop', error: null, usage: { promptTokens: 30, completionTokens: 11 } },
  },
  // Continue on vLLM, the answer part (continue-reply.ts): the output holds no `</think>`, so the
  // deepseek_r1 parser labels all of it reasoning ("no </think> in previous or delta, reasoning
  // content continues": vllm/reasoning/deepseek_r1_reasoning_parser.py, streaming branch).
  'vllm-continued-answer': {
    engine: 'vllm',
    framing: 'sse',
    thinkingPrefilled: true,
    resume: 'answer',
    body: `data: {"id":"chatcmpl-c1","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-c1","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"reasoning":"$\\\\boxed{4}$"},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-c1","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"reasoning":"."},"logprobs":null,"finish_reason":null}]}

data: {"id":"chatcmpl-c1","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}

data: {"id":"chatcmpl-c1","object":"chat.completion.chunk","created":1764590000,"model":"${M32}","choices":[],"usage":{"prompt_tokens":40,"total_tokens":46,"completion_tokens":6}}

data: [DONE]

`,
    expected: { thinking: '', answer: '$\\boxed{4}$.', finishReason: 'stop', error: null, usage: { promptTokens: 40, completionTokens: 6 } },
  },
  // Continue on llama-server inside the thinking: the prompt ends with the prefilled text, not with
  // `<think>\n`, so its DeepSeek parser sees no open thinking and the tags arrive in `content`
  // (common/chat.cpp `try_parse_reasoning` reads reasoning only after an opening tag or a
  // forced-open prompt). Inferred from the code, not seen on a live server.
  'llama-server-continued-thinking': {
    engine: 'llama-server',
    framing: 'sse',
    thinkingPrefilled: true,
    resume: 'thinking',
    body: `data: {"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null}}],"created":1764590000,"id":"chatcmpl-Xq4","model":"DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf","system_fingerprint":"b7200-1a2b3c4d","object":"chat.completion.chunk"}

data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":" That is 4.\\n</th"}}],"created":1764590000,"id":"chatcmpl-Xq4","model":"DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf","system_fingerprint":"b7200-1a2b3c4d","object":"chat.completion.chunk"}

data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"ink>\\n\\nThe answer is $\\\\boxed{4}$."}}],"created":1764590000,"id":"chatcmpl-Xq4","model":"DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf","system_fingerprint":"b7200-1a2b3c4d","object":"chat.completion.chunk"}

data: {"choices":[{"finish_reason":"stop","index":0,"delta":{}}],"created":1764590000,"id":"chatcmpl-Xq4","model":"DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf","system_fingerprint":"b7200-1a2b3c4d","object":"chat.completion.chunk","usage":{"completion_tokens":11,"prompt_tokens":30,"total_tokens":41},"timings":{"prompt_n":30,"prompt_ms":40.1,"predicted_n":11,"predicted_ms":180.5,"predicted_per_second":60.9}}

data: [DONE]

`,
    expected: { thinking: 'That is 4.', answer: ANSWER, finishReason: 'stop', error: null, usage: { promptTokens: 30, completionTokens: 11 } },
  },
  // llama-server answering after Ponder closed the thinking at its budget (the prefilled message ends
  // with `</think>\n\n`): no open thinking, so its parser sends content only (as above, from chat.cpp).
  'llama-server-continued-answer': {
    engine: 'llama-server',
    framing: 'sse',
    thinkingPrefilled: true,
    resume: 'answer',
    body: `data: {"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null}}],"created":1764590000,"id":"chatcmpl-Xq5","model":"DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf","system_fingerprint":"b7200-1a2b3c4d","object":"chat.completion.chunk"}

data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"The answer is $\\\\boxed{4}$."}}],"created":1764590000,"id":"chatcmpl-Xq5","model":"DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf","system_fingerprint":"b7200-1a2b3c4d","object":"chat.completion.chunk"}

data: {"choices":[{"finish_reason":"stop","index":0,"delta":{}}],"created":1764590000,"id":"chatcmpl-Xq5","model":"DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf","system_fingerprint":"b7200-1a2b3c4d","object":"chat.completion.chunk","usage":{"completion_tokens":9,"prompt_tokens":28,"total_tokens":37},"timings":{"prompt_n":28,"prompt_ms":40.1,"predicted_n":9,"predicted_ms":150.5,"predicted_per_second":59.8}}

data: [DONE]

`,
    expected: { thinking: '', answer: ANSWER, finishReason: 'stop', error: null, usage: { promptTokens: 28, completionTokens: 9 } },
  },
} satisfies Record<string, WireFixture>;

export type FixtureName = keyof typeof FIXTURES;

/** The same body with CRLF line ends (servers behind some proxies, and the SSE spec allows it). */
export function withCrlf(body: string): string {
  return body.replace(/\r?\n/g, '\r\n');
}

/** A body's events (SSE: blank-line separated blocks; NDJSON: lines), each with its terminator. */
export function eventsOf(body: string, framing: Framing): string[] {
  const parts = framing === 'sse' ? body.split(/(?<=\r?\n\r?\n)/) : body.split(/(?<=\n)/);
  return parts.filter((p) => p !== '');
}
