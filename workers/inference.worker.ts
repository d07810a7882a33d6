/// <reference lib="webworker" />
import { Engine } from './engine';
import { toFailure } from './errors';
import type { WorkerEvent, WorkerRequest } from './protocol';

const engine = new Engine();
const post = (event: WorkerEvent) => self.postMessage(event);

// Requests run one at a time, in order; interrupt bypasses the queue so it lands mid-generation.
let queue: Promise<void> = Promise.resolve();

async function handle(request: WorkerRequest, receivedAt: number): Promise<void> {
  const { id } = request;
  switch (request.type) {
    case 'load': {
      const info = await engine.load(request.source, {
        progress: (phase, files) => post({ type: 'progress', id, phase, files }),
      });
      post({ type: 'loaded', id, info });
      return;
    }
    case 'generate': {
      const { reason, stats } = await engine.generate(
        request,
        {
          started: (promptTokens) => post({ type: 'started', id, promptTokens }),
          delta: (text, generatedTokens, tokensPerSecond) => post({ type: 'delta', id, text, generatedTokens, tokensPerSecond }),
        },
        receivedAt,
      );
      post({ type: 'done', id, reason, stats });
      return;
    }
    case 'generate-paths': {
      const stats = await engine.generatePaths(
        request,
        {
          started: (promptTokens) => post({ type: 'started', id, promptTokens }),
          delta: (path, text, generatedTokens) => post({ type: 'path-delta', id, path, text, generatedTokens }),
          done: (path, end) => post({ type: 'path-done', id, path, end }),
        },
        receivedAt,
      );
      post({ type: 'paths-done', id, stats });
      return;
    }
    case 'reset':
      await engine.reset();
      post({ type: 'ok', id });
      return;
    case 'unload':
      await engine.unload();
      post({ type: 'ok', id });
      return;
    case 'interrupt':
      engine.interrupt();
      post({ type: 'ok', id });
      return;
  }
}

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  // Time to first token counts from here, so waiting behind an earlier request is included.
  const receivedAt = performance.now();
  const run = () =>
    handle(request, receivedAt).catch((error: unknown) => {
      post({ type: 'error', id: request.id, error: toFailure(error) });
    });
  if (request.type === 'interrupt') {
    void run();
  } else {
    queue = queue.then(run);
  }
});
