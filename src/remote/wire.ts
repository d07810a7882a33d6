/**
 * The wire formats of inference servers, read incrementally into Ponder's local raw format.
 *
 * The local worker's raw output starts INSIDE the thinking (its prompt ends with `<think>\n`) and the
 * first `</think>` ends it; `ReasoningStream` splits it there. `WireReader` turns any server's stream
 * into exactly that shape, so the chat store and the thinking block work unchanged:
 *
 * - A separate reasoning field (`delta.reasoning`, `delta.reasoning_content`, Ollama's
 *   `message.thinking`) is emitted as-is; when content starts after it, `</think>` is emitted once.
 * - Otherwise the raw `content` carries the tags itself. With `thinkingPrefilled` (the server's
 *   template ended with `<think>\n`) it starts inside the thinking and passes through. Without it the
 *   content may open `<think>` itself (passed through: `ReasoningStream` drops a leading tag), or has no
 *   thinking at all (then `</think>` is emitted first, so it shows as an empty thinking and an answer).
 *
 * Framings: SSE (OpenAI-compatible `/v1/chat/completions` with `stream: true`), parsed by
 * `eventsource-parser`, and NDJSON (Ollama's native `/api/chat`). `WireFrames` turns a body into
 * parsed events once; a `WireReader` follows one choice of them (`choice`, the `index` of OpenAI's
 * `choices[]`), so one body with `n` choices is framed once and read by one reader per choice.
 * `collectReply` reads a whole body with the same reader the live stream uses.
 */
import { createParser, type EventSourceMessage, type EventSourceParser, type ParseError } from 'eventsource-parser';
import { LowestGroupConfidence, topLogProbConfidence } from '../../workers/path-confidence';
import { splitReasoning } from '../reasoning/parse';

export type Framing = 'sse' | 'ndjson';

export interface WireOptions {
  /** Whether the server's chat template ends the prompt with `<think>\n` (content then starts in thinking). */
  thinkingPrefilled: boolean;
  /** Which of `choices[]` to read, by its `index` (default 0: a request without `n`). */
  choice?: number;
  /**
   * A continued reply (the request ended with the partial assistant message): 'thinking' when the
   * part before was still thinking, so the output goes on inside it; 'answer' when the thinking had
   * closed, so every text is answer (vLLM's and SGLang's R1 parsers label all of it reasoning, since
   * the output itself holds no `</think>`).
   */
  resume?: 'thinking' | 'answer';
}

/** One framed event of a body: a JSON value, the end marker, or an error the framing itself carries. */
export type WireEvent = { type: 'value'; value: unknown } | { type: 'done' } | { type: 'error'; message: string };

export interface WireUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface CollectedReply {
  thinking: string;
  answer: string;
  finishReason: string | null;
  error: string | null;
  usage: WireUsage | null;
}

type ReasoningField = 'reasoning' | 'reasoning_content';
/** 'raw': content carrying the tags itself, still inside the thinking; 'raw-answer': after its `</think>`. */
type State = 'start' | 'reasoning' | 'raw' | 'raw-answer' | 'answer';

const OPEN = '<think>';
const CLOSE = '</think>';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * A readable message from an error payload, or null when `value` is not an error. Shapes: OpenAI/vLLM
 * `{"error":{"message":..}}`, `{"error":"..."}` (Ollama, some proxies), `{"object":"error","message":..}`
 * (vLLM/SGLang ErrorResponse), llama-server's `{"code":..,"message":..,"type":..}` after a bare `error:`.
 */
