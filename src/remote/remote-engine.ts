/**
 * The second implementation of the chat store's `ReplyEngine`: a server speaking the OpenAI chat API
 * (vLLM, SGLang, llama-server, LM Studio, Ollama's /v1, DeepSeek's API) or Ollama's /api/chat.
 *
 * `generate` streams the reply through `WireReader` and hands the store raw text in the local
 * worker's format (thinking first, `</think>`, then the answer), so the thinking block, stats,
 * crash-safety saves and "interrupted" work exactly as for local replies.
 */
import type { ChatTurn, ErrorCode, GenerationStats, SamplingOptions, StopReason } from '../../workers/protocol';
import { InferenceError, type GenerateHandlers } from '../engine/client';
import { normalizeBaseUrl, PRESETS, type EngineId, type EnginePreset } from './presets';
import { errorMessageOf, WireReader } from './wire';

export type RemoteErrorKind = 'unreachable' | 'mixed-content' | 'auth' | 'unknown-model' | 'context-too-long' | 'stream' | 'http' | 'unsupported';

const CODE_BY_KIND: Record<RemoteErrorKind, ErrorCode> = {
  unreachable: 'network',
  'mixed-content': 'network',
  auth: 'unsupported',
  'unknown-model': 'not-found',
  'context-too-long': 'unsupported',
  stream: 'internal',
  http: 'internal',
  unsupported: 'unsupported',
};

/** A failure talking to the server, with a sentence for the user (`message`) and the server's text (`detail`). */
export class RemoteError extends InferenceError {
  readonly kind: RemoteErrorKind;
  readonly status: number | null;

  constructor(kind: RemoteErrorKind, message: string, detail?: string, status: number | null = null) {
    super({ code: CODE_BY_KIND[kind], message, ...(detail ? { detail } : {}) });
    this.name = 'RemoteError';
    this.kind = kind;
    this.status = status;
  }
}

export interface RemoteConfig {
  baseUrl: string;
  apiKey?: string;
  model: string;
  engine: EngineId;
}

export interface RemoteEnvironment {
  fetch: typeof fetch;
  /** The page's origin (`location.origin`), for CORS hints and the mixed-content check. */
  origin: string | null;
  now: () => number;
}

