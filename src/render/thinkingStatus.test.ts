import { describe, expect, it } from 'vitest';
import { thinkingHeader, thinkingPhase } from './thinkingStatus.ts';

const base = { closed: false, streaming: true, tokens: 1234, seconds: 12.4, cutOff: false };

describe('thinking status', () => {
  it('is live while streaming and not closed', () => {
    expect(thinkingPhase(base)).toBe('live');
    expect(thinkingHeader(base)).toBe('Thinking… 1,234 tokens · 12 s');
    expect(thinkingHeader({ ...base, tokens: 1, seconds: 0.2 })).toBe('Thinking… 1 token · 0 s');
  });

  it('summarizes once closed, even while the answer still streams', () => {
    expect(thinkingPhase({ ...base, closed: true })).toBe('done');
    expect(thinkingHeader({ ...base, closed: true })).toBe('Thought for 12 s (1,234 tokens)');
    expect(thinkingHeader({ ...base, closed: true, streaming: false, budgetHit: true })).toBe(
      'Thought for 12 s (1,234 tokens) · thinking budget reached',
    );
  });

  it('says when thinking was cut off by the token limit or the thinking budget', () => {
    const cut = { ...base, streaming: false, cutOff: true };
    expect(thinkingPhase(cut)).toBe('cut');
    expect(thinkingHeader(cut)).toBe('Thinking was cut off at the token limit · 1,234 tokens · 12 s');
    expect(thinkingHeader({ ...cut, budgetHit: true })).toBe('Thinking was cut off: the thinking budget was hit · 1,234 tokens · 12 s');
  });

  it('says an error ended it, not the token limit, when the reply failed', () => {
    const failed = { ...base, streaming: false, tokens: 0, failed: true };
    expect(thinkingPhase(failed)).toBe('failed');
    expect(thinkingHeader(failed)).toBe('Thinking ended by an error · 0 tokens · 12 s');
  });

  it('says stopped when it ended early for another reason', () => {
    expect(thinkingPhase({ ...base, streaming: false })).toBe('stopped');
    expect(thinkingHeader({ ...base, streaming: false })).toBe('Thinking stopped · 1,234 tokens · 12 s');
  });
});
