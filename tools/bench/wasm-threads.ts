/**
 * wasm-threads: what cross-origin isolation buys on the CPU. The real app (isolated by its preview
 * server, tools/bench/servers.ts) loads `bench-r1` on WASM in two pages of one Chromium: one set to
 * 1 thread (the app's "CPU threads" setting), one left on Automatic (defaultThreads of the cores).
 * Each rep runs one long-prompt reply in each page, alternating which goes first, and takes the
 * ratio within the rep, so a drifting machine favours neither.
 *
 *   prefill tok/s  prompt tokens / (time to first token - one decode step at the run's decode speed)
 *   decode tok/s   the worker's own figure: (generated - 1) / time since the first token
 *
 * Settings (environment): BENCH_THREADS_REPS=3  BENCH_THREADS_TOKENS=48  BENCH_THREADS_PROMPT_WORDS=120
 */
import { cpus, loadavg } from 'node:os';
import { launchBrowser } from '../../e2e/harness/browser.ts';
import { defaultThreads } from '../../src/engine/threads.ts';
import { AppSide, median, quantile } from './decode-overhead.ts';
import { benchHub, serveApp } from './servers.ts';
import type { Benchmark, Log } from './types.ts';

const WORDS = ['seven', 'apples', 'and', 'five', 'pears', 'make', 'twelve', 'fruits', 'in', 'one', 'basket', 'today'];

/**
 * A question of `words` words (bench-r1's tokenizer makes ~4 tokens of each; the log says how many).
 * It opens with the run's number: the app reuses the KV cache of a prompt prefix it has seen (even
 * across "New chat"), and a timed prefill must start from scratch.
 */
function longPrompt(words: number, run: number): string {
  const body = Array.from({ length: words }, (_, i) => WORDS[(i * 7 + Math.floor(i / WORDS.length)) % WORDS.length]).join(' ');
  return `Basket ${run}: ${body}. How many fruits are there? Please reason step by step, and put your final answer within \\boxed{}.`;
}

interface Run {
  prefillTps: number;
  decodeTps: number;
  promptTokens: number;
}

const int = (v: string | undefined, fallback: number) => (v && /^\d+$/.test(v) ? Number(v) : fallback);
const round = (v: number, digits = 3) => Number(v.toFixed(digits));

export default {
  name: 'wasm-threads',
  async run(log: Log) {
    const reps = Math.max(1, int(process.env.BENCH_THREADS_REPS, 3));
    const tokens = Math.max(2, int(process.env.BENCH_THREADS_TOKENS, 48));
    const words = int(process.env.BENCH_THREADS_PROMPT_WORDS, 120);
    let runs = 0;
    const cores = cpus().length;
    const threads = defaultThreads(cores);
    log(`machine: ${cores} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; default thread count ${threads}`);

    const [hub, app] = await Promise.all([benchHub(), serveApp()]);
    const browser = await launchBrowser();
    const sides: Record<'one' | 'many', AppSide | null> = { one: null, many: null };
    try {
      // The setting as a person would leave it, in place before the app's first script reads it.
      sides.one = await AppSide.open(browser, app, hub.url, 'wasm', log, `localStorage.setItem('ponder.threads', '1');`);
      sides.many = await AppSide.open(browser, app, hub.url, 'wasm', log, `localStorage.removeItem('ponder.threads');`);
      const isolated = await sides.many.page.evaluate('self.crossOriginIsolated');
      if (isolated !== true) throw new Error('the app page is not cross-origin isolated: WASM cannot run threaded');
      const badges = await Promise.all([sides.one, sides.many].map((s) => s.page.getByTestId('device-badge').textContent()));
      log(`badges: 1-thread page "${badges[0]}", default page "${badges[1]}"`);

      const timeoutMs = 600_000;
      const measure = async (which: 'one' | 'many', label: string): Promise<Run> => {
        const r = await (sides[which] as AppSide).run(tokens, timeoutMs, longPrompt(words, ++runs));
        const stepMs = r.tokensPerSecond > 0 ? 1000 / r.tokensPerSecond : 0;
        const run = { prefillTps: (r.promptTokens * 1000) / Math.max(1, r.firstTokenMs - stepMs), decodeTps: r.tokensPerSecond, promptTokens: r.promptTokens };
        log(
          `${label} ${which === 'one' ? '1 thread ' : `${threads} threads`}: prompt ${r.promptTokens} tokens, first token ${Math.round(r.firstTokenMs)} ms, ` +
            `prefill ${run.prefillTps.toFixed(1)} tok/s, decode ${run.decodeTps.toFixed(2)} tok/s over ${r.generatedTokens} tokens`,
        );
        return run;
      };
      // Untimed: V8 and ORT warm up on the long prompt's shapes in each page.
      await measure('one', 'warm-up');
      await measure('many', 'warm-up');

      const prefill: number[] = [];
      const decode: number[] = [];
      const single: Run[] = [];
      const multi: Run[] = [];
      for (let rep = 0; rep < reps; rep++) {
        const order: Array<'one' | 'many'> = rep % 2 === 0 ? ['one', 'many'] : ['many', 'one'];
        const got: Partial<Record<'one' | 'many', Run>> = {};
        for (const which of order) got[which] = await measure(which, `#${rep + 1}`);
        const [a, b] = [got.one as Run, got.many as Run];
        single.push(a);
        multi.push(b);
        prefill.push(b.prefillTps / a.prefillTps);
        decode.push(b.decodeTps / a.decodeTps);
      }
      log(`per-rep prefill speedups ${prefill.map((v) => v.toFixed(2)).join(' ')}; decode ${decode.map((v) => v.toFixed(2)).join(' ')}`);
      log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
      return {
        wasm_threads_count: threads,
        wasm_threads_prefill_speedup: round(median(prefill)),
        wasm_threads_prefill_speedup_q1: round(quantile(prefill, 0.25)),
        wasm_threads_prefill_speedup_q3: round(quantile(prefill, 0.75)),
        wasm_threads_decode_speedup: round(median(decode)),
        wasm_threads_decode_speedup_q1: round(quantile(decode, 0.25)),
        wasm_threads_decode_speedup_q3: round(quantile(decode, 0.75)),
        wasm_threads_prefill_tps_1: round(median(single.map((r) => r.prefillTps)), 2),
        wasm_threads_prefill_tps_default: round(median(multi.map((r) => r.prefillTps)), 2),
        wasm_threads_decode_tps_1: round(median(single.map((r) => r.decodeTps)), 2),
        wasm_threads_decode_tps_default: round(median(multi.map((r) => r.decodeTps)), 2),
        wasm_threads_prompt_tokens: median(single.map((r) => r.promptTokens)),
      };
    } finally {
      await sides.one?.close();
      await sides.many?.close();
      await browser.close();
      await app.close();
      await hub.close();
    }
  },
} satisfies Benchmark;
