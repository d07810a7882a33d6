/**
 * A local stand-in for inference servers: per engine preset it serves the model list and streams a
 * chat reply in that engine's literal wire format, from the fixture bodies the wire tests read
 * (src/remote/fixtures.ts), with each engine's CORS behaviour and injectable faults.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { eventsOf, FIXTURES, withCrlf, type FixtureName } from '../../src/remote/fixtures.ts';
import type { EngineId } from '../../src/remote/presets.ts';

export interface EngineFaults {
  /** Milliseconds before the response's first byte. */
  firstByteDelayMs?: number;
  /** Milliseconds between events. */
  eventDelayMs?: number;
  /** Destroy the connection after this many events (a server that dies mid-reply). */
  dropAfterEvents?: number;
  /** Which chat requests drop (0-based, in arrival order); default every one. */
  dropRequests?: number[];
  /** Answer the chat request with this status and JSON body instead of streaming. */
  status?: { code: number; body: unknown; cors?: boolean };
  /** `: keep-alive` comments before the first event (SSE only), as DeepSeek's API sends while queued. */
  keepAlives?: number;
  /** CRLF line ends. */
  crlf?: boolean;
}

export interface EngineServerOptions {
  engine: EngineId;
  /** Which fixture a chat request streams (default: the engine's plain reply). */
  reply?: FixtureName;
  /** With `n` (vLLM, SGLang): choice i streams `replies[i % length]` (default: `reply` for each). */
  replies?: FixtureName[];
  /** Chat request i streams `sequence[i]` (the last one after that), as a reply and its follow-up request. */
  sequence?: FixtureName[];
  /** Chat requests carrying any of these top-level fields are refused with HTTP 400 and `body`. */
  refuseFields?: { fields: string[]; body: unknown };
  /** Origins allowed by CORS: '*' (SGLang, llama-server), a list (vLLM --allowed-origins, OLLAMA_ORIGINS), or none. */
  allowedOrigins?: '*' | string[];
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401 without CORS headers. */
  apiKey?: string;
  models?: string[];
  /**
   * The context each engine reports where it documents one (default 32,768): vLLM's and SGLang's
   * `max_model_len` on each model card, llama-server's `/props` `default_generation_settings.n_ctx`,
   * Ollama's `/api/show` `model_info["qwen2.context_length"]` (see src/remote/server-limits.ts).
   */
  contextLength?: number;
  /** Ollama's `/api/show` lists this as a Modelfile's `PARAMETER num_ctx` in `parameters`. */
  modelfileNumCtx?: number;
  faults?: EngineFaults;
  port?: number;
  host?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface EngineServer {
  url: string;
  requests: RecordedRequest[];
  /** Requests whose client went away before the reply finished (Stop). */
  aborted: number;
  /** The most chat replies that were streaming at once. */
  peakConcurrent: number;
  set(patch: Partial<Pick<EngineServerOptions, 'reply' | 'replies' | 'sequence' | 'faults' | 'apiKey' | 'allowedOrigins'>>): void;
  close(): Promise<void>;
}

const DEFAULT_REPLY: Record<EngineId, FixtureName> = {
  vllm: 'vllm-reasoning',
  sglang: 'sglang',
  ollama: 'ollama-chat',
  'ollama-openai': 'ollama-v1',
  'llama-server': 'llama-server',
  lmstudio: 'lmstudio',
  deepseek: 'deepseek-api',
};

const DEFAULT_MODELS: Record<EngineId, string[]> = {
  vllm: ['deepseek-ai/DeepSeek-R1-Distill-Qwen-32B'],
  sglang: ['deepseek-ai/DeepSeek-R1-Distill-Qwen-32B'],
  ollama: ['deepseek-r1:32b', 'deepseek-r1:7b'],
  'ollama-openai': ['deepseek-r1:32b', 'deepseek-r1:7b'],
  'llama-server': ['DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf'],
  lmstudio: ['deepseek-r1-distill-qwen-32b'],
  // api-docs.deepseek.com's current names (see src/remote/presets.ts).
  deepseek: ['deepseek-flash', 'deepseek-v4-pro'],
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Json = Record<string, unknown>;
type Chunk = Json & { choices: Json[] };

/** Made-up top log-probs for one token, the same for a choice throughout (so its confidence is known). */
function topLogprobs(token: string, choice: number): Json {
  const bytes = [...Buffer.from(token, 'utf8')];
  const top = Array.from({ length: 20 }, (_, j) => ({ token: j === 0 ? token : `t${j}`, logprob: -0.25 * (choice + 1) * j, bytes: j === 0 ? bytes : [116] }));
  return { content: [{ token, logprob: 0, bytes, top_logprobs: top }] };
}

/**
 * A reply with `n` choices as vLLM and SGLang stream it (see src/remote/presets.ts for where this was
 * read): each chunk carries one choice with its own `index`; vLLM sends every choice's role chunk
 * first and each choice's finish_reason as it ends, SGLang sends a choice's role chunk with its first
 * output and every finish_reason chunk after all choices are done; then one usage chunk summing the
 * choices' completion tokens, then [DONE]. With `logprobs` each text chunk (one token) has its
 * `logprobs.content[]` entry.
 */
function choicesBody(engine: EngineId, replies: FixtureName[], n: number, logprobs: boolean): string {
  // An error reply belongs to the request, not to a choice: it is sent as it is.
  const failing = replies.find((r) => FIXTURES[r].expected.error !== null);
  if (failing) return FIXTURES[failing].body;
  const perChoice = Array.from({ length: n }, (_, i) => {
    const fixture = FIXTURES[replies[i % replies.length]!];
    const chunks = eventsOf(fixture.body, 'sse')
      .map((e) => e.replace(/^data: /, '').trim())
      .filter((d) => d !== '[DONE]')
      .map((d) => JSON.parse(d) as Chunk);
    const usage = chunks.find((c) => c.choices.length === 0 && c.usage)?.usage as Json | undefined;
    const events = chunks
      .filter((c) => c.choices.length > 0)
      .map((c) => {
        const choice: Json = { ...c.choices[0]!, index: i };
        const delta = (choice.delta ?? {}) as Json;
        const text = [delta.reasoning, delta.reasoning_content, delta.content].find((t): t is string => typeof t === 'string' && t !== '');
        if (logprobs && text) choice.logprobs = topLogprobs(text, i);
        return { ...c, choices: [choice] };
      });
    return { events, usage };
  });
  const line = (c: Json) => `data: ${JSON.stringify(c)}\n\n`;
  const isRole = (c: Chunk) => typeof (c.choices[0]!.delta as Json | undefined)?.role === 'string';
  const isFinish = (c: Chunk) => typeof c.choices[0]!.finish_reason === 'string';
  const out: string[] = [];
  const queues = perChoice.map((p) => [...p.events]);
  if (engine === 'vllm') for (const q of queues) if (q[0] && isRole(q[0])) out.push(line(q.shift()!));
  const finishes: string[] = [];
  while (queues.some((q) => q.length > 0)) {
    for (const q of queues) {
      const c = q.shift();
      if (!c) continue;
      if (engine === 'sglang' && isFinish(c)) finishes.push(line(c));
      else out.push(line(c));
    }
  }
  out.push(...finishes);
  const first = perChoice.find((p) => p.usage)?.usage;
  if (first) {
    const completion = perChoice.reduce((sum, p) => sum + Number(p.usage?.completion_tokens ?? 0), 0);
    const prompt = Number(first.prompt_tokens ?? 0);
    out.push(line({ ...(perChoice[0]!.events[0] ?? {}), choices: [], usage: { prompt_tokens: prompt, total_tokens: prompt + completion, completion_tokens: completion } }));
  }
  out.push('data: [DONE]\n\n');
  return out.join('');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

export async function startEngineServer(options: EngineServerOptions): Promise<EngineServer> {
  const state = { ...options };
  const sockets = new Set<Socket>();
  const requests: RecordedRequest[] = [];
  let aborted = 0;
  let chats = 0;
  let streaming = 0;
  let peakConcurrent = 0;

  const allowOrigin = (req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin;
    const allowed = state.allowedOrigins ?? '*';
    if (allowed === '*') res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
    else if (origin && allowed.includes(origin)) res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };

  const contextLength = () => state.contextLength ?? 32_768;

  const modelList = () => {
    const models = state.models ?? DEFAULT_MODELS[state.engine];
    if (state.engine === 'ollama') {
      return { models: models.map((name) => ({ name, model: name, modified_at: '2026-12-01T00:00:00Z', size: 19851337640, digest: 'sha256:0', details: { family: 'qwen2' } })) };
    }
    const context = contextLength();
    // vLLM's and SGLang's ModelCard carry max_model_len; llama-server's carries meta (n_ctx_train is the trained length).
    const extra = (id: string): Json =>
      state.engine === 'vllm' || state.engine === 'sglang'
        ? { root: id, parent: null, max_model_len: context, ...(state.engine === 'vllm' ? { permission: [] } : {}) }
        : state.engine === 'llama-server'
          ? { meta: { vocab_type: 2, n_vocab: 152064, n_ctx_train: 131072, n_embd: 5120, n_params: 32763876352, size: 19851335680 } }
          : {};
    return { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1764590000, owned_by: state.engine, ...extra(id) })) };
  };

