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
 * Run on `bench-r1` as generated (fp32, the figures the issue names) and on its 4-bit twin
 * (`_q4` figures: MatMulNBits, what WASM users of the real models load).
 *
 * Settings (environment): BENCH_THREADS_REPS=3  BENCH_THREADS_TOKENS=48  BENCH_THREADS_PROMPT_WORDS=120
 */
import { cpus, loadavg } from 'node:os';
import { launchBrowser } from '../../e2e/harness/browser.ts';
import { defaultThreads } from '../../src/engine/threads.ts';
import { AppSide, median, quantile } from './decode-overhead.ts';
import type { Browser } from 'playwright-core';
import type { Hub } from '../hub/index.ts';
import { benchHub, serveApp, type Served } from './servers.ts';
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

interface Settings {
  reps: number;
  tokens: number;
  words: number;
  threads: number;
}

let runs = 0;

/**
 * One model, 1 thread against `threads`, in two app pages of one browser. `suffix` ends every figure
 * name ('' for bench-r1 as the issue names it, '_q4' for its 4-bit twin).
 */
async function measureModel(browser: Browser, app: Served, hub: Hub, s: Settings, suffix: string, log: Log): Promise<Record<string, number>> {
  const sides: Record<'one' | 'many', AppSide | null> = { one: null, many: null };
  try {
    // The setting as a person would leave it, in place before the app's first script reads it.
    sides.one = await AppSide.open(browser, app, hub.url, 'wasm', log, `localStorage.setItem('ponder.threads', '1');`);
    sides.many = await AppSide.open(browser, app, hub.url, 'wasm', log, `localStorage.removeItem('ponder.threads');`);
    const isolated = await sides.many.page.evaluate('self.crossOriginIsolated');
    if (isolated !== true) throw new Error('the app page is not cross-origin isolated: WASM cannot run threaded');
    const badges = await Promise.all([sides.one, sides.many].map((side) => side.page.getByTestId('model-chip').innerText()));
    log(`pages: 1-thread "${badges[0]?.replace(/\s+/g, ' ')}", default "${badges[1]?.replace(/\s+/g, ' ')}"`);

    const measure = async (which: 'one' | 'many', label: string): Promise<Run> => {
      const r = await (sides[which] as AppSide).run(s.tokens, 600_000, longPrompt(s.words, ++runs));
      const stepMs = r.tokensPerSecond > 0 ? 1000 / r.tokensPerSecond : 0;
      const run = { prefillTps: (r.promptTokens * 1000) / Math.max(1, r.firstTokenMs - stepMs), decodeTps: r.tokensPerSecond, promptTokens: r.promptTokens };
      log(
        `${label} ${which === 'one' ? '1 thread ' : `${s.threads} threads`}: prompt ${r.promptTokens} tokens, first token ${Math.round(r.firstTokenMs)} ms, ` +
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
    for (let rep = 0; rep < s.reps; rep++) {
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
    return {
      [`wasm_threads_prefill_speedup${suffix}`]: round(median(prefill)),
      [`wasm_threads_prefill_speedup_q1${suffix}`]: round(quantile(prefill, 0.25)),
      [`wasm_threads_prefill_speedup_q3${suffix}`]: round(quantile(prefill, 0.75)),
      [`wasm_threads_decode_speedup${suffix}`]: round(median(decode)),
      [`wasm_threads_decode_speedup_q1${suffix}`]: round(quantile(decode, 0.25)),
      [`wasm_threads_decode_speedup_q3${suffix}`]: round(quantile(decode, 0.75)),
      [`wasm_threads_prefill_tps_1${suffix}`]: round(median(single.map((r) => r.prefillTps)), 2),
      [`wasm_threads_prefill_tps_default${suffix}`]: round(median(multi.map((r) => r.prefillTps)), 2),
      [`wasm_threads_decode_tps_1${suffix}`]: round(median(single.map((r) => r.decodeTps)), 2),
      [`wasm_threads_decode_tps_default${suffix}`]: round(median(multi.map((r) => r.decodeTps)), 2),
      [`wasm_threads_prompt_tokens${suffix}`]: median(single.map((r) => r.promptTokens)),
    };
  } finally {
    await sides.one?.close();
    await sides.many?.close();
  }
}

export default {
  name: 'wasm-threads',
  async run(log: Log) {
    const cores = cpus().length;
    const s: Settings = {
      reps: Math.max(1, int(process.env.BENCH_THREADS_REPS, 3)),
      tokens: Math.max(2, int(process.env.BENCH_THREADS_TOKENS, 48)),
      words: int(process.env.BENCH_THREADS_PROMPT_WORDS, 120),
      threads: defaultThreads(cores),
    };
    log(`machine: ${cores} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; default thread count ${s.threads}`);
    const app = await serveApp();
    const browser = await launchBrowser();
    const figures: Record<string, number> = { wasm_threads_count: s.threads };
    try {
      // bench-r1 as the issue names it (fp32), then its 4-bit twin: what WASM users load (MatMulNBits).
      for (const [suffix, hubFor] of [
        ['', () => benchHub()],
        ['_q4', () => benchHub({ label: 'q4', size: {}, dtypes: ['q4'] })],
      ] as const) {
        log(`-- bench-r1${suffix ? ` (${suffix.slice(1)})` : ' (fp32)'}`);
        const hub = await hubFor();
        try {
          Object.assign(figures, await measureModel(browser, app, hub, s, suffix, log));
        } finally {
          await hub.close();
        }
      }
      log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
      return figures;
    } finally {
      await browser.close();
      await app.close();
    }
  },
} satisfies Benchmark;
