/**
 * Paces the streaming view's redraws: at most one per animation frame and one per MIN_GAP_MS, so
 * drawing never paces decoding, and a fast model's tokens are drawn in batches, 20 a second.
 *
 * Tried and dropped (see tools/bench/README.md): spacing redraws by their own measured cost. A
 * redraw's cost grows with the text it adds, so longer gaps made bigger, costlier redraws and the
 * render-cost benchmark's longest task went from ~40 ms to ~190 ms, with no decode speed gained.
 */
export const MIN_GAP_MS = 50;

export interface Scheduler {
  now(): number;
  /** Runs `cb` at the next rendering opportunity. */
  frame(cb: () => void): void;
  delay(ms: number, cb: () => void): void;
}

export const browserScheduler: Scheduler = {
  now: () => performance.now(),
  // Hidden tabs get no animation frames; a timer keeps the transcript (and its saving) current.
  frame: (cb) =>
    typeof document !== 'undefined' && !document.hidden && typeof requestAnimationFrame === 'function'
      ? void requestAnimationFrame(cb)
      : void setTimeout(cb, 100),
  delay: (ms, cb) => void setTimeout(cb, ms),
};

export interface UpdatePacer {
  /** Asks for a redraw; many asks before it happens make one redraw. */
  schedule(): void;
  /** Redraws now (the reply ended): nothing waits. */
  flush(): void;
}

/** Runs `apply` (one redraw) at most once per frame and per MIN_GAP_MS. */
export function updatePacer(apply: () => void, scheduler: Scheduler = browserScheduler): UpdatePacer {
  let scheduled = false;
  let lastAt = -Infinity;

  const flush = () => {
    scheduled = false;
    lastAt = scheduler.now();
    apply();
  };
  const onFrame = () => scheduled && flush();

  return {
    schedule() {
      if (scheduled) return;
      scheduled = true;
      const wait = lastAt + MIN_GAP_MS - scheduler.now();
      if (wait > 0) scheduler.delay(wait, () => scheduler.frame(onFrame));
      else scheduler.frame(onFrame);
    },
    flush,
  };
}
