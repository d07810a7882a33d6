import type { ErrorCode, WorkerFailure } from './protocol';

/** An error whose user-facing explanation is already known where it is thrown. */
export class ExplainedError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'ExplainedError';
    this.code = code;
    this.detail = detail;
  }
}

function textOf(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

// Runtime errors arrive as free text from ONNX Runtime, WebGPU or the browser; these patterns map
// the ones a user can act on to a sentence that says what to do.
const PATTERNS: Array<[RegExp, ErrorCode, string]> = [
  [
    /QuotaExceeded|quota/i,
    'quota',
    'The browser ran out of storage space for the model. Free some space (delete other models or site data) and try again.',
  ],
  [
    /device (was )?lost|GPUDeviceLostInfo|device is lost/i,
    'device-lost',
    'The GPU device was lost (a driver reset or the tab was in the background too long). Reload the model to continue.',
  ],
  [
    /out of memory|OOM|std::bad_alloc|Failed to allocate|allocation failed|Aborted\(\)|RangeError: Array buffer allocation/i,
    'out-of-memory',
    'The model does not fit in this device\'s memory. Close other tabs or apps, or pick a smaller model.',
  ],
  [
    /Failed to fetch|NetworkError|network error|ERR_|Load failed|terminated|connection/i,
    'network',
    'The download failed because the network connection was interrupted. Check your connection and retry.',
  ],
];

export function toFailure(error: unknown): WorkerFailure {
  if (error instanceof ExplainedError) {
    return { code: error.code, message: error.message, ...(error.detail ? { detail: error.detail } : {}) };
  }
  const detail = textOf(error);
  for (const [pattern, code, message] of PATTERNS) {
    if (pattern.test(detail)) return { code, message, detail };
  }
  return { code: 'internal', message: 'Something went wrong inside the model runtime.', detail };
}

/**
 * A runtime failure with where it happened put first ("While reading the prompt (tokens 2,049–2,560 of
 * 6,000): ..."), so a reply that failed says what failed rather than looking like it merely ended.
 */
export function failedWhile(where: string, error: unknown): ExplainedError {
  if (error instanceof ExplainedError) return error;
  const { code, message, detail } = toFailure(error);
  return new ExplainedError(code, `${where}: ${message}`, detail);
}

/** Explains an HTTP failure from the model host. */
export function httpFailure(status: number, url: string): ExplainedError {
  if (status === 401 || status === 403) {
    return new ExplainedError('not-found', `The model host refused access (HTTP ${status}). The repository may be private or gated.`, url);
  }
  if (status === 404) {
    return new ExplainedError('not-found', 'The model host has no such repository or file. Check the model id and revision.', url);
  }
  return new ExplainedError(
    'network',
    `The model host answered with an error (HTTP ${status}). It may be temporarily unavailable; retry in a moment.`,
    url,
  );
}
