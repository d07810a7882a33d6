import { describe, expect, it } from 'vitest';
import { progressRate } from './progress-rate';

describe('progressRate', () => {
  it('passes the first report, then at most one per interval, and flush delivers the last one held', () => {
    let clock = 0;
    const seen: number[] = [];
    let state = 0;
    const rate = progressRate(() => seen.push(state), 100, () => clock);
    // 21,000 reads over 12 s, as a 1.4 GB body arrives.
    for (let i = 1; i <= 21_000; i++) {
      clock = (i * 12_000) / 21_000;
      state = i;
      rate.report();
    }
    rate.flush();
    expect(seen.length).toBeGreaterThan(100);
    expect(seen.length).toBeLessThanOrEqual(122);
    expect(seen[0]).toBe(1);
    expect(seen.at(-1)).toBe(21_000);
  });

  it('flush passes nothing when nothing was held back', () => {
    let clock = 0;
    let calls = 0;
    const rate = progressRate(() => calls++, 100, () => clock);
    rate.report();
    rate.flush();
    expect(calls).toBe(1);
    clock = 500;
    rate.report();
    rate.flush();
    expect(calls).toBe(2);
  });
});
