import { InferenceClient } from './client';

let client: InferenceClient | null = null;

/** One worker per page, started on first use so the first screen paints without it. */
export function inference(): InferenceClient {
  client ??= new InferenceClient(
    new Worker(new URL('../../workers/inference.worker.ts', import.meta.url), { type: 'module', name: 'ponder-inference' }),
  );
  return client;
}
