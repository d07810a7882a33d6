// Messages between the raw-baseline page (raw/main.ts) and its worker (raw/raw.worker.ts).

export type RawDevice = 'webgpu' | 'wasm';

export interface RawLoad {
  type: 'load';
  /** The local hub's origin, e.g. http://127.0.0.1:1234 */
  hub: string;
  repo: string;
  device: RawDevice;
  dtype: 'fp32' | 'q4';
}

/**
 * What runs around generate():
 * - `raw`: plain generate(), greedy (argmax inside transformers.js), a streamer that only notes times.
 * - `sampler`: plus the app's ChoosingLogitsProcessor (T=0.6, top-p 0.95 over the whole vocabulary),
 *   which is how the app picks every token.
 * - `worker`: the app's worker path without its UI: the sampler, the per-forward event-loop yield,
 *   incremental detokenizing, and one `delta` postMessage per token to a page that ignores them.
 * The last two exist only to split the app's overhead into parts.
 */
export type RawVariant = 'raw' | 'sampler' | 'worker';

export interface RawRun {
  type: 'run';
  prompt: string;
  maxNewTokens: number;
  variant: RawVariant;
}

export type RawRequest = RawLoad | RawRun;

export interface RawLoaded {
  loadMs: number;
  promptTokens: number;
  adapter: string | null;
  crossOriginIsolated: boolean;
}

export interface RawResult {
  generatedTokens: number;
  /** From the request to the first generated token. */
  firstTokenMs: number;
  /** (generated - 1) / (end of generate() - first token), as the app's worker computes it. */
  tokensPerSecond: number;
  totalMs: number;
  /** Milliseconds between consecutive tokens (generated - 1 entries). */
  intervals: number[];
}

export type RawReply = { id: number; ok: true; value: RawLoaded | RawResult } | { id: number; ok: false; error: string };
