// The one message protocol between the UI thread and the inference worker.
// Imported by src/ as types (and the tiny pure helpers below), never with the runtime.

export type Device = 'webgpu' | 'wasm';
export type Dtype = 'q4f16' | 'q4' | 'fp16' | 'fp32' | 'q8';

/** Where and what to load. The worker resolves the file list from the host's repo listing. */
export interface ModelSource {
  host: string;
  repo: string;
  revision: string;
  /** Preference order; the first one the repo ships is loaded (reported back in LoadedInfo). */
  dtypes: Dtype[];
  device: Device;
  /** Folder inside the repo that holds an ONNX Runtime GenAI model ('' or absent: the repo itself). */
  folder?: string;
  /**
   * Largest external-data piece handed to ONNX Runtime (default 2 GB: its wasm32 offsets, and Chromium's
   * 2 GiB limit on reading stored chunks back as one Blob). Tests set it small to exercise the split.
   */
  partBytes?: number;
  /**
   * Threads for ONNX Runtime's WebAssembly (CPU kernels on either device). Fixed once the runtime
   * has started in a worker; the page starts a fresh worker to change it. Absent: 1.
   */
  threads?: number;
}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface SamplingOptions {
  /** 0 means greedy decoding. */
  temperature: number;
  topP: number;
  maxNewTokens: number;
  /** Same seed and settings give the same reply; null draws from Math.random. */
  seed?: number | null;
  /** Cap on thinking tokens; when reached the worker ends the thinking itself (`</think>`). */
  thinkingBudget?: number | null;
}

export interface FileProgress {
  path: string;
  loaded: number;
  total: number;
}

export type LoadPhase = 'resolve' | 'download' | 'compile' | 'warmup';

export interface GenerationStats {
  promptTokens: number;
  generatedTokens: number;
  /** Milliseconds from the request to the first generated token. */
  timeToFirstTokenMs: number;
  /** Decode speed after the first token, tokens per second. */
  tokensPerSecond: number;
  totalMs: number;
  /** Prompt tokens whose KV cache was reused from the previous request (0 = recomputed). */
  reusedCacheTokens?: number;
  /** The thinking budget ran out and the worker closed the thinking. */
  thinkingBudgetHit?: boolean;
}

/** 'dropped': a server closed the connection before the reply ended (remote engines only). */
export type StopReason = 'eos' | 'length' | 'interrupted' | 'dropped';

/** How one sampled path of a generate-paths request ended. */
export interface PathEnd {
  reason: StopReason;
  generatedTokens: number;
  /** Lowest group confidence of its tokens (workers/path-confidence.ts); null when it has none. */
  confidence: number | null;
  thinkingBudgetHit: boolean;
}

/** A generate-paths request as a whole. */
export interface PathsStats {
  promptTokens: number;
  /** Over every path. */
  generatedTokens: number;
  totalMs: number;
  /** Tokens per second over every path together, after the prompt. */
  tokensPerSecond: number;
  /** Paths decoded together in one batch (the rest waited for a later batch). */
  rowsPerBatch: number;
}

export type ErrorCode =
  | 'network'
  | 'not-found'
  | 'unsupported'
  | 'out-of-memory'
  | 'device-lost'
  | 'quota'
  | 'busy'
  | 'not-loaded'
  | 'internal';

export interface WorkerFailure {
  code: ErrorCode;
  /** A sentence for the user: what happened and what to do. */
  message: string;
  /** The underlying error text, for the details disclosure and bug reports. */
  detail?: string;
}

export type WorkerRequest =
  | { type: 'load'; id: string; source: ModelSource }
  | {
      type: 'generate';
      id: string;
      turns: ChatTurn[];
      options: SamplingOptions;
      /** Raw output of an unfinished reply to continue (after the generation prompt), for "Continue". */
      continuation?: string;
    }
  | {
      type: 'generate-paths';
      id: string;
      turns: ChatTurn[];
      /** Shared by every path but the seed, which comes from `seeds` (one path per seed). */
      options: SamplingOptions;
      seeds: number[];
    }
  | { type: 'interrupt'; id: string }
  | { type: 'reset'; id: string }
  | { type: 'unload'; id: string };

export interface LoadedInfo {
  device: Device;
  dtype: Dtype;
  files: FileProgress[];
  loadMs: number;
  adapter: string | null;
  /** WebAssembly threads the runtime actually runs (1 when the browser withheld them). */
  threads: number;
  /** 'in-place': the KV cache is updated where it lies (GQA on WebGPU); 'per-step': each step makes a longer copy. */
  kvCache: 'in-place' | 'per-step';
}

export type WorkerEvent =
  | { type: 'progress'; id: string; phase: LoadPhase; files: FileProgress[] }
  | { type: 'loaded'; id: string; info: LoadedInfo }
  | { type: 'started'; id: string; promptTokens: number }
  | { type: 'delta'; id: string; text: string; generatedTokens: number; tokensPerSecond: number }
  | { type: 'done'; id: string; reason: StopReason; stats: GenerationStats }
  | { type: 'path-delta'; id: string; path: number; text: string; generatedTokens: number }
  | { type: 'path-done'; id: string; path: number; end: PathEnd }
  | { type: 'paths-done'; id: string; stats: PathsStats }
  | { type: 'ok'; id: string }
  | { type: 'error'; id: string; error: WorkerFailure };

export type RequestType = WorkerRequest['type'];

let counter = 0;
/** Request ids only need to be unique within one page's lifetime. */
export function nextRequestId(prefix: RequestType): string {
  counter += 1;
  return `${prefix}-${counter}-${Date.now().toString(36)}`;
}

const EVENT_TYPES: ReadonlySet<WorkerEvent['type']> = new Set([
  'progress',
  'loaded',
  'started',
  'delta',
  'done',
  'path-delta',
  'path-done',
  'paths-done',
  'ok',
  'error',
]);

/** Messages arriving from a worker are checked before the UI trusts their shape. */
export function isWorkerEvent(value: unknown): value is WorkerEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; id?: unknown };
  return typeof v.id === 'string' && typeof v.type === 'string' && EVENT_TYPES.has(v.type as WorkerEvent['type']);
}

/** Events that end a request: after one of these no more events carry its id. */
export function isTerminal(event: WorkerEvent): boolean {
  return event.type === 'loaded' || event.type === 'done' || event.type === 'paths-done' || event.type === 'ok' || event.type === 'error';
}

export function totalProgress(files: readonly FileProgress[]): { loaded: number; total: number } {
  let loaded = 0;
  let total = 0;
  for (const f of files) {
    loaded += Math.min(f.loaded, f.total);
    total += f.total;
  }
  return { loaded, total };
}