function defaultEnvironment(): RemoteEnvironment {
  return {
    fetch: (...args) => globalThis.fetch(...args),
    origin: typeof location === 'undefined' ? null : location.origin,
    now: () => (typeof performance === 'undefined' ? Date.now() : performance.now()),
  };
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLocalHost(hostname: string): boolean {
  return LOCAL_HOSTS.has(hostname) || hostname.endsWith('.localhost') || /^127\./.test(hostname);
}

/** Checks the address before any request: a URL, http(s), and not mixed content from an https page. */
export function checkAddress(baseUrl: string, origin: string | null): URL {
  let url: URL;
  try {
    url = new URL(normalizeBaseUrl(baseUrl));
  } catch {
    throw new RemoteError('unreachable', `"${baseUrl}" is not a web address. Enter one like http://localhost:8000.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RemoteError('unreachable', `"${baseUrl}" is not an http or https address.`);
  }
  if (origin?.startsWith('https:') && url.protocol === 'http:' && !isLocalHost(url.hostname)) {
    throw new RemoteError(
      'mixed-content',
      `This page is served over https, so the browser blocks requests to the plain-http address ${url.origin} (mixed content). ` +
        'What works: a server on this computer (http://localhost), an https address for the server (a reverse proxy with a certificate), or a tunnel that gives it one.',
    );
  }
  return url;
}

function headersFor(config: RemoteConfig): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  // The key goes only to the server it belongs to: this request's URL is built from the same config.
  if (config.apiKey) headers.Authorization = `Bearer ${config.apiKey}`;
  return headers;
}

function unreachable(preset: EnginePreset, url: string, origin: string | null, detail?: string): RemoteError {
  const hint = preset.corsHint(origin ?? '<this page’s origin>');
  return new RemoteError(
    'unreachable',
    `Could not reach ${url}: the server is not running there, or it does not allow this page (CORS); a browser cannot tell the two apart. ${hint}`,
    detail,
  );
}

const CONTEXT_PATTERNS =
  /context (length|size|window)|maximum model length|model length|longer than the|exceeds? the (available|maximum)|too many tokens|prompt is too long|exceed_context_size/i;
const MODEL_PATTERNS = /model\b[^]*\b(not found|does not exist|not exist|unknown|no such)|unknown model|model_not_found|try pulling it/i;

/** Turns an HTTP error answer into a named failure. */
export function httpError(status: number, bodyText: string, config: RemoteConfig): RemoteError {
  const parsed = (() => {
    try {
      return JSON.parse(bodyText) as unknown;
    } catch {
      return undefined;
    }
  })();
  const serverText = (errorMessageOf(parsed) ?? bodyText.trim().slice(0, 500)) || `HTTP ${status}`;
  const detail = `HTTP ${status}: ${serverText}`;
  if (status === 401 || status === 403) {
    return new RemoteError(
      'auth',
      status === 401
        ? 'The server needs a valid API key (HTTP 401). Check the key in the connection settings.'
        : 'The server refused this API key (HTTP 403). Check that the key is right and allowed to use this model.',
      detail,
      status,
    );
  }
  if (CONTEXT_PATTERNS.test(serverText)) {
    return new RemoteError(
      'context-too-long',
      'The conversation is longer than the server’s context allows. Start a new chat, drop the oldest turns, or lower the reply length; the server’s own limit is set when it starts (for example vLLM --max-model-len, llama-server -c).',
      detail,
      status,
    );
  }
  if (status === 404 || MODEL_PATTERNS.test(serverText)) {
    if (status !== 404 || MODEL_PATTERNS.test(serverText) || /model/i.test(serverText)) {
      return new RemoteError(
        'unknown-model',
        `The server does not have the model "${config.model}". Pick one from its model list (or pull it first, for Ollama).`,
        detail,
        status,
      );
    }
    return new RemoteError('http', 'The server has no chat endpoint at this address (HTTP 404). Check the base URL and the engine.', detail, status);
  }
  return new RemoteError('http', `The server answered with an error (HTTP ${status}): ${serverText}`, detail, status);
}

/** The JSON body of a chat request: R1 sampling, no system prompt, earlier turns already without thinking. */
export function requestBody(preset: EnginePreset, config: RemoteConfig, turns: ChatTurn[], options: SamplingOptions): Record<string, unknown> {
  const messages = turns.map((t) => ({ role: t.role, content: t.content }));
  const seed = options.seed ?? undefined;
  if (preset.api === 'ollama') {
    return {
      model: config.model,
      messages,
      stream: true,
      think: true,
      options: { temperature: options.temperature, top_p: options.topP, num_predict: options.maxNewTokens, ...(seed !== undefined ? { seed } : {}) },
    };
  }
  return {
    model: config.model,
    messages,
    stream: true,
    stream_options: { include_usage: true },
    temperature: options.temperature,
    top_p: options.topP,
    max_tokens: options.maxNewTokens,
    ...(seed !== undefined ? { seed } : {}),
  };
}

function chatUrl(base: URL, preset: EnginePreset): string {
  return `${base.href.replace(/\/+$/, '')}${preset.api === 'ollama' ? '/api/chat' : '/v1/chat/completions'}`;
}

/** Models the server offers (`/v1/models` or Ollama's `/api/tags`); errors are named like chat errors. */
export async function listModels(config: Omit<RemoteConfig, 'model'>, env: RemoteEnvironment = defaultEnvironment()): Promise<string[]> {
  const preset = PRESETS[config.engine];
  const base = checkAddress(config.baseUrl, env.origin);
  const url = `${base.href.replace(/\/+$/, '')}${preset.modelsPath}`;
  const headers = headersFor({ ...config, model: '' });
  delete headers['Content-Type'];
  let response: Response;
  try {
    response = await env.fetch(url, { headers });
  } catch (error) {
    throw unreachable(preset, base.origin, env.origin, String(error));
  }
  const text = await response.text();
  if (!response.ok) throw httpError(response.status, text, { ...config, model: '' });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RemoteError('http', `The server at ${base.origin} did not answer with a model list. Is it the engine you picked?`, text.slice(0, 300));
  }
  const list = (json as { data?: unknown; models?: unknown }).data ?? (json as { models?: unknown }).models;
  if (!Array.isArray(list)) return [];
  return list
    .map((m) => (typeof m === 'object' && m !== null ? ((m as { id?: unknown; name?: unknown; model?: unknown }).id ?? (m as { name?: unknown }).name ?? (m as { model?: unknown }).model) : null))
    .filter((m): m is string => typeof m === 'string');
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

export class RemoteEngine {
  readonly config: RemoteConfig;
  readonly preset: EnginePreset;
  private readonly env: RemoteEnvironment;
  private controller: AbortController | null = null;
  private stopped = false;

  constructor(config: RemoteConfig, env: Partial<RemoteEnvironment> = {}) {
    this.config = config;
    this.preset = PRESETS[config.engine];
    this.env = { ...defaultEnvironment(), ...env };
  }

  async generate(
    turns: ChatTurn[],
    options: SamplingOptions,
    handlers: GenerateHandlers,
    continuation?: string,
  ): Promise<{ reason: StopReason; stats: GenerationStats }> {
    if (continuation) {
      throw new RemoteError('unsupported', 'Continuing a cut-off reply is not available for server models yet; regenerate it with a larger reply length instead.');
    }
    const { env, preset, config } = this;
    const base = checkAddress(config.baseUrl, env.origin);
    const url = chatUrl(base, preset);
    const controller = new AbortController();
    this.controller = controller;
    this.stopped = false;
    const t0 = env.now();
    let firstTokenAt: number | null = null;
    let budgetHit = false;
    const reader = new WireReader(preset.framing, { thinkingPrefilled: preset.thinkingPrefilled });

    const stats = (reason: StopReason): { reason: StopReason; stats: GenerationStats } => {
      const end = env.now();
      const generated = reader.usage?.completionTokens || reader.textChunks;
      const decodeMs = firstTokenAt === null ? 0 : end - firstTokenAt;
      return {
        reason,
        stats: {
          promptTokens: reader.usage?.promptTokens ?? 0,
          generatedTokens: generated,
          timeToFirstTokenMs: firstTokenAt === null ? 0 : Math.round(firstTokenAt - t0),
          tokensPerSecond: decodeMs > 0 && generated > 1 ? ((generated - 1) * 1000) / decodeMs : 0,
          totalMs: Math.round(end - t0),
          ...(budgetHit ? { thinkingBudgetHit: true } : {}),
        },
      };
    };

    const deliver = (text: string) => {
      if (text === '') return;
      const now = env.now();
      if (firstTokenAt === null) firstTokenAt = now;
      const generated = reader.textChunks;
      const speed = generated > 1 && now > firstTokenAt ? ((generated - 1) * 1000) / (now - firstTokenAt) : 0;
      handlers.onDelta(text, generated, speed);
    };

    try {
      let response: Response;
      try {
        response = await env.fetch(url, {
          method: 'POST',
          headers: headersFor(config),
          body: JSON.stringify(requestBody(preset, config, turns, options)),
          signal: controller.signal,
        });
      } catch (error) {
        if (isAbort(error) || this.stopped) return stats('interrupted');
        throw unreachable(preset, base.origin, env.origin, String(error));
      }
      if (!response.ok) throw httpError(response.status, await response.text().catch(() => ''), config);
      if (!response.body) throw new RemoteError('http', 'The server answered without a body.');
      if (preset.framing === 'sse' && /application\/json/i.test(response.headers.get('Content-Type') ?? '')) {
        // A server that ignored `stream: true` answers one chat.completion object: read it as one event.
        const text = await response.text();
        handlers.onStarted?.(0);
        deliver(reader.push(`data: ${text.replace(/\r?\n/g, ' ')}\n\n`) + reader.finish());
        if (reader.error !== null) throw new RemoteError('stream', `The server reported an error while answering: ${reader.error}`, reader.error);
        return stats(reader.finishReason === 'length' ? 'length' : 'eos');
      }

      const body = response.body.getReader();
      const decoder = new TextDecoder();
      let started = false;
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await body.read();
        } catch (error) {
          // Stopped, or the connection dropped mid-reply: keep what arrived, marked interrupted.
          deliver(reader.push(decoder.decode()) + reader.finish());
          if (isAbort(error) || this.stopped) return stats(budgetHit ? 'length' : 'interrupted');
          return stats('interrupted');
        }
        if (chunk.done) break;
        if (!started) {
          started = true;
          handlers.onStarted?.(0);
        }
        deliver(reader.push(decoder.decode(chunk.value, { stream: true })));
        if (reader.error !== null) break;
        const budget = options.thinkingBudget;
        if (budget && !reader.inAnswer && reader.reasoningChunks >= budget) {
          // No engine here takes a thinking budget over this API: close the stream and say so in the stats.
          budgetHit = true;
          this.stopped = true;
          controller.abort();
          await body.cancel().catch(() => {});
          deliver(reader.finish());
          return stats('length');
        }
      }
      deliver(reader.push(decoder.decode()) + reader.finish());
      if (reader.error !== null) {
        controller.abort();
        const named = httpError(500, JSON.stringify({ error: { message: reader.error } }), config);
        throw named.kind === 'http'
          ? new RemoteError('stream', `The server reported an error while answering: ${reader.error}`, reader.error)
          : named;
      }
      if (this.stopped) return stats('interrupted');
      if (reader.finishReason === 'length') return stats('length');
      if (reader.finishReason !== null || reader.done) return stats('eos');
      // The body ended without a finish reason or [DONE]: the server went away mid-reply.
      return stats('interrupted');
    } finally {
      if (this.controller === controller) this.controller = null;
    }
  }

  /** Stop: aborts the request, which closes the connection; the servers stop generating on disconnect. */
  async interrupt(): Promise<void> {
    this.stopped = true;
    this.controller?.abort();
  }
}
