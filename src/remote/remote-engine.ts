/**
 * The second implementation of the chat store's `ReplyEngine`: a server speaking the OpenAI chat API
 * (vLLM, SGLang, llama-server, LM Studio, Ollama's /v1, DeepSeek's API) or Ollama's /api/chat.
 *
 * `generate` streams the reply through `WireReader` and hands the store raw text in the local
 * worker's format (thinking first, `</think>`, then the answer), so the thinking block, stats,
 * crash-safety saves and "interrupted" work exactly as for local replies. `generatePaths` samples
 * several paths of one prompt (consensus), each in that same format: one request with `n` where the
 * engine streams choices by index, else one request per path; both share `generate`'s request and
 * stream routine, so failures are named the same way.
 */
import type { ChatTurn, ErrorCode, GenerationStats, PathsStats, SamplingOptions, StopReason } from '../../workers/protocol';
import { CONFIDENCE_TOP_K } from '../../workers/path-confidence';
import { InferenceError, type GenerateHandlers, type PathsHandlers } from '../engine/client';
import { authHeaders } from './auth';
import { continuePlan, type ContinuePlan } from './continue-reply';
import { closingText, pastBudget, refusedBudgetFields, serverBudgetFields } from './thinking-budget';
import { normalizeBaseUrl, PRESETS, type EngineId, type EnginePreset } from './presets';
import { ollamaNumCtx } from './server-limits';
import { errorMessageOf, WireFrames, WireReader, type Framing, type WireEvent } from './wire';

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

/** A chat request's headers: JSON, and the key of the server this request's URL is built for. */
function headersFor(config: RemoteConfig): Record<string, string> {
  return { 'Content-Type': 'application/json', ...authHeaders(config.apiKey) };
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
      options: {
        temperature: options.temperature,
        top_p: options.topP,
        num_predict: options.maxNewTokens,
        // Ollama's default context (4,096) is far short of R1's thinking, and it cuts a longer prompt silently.
        num_ctx: ollamaNumCtx(turns, options.maxNewTokens),
        ...(seed !== undefined ? { seed } : {}),
      },
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
  let response: Response;
  try {
    response = await env.fetch(url, { headers: authHeaders(config.apiKey) });
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

/** An error the server reported inside the stream, named by its text where it names a cause. */
function streamFailure(message: string, config: RemoteConfig): RemoteError {
  const named = httpError(500, JSON.stringify({ error: { message } }), config);
  return named.kind === 'http' ? new RemoteError('stream', `The server reported an error while answering: ${message}`, message) : named;
}

/** How a body that was read to its end finished. */
function endOf(reader: WireReader): StopReason {
  if (reader.finishReason === 'length') return 'length';
  if (reader.finishReason !== null || reader.done) return 'eos';
  // The body ended without a finish reason or [DONE]: the server went away mid-reply.
  return 'dropped';
}

/** A consensus path's budget is the client's count (see thinking-budget.ts for a single reply's). */
function overBudget(reader: WireReader, options: SamplingOptions): boolean {
  return !reader.inAnswer && pastBudget(reader.reasoningChunks, options.thinkingBudget, false);
}

/**
 * Reads framed events into `reader` one at a time, handing each event's text to `deliver`, and stops
 * after the first event at which `proceed` says no: a thinking budget is kept to the event, however
 * many events one network read holds. Returns whether reading may go on.
 */
function readEvents(reader: WireReader, events: readonly WireEvent[], deliver: (text: string) => void, proceed: () => boolean): boolean {
  for (const event of events) {
    deliver(reader.read([event]));
    if (!proceed()) return false;
  }
  return true;
}

/** 'end': the body ended; 'dropped': the connection closed or was aborted; 'stopped': the reader asked to stop. */
type BodyEnd = 'end' | 'dropped' | 'stopped';

/**
 * Reads a streamed body as text until it ends, the connection drops, or `onText` returns false (then
 * the request is aborted, which closes the connection; the servers stop generating on disconnect).
 */
async function readBody(response: Response, framing: Framing, controller: AbortController, onText: (text: string) => boolean): Promise<BodyEnd> {
  if (framing === 'sse' && /application\/json/i.test(response.headers.get('Content-Type') ?? '')) {
    // A server that ignored `stream: true` answers one chat.completion object: read it as one event.
    const text = await response.text();
    onText(`data: ${text.replace(/\r?\n/g, ' ')}\n\n`);
    return 'end';
  }
  const body = response.body!.getReader();
  const decoder = new TextDecoder();
  const flush = () => {
    const rest = decoder.decode();
    if (rest !== '') onText(rest);
  };
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await body.read();
    } catch {
      // Stopped (aborted), or the connection dropped mid-reply: what arrived is kept either way.
      flush();
      return 'dropped';
    }
    if (chunk.done) {
      flush();
      return 'end';
    }
    if (!onText(decoder.decode(chunk.value, { stream: true }))) {
      controller.abort();
      await body.cancel().catch(() => {});
      return 'stopped';
    }
  }
}