export function errorMessageOf(value: unknown): string | null {
  if (!isObject(value)) return null;
  const { error } = value;
  if (typeof error === 'string') return error || 'The server reported an error.';
  if (isObject(error)) return str(error.message) || JSON.stringify(error);
  if (value.object === 'error' || (value.type !== undefined && value.message !== undefined && value.choices === undefined)) {
    const message = str(value.message) ?? (isObject(value.message) ? JSON.stringify(value.message) : null);
    return message || 'The server reported an error.';
  }
  return null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Frames one response body: `push` text chunks of any size (split anywhere), `finish` at the end of
 * the body; each returns the events completed so far.
 */
export class WireFrames {
  private readonly sse: EventSourceParser | null;
  private lineBuffer = '';
  private events: WireEvent[] = [];

  constructor(framing: Framing) {
    this.sse =
      framing === 'sse'
        ? createParser({
            onEvent: (event) => this.onSseEvent(event),
            onError: (error) => this.onSseError(error),
          })
        : null;
  }

  push(chunk: string): WireEvent[] {
    if (this.sse) this.sse.feed(chunk);
    else this.feedLines(chunk);
    return this.take();
  }

  finish(): WireEvent[] {
    if (this.sse) {
      // A body that ends without the blank line still dispatches its last event (`reset({consume})`
      // parses the incomplete line; a pending `data:` event is then dispatched by a final blank line).
      this.sse.feed('\n\n');
    } else if (this.lineBuffer.trim() !== '') {
      this.onLine(this.lineBuffer);
    }
    this.lineBuffer = '';
    return this.take();
  }

  private take(): WireEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  private feedLines(chunk: string): void {
    const text = this.lineBuffer + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.onLine(text.slice(start, nl));
      start = nl + 1;
    }
    this.lineBuffer = text.slice(start);
  }

  private onLine(line: string): void {
    const trimmed = line.trim();
    if (trimmed === '') return;
    const value = parseJson(trimmed);
    if (value !== undefined) this.events.push({ type: 'value', value });
  }

  private onSseEvent(event: EventSourceMessage): void {
    const data = event.data;
    if (data.trim() === '[DONE]') {
      this.events.push({ type: 'done' });
      return;
    }
    const value = parseJson(data);
    if (event.event === 'error') {
      this.events.push({ type: 'error', message: errorMessageOf(value) ?? (data.trim() || 'The server reported an error.') });
      return;
    }
    if (value !== undefined) this.events.push({ type: 'value', value });
  }

  /** eventsource-parser reports fields it does not know; llama-server's bare `error: {json}` is one. */
  private onSseError(error: ParseError): void {
    if (error.type !== 'unknown-field' || error.field?.trim() !== 'error') return;
    const raw = error.value ?? '';
    const value = parseJson(raw);
    const message = errorMessageOf(value) ?? errorMessageOf({ error: value }) ?? (raw.trim() || 'The server reported an error.');
    this.events.push({ type: 'error', message });
  }
}

/**
 * Incremental reader of one choice of a response body: `push` text chunks (framed by its own
 * `WireFrames`) or `read` events framed elsewhere, `finish` at the end of the body. Each call returns
 * the raw text (local format) to append to the reply.
 */
export class WireReader {
  readonly framing: Framing;
  private readonly prefilled: boolean;
  private readonly choice: number;
  private readonly frames: WireFrames;
  private state: State = 'start';
  /** Content held at the start (no prefill): whitespace and a possible partial `<think>`. */
  private pending = '';
  /** The end of the raw thinking so far, for a `</think>` split across chunks. */
  private rawTail = '';
  /** The reasoning field this stream uses, once seen (vLLM 0.12–0.15 sends both with the same text). */
  private field: ReasoningField | null = null;
  private out = '';
  private finished = false;
  private readonly lowestGroup = new LowestGroupConfidence();

  finishReason: string | null = null;
  error: string | null = null;
  usage: WireUsage | null = null;
  /** Server-side chunks that carried reply text (reasoning or content): a token count where usage is absent. */
  textChunks = 0;
  /** Chunks of thinking (a reasoning field, or raw content before its `</think>`): thinking tokens counted. */
  reasoningChunks = 0;
  /** Tokens that came with `logprobs.content[]` entries (each entry is one generated token). */
  loggedTokens = 0;
  /** `data: [DONE]` (SSE) or `"done": true` (NDJSON) was seen. */
  done = false;

