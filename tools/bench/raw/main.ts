// The raw-baseline page: no UI, one module worker, driven from Playwright via window.rawBench.
import type { RawLoaded, RawReply, RawRequest, RawResult } from './messages.ts';

const worker = new Worker(new URL('./raw.worker.ts', import.meta.url), { type: 'module', name: 'bench-raw' });
const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
let seq = 0;

worker.addEventListener('message', (event: MessageEvent<RawReply | { type: 'delta' }>) => {
  const reply = event.data;
  if ('type' in reply) return; // the `worker` variant's deltas: received, as the app's are, and dropped
  const p = pending.get(reply.id);
  if (!p) return;
  pending.delete(reply.id);
  if (reply.ok) p.resolve(reply.value);
  else p.reject(new Error(reply.error));
});
worker.addEventListener('error', (event) => {
  for (const p of pending.values()) p.reject(new Error(`raw worker failed: ${event.message}`));
  pending.clear();
});

function call<T>(request: RawRequest): Promise<T> {
  const id = ++seq;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    worker.postMessage({ id, request });
  });
}

const api = {
  load: (request: Extract<RawRequest, { type: 'load' }>) => call<RawLoaded>(request),
  run: (request: Extract<RawRequest, { type: 'run' }>) => call<RawResult>(request),
};
export type RawBenchApi = typeof api;
(window as unknown as { rawBench: RawBenchApi }).rawBench = api;
document.body.dataset.ready = 'true';
