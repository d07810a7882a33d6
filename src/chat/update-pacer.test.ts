import { describe, expect, it } from 'vitest';
import { LONE_WAIT_MS, MIN_GAP_MS, updatePacer, type Scheduler } from './update-pacer';

/**
 * A virtual clock standing in for the browser's: frames come at 60 Hz, and each redraw "costs"
 * `costMs`, which the clock advances by inside the frame, as real rendering would.
 */
function virtualBrowser(costMs: () => number) {
  let now = 0;
  const timers: Array<{ at: number; cb: () => void }> = [];
  let frames = 0;
  const at = (t: number, cb: () => void) => timers.push({ at: t, cb });
  const scheduler: Scheduler = {
    now: () => now,
    frame: (cb) => {
      frames += 1;
      at(Math.ceil((now + 0.001) / 16.667) * 16.667, cb);
    },
    delay: (ms, cb) => at(now + ms, cb),
  };
  const redraws: number[] = [];
  const pacer = updatePacer(() => {
    redraws.push(now);
    now += costMs();
  }, scheduler);
  return {
    pacer,
    redraws,
    now: () => now,
    /** Animation frames asked for: each costs the browser a frame even if nothing is drawn in it. */
    frames: () => frames,
    /** Runs every timer due up to `until`, with `tick` called at each `every` ms (a token arriving). */
    run(until: number, every: number, tick: () => void) {
      for (let next = 0; next <= until; next += every) {
        at(next, tick);
      }
      while (timers.length > 0) {
        timers.sort((a, b) => a.at - b.at);
        if (timers[0]!.at > until) break;
        const t = timers.shift()!;
        now = Math.max(now, t.at);
        t.cb();
      }
    },
  };
}

describe('updatePacer', () => {
  it('draws every token as it arrives when tokens come slower than LONE_WAIT_MS', () => {
    const b = virtualBrowser(() => 1);
    b.run(2000, LONE_WAIT_MS + 10, () => b.pacer.schedule());
    // Tokens at 0, 210, ..., 1890 ms: each gets its own redraw on the next frame.
    expect(b.redraws.length).toBe(10);
    b.redraws.forEach((t, i) => expect(t - i * (LONE_WAIT_MS + 10)).toBeLessThan(17));
  });

  it('draws two tokens per redraw at 10 tok/s, and no token waits longer than LONE_WAIT_MS', () => {
    const b = virtualBrowser(() => 1);
    const arrivals: number[] = [];
    b.run(2050, 100, () => {
      arrivals.push(b.now());
      b.pacer.schedule();
    });
    // 21 tokens: the first alone at once, then pairs, and no frame is asked for in vain.
    expect(b.redraws.length).toBe(11);
    expect(b.frames()).toBe(11);
    for (const t of arrivals) {
      const drawn = b.redraws.find((r) => r >= t);
      expect(drawn).toBeDefined();
      expect(drawn! - t).toBeLessThanOrEqual(LONE_WAIT_MS + 17);
    }
  });

  it('batches fast tokens into at most 20 redraws a second', () => {
    const b = virtualBrowser(() => 1);
    b.run(2000, 5, () => b.pacer.schedule());
    expect(b.redraws.length).toBeLessThanOrEqual(41);
    expect(b.redraws.length).toBeGreaterThanOrEqual(30);
    for (let i = 1; i < b.redraws.length; i++) expect(b.redraws[i]! - b.redraws[i - 1]!).toBeGreaterThanOrEqual(MIN_GAP_MS);
  });

  it('keeps up however slow a redraw is: the next one follows as soon as the gap allows', () => {
    const cost = 60;
    const b = virtualBrowser(() => cost);
    b.run(5000, 20, () => b.pacer.schedule());
    expect(b.redraws.length).toBeGreaterThan(30);
    for (let i = 1; i < b.redraws.length; i++) expect(b.redraws[i]! - b.redraws[i - 1]!).toBeLessThanOrEqual(cost + MIN_GAP_MS + 17);
  });

  it('flush draws at once, and a lone token after it waits LONE_WAIT_MS for company', () => {
    const b = virtualBrowser(() => 1);
    b.pacer.flush();
    expect(b.redraws).toEqual([0]);
    b.run(LONE_WAIT_MS - 10, 1000, () => b.pacer.schedule());
    expect(b.redraws).toEqual([0]);
    b.run(LONE_WAIT_MS + 20, 1000, () => {});
    expect(b.redraws.length).toBe(2);
    expect(b.redraws[1]).toBeGreaterThanOrEqual(LONE_WAIT_MS);
  });
});