  /** llama-server's GET /props (public: no API key check), trimmed to the fields a client reads. */
  const props = () => ({
    default_generation_settings: { id: 0, id_task: -1, n_ctx: contextLength(), speculative: false, is_processing: false, params: { n_predict: -1, temperature: 0.8, top_p: 0.95 } },
    total_slots: 1,
    model_path: (state.models ?? DEFAULT_MODELS[state.engine])[0],
    chat_template: '...',
    build_info: 'b7000-0000000',
  });

  /** Ollama's POST /api/show for a pulled model. */
  const show = (model: string) => ({
    modelfile: `# Modelfile generated by "ollama show"\nFROM /root/.ollama/models/blobs/sha256:0`,
    parameters: ['stop                           "<｜begin▁of▁sentence｜>"', ...(state.modelfileNumCtx ? [`num_ctx                        ${state.modelfileNumCtx}`] : [])].join('\n'),
    template: '{{- if .System }}{{ .System }}{{ end }}',
    details: { parent_model: '', format: 'gguf', family: 'qwen2', families: ['qwen2'], parameter_size: '32.8B', quantization_level: 'Q4_K_M' },
    model_info: { 'general.architecture': 'qwen2', 'general.basename': model, 'qwen2.block_count': 64, 'qwen2.context_length': contextLength(), 'qwen2.embedding_length': 5120 },
    capabilities: ['completion', 'thinking'],
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const text = req.method === 'POST' ? await readBody(req) : '';
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });

