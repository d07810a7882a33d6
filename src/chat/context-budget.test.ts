import { describe, expect, it } from 'vitest';
import { blankMessage } from './conversation';
import { checkContext, estimatePromptTokens } from './context-budget';

function reply(promptTokens: number, generatedTokens: number, content: string, answer: string) {
  return {
    ...blankMessage('assistant', ''),
    content,
    answer,
    status: 'done' as const,
    stats: { promptTokens, generatedTokens, timeToFirstTokenMs: 1, tokensPerSecond: 1, totalMs: 1 },
  };
}

describe('context budget', () => {
  it('uses the last reply’s measured counts, counting only the answer that goes back', () => {
    const messages = [blankMessage('user', 'q'), reply(1000, 4000, 'x'.repeat(900) + 'y'.repeat(100), 'y'.repeat(100))];
    // 1000 prompt + 10% of 4000 output + 30 chars of draft / 3.
    expect(estimatePromptTokens(messages, 'z'.repeat(30))).toBe(1000 + 400 + 10);
  });

  it('warns when the reply would not get its room', () => {
    const long = [blankMessage('user', 'q'), reply(20_000, 8000, 'a', 'a')];
    expect(checkContext(long, 'next', 32_768, 8192).tight).toBe(true);
    const short = [blankMessage('user', 'q'), reply(100, 200, 'a', 'a')];
    expect(checkContext(short, 'next', 32_768, 8192).tight).toBe(false);
  });
});