  constructor(framing: Framing, options: WireOptions) {
    this.framing = framing;
    this.prefilled = options.thinkingPrefilled || options.resume === 'thinking';
    this.choice = options.choice ?? 0;
    if (options.resume === 'answer') this.state = 'answer';
    this.frames = new WireFrames(framing);
  }

  /** Whether the thinking part has ended (reasoning field followed by content, or raw content past `</think>`). */
  get inAnswer(): boolean {
    return this.state === 'answer' || this.state === 'raw-answer';
  }

  /** The lowest group confidence of the tokens' top log-probs (path-confidence.ts); null without any. */
  get confidence(): number | null {
    return this.lowestGroup.value;
  }

  push(chunk: string): string {
    if (this.finished) throw new Error('WireReader: push() after finish()');
    return this.read(this.frames.push(chunk));
  }

  /** Events of a body framed once for several readers (one per choice). */
  read(events: readonly WireEvent[]): string {
    this.apply(events);
    return this.take();
  }

  finish(): string {
    if (!this.finished) {
      this.apply(this.frames.finish());
      this.finished = true;
      if (this.state === 'start' && this.pending !== '') {
        // No prefill, only whitespace or part of `<think>` arrived: that is answer text.
        this.emit(this.pending.trim() === '' ? this.pending : CLOSE + this.pending);
        this.pending = '';
      }
    }
    return this.take();
  }

  private apply(events: readonly WireEvent[]): void {
    for (const event of events) {
      if (event.type === 'done') this.done = true;
      else if (event.type === 'error') this.fail(event.message);
      else if (this.framing === 'sse') this.onOpenAiChunk(event.value);
      else this.onOllamaChunk(event.value);
    }
  }

  private take(): string {
    const out = this.out;
    this.out = '';
    return out;
  }

  private emit(text: string): void {
    this.out += text;
  }

  private fail(message: string): void {
    if (this.error === null) this.error = message;
  }

  private onOpenAiChunk(value: unknown): void {
    const error = errorMessageOf(value);
    if (error !== null) return this.fail(error);
    if (!isObject(value)) return;
    const usage = value.usage;
    if (isObject(usage)) {
      const prompt = num(usage.prompt_tokens);
      const completion = num(usage.completion_tokens);
      if (prompt !== null || completion !== null) this.usage = { promptTokens: prompt ?? 0, completionTokens: completion ?? 0 };
    } else if (isObject(value.timings) && this.usage === null) {
      // llama-server's own counters, where an older build sends no usage object.
      const prompt = num(value.timings.prompt_n);
      const completion = num(value.timings.predicted_n);
      if (prompt !== null && completion !== null) this.usage = { promptTokens: prompt, completionTokens: completion };
    }
    const choices = Array.isArray(value.choices) ? value.choices : [];
    // With `n` every chunk names its choice; a single-choice server may leave `index` out.
    const choice = choices.find((c) => isObject(c) && (c.index ?? 0) === this.choice);
    if (!isObject(choice)) return;
    const delta = isObject(choice.delta) ? choice.delta : isObject(choice.message) ? choice.message : null;
    if (delta) {
      this.reasoning(this.pickReasoning(delta));
      this.content(str(delta.content) ?? '');
    }
    if (isObject(choice.logprobs)) this.logprobs(choice.logprobs.content);
    const reason = str(choice.finish_reason);
    if (reason) this.finishReason = reason;
  }

  /** OpenAI's `logprobs.content[]`: one entry per token, each with its `top_logprobs[]`. */
  private logprobs(content: unknown): void {
    if (!Array.isArray(content)) return;
    for (const entry of content) {
      if (!isObject(entry)) continue;
      this.loggedTokens += 1;
      const top = Array.isArray(entry.top_logprobs) ? entry.top_logprobs.flatMap((t) => (isObject(t) ? (num(t.logprob) ?? []) : [])) : [];
      if (top.length > 0) this.lowestGroup.push(topLogProbConfidence(top));
    }
  }