/** Requests at once for engines that take one path per request: the browser allows about six connections to one server over HTTP/1.1, and requests past the server's own slots (llama-server --parallel, OLLAMA_NUM_PARALLEL) only queue there. */
export const PARALLEL_REQUESTS = 4;

/** One path being sampled: its reader and whether the store has heard its end. */
interface PathRun {
  index: number;
  reader: WireReader;
  ended: boolean;
  delivered: boolean;
}

/** What the two ways of sampling paths report about each path. */
interface PathEvents {
  deliver(run: PathRun, text: string): void;
  end(run: PathRun, reason: StopReason, budgetHit?: boolean): void;
  check(run: PathRun): boolean;
  settle(run: PathRun, body: BodyEnd): void;
}

export class RemoteEngine {
  readonly config: RemoteConfig;
  readonly preset: EnginePreset;
  private readonly env: RemoteEnvironment;
  /** Every request in flight (one for a reply, several for paths): Stop aborts them all. */
  private readonly controllers = new Set<AbortController>();
  private stopped = false;

  constructor(config: RemoteConfig, env: Partial<RemoteEnvironment> = {}) {
    this.config = config;
    this.preset = PRESETS[config.engine];
    this.env = { ...defaultEnvironment(), ...env };
  }

  private reader(choice = 0, resume?: 'thinking' | 'answer'): WireReader {
    return new WireReader(this.preset.framing, { thinkingPrefilled: this.preset.thinkingPrefilled, choice, ...(resume ? { resume } : {}) });
  }

