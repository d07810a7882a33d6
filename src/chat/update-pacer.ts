/**
 * Paces the streaming view's redraws so that drawing never slows decoding much.
 *
 * A redraw costs a whole frame on the main thread (React, style, layout, paint, commit), and on a
 * small machine the compositor adds about half as much again. That CPU is taken from the model
 * wherever the GPU is emulated or shares the CPU: the decode-overhead benchmark measured ~7–8 ms of
 * main-thread time per redraw and a 6–10% slower decode on WebGPU with one redraw per token. So
 * each redraw's own cost is measured (from its animation frame until the next task, i.e. with the
 * frame's rendering) and the next one waits until drawing has used about RENDER_SHARE of the time:
 * 20 redraws a second when frames are cheap, fewer as a reply grows long or on a slow machine, and
 * never fewer than 4, so the reply still reads as live.
 */

export const RENDER_SHARE = 0.05;
export const MIN_GAP_MS = 50;
export const MAX_GAP_MS = 250;
/** Weight of the newest cost sample: smooths out one slow frame (a GC pause, a KaTeX block). */
const SMOOTHING = 0.3;

/** How long to wait after a redraw that cost `costMs` before drawing again. */
export function gapAfter(costMs: number): number {
  return Math.min(MAX_GAP_MS, Math.max(MIN_GAP_MS, costMs / RENDER_SHARE));
}

export interface Scheduler {
  now(): number;
  /** Runs `cb` at the next rendering opportunity. */
  frame(cb: () => void): void;
  /** Runs `cb` as a task once the current one (and, inside a frame callback, its rendering) is done. */
  afterTask(cb: () => void): void;
  delay(ms: number, cb: () => void): void;
}

const channel = typeof MessageChannel === 'function' ? new MessageChannel() : null;
const afterTaskQueue: Array<() => void> = [];
if (channel) channel.port1.onmessage = () => afterTaskQueue.shift()?.();

export const browserScheduler: Scheduler = {
  now: () => performance.now(),
  // Hidden tabs get no animation frames; a timer keeps the transcript (and its saving) current.
  frame: (cb) =>
    typeof document !== 'undefined' && !document.hidden && typeof requestAnimationFrame === 'function'
      ? void requestAnimationFrame(cb)
      : void setTimeout(cb, 100),
  afterTask: (cb) => {
    if (!channel) return void setTimeout(cb, 0);
    afterTaskQueue.push(cb);
    channel.port2.postMessage(null);
  },
  delay: (ms, cb) => void setTimeout(cb, ms),
};

export interface UpdatePacer {
  /** Asks for a redraw; many asks before it happens make one redraw. */
  schedule(): void;
  /** Redraws now (the reply ended): nothing waits. */
  flush(): void;
}

/** Runs `apply` (one redraw) at most once per frame and spaced by its measured cost. */
export function updatePacer(apply: () => void, scheduler: Scheduler = browserScheduler): UpdatePacer {
  let scheduled = false;
  let lastAt = -Infinity;
  let cost = 0;

  const flush = () => {
    scheduled = false;
    lastAt = scheduler.now();
    apply();
  };
  const onFrame = () => {
    if (!scheduled) return;
    const started = scheduler.now();
    flush();
    scheduler.afterTask(() => {
      const sample = scheduler.now() - started;
      cost = cost === 0 ? sample : cost + SMOOTHING * (sample - cost);
    });
  };

  return {
    schedule() {
      if (scheduled) return;
      scheduled = true;
      const wait = lastAt + gapAfter(cost) - scheduler.now();
      if (wait > 0) scheduler.delay(wait, () => scheduler.frame(onFrame));
      else scheduler.frame(onFrame);
    },
    flush,
  };
}
