/**
 * How many threads ONNX Runtime's WebAssembly backend gets. Threads need SharedArrayBuffer, which
 * browsers only hand to cross-origin isolated pages (src/isolation/headers.ts, src/pwa/sw.ts).
 */
export type ThreadChoice = 'auto' | number;

export interface ThreadSupport {
  /** Logical cores the browser reports (navigator.hardwareConcurrency). */
  cores: number;
  /** Whether this page may run WebAssembly on several threads at all. */
  isolated: boolean;
  /** Why WebAssembly runs on one thread here, in words for the user; null when isolated. */
  reason: string | null;
}

/**
 * Every core on small machines (on 2 cores leaving one to the page halves prefill); above 4, one is
 * left for the page, whose rendering then never competes with inference. Past 8 ORT's batch-1
 * kernels gain little and a laptop's efficiency cores only add waiting, so 8 is the most by default.
 */
export function defaultThreads(cores: number): number {
  const n = Math.max(1, Math.floor(cores) || 1);
  return Math.min(8, n <= 4 ? n : n - 1);
}

export function threadSupport(): ThreadSupport {
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  if (globalThis.crossOriginIsolated && typeof SharedArrayBuffer === 'function') return { cores, isolated: true, reason: null };
  let reason: string;
  if (window.top !== window.self) {
    reason = 'Ponder is inside another page, which keeps it from being cross-origin isolated. Open it in its own tab to use every core.';
  } else if (!('crossOriginIsolated' in globalThis)) {
    reason = 'This browser does not support cross-origin isolation, which multi-threaded WebAssembly needs.';
  } else if (!('serviceWorker' in navigator)) {
    reason = 'The host sends no cross-origin isolation headers, and this browser has no service worker to add them.';
  } else {
    reason = 'The page is not cross-origin isolated yet: the host sends no isolation headers and the offline worker had not taken over. Reload once.';
  }
  return { cores, isolated: false, reason };
}

/** The thread count a load asks for: the choice, within the cores, and 1 where threads cannot run. */
export function resolveThreads(choice: ThreadChoice, support: ThreadSupport): number {
  if (!support.isolated) return 1;
  if (choice === 'auto') return defaultThreads(support.cores);
  return Math.max(1, Math.min(support.cores, Math.floor(choice)));
}

/** A stored setting back into a choice; anything unreadable is 'auto'. */
export function parseThreadChoice(stored: string | null): ThreadChoice {
  const n = Number(stored);
  return Number.isSafeInteger(n) && n >= 1 ? n : 'auto';
}
