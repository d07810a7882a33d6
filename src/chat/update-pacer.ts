/**
 * Paces the streaming view's redraws. A redraw costs about the same whether it adds one token or
 * five, and on a machine where the page shares the CPU (or GPU) with decoding that cost comes out of
 * decode speed, so redraws carry at least two tokens where that keeps text flowing:
 * - never more than one per animation frame, and never closer than MIN_GAP_MS (20 a second at most);
 * - a lone token waits up to LONE_WAIT_MS for company, so at 5 tok/s or slower every token is drawn
 *   as it arrives, and faster replies are drawn two or more tokens at a time;
 * - the first token of a reply is drawn at once. Drawing never paces decoding.
 *
 * Tried and dropped (see tools/bench/README.md): spacing redraws by their own measured cost. A
 * redraw's cost grows with the text it adds, so longer gaps made bigger, costlier redraws and the
 * render-cost benchmark's longest task went from ~40 ms to ~190 ms, with no decode speed gained.
 * Counting tokens has no such loop: a fast stream still gets a redraw every MIN_GAP_MS.
 */
export const MIN_GAP_MS = 50;
export const LONE_WAIT_MS = 200;

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
  /** A token arrived: asks for a redraw; many asks before it happens make one redraw. */
  schedule(): void;
  /** Redraws now (the reply ended): nothing waits. */
  flush(): void;
}

/** Runs `apply` (one redraw) at the pace described above; `schedule` is called once per token. */
export function updatePacer(apply: () => void, scheduler: Scheduler = browserScheduler): UpdatePacer {
  let pending = 0;
  let lastAt = -Infinity;
  /** When the wake-up already asked for is due; Infinity when none is. */
  let plannedAt = Infinity;

  const flush = () => {
    pending = 0;
    plannedAt = Infinity;
    lastAt = scheduler.now();
    apply();
  };

  return {
    schedule() {
      pending += 1;
      const dueAt = lastAt + (pending >= 2 ? MIN_GAP_MS : LONE_WAIT_MS);
      // A second token can bring the wake-up forward; a later one never pushes it back.
      if (dueAt >= plannedAt) return;
      plannedAt = dueAt;
      // A wake-up overtaken by an earlier one does nothing, not even ask for a frame: an empty frame
      // still costs the compositor a commit.
      const current = () => pending > 0 && plannedAt === dueAt;
      const wake = () => current() && flush();
      const wait = dueAt - scheduler.now();
      if (wait > 0) scheduler.delay(wait, () => current() && scheduler.frame(wake));
      else scheduler.frame(wake);
    },
    flush,
  };
}
