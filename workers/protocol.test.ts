import { describe, expect, it } from 'vitest';
import { isTerminal, isWorkerEvent, nextRequestId, totalProgress } from './protocol';

describe('protocol helpers', () => {
  it('gives unique request ids that name the request type', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => nextRequestId('generate')));
    expect(ids.size).toBe(1000);
    expect([...ids][0]).toMatch(/^generate-/);
  });

  it('accepts only well-formed worker events', () => {
    expect(isWorkerEvent({ type: 'ok', id: 'x' })).toBe(true);
    expect(isWorkerEvent({ type: 'delta', id: 'x', text: 'a', generatedTokens: 1, tokensPerSecond: 1 })).toBe(true);
    expect(isWorkerEvent({ type: 'ok' })).toBe(false);
    expect(isWorkerEvent({ type: 'launch-missiles', id: 'x' })).toBe(false);
    expect(isWorkerEvent(null)).toBe(false);
    expect(isWorkerEvent('ok')).toBe(false);
  });

  it('knows which events end a request', () => {
    expect(isTerminal({ type: 'done', id: 'x', reason: 'eos', stats: { promptTokens: 1, generatedTokens: 1, timeToFirstTokenMs: 1, tokensPerSecond: 1, totalMs: 1 } })).toBe(true);
    expect(isTerminal({ type: 'error', id: 'x', error: { code: 'internal', message: 'm' } })).toBe(true);
    expect(isTerminal({ type: 'delta', id: 'x', text: 'a', generatedTokens: 1, tokensPerSecond: 1 })).toBe(false);
    expect(isTerminal({ type: 'progress', id: 'x', phase: 'download', files: [] })).toBe(false);
  });

  it('sums file progress without counting bytes past a file’s size', () => {
    expect(
      totalProgress([
        { path: 'a', loaded: 5, total: 10 },
        { path: 'b', loaded: 30, total: 20 },
      ]),
    ).toEqual({ loaded: 25, total: 30 });
  });
});
