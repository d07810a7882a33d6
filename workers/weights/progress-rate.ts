/**
 * Download progress at a rate a person can read. A body arrives in ~64 KB reads, so a 1.4 GB model
 * reports ~21,000 times; each report crosses to the page and redraws the load panel, main-thread work
 * that competes with the download itself on a small machine. `report` passes a call on when `ms` have
 * gone by since the last one it passed, and `flush` passes on the latest one held back (call it when
 * a file completes, so the last state is always shown).
 */
export function progressRate(emit: () => void, ms: number, now: () => number = () => performance.now()): { report(): void; flush(): void } {
  let last = -Infinity;
  let held = false;
  const pass = () => {
    last = now();
    held = false;
    emit();
  };
  return {
    report() {
      if (now() - last >= ms) pass();
      else held = true;
    },
    flush() {
      if (held) pass();
    },
  };
}
