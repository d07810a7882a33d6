import { describe, expect, it } from 'vitest';
import { defaultThreads, parseThreadChoice, resolveThreads, type ThreadSupport } from './threads';

const isolated = (cores: number): ThreadSupport => ({ cores, isolated: true, reason: null });

describe('WebAssembly thread count', () => {
  it('takes every core up to 4, leaves one to the page above that, and stops at 8', () => {
    expect([1, 2, 3, 4, 6, 8, 12, 32].map(defaultThreads)).toEqual([1, 2, 3, 4, 5, 7, 8, 8]);
    expect(defaultThreads(0)).toBe(1);
  });

  it('honours a chosen count within the cores', () => {
    expect(resolveThreads('auto', isolated(2))).toBe(2);
    expect(resolveThreads(1, isolated(8))).toBe(1);
    expect(resolveThreads(16, isolated(8))).toBe(8);
  });

  it('is 1 whatever the choice when the page is not isolated', () => {
    const single: ThreadSupport = { cores: 8, isolated: false, reason: 'not isolated' };
    expect(resolveThreads('auto', single)).toBe(1);
    expect(resolveThreads(4, single)).toBe(1);
  });

  it('reads the stored setting back, anything unreadable as automatic', () => {
    expect(parseThreadChoice('3')).toBe(3);
    for (const stored of [null, '', 'auto', '0', '-2', '1.5', 'lots']) expect(parseThreadChoice(stored), String(stored)).toBe('auto');
  });
});
