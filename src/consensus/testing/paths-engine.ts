import type { ChatTurn, SamplingOptions } from '../../../workers/protocol';
import type { PathsEngine } from '../sample';

export interface PathsCall {
  turns: ChatTurn[];
  options: SamplingOptions;
  seeds: number[];
}

/**
 * Plays the worker's part for consensus tests: each path's reply comes from `replyFor(seed)`, the
 * rows of a call stream interleaved a few characters at a time, as a batch does, and Stop ends every row.
 * `failOn` makes the given call (0-based) fail after its first deltas.
 */
export function scriptedPathsEngine(replyFor: (seed: number, path: number) => string, failOn?: number) {
  const calls: PathsCall[] = [];
  let interrupted = false;
  let started = 0;
  const engine: PathsEngine = {
    async generatePaths(turns, options, seeds, handlers) {
      calls.push({ turns, options, seeds });
      const call = calls.length - 1;
      interrupted = false;
      handlers.onStarted?.(10);
      const pieces = seeds.map((seed) => replyFor(seed, started++).match(/.{1,4}/gs) ?? []);
      const sent = seeds.map(() => 0);
      const open = new Set(seeds.map((_, i) => i));
      let generated = 0;
      for (let step = 0; open.size > 0; step++) {
        if (failOn === call && step === 2) throw new Error('scripted failure');
        for (const i of [...open]) {
          const piece = pieces[i]![step];
          if (piece === undefined || interrupted) {
            open.delete(i);
            generated += sent[i]!;
            handlers.onDone(i, { reason: interrupted ? 'interrupted' : 'eos', generatedTokens: sent[i]!, confidence: interrupted ? null : 10 + (seeds[i]! % 7), thinkingBudgetHit: false });
            continue;
          }
          sent[i]! += 1;
          handlers.onDelta(i, piece, sent[i]!);
        }
        await Promise.resolve();
      }
      return { promptTokens: 10, generatedTokens: generated, totalMs: 1, tokensPerSecond: 1, rowsPerBatch: seeds.length };
    },
    async interrupt() {
      interrupted = true;
    },
  };
  return { engine, calls };
}

/** A reply that thinks a little and boxes `answer`. */
export const boxedReply = (answer: string) => `Let me think.\n</think>\n\nSo it is $\\boxed{${answer}}$.`;
