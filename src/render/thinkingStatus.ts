// The thinking block's header text and phase, kept pure so the wording is unit tested.

export interface ThinkingStatusInput {
  closed: boolean;
  streaming: boolean;
  tokens: number;
  seconds: number;
  /** Ended by the token limit (the reply's status is 'length'). */
  cutOff: boolean;
  budgetHit?: boolean;
  /** Ended by an error; the error itself is shown beside the block. */
  failed?: boolean;
}

/** live: still thinking · done: `</think>` seen · cut: ended by a limit · failed: ended by an error · stopped: ended early otherwise (user stop). */
export type ThinkingPhase = 'live' | 'done' | 'cut' | 'failed' | 'stopped';

export function thinkingPhase({ closed, streaming, cutOff, budgetHit, failed }: ThinkingStatusInput): ThinkingPhase {
  if (closed) return 'done';
  if (streaming) return 'live';
  if (failed) return 'failed';
  return cutOff || budgetHit ? 'cut' : 'stopped';
}

const count = new Intl.NumberFormat('en');
const tokenCount = (n: number): string => `${count.format(n)} ${n === 1 ? 'token' : 'tokens'}`;
const duration = (s: number): string => `${count.format(Math.max(0, Math.round(s)))} s`;

export function thinkingHeader(input: ThinkingStatusInput): string {
  const { tokens, seconds, budgetHit } = input;
  switch (thinkingPhase(input)) {
    case 'live':
      return `Thinking… ${tokenCount(tokens)} · ${duration(seconds)}`;
    case 'done':
      return `Thought for ${duration(seconds)} (${tokenCount(tokens)})${budgetHit ? ' · thinking budget reached' : ''}`;
    case 'cut':
      return `${budgetHit ? 'Thinking was cut off: the thinking budget was hit' : 'Thinking was cut off at the token limit'} · ${tokenCount(tokens)} · ${duration(seconds)}`;
    case 'failed':
      return `Thinking ended by an error · ${tokenCount(tokens)} · ${duration(seconds)}`;
    case 'stopped':
      return `Thinking stopped · ${tokenCount(tokens)} · ${duration(seconds)}`;
  }
}
