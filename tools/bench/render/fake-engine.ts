/**
 * Stands in for src/engine/instance.ts in the render bench build (a Vite alias), so the real chat
 * store streams a recorded trace instead of a model's output. Deltas arrive as the worker's do: one
 * message event (a macrotask) per token, the next posted as soon as the last was handled, so the page
 * takes them as fast as it can and the store batches them per animation frame as in the app.
 *
 * Replay mode (a schedule of cumulative token counts) hands the store the same batches, one per
 * frame, that an earlier run produced: how the naive renderer is given exactly the updates the app's
 * renderer had to handle.
 */
import type { GenerateHandlers } from '../../../src/engine/client.ts';
import type { ReplyEngine } from '../../../src/chat/chat-store.ts';
import type { ChatTurn, GenerationStats, SamplingOptions, StopReason } from '../../../workers/protocol.ts';

type Streamed = { deltas: number; streamMs: number };

let pieces: string[] = [];
let schedule: number[] | null = null;
let finished: ((r: Streamed) => void) | null = null;
let result: Promise<Streamed> = new Promise((r) => (finished = r));

export function setTrace(next: string[], replay?: number[]): void {
  pieces = next;
  schedule = replay ?? null;
  result = new Promise((r) => (finished = r));
}

/** Resolves when the last delta was handed to the store. */
export function streamed(): Promise<Streamed> {
  return result;
}

const stats = (generatedTokens: number, totalMs: number): GenerationStats => ({
  promptTokens: 0,
  generatedTokens,
  timeToFirstTokenMs: 0,
  tokensPerSecond: totalMs > 0 ? (generatedTokens * 1000) / totalMs : 0,
  totalMs,
});

const engine: ReplyEngine = {
  generate(turns: ChatTurn[], _options: SamplingOptions, handlers: GenerateHandlers): Promise<{ reason: StopReason; stats: GenerationStats }> {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      const t0 = performance.now();
      const batches = schedule ? [...schedule] : null;
      let i = 0;
      const deliver = (n: number) => {
        const elapsed = performance.now() - t0;
        for (; i < n; ) {
          handlers.onDelta(pieces[i]!, i + 1, elapsed > 0 ? ((i + 1) * 1000) / elapsed : 0);
          i += 1;
        }
      };
      const end = () => {
        channel.port1.close();
        channel.port2.close();
        const elapsed = performance.now() - t0;
        finished?.({ deltas: i, streamMs: elapsed });
        resolve({ reason: 'eos', stats: stats(i, elapsed) });
      };
      handlers.onStarted?.(turns.length);
      channel.port2.onmessage = () => {
        if (batches) {
          deliver(Math.min(pieces.length, batches.shift() ?? pieces.length));
          // The store applies this batch in the coming frame's callback (registered first); the next
          // batch follows in a task after that frame.
          if (i < pieces.length) requestAnimationFrame(() => channel.port1.postMessage(null));
          else end();
          return;
        }
        deliver(i + 1);
        if (i < pieces.length) channel.port1.postMessage(null);
        else end();
      };
      if (pieces.length > 0) channel.port1.postMessage(null);
      else end();
    });
  },
  async interrupt() {},
};

/** The alias target's export: what chat-store.ts and model-store.ts call. */
export function inference(): ReplyEngine {
  return engine;
}
