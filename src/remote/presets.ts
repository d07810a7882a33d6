/**
 * Inference servers Ponder can drive, with the address each listens on by default and the command
 * that starts it with reasoning parsing and CORS for this page's origin.
 *
 * Flags and defaults, re-read 2026-12-01 in each project's own source or docs (search index):
 * - vLLM: port 8000 (vllm/entrypoints/openai/cli_args.py `FrontendArgs.port`); `--allowed-origins`
 *   is parsed with json.loads, default `["*"]`, so `'["<origin>"]'` narrows it (same file);
 *   `--reasoning-parser deepseek_r1` (docs/features/reasoning_outputs.md, which also says the
 *   field is now `reasoning`, formerly `reasoning_content`).
 * - SGLang: `--host` 127.0.0.1, `--port` 30000, `--tp`, `--context-length`
 *   (docs/advanced_features/server_arguments.md); `--reasoning-parser deepseek-r1`
 *   (docs/advanced_features/separate_reasoning.ipynb); CORSMiddleware with allow_origins ["*"]
 *   (python/sglang/srt/entrypoints/http_server.py).
 * - Ollama: 127.0.0.1:11434; `OLLAMA_ORIGINS` is split on commas and added to its defaults
 *   (localhost, 127.0.0.1, 0.0.0.0 on any port) (envconfig/config.go `AllowedOrigins`, docs/faq.mdx).
 * - llama-server: port 8080, host 127.0.0.1, `cors_origins = "*"`, jinja on by default
 *   (common/common.h); `--jinja`, `--reasoning-format deepseek` (reasoning_content),
 *   `--cors-origins` (tools/server/README.md; one stored README build prints port 9931, common.h
 *   says 8080).
 * - LM Studio: `lms server start --cors` ("When not set, CORS is disabled"; `--port` defaults to the
 *   last used port) (lmstudio.ai/docs/cli/server-start); examples use port 1234
 *   (lmstudio.ai/docs/api/openai-api); separate reasoning_content: "Turn this on in App Settings >
 *   Developer" (lmstudio.ai/docs/app/api-changelog, 0.3.9). The GUI labels were not re-read.
 * - DeepSeek's API: base_url https://api.deepseek.com; the quick start now names `deepseek-flash`
 *   (thinking on by default, reasoning_content) (api-docs.deepseek.com, Your First API Call and
 *   guides/thinking_mode). `deepseek-reasoner` is no longer listed; third-party pages citing
 *   api-docs.deepseek.com/news/news260424 say it stopped working on 2026-07-24 (notice not read).
 *
 * Several paths of one question (consensus), read 2026-12-01 through the search index:
 * - vLLM honours `n` while streaming: vllm/entrypoints/openai/serving_chat.py
 *   (`chat_completion_stream_generator`) sends a role chunk per index, then chunks with one
 *   `choices[]` entry each carrying its own `index`, `logprobs` and, once that choice ends, its own
 *   `finish_reason`; with include_usage a last `choices: []` chunk whose completion_tokens is the sum
 *   over the choices; then [DONE]. A seed with n > 1 still gives distinct samples:
 *   vllm/v1/engine/parallel_sampling.py (`ParentRequest._get_child_sampling_params`) gives child i
 *   the seed `seed + i`. `top_logprobs` entries are `{token, logprob, bytes}`, logprob clamped at -9999.
 * - SGLang honours `n` the same way per index (python/sglang/srt/entrypoints/openai/serving_chat.py,
 *   `_generate_chat_stream`), but sends every choice's `finish_reason` chunk (empty delta,
 *   `matched_stop`) only after all choices finished, then the usage chunk and [DONE]. Its request
 *   maps `seed` to `sampling_seed` for every copy (protocol.py `to_sampling_params`); that the n
 *   copies get distinct seeds was not found, so no seed is sent with n > 1.
 * - DeepSeek's API documents no `n`, and for deepseek-reasoner "setting logprobs, top_logprobs will
 *   trigger an error" (api-docs.deepseek.com, Reasoning Model guide; read via deepseek.apidog.io).
 * - llama-server: `n` is not taken (a third-party README says it is ignored; the 400 "Only one
 *   completion choice is allowed" is as remembered, not re-read); it serves `--parallel` slots and
 *   queues the rest. Ollama's /api/chat and LM Studio have no `n`. Their logprob shapes were not
 *   verified, so their paths have no confidence.
 */