  /** One reasoning field per delta: the one this stream settled on, else whichever is there. */
  private pickReasoning(delta: Json): string {
    const r = str(delta.reasoning);
    const rc = str(delta.reasoning_content);
    if (this.field === 'reasoning_content' && rc !== null) return rc;
    if (this.field === 'reasoning' && r !== null) return r;
    if (r !== null && r !== '') {
      this.field ??= 'reasoning';
      return r;
    }
    if (rc !== null && rc !== '') {
      this.field ??= 'reasoning_content';
      return rc;
    }
    return '';
  }

  private onOllamaChunk(value: unknown): void {
    const error = errorMessageOf(value);
    if (error !== null) return this.fail(error);
    if (!isObject(value)) return;
    const message = isObject(value.message) ? value.message : null;
    if (message) {
      this.reasoning(str(message.thinking) ?? '');
      this.content(str(message.content) ?? '');
    } else if (typeof value.response === 'string') {
      // /api/generate has the same framing with `response` and `thinking` at the top level.
      this.reasoning(str(value.thinking) ?? '');
      this.content(value.response);
    }
    if (value.done === true) {
      this.done = true;
      this.finishReason = str(value.done_reason) ?? this.finishReason ?? 'stop';
      const prompt = num(value.prompt_eval_count);
      const completion = num(value.eval_count);
      if (prompt !== null || completion !== null) this.usage = { promptTokens: prompt ?? 0, completionTokens: completion ?? 0 };
    }
  }

  private reasoning(text: string): void {
    if (text === '') return;
    this.textChunks += 1;
    // A continued answer gets every text as answer (see `resume`): that is not thinking.
    if (!this.inAnswer) this.reasoningChunks += 1;
    if (this.state === 'start') {
      // Whitespace content held before the reasoning began is dropped by the trim anyway.
      this.pending = '';
      this.state = 'reasoning';
    }
    this.emit(text);
  }

  private content(text: string): void {
    if (text === '') return;
    this.textChunks += 1;
    switch (this.state) {
      case 'reasoning':
        this.state = 'answer';
        this.emit(CLOSE + text);
        return;
      case 'raw':
        this.emitRaw(text);
        return;
      case 'raw-answer':
      case 'answer':
        this.emit(text);
        return;
      case 'start':
        if (this.prefilled) {
          this.state = 'raw';
          this.emitRaw(text);
          return;
        }
        this.pending += text;
        this.decideStart();
    }
  }

  /** Raw content inside the thinking: counted as thinking until its `</think>` (which may span chunks). */
  private emitRaw(text: string): void {
    const seen = this.rawTail + text;
    if (seen.includes(CLOSE)) {
      this.state = 'raw-answer';
      this.rawTail = '';
    } else {
      this.reasoningChunks += 1;
      this.rawTail = seen.slice(-(CLOSE.length - 1));
    }
    this.emit(text);
  }

  /** No prefill: does the content open `<think>` itself? Held until the first non-space characters tell. */
  private decideStart(): void {
    const lead = this.pending.trimStart();
    if (lead.startsWith(OPEN)) {
      this.state = 'raw';
      this.emitRaw(this.pending);
      this.pending = '';
    } else if (!OPEN.startsWith(lead)) {
      this.state = 'answer';
      this.emit(CLOSE + this.pending);
      this.pending = '';
    }
  }
}

/** Reads a whole response body with the live stream's reader and splits it like the chat store does. */
export function collectReply(body: string, framing: Framing, options: WireOptions): CollectedReply {
  const reader = new WireReader(framing, options);
  return replyOf(reader, reader.push(body) + reader.finish(), options.resume);
}

/** A finished reader's reply: its raw output split at `</think>` as the chat store splits it. */
export function replyOf(reader: WireReader, raw: string, resume?: WireOptions['resume']): CollectedReply {
  // A continued answer's output is answer text only (the thinking came before it).
  const split = splitReasoning(raw, { startsInThinking: resume !== 'answer' });
  return {
    thinking: split.thinking ?? '',
    answer: split.answer,
    finishReason: reader.finishReason,
    error: reader.error,
    usage: reader.usage,
  };
}
