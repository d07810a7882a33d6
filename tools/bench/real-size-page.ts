/**
 * The page side of real-size.ts (run from source by source-page.ts, in the page): each step runs in
 * a fresh dedicated module worker (real-size-worker.ts), which stays alive after the step, holding
 * what it loaded, until `realSizeRelease()` ends it, so the bench can read the RSS of a loaded model
 * and then of the same processes once it is gone.
 */
import type { StepArgs, StepReply, StepResult } from './real-size-worker';

export type PageReply = { ok: true; result: StepResult } | { ok: false; error: string };

let worker: Worker | null = null;
let ids = 0;

function started(): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./real-size-worker.ts', import.meta.url), { type: 'module' });
    const onMessage = (event: MessageEvent<{ ready?: boolean }>) => {
      if (!event.data.ready) return;
      w.removeEventListener('message', onMessage);
      resolve(w);
    };
    w.addEventListener('message', onMessage);
    w.addEventListener('error', (event) => reject(new Error(`the worker failed to start: ${event.message}`)), { once: true });
  });
}

/** Runs one step in a fresh worker (ending the previous one); never rejects. */
async function realSizeStep(args: StepArgs): Promise<PageReply> {
  realSizeRelease();
  try {
    const w = await started();
    worker = w;
    const id = ++ids;
    return await new Promise<PageReply>((resolve) => {
      w.onmessage = (event: MessageEvent<StepReply>) => {
        if (event.data.id !== id) return;
        resolve(event.data.ok ? { ok: true, result: event.data.result } : { ok: false, error: event.data.error });
      };
      // An uncaught error or an abort in the worker (ORT's WebAssembly running out of memory, say).
      w.onerror = (event) => resolve({ ok: false, error: `worker error: ${event.message || 'unknown (the worker died)'}` });
      w.postMessage({ id, args });
    });
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}

/** Ends the worker of the last step, and with it everything it held. */
function realSizeRelease(): void {
  worker?.terminate();
  worker = null;
}

Object.assign(globalThis, { realSizeStep, realSizeRelease });