import type { Framing } from './wire';

export type EngineId = 'vllm' | 'sglang' | 'ollama' | 'ollama-openai' | 'llama-server' | 'lmstudio' | 'deepseek';

export interface EnginePreset {
  id: EngineId;
  label: string;
  /** Default base URL, without `/v1`. */
  baseUrl: string;
  /** 'openai': POST /v1/chat/completions (SSE); 'ollama': POST /api/chat (NDJSON). */
  api: 'openai' | 'ollama';
  framing: Framing;
  /** Whether the server's chat template leaves the model inside `<think>` (see wire.ts). */
  thinkingPrefilled: boolean;
  /** Where the model list comes from. */
  modelsPath: '/v1/models' | '/api/tags';
  /** Suggested model names, for the manual entry. */
  models: string[];
  apiKey: 'none' | 'optional' | 'required';
  /**
   * How consensus samples several paths: 'choices' sends one request with `n` and reads each choice
   * by its index (with `top_logprobs` for the paths' confidence); 'requests' sends one per path.
   */
  paths: 'choices' | 'requests';
  /** With 'choices': whether the request's seed gives each choice its own (vLLM: seed + index). */
  seedPerChoice: boolean;
  /**
   * How the server continues a cut-off reply sent as the last, assistant message (see
   * continue-reply.ts): 'append' puts that text verbatim after the generation prompt; 'render' has
   * the chat template render it open-ended; null: no documented way, so Continue is refused.
   */
  continueReply: 'append' | 'render' | null;
  /** The command (or setting) that starts the server for a page served from `origin`. */
  startCommand(origin: string): string;
  /** What to set so the browser may read the server's answers from `origin`. */
  corsHint(origin: string): string;
}

const DISTILLS = [
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B',
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B',
  'deepseek-ai/DeepSeek-R1-Distill-Llama-8B',
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B',
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',
  'deepseek-ai/DeepSeek-R1-Distill-Llama-70B',
];

const OLLAMA_TAGS = ['deepseek-r1:1.5b', 'deepseek-r1:7b', 'deepseek-r1:8b', 'deepseek-r1:14b', 'deepseek-r1:32b', 'deepseek-r1:70b'];

const ollamaCors = (origin: string) => `Start Ollama with OLLAMA_ORIGINS=${origin} (for example \`OLLAMA_ORIGINS=${origin} ollama serve\`).`;

