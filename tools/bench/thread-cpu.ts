/**
 * CPU time of Chromium's threads, read from Linux's /proc: what each run cost the machine, thread by
 * thread. Wall-clock speed on a shared 2-core VM swings ±8% run to run; the page's own threads' CPU
 * time per token (main thread, compositor, viz) barely does, so it shows what a page change saves.
 * Threads are keyed `<process>/<thread name>`, the process being `renderer`, `gpu-process`,
 * `browser`, or a utility's sub-type, and a process's main thread being `main`; threads of one name
 * (all renderers' main threads, a pool's workers) are summed. Where /proc is missing (not Linux),
 * snapshots are empty.
 */
import { readdirSync, readFileSync } from 'node:fs';

export type ThreadCpu = Map<string, number>;

const TICK_MS = 10; // USER_HZ is 100 on every Linux Chromium supports

/** A file's text, or null: the process or thread may have ended meanwhile (or /proc is missing). */
export function procText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function procList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** `renderer`, `gpu-process`, `browser`, or a utility's sub-type (`utility:StorageService`). */
export function processName(cmdline: string): string {
  const type = /--type=([\w-]+)/.exec(cmdline)?.[1];
  const sub = /--utility-sub-type=([\w.]+)/.exec(cmdline)?.[1];
  return sub ? `utility:${sub.split('.').pop()}` : (type ?? 'browser');
}

/** Cumulative CPU ms of every thread of every Chromium process, summed per key. */
export function snapshotThreadCpu(): ThreadCpu {
  const cpu: ThreadCpu = new Map();
  for (const pid of procList('/proc').filter((p) => /^\d+$/.test(p))) {
    const cmdline = procText(`/proc/${pid}/cmdline`);
    if (!cmdline?.includes('chrom')) continue;
    const proc = processName(cmdline);
    for (const tid of procList(`/proc/${pid}/task`)) {
      const stat = procText(`/proc/${pid}/task/${tid}/stat`);
      if (!stat) continue;
      // comm may hold spaces and parentheses: it runs from the first '(' to the last ')'.
      // A process's main thread carries the binary's name (chromium, chrome): call it `main`.
      const name = tid === pid ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
      const key = `${proc}/${name}`;
      cpu.set(key, (cpu.get(key) ?? 0) + ticks * TICK_MS);
    }
  }
  return cpu;
}

/** CPU ms per unit (e.g. per token) spent between two snapshots, per key. */
export function cpuSince(before: ThreadCpu, after: ThreadCpu, units: number): ThreadCpu {
  const spent: ThreadCpu = new Map();
  for (const [key, ms] of after) {
    const d = ms - (before.get(key) ?? 0);
    if (d > 0) spent.set(key, d / Math.max(1, units));
  }
  return spent;
}

export const totalCpu = (cpu: ThreadCpu): number => [...cpu.values()].reduce((a, b) => a + b, 0);

/**
 * The threads that draw pages: renderer main threads, their compositors, and the GPU process's
 * display compositor. Workers, SwiftShader's threads and IO are left out.
 */
export function pageCpu(cpu: ThreadCpu): number {
  const page = ['renderer/main', 'renderer/Compositor', 'gpu-process/VizCompositorTh'];
  return page.reduce((sum, key) => sum + (cpu.get(key) ?? 0), 0);
}
