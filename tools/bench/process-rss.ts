/**
 * Resident memory (VmRSS, from Linux's /proc) of the Chromium processes this script started (its
 * descendants, so another Chromium on a shared machine is left out), each tagged with its kind as
 * thread-cpu.ts names processes: `renderer` (pages and their dedicated workers), `gpu-process`,
 * `browser`, `utility:StorageService` (IndexedDB, Cache Storage), ... Where /proc is missing, a
 * snapshot is empty.
 */
import { procList, procText, processName } from './thread-cpu.ts';

export interface ProcessRss {
  kind: string;
  bytes: number;
}

export function chromiumRss(): ProcessRss[] {
  const parent = new Map<number, number>();
  const found = new Map<number, ProcessRss>();
  for (const entry of procList('/proc').filter((p) => /^\d+$/.test(p))) {
    const cmdline = procText(`/proc/${entry}/cmdline`);
    if (!cmdline?.includes('chrom')) continue;
    const stat = procText(`/proc/${entry}/stat`);
    const kb = /VmRSS:\s+(\d+)/.exec(procText(`/proc/${entry}/status`) ?? '')?.[1];
    if (!stat || kb === undefined) continue; // the process ended meanwhile
    parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    found.set(Number(entry), { kind: processName(cmdline), bytes: Number(kb) * 1024 });
  }
  const mine = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  return [...found].filter(([pid]) => mine(pid)).map(([, p]) => p);
}

/** Bytes of the processes of the given kinds (all of them without `kinds`). */
export function rssOf(processes: readonly ProcessRss[], kinds?: readonly string[]): number {
  return processes.filter((p) => !kinds || kinds.includes(p.kind)).reduce((sum, p) => sum + p.bytes, 0);
}

/**
 * Runs `work` while sampling every 100 ms; each figure `measure` makes of a snapshot is kept at its
 * highest (`peak`), and `start` holds the figures of the snapshot taken just before `work` started.
 */
export async function withPeakRss<T, K extends string>(
  work: () => Promise<T>,
  measure: (processes: ProcessRss[]) => Record<K, number>,
): Promise<{ result: T; start: Record<K, number>; peak: Record<K, number> }> {
  const start = measure(chromiumRss());
  const peak = { ...start };
  const sample = () => {
    for (const [key, value] of Object.entries(measure(chromiumRss())) as Array<[K, number]>) peak[key] = Math.max(peak[key], value);
  };
  const timer = setInterval(sample, 100);
  try {
    const result = await work();
    sample();
    return { result, start, peak };
  } finally {
    clearInterval(timer);
  }
}