export const PRESETS: Record<EngineId, EnginePreset> = {
  vllm: {
    id: 'vllm',
    label: 'vLLM',
    baseUrl: 'http://localhost:8000',
    api: 'openai',
    framing: 'sse',
    thinkingPrefilled: true,
    modelsPath: '/v1/models',
    models: DISTILLS,
    apiKey: 'optional',
    paths: 'choices',
    seedPerChoice: true,
    continueReply: 'render',
    startCommand: (origin) =>
      `vllm serve deepseek-ai/DeepSeek-R1-Distill-Qwen-32B --reasoning-parser deepseek_r1 --tensor-parallel-size 2 --max-model-len 32768 --allowed-origins '["${origin}"]'`,
    corsHint: (origin) =>
      `vLLM allows any origin unless started with --allowed-origins; if it was, include this page: --allowed-origins '["${origin}"]'.`,
  },
  sglang: {
    id: 'sglang',
    label: 'SGLang',
    baseUrl: 'http://localhost:30000',
    api: 'openai',
    framing: 'sse',
    thinkingPrefilled: true,
    modelsPath: '/v1/models',
    models: DISTILLS,
    apiKey: 'optional',
    paths: 'choices',
    seedPerChoice: false,
    continueReply: 'append',
    startCommand: () =>
      'python3 -m sglang.launch_server --model-path deepseek-ai/DeepSeek-R1-Distill-Qwen-32B --reasoning-parser deepseek-r1 --tp 2 --context-length 32768',
    corsHint: () => 'SGLang allows any origin, so check that the server is running and the address is right.',
  },
  ollama: {
    id: 'ollama',
    label: 'Ollama',
    baseUrl: 'http://localhost:11434',
    api: 'ollama',
    framing: 'ndjson',
    thinkingPrefilled: false,
    modelsPath: '/api/tags',
    models: OLLAMA_TAGS,
    apiKey: 'none',
    paths: 'requests',
    seedPerChoice: false,
    continueReply: null,
    startCommand: (origin) => `OLLAMA_ORIGINS=${origin} ollama serve   # then: ollama pull deepseek-r1:32b`,
    corsHint: ollamaCors,
  },
  'ollama-openai': {
    id: 'ollama-openai',
    label: 'Ollama (OpenAI API)',
    baseUrl: 'http://localhost:11434',
    api: 'openai',
    framing: 'sse',
    thinkingPrefilled: false,
    modelsPath: '/v1/models',
    models: OLLAMA_TAGS,
    apiKey: 'none',
    paths: 'requests',
    seedPerChoice: false,
    continueReply: null,
    startCommand: (origin) => `OLLAMA_ORIGINS=${origin} ollama serve   # then: ollama pull deepseek-r1:32b`,
    corsHint: ollamaCors,
  },
  'llama-server': {
    id: 'llama-server',
    label: 'llama.cpp (llama-server)',
    baseUrl: 'http://localhost:8080',
    api: 'openai',
    framing: 'sse',
    thinkingPrefilled: true,
    modelsPath: '/v1/models',
    models: ['DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf'],
    apiKey: 'optional',
    paths: 'requests',
    seedPerChoice: false,
    continueReply: 'append',
    startCommand: () => 'llama-server -m DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf --jinja --reasoning-format deepseek -c 32768 --port 8080',
    corsHint: () =>
      'llama-server answers any origin by default (--cors-origins is *); check that it is running, and that --host (default 127.0.0.1) lets this machine in.',
  },
  lmstudio: {
    id: 'lmstudio',
    label: 'LM Studio',
    baseUrl: 'http://localhost:1234',
    api: 'openai',
    framing: 'sse',
    thinkingPrefilled: false,
    modelsPath: '/v1/models',
    models: ['deepseek-r1-distill-qwen-32b'],
    apiKey: 'none',
    paths: 'requests',
    seedPerChoice: false,
    continueReply: null,
    startCommand: () =>
      'lms server start --cors   # and turn on "separate reasoning_content" in App Settings → Developer',
    corsHint: () => 'LM Studio\'s server has CORS off unless started with `lms server start --cors` (or CORS turned on in its server settings).',
  },
  deepseek: {
    id: 'deepseek',
    label: "DeepSeek's API",
    baseUrl: 'https://api.deepseek.com',
    api: 'openai',
    framing: 'sse',
    thinkingPrefilled: true,
    modelsPath: '/v1/models',
    // api-docs.deepseek.com "Your First API Call" (2026-12-01): `deepseek-flash`, and `deepseek-v4-pro`
    // (served by V4.1 Flash); the older `deepseek-reasoner` alias is gone.
    models: ['deepseek-flash', 'deepseek-v4-pro'],
    apiKey: 'required',
    paths: 'requests',
    seedPerChoice: false,
    continueReply: null,
    startCommand: () =>
      'No server to start: create an API key on DeepSeek\'s platform and use the model deepseek-flash (thinking mode is on by default; deepseek-reasoner is no longer listed).',
    corsHint: () => "Check your connection; DeepSeek's API must be reachable from this browser.",
  },
};

export const PRESET_LIST: EnginePreset[] = Object.values(PRESETS);

/** The base URL as typed, without a trailing slash or `/v1` (both spellings are common in docs). */
export function normalizeBaseUrl(input: string): string {
  let url = input.trim().replace(/\/+$/, '');
  if (url.endsWith('/v1')) url = url.slice(0, -3);
  return url.replace(/\/+$/, '');
}
