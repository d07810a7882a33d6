/*
 * The context a server gives its model (prompt and reply together), learned once when connecting, so
 * the chat store caps replies as it does for local models (reply-cap.ts). Only documented fields are
 * read; where an engine documents none, or the field is missing or malformed, the answer is null (no
 * cap: the server's own limit and its error apply). Read 2026-12-01 through the search index:
 *
 * - vLLM: GET /v1/models, each card's `max_model_len` (vllm/entrypoints/openai/protocol.py,
 *   `ModelCard.max_model_len: Optional[int]`), set by --max-model-len.
 * - SGLang: the same card field (python/sglang/srt/entrypoints/openai/protocol.py, `ModelCard`),
 *   set by --context-length.
 * - llama-server: GET /props, `default_generation_settings.n_ctx`: the context of one slot, -c
 *   divided among --parallel slots (tools/server/README.md; "This endpoint is public (no API key
 *   check)"). `/v1/models` `meta.n_ctx_train` is the length the model was trained for, not what the
 *   server allocated, so it is not used.
 * - Ollama: POST /api/show {model}: `model_info["<general.architecture>.context_length"]` is the
 *   model's own length, and `parameters` lists a Modelfile's `num_ctx` (docs/api.md, "Show Model
 *   Information"). What a request gets is num_ctx: "By default, Ollama uses a context window size
 *   of 4096 tokens", overridden by OLLAMA_CONTEXT_LENGTH or `options.num_ctx` per request
 *   (docs/faq.mdx), and a longer prompt is cut silently. Over its own /api/chat Ponder sends num_ctx
 *   (`ollamaNumCtx`), so the model's length is the limit. "The OpenAI API does not have a way of
 *   setting the context size for a model" (docs/api/openai-compatibility.mdx): over /v1 only a
 *   Modelfile's num_ctx is known; the server's default is not reported, so there is no cap.
 * - LM Studio: GET /api/v0/models documents `max_context_length`, the most the model supports, not
 *   the (often much smaller) context it was loaded with: not a limit to cap at, so no cap.
 * - DeepSeek's API: /models lists ids only, and the documented context of deepseek-reasoner has
 *   changed with each model behind the alias (64K, then 128K on the pricing page): no number here
 *   would stay true, so no cap.
 */
import type { ChatTurn } from '../../workers/protocol';
import { estimatePromptTokens } from '../chat/context-budget';
import { authHeaders } from './auth';
import { normalizeBaseUrl, PRESETS, type EngineId } from './presets';

export interface ServerContext {
  /** Tokens of prompt and reply the server allows for one request. */
  tokens: number;
  /** Where the number comes from, for the settings line ("vLLM --max-model-len"). */
  source: string;
}

export interface LimitsConfig {
  baseUrl: string;
  engine: EngineId;
  model: string;
  apiKey?: string;
}

/** A server that does not answer soon is treated as saying nothing: connecting must not wait on it. */
const TIMEOUT_MS = 5000;

type Json = Record<string, unknown>;

function object(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

function positive(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** vLLM's and SGLang's `/v1/models`: the card of this model, its `max_model_len`. */
export function fromModelCards(json: unknown, model: string): number | null {
  const data = object(json)?.data;
  if (!Array.isArray(data)) return null;
  const card = data.map(object).find((c) => c?.id === model);
  return positive(card?.max_model_len);
}

/** llama-server's `/props`: `default_generation_settings.n_ctx`. */
export function fromProps(json: unknown): number | null {
  return positive(object(object(json)?.default_generation_settings)?.n_ctx);
}

/** Ollama's `/api/show`: `model_info["<arch>.context_length"]`, the arch from `general.architecture`. */
export function fromOllamaShow(json: unknown): number | null {
  const info = object(object(json)?.model_info);
  const arch = info?.['general.architecture'];
  return typeof arch === 'string' ? positive(info?.[`${arch}.context_length`]) : null;
}

/** Ollama's `/api/show`: a Modelfile's `PARAMETER num_ctx`, listed in `parameters` as "num_ctx   8192". */
export function modelfileNumCtx(json: unknown): number | null {
  const parameters = object(json)?.parameters;
  const match = typeof parameters === 'string' ? /^num_ctx\s+(\d+)\s*$/m.exec(parameters) : null;
  return match ? positive(Number(match[1])) : null;
}

const SOURCES: Partial<Record<EngineId, string>> = {
  vllm: 'vLLM --max-model-len',
  sglang: 'SGLang --context-length',
  'llama-server': 'llama-server -c, per slot',
  ollama: 'the model’s own length, from Ollama; Ponder sets num_ctx to fit each request',
  'ollama-openai': 'num_ctx in the model’s Ollama Modelfile',
};

/** Reads the context the server gives `config.model`, or null where it says nothing usable. Never throws. */
export async function learnContext(config: LimitsConfig, fetcher: typeof fetch = (...args) => globalThis.fetch(...args)): Promise<ServerContext | null> {
  const base = normalizeBaseUrl(config.baseUrl);
  const headers = authHeaders(config.apiKey);
  const read = async (path: string, body?: Json): Promise<unknown> => {
    try {
      const init: RequestInit = body
        ? { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }
        : { headers };
      const response = await fetcher(`${base}${path}`, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
      return response.ok ? ((await response.json()) as unknown) : null;
    } catch {
      return null;
    }
  };
  const tokens = await (async () => {
    switch (config.engine) {
      case 'vllm':
      case 'sglang':
        return fromModelCards(await read('/v1/models'), config.model);
      case 'llama-server':
        return fromProps(await read('/props'));
      case 'ollama':
        return fromOllamaShow(await read('/api/show', { model: config.model }));
      case 'ollama-openai':
        return modelfileNumCtx(await read('/api/show', { model: config.model }));
      default:
        return null;
    }
  })();
  const source = SOURCES[config.engine];
  return tokens !== null && source ? { tokens, source } : null;
}

/** The settings line for a server whose context is unknown: no cap, and why. */
export function uncappedNote(engine: EngineId): string {
  if (engine === 'ollama-openai') {
    return 'Not capped: Ollama’s OpenAI API has no way to set the context size per request, so the server’s default applies (4,096 tokens unless OLLAMA_CONTEXT_LENGTH says more) and a longer conversation is cut silently. Pick the “Ollama” engine, which sets num_ctx for each request, or set PARAMETER num_ctx in a Modelfile.';
  }
  return `Not capped: ${PRESETS[engine].label} does not report its context length here, so its own limit applies.`;
}

/**
 * Ollama allocates num_ctx when it loads the model and loads it again whenever a request asks for
 * another size ("a change in context length requires a model reload", ollama/ollama#9977), so the
 * size grows in steps rather than with every token.
 */
export const NUM_CTX_STEP = 8192;

/**
 * The num_ctx a request to Ollama's /api/chat needs: its prompt and reply, rounded up to a step.
 * The chat store already capped the reply at the model's length less the prompt, and Ollama clamps
 * num_ctx to the model's trained length itself (llm/server.go, "requested context size too large").
 */
export function ollamaNumCtx(turns: readonly ChatTurn[], maxNewTokens: number): number {
  // The chat's own low-characters-per-token guess, over the turns' text as one block.
  const prompt = estimatePromptTokens([], turns.map((t) => t.content).join('\n'));
  return Math.max(NUM_CTX_STEP, Math.ceil((prompt + maxNewTokens) / NUM_CTX_STEP) * NUM_CTX_STEP);
}