  /**
   * Posts one chat request. An unreachable server or an HTTP error throws the named RemoteError;
   * null when the request was aborted before the server answered.
   */
  private async post(body: Record<string, unknown>, controller: AbortController): Promise<Response | null> {
    const { env, preset, config } = this;
    const base = checkAddress(config.baseUrl, env.origin);
    let response: Response;
    try {
      response = await env.fetch(chatUrl(base, preset), {
        method: 'POST',
        headers: headersFor(config),
        body: JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted) return null;
      throw unreachable(preset, base.origin, env.origin, String(error));
    }
    if (!response.ok) throw httpError(response.status, await response.text().catch(() => ''), config);
    if (!response.body) throw new RemoteError('http', 'The server answered without a body.');
    return response;
  }

  /** A controller Stop reaches, for the duration of `run`. */
  private async withController<T>(run: (controller: AbortController) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.controllers.add(controller);
    if (this.stopped) controller.abort();
    try {
      return await run(controller);
    } finally {
      this.controllers.delete(controller);
    }
  }

  async generate(
    turns: ChatTurn[],
    options: SamplingOptions,
    handlers: GenerateHandlers,
    continuation?: string,
  ): Promise<{ reason: StopReason; stats: GenerationStats }> {
    const { env, preset, config } = this;
    checkAddress(config.baseUrl, env.origin);
    const plan = continuation ? continuePlan(preset, continuation) : null;
    this.stopped = false;
    const t0 = env.now();
    let firstTokenAt: number | null = null;
    let started = false;
    let budgetHit = false;
    const budget = options.thinkingBudget ?? null;
    // Sent where the server takes one; a continued answer has no thinking left to budget.
    let budgetFields = budget && plan?.resume !== 'answer' ? serverBudgetFields(preset, budget) : null;
    /** One reader per request: the reply, then its answer where the client closed the thinking at the budget. */
    const legs: WireReader[] = [];
    /** The whole raw reply so far (a continued one included): what a follow-up request continues. */
    let raw = continuation ?? '';
    const chunks = () => legs.reduce((n, r) => n + r.textChunks, 0);

    const stats = (reason: StopReason): { reason: StopReason; stats: GenerationStats } => {
      const end = env.now();
      const generated = legs.reduce((n, r) => n + (r.usage?.completionTokens || r.textChunks), 0);
      const decodeMs = firstTokenAt === null ? 0 : end - firstTokenAt;
      return {
        reason,
        stats: {
          promptTokens: legs[0]?.usage?.promptTokens ?? 0,
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
      raw += text;
      const now = env.now();
      if (firstTokenAt === null) firstTokenAt = now;
      const generated = chunks();
      const speed = generated > 1 && now > firstTokenAt ? ((generated - 1) * 1000) / (now - firstTokenAt) : 0;
      handlers.onDelta(text, generated, speed);
    };

    const bodyFor = (next: ContinuePlan | null, extra: Record<string, unknown> | null): Record<string, unknown> => {
      const body = requestBody(preset, config, turns, options);
      if (next) {
        // The cut-off reply goes last, as the assistant's message the server writes on from.
        body.messages = [...(body.messages as unknown[]), { role: 'assistant', content: next.prefix }];
        Object.assign(body, next.body);
      }
      return extra ? Object.assign(body, extra) : body;
    };

    /** Streams one request into `reader`; the client closes it at the event past the thinking budget. */
    const leg = (reader: WireReader, body: Record<string, unknown>) =>
      this.withController(async (controller): Promise<BodyEnd> => {
        const response = await this.post(body, controller);
        if (!response) return 'stopped';
        const frames = new WireFrames(preset.framing);
        const proceed = (): boolean => {
          if (reader.error !== null) return false;
          if (reader.inAnswer || !pastBudget(reader.reasoningChunks, budget, budgetFields !== null)) return true;
          budgetHit = true;
          return false;
        };
        const end = await readBody(response, preset.framing, controller, (text) => {
          if (!started) {
            started = true;
            handlers.onStarted?.(0);
          }
          return readEvents(reader, frames.push(text), deliver, proceed);
        });
        if (end !== 'stopped') readEvents(reader, frames.finish(), deliver, proceed);
        deliver(reader.finish());
        return end;
      });

    let reader = this.reader(0, plan?.resume);
    legs.push(reader);
    let end: BodyEnd;
    try {
      end = await leg(reader, bodyFor(plan, budgetFields));
    } catch (error) {
      if (!refusedBudgetFields(error) || budgetFields === null) throw error;
      // A server started without the flag its budget needs: the client holds the thinking to it instead.
      budgetFields = null;
      end = await leg(reader, bodyFor(plan, null));
    }
    if (reader.error === null && budgetHit && !this.stopped && preset.continueReply === 'append') {
      // As the local worker does: the thinking closes at the budget, and the model answers after it.
      deliver(closingText(raw));
      const answer = continuePlan(preset, raw);
      reader = this.reader(0, answer.resume);
      legs.push(reader);
      end = await leg(reader, bodyFor(answer, null));
    }
    if (reader.error !== null) throw streamFailure(reader.error, config);
    if (this.stopped) return stats('interrupted');
    // Closed at the budget with no answer to ask for: the reply says the budget ended it.
    if (budgetHit && legs.length === 1) return stats('length');
    // The connection broke, or the body ended with no finish reason: the server went away mid-reply.
    if (end === 'dropped') return stats('dropped');
    return stats(endOf(reader));
  }

  /**
   * One sampled path per seed, in `generate`'s raw format; `handlers.onDone` hears every path's end
   * once (interrupted where Stop came first). An unreachable server or an HTTP error fails the call;
   * a path whose stream breaks or reports an error ends interrupted while the others go on, and the
   * call fails with that error only when no path produced anything.
   */
  async generatePaths(turns: ChatTurn[], options: SamplingOptions, seeds: number[], handlers: PathsHandlers): Promise<PathsStats> {
    const { env, config } = this;
    checkAddress(config.baseUrl, env.origin);
    this.stopped = false;
    const t0 = env.now();
    let firstTextAt: number | null = null;
    let started = false;
    let streamError: string | null = null;
    const choices = this.preset.paths === 'choices';
    const runs: PathRun[] = seeds.map((_, index) => ({ index, reader: this.reader(choices ? index : 0), ended: false, delivered: false }));

    // With `n` the usage counts every choice together, so a path counts its own tokens.
    const tokensOf = (reader: WireReader) => (choices ? 0 : reader.usage?.completionTokens ?? 0) || reader.loggedTokens || reader.textChunks;
    const deliver = (run: PathRun, text: string) => {
      if (!started) {
        started = true;
        handlers.onStarted?.(0);
      }
      if (text === '' || run.ended) return;
      firstTextAt ??= env.now();
      run.delivered = true;
      handlers.onDelta(run.index, text, tokensOf(run.reader));
    };
    const end = (run: PathRun, reason: StopReason, budgetHit = false) => {
      if (run.ended) return;
      run.ended = true;
      if (run.reader.error !== null) streamError ??= run.reader.error;
      handlers.onDone(run.index, { reason, generatedTokens: tokensOf(run.reader), confidence: run.reader.confidence, thinkingBudgetHit: budgetHit });
    };
    /** After text arrived for `run`: false once the path is over (its budget spent, or an error). */
    const check = (run: PathRun): boolean => {
      if (run.reader.error !== null) end(run, 'dropped');
      else if (overBudget(run.reader, options)) end(run, 'length', true);
      return !run.ended;
    };
    const settle = (run: PathRun, body: BodyEnd) =>
      end(run, this.stopped ? 'interrupted' : run.reader.error !== null || body === 'dropped' ? 'dropped' : endOf(run.reader));

    if (choices) await this.sampleChoices(turns, options, seeds, runs, { deliver, end, check, settle });
    else await this.sampleRequests(turns, options, seeds, runs, { deliver, end, check, settle });

    if (streamError !== null && !runs.some((r) => r.delivered)) throw streamFailure(streamError, config);
    const now = env.now();
    const usage = runs.find((r) => r.reader.usage)?.reader.usage ?? null;
    const generated = (choices ? usage?.completionTokens : 0) || runs.reduce((sum, r) => sum + tokensOf(r.reader), 0);
    return {
      promptTokens: usage?.promptTokens ?? 0,
      generatedTokens: generated,
      totalMs: Math.round(now - t0),
      tokensPerSecond: firstTextAt !== null && generated > 0 && now > firstTextAt ? (generated * 1000) / (now - firstTextAt) : 0,
      rowsPerBatch: choices ? seeds.length : Math.min(PARALLEL_REQUESTS, seeds.length),
    };
  }

  /** One request with `n`: the body is framed once and each event read by every path's reader. */
  private async sampleChoices(turns: ChatTurn[], options: SamplingOptions, seeds: number[], runs: PathRun[], on: PathEvents): Promise<void> {
    const { preset, config } = this;
    const seed = seeds.length === 1 || preset.seedPerChoice ? seeds[0] : null;
    const body = {
      ...requestBody(preset, config, turns, { ...options, seed }),
      n: seeds.length,
      logprobs: true,
      top_logprobs: CONFIDENCE_TOP_K,
    };
    const frames = new WireFrames(preset.framing);
    const readAll = (events: WireEvent[]) => {
      // Event by event, so each path's budget is kept to the event (see readEvents). A path that has
      // ended still reads on: the usage chunk, after every choice, is what counts them all.
      for (const event of events) {
        for (const run of runs) {
          on.deliver(run, run.reader.read([event]));
          // vLLM ends each choice as it finishes; the store can count its answer at once.
          if (on.check(run) && run.reader.finishReason !== null) on.end(run, endOf(run.reader));
        }
      }
    };
    await this.withController(async (controller) => {
      const response = await this.post(body, controller);
      if (!response) return;
      const bodyEnd = await readBody(response, preset.framing, controller, (text) => {
        readAll(frames.push(text));
        return runs.some((r) => !r.ended);
      });
      readAll(frames.finish());
      for (const run of runs) {
        on.deliver(run, run.reader.finish());
        on.settle(run, bodyEnd);
      }
    });
    // Aborted before the server answered: every path was stopped.
    for (const run of runs) on.end(run, 'interrupted');
  }

  /** One request per path, each with its own seed and reader, at most PARALLEL_REQUESTS at once. */
  private async sampleRequests(turns: ChatTurn[], options: SamplingOptions, seeds: number[], runs: PathRun[], on: PathEvents): Promise<void> {
    const { preset, config } = this;
    let next = 0;
    let failure: unknown = null;
    const one = (run: PathRun) =>
      this.withController(async (controller) => {
        const response = await this.post(requestBody(preset, config, turns, { ...options, seed: seeds[run.index] }), controller);
        if (!response) return;
        const frames = new WireFrames(preset.framing);
        const deliver = (text: string) => on.deliver(run, text);
        const proceed = () => on.check(run);
        const bodyEnd = await readBody(response, preset.framing, controller, (text) => readEvents(run.reader, frames.push(text), deliver, proceed));
        if (bodyEnd !== 'stopped') readEvents(run.reader, frames.finish(), deliver, proceed);
        on.deliver(run, run.reader.finish());
        on.settle(run, bodyEnd);
      });
    const lane = async () => {
      while (next < runs.length && failure === null && !this.stopped) {
        const run = runs[next++]!;
        try {
          await one(run);
        } catch (error) {
          // The server refused or is gone: the call fails, and the other requests are stopped.
          failure ??= error;
          for (const c of this.controllers) c.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_REQUESTS, runs.length) }, lane));
    if (failure !== null) throw failure;
    for (const run of runs) on.end(run, 'interrupted');
  }

  /** Stop: aborts every request, which closes the connections; the servers stop generating on disconnect. */
  async interrupt(): Promise<void> {
    this.stopped = true;
    for (const controller of this.controllers) controller.abort();
  }
}
