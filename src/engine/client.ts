import {
  isTerminal,
  isWorkerEvent,
  nextRequestId,
  type ChatTurn,
  type FileProgress,
  type GenerationStats,
  type LoadedInfo,
  type LoadPhase,
  type ModelSource,
  type PathEnd,
  type PathsStats,
  type SamplingOptions,
  type StopReason,
  type WorkerEvent,
  type WorkerFailure,
  type WorkerRequest,
} from '../../workers/protocol';

/** The part of a Worker the client uses, so tests can drive it over a MessageChannel. */
export interface WorkerPort {
  postMessage(message: WorkerRequest): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
}

/** A failure the worker explained; the UI shows `failure.message` and keeps `detail` for a disclosure. */
export class InferenceError extends Error {
  readonly failure: WorkerFailure;

  constructor(failure: WorkerFailure) {
    super(failure.message);
    this.name = 'InferenceError';
    this.failure = failure;
  }
}

type Pending = { onEvent: (event: WorkerEvent) => void; resolve: (e: WorkerEvent) => void; reject: (e: InferenceError) => void };

type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

export interface PathsHandlers {
  onStarted?(promptTokens: number): void;
  onDelta(path: number, text: string, generatedTokens: number): void;
  onDone(path: number, end: PathEnd): void;
}

export interface GenerateHandlers {
  onStarted?(promptTokens: number): void;
  onDelta(text: string, generatedTokens: number, tokensPerSecond: number): void;
}

/** Promise-shaped access to the inference worker; every request ends in a result or an InferenceError. */
export class InferenceClient {
  private readonly port: WorkerPort;
  private readonly pending = new Map<string, Pending>();

  constructor(port: WorkerPort) {
    this.port = port;
    port.addEventListener('message', (event) => this.receive(event.data));
    port.addEventListener('error', (event) => {
      // A worker that fails to start or crashes must not leave the UI waiting forever.
      const detail = (event as Partial<ErrorEvent>).message || 'The worker script failed to load or threw at the top level.';
      this.failAll({ code: 'internal', message: 'The model worker stopped unexpectedly. Reload the page to start it again.', detail });
    });
  }

  private receive(data: unknown): void {
    if (!isWorkerEvent(data)) return;
    const pending = this.pending.get(data.id);
    if (!pending) return;
    pending.onEvent(data);
    if (!isTerminal(data)) return;
    this.pending.delete(data.id);
    if (data.type === 'error') pending.reject(new InferenceError(data.error));
    else pending.resolve(data);
  }

  private failAll(failure: WorkerFailure): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(new InferenceError(failure));
    }
  }

  private send(body: RequestBody, onEvent: (event: WorkerEvent) => void = () => {}): Promise<WorkerEvent> {
    const id = nextRequestId(body.type);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { onEvent, resolve, reject });
      this.port.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  async load(source: ModelSource, onProgress: (phase: LoadPhase, files: FileProgress[]) => void): Promise<LoadedInfo> {
    const end = await this.send({ type: 'load', source }, (e) => {
      if (e.type === 'progress') onProgress(e.phase, e.files);
    });
    if (end.type !== 'loaded') throw new InferenceError({ code: 'internal', message: `Unexpected reply ${end.type} to load.` });
    return end.info;
  }

  async generate(
    turns: ChatTurn[],
    options: SamplingOptions,
    handlers: GenerateHandlers,
    continuation?: string,
  ): Promise<{ reason: StopReason; stats: GenerationStats }> {
    const end = await this.send({ type: 'generate', turns, options, ...(continuation ? { continuation } : {}) }, (e) => {
      if (e.type === 'started') handlers.onStarted?.(e.promptTokens);
      else if (e.type === 'delta') handlers.onDelta(e.text, e.generatedTokens, e.tokensPerSecond);
    });
    if (end.type !== 'done') throw new InferenceError({ code: 'internal', message: `Unexpected reply ${end.type} to generate.` });
    return { reason: end.reason, stats: end.stats };
  }

  /** One sampled path per seed, decoded together; handlers hear each path as it streams and ends. */
  async generatePaths(turns: ChatTurn[], options: SamplingOptions, seeds: number[], handlers: PathsHandlers): Promise<PathsStats> {
    const end = await this.send({ type: 'generate-paths', turns, options, seeds }, (e) => {
      if (e.type === 'started') handlers.onStarted?.(e.promptTokens);
      else if (e.type === 'path-delta') handlers.onDelta(e.path, e.text, e.generatedTokens);
      else if (e.type === 'path-done') handlers.onDone(e.path, e.end);
    });
    if (end.type !== 'paths-done') throw new InferenceError({ code: 'internal', message: `Unexpected reply ${end.type} to generate-paths.` });
    return end.stats;
  }

  async interrupt(): Promise<void> {
    await this.send({ type: 'interrupt' });
  }

  async unload(): Promise<void> {
    await this.send({ type: 'unload' });
  }
}
