import { InferenceClient } from './client';

let worker: Worker | null = null;
let client: InferenceClient | null = null;
/** The WebAssembly thread count the current worker's ONNX Runtime was started with (null: not yet asked). */
let workerThreads: number | null = null;

/** One worker per page, started on first use so the first screen paints without it. */
export function inference(): InferenceClient {
  if (!client) {
    worker = new Worker(new URL('../../workers/inference.worker.ts', import.meta.url), { type: 'module', name: 'ponder-inference' });
    client = new InferenceClient(worker);
  }
  return client;
}

/**
 * The worker for a load with `threads` WebAssembly threads. ONNX Runtime fixes its thread count when
 * it first starts, so a load that asks for another count replaces the worker (and with it the model
 * it held, which the load would unload anyway). Stored weights and chats are not in the worker.
 */
export function inferenceWithThreads(threads: number): InferenceClient {
  if (client && workerThreads !== null && workerThreads !== threads) {
    worker?.terminate();
    worker = null;
    client = null;
  }
  workerThreads = threads;
  return inference();
}