    if (path === '/__control' && req.method === 'POST') {
      // Tests in a browser drive the server from outside the page: `{"reply": ..., "faults": ...}`.
      Object.assign(state, body as Partial<EngineServerOptions>);
      json(res, 200, { ok: true });
      return;
    }
    if (path === '/__control/requests' && req.method === 'GET') {
      json(res, 200, requests.filter((r) => !r.path.startsWith('/__control')));
      return;
    }
    if (req.method === 'OPTIONS') {
      allowOrigin(req, res);
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'Content-Type, Authorization');
      res.writeHead(204);
      res.end();
      return;
    }
    if (state.engine === 'llama-server' && req.method === 'GET' && path === '/props') {
      allowOrigin(req, res);
      json(res, 200, props());
      return;
    }
    if (state.apiKey && req.headers.authorization !== `Bearer ${state.apiKey}`) {
      // Like a proxy or an auth layer in front of the engine: no CORS headers on the refusal.
      json(res, 401, { error: { message: 'Invalid API key', type: 'invalid_request_error', code: 'invalid_api_key' } });
      return;
    }
    const faults = state.faults ?? {};
    if (req.method === 'GET' && (path === '/v1/models' || path === '/api/tags' || path === '/models')) {
      allowOrigin(req, res);
      json(res, 200, modelList());
      return;
    }
    if ((state.engine === 'ollama' || state.engine === 'ollama-openai') && req.method === 'POST' && path === '/api/show') {
      allowOrigin(req, res);
      const name = (body as { model?: unknown } | null)?.model;
      if (typeof name === 'string' && (state.models ?? DEFAULT_MODELS[state.engine]).includes(name)) json(res, 200, show(name));
      else json(res, 404, { error: `model '${String(name)}' not found` });
      return;
    }
    const isChat = req.method === 'POST' && (path === '/v1/chat/completions' || path === '/chat/completions' || path === '/api/chat');
    if (!isChat) {
      allowOrigin(req, res);
      json(res, 404, { detail: 'Not Found' });
      return;
    }
    if (faults.status) {
      if (faults.status.cors !== false) allowOrigin(req, res);
      json(res, faults.status.code, faults.status.body);
      return;
    }
    const model = (body as { model?: unknown } | null)?.model;
    const known = state.models ?? DEFAULT_MODELS[state.engine];
    if (typeof model === 'string' && !known.includes(model)) {
      allowOrigin(req, res);
      if (state.engine === 'ollama' || state.engine === 'ollama-openai') json(res, 404, { error: `model "${model}" not found, try pulling it first` });
      else json(res, 404, { object: 'error', message: `The model \`${model}\` does not exist.`, type: 'NotFoundError', param: null, code: 404 });
      return;
    }

    const refused = state.refuseFields?.fields.find((f) => typeof body === 'object' && body !== null && f in body);
    if (refused && state.refuseFields) {
      allowOrigin(req, res);
      json(res, 400, state.refuseFields.body);
      return;
    }
    const chat = chats++;
    const reply = state.sequence?.[Math.min(chat, state.sequence.length - 1)] ?? state.reply ?? DEFAULT_REPLY[state.engine];
    const fixture = FIXTURES[reply];
    const { n, logprobs } = (body ?? {}) as { n?: unknown; logprobs?: unknown };
    // Only vLLM and SGLang stream `n` choices; the other engines' stand-ins answer one, as they do.
    const choices = (state.engine === 'vllm' || state.engine === 'sglang') && typeof n === 'number' && n > 1;
    const replyBody = choices ? choicesBody(state.engine, state.replies ?? [reply], n, logprobs === true) : fixture.body;
    const raw = faults.crlf ? withCrlf(replyBody) : replyBody;
    const events = eventsOf(raw, fixture.framing);
    const drops = faults.dropAfterEvents !== undefined && (faults.dropRequests?.includes(chat) ?? true);
    if (faults.keepAlives && fixture.framing === 'sse') events.unshift(...Array.from({ length: faults.keepAlives }, () => ': keep-alive\n\n'));
    let gone = false;
    streaming += 1;
    peakConcurrent = Math.max(peakConcurrent, streaming);
    res.on('close', () => {
      streaming -= 1;
      if (!res.writableFinished) {
        gone = true;
        aborted += 1;
      }
    });
    if (faults.firstByteDelayMs) await sleep(faults.firstByteDelayMs);
    if (gone) return;
    allowOrigin(req, res);
    res.writeHead(200, {
      'Content-Type': fixture.framing === 'sse' ? 'text/event-stream; charset=utf-8' : 'application/x-ndjson',
      'Cache-Control': 'no-cache',
    });
    for (let i = 0; i < events.length; i++) {
      if (gone) return;
      if (drops && i >= faults.dropAfterEvents!) {
        await sleep(10);
        res.socket?.destroy();
        return;
      }
      // Each event leaves the process before the next (or before a drop), as an engine flushes per token.
      await new Promise<void>((resolve) => res.write(events[i], () => resolve()));
      if (faults.eventDelayMs) await sleep(faults.eventDelayMs);
    }
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: { message: String(error) } });
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    requests,
    get aborted() {
      return aborted;
    },
    get peakConcurrent() {
      return peakConcurrent;
    },
    set(patch) {
      Object.assign(state, patch);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
