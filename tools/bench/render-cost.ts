/**
 * render-cost: main-thread cost of streaming a long R1 reply into the chat view.
 *
 * A recorded-style trace (tools/bench/traces/r1-trace.ts: 32,000 tokens of thinking rich in math and
 * Markdown, `</think>`, an answer with `\boxed{}`) is streamed into the app's real ChatView and chat
 * store (tools/bench/render: a separate Vite entry, production build, served by vite preview) by a
 * fake engine that posts one token per message event, the next as soon as the last was handled: as
 * fast as the page takes them, with the store batching them per animation frame as it does in the app.
 *
 * Measured from pressing Enter until the reply is done and painted, in the page's renderer:
 *   main-thread time   CDP Performance.getMetrics TaskDuration (all main-thread tasks: delta
 *                      handling and parsing, React, style, layout, paint), per token
 *   longest task       the longest top-level task on the renderer main thread (trace, `toplevel`)
 * for 32k and 8k tokens with the app's renderer, and 32k (and 8k) with a naive renderer in the same
 * run: the same view and store, but each update re-parses the whole message with marked and
 * re-typesets every formula with KaTeX auto-render (tools/bench/render/NaiveMessageView.tsx).
 *
 * The naive renderer is handed exactly the store updates the app's renderer had in its run (the same
 * token batches, one per frame, replayed), so the ratio compares renderers on identical work. Left
 * to stream freely it would do far worse: its frames run back to back, each taking only a few new
 * tokens, so it would re-render the whole message thousands of times (8k tokens took ~60 s of main
 * thread that way, 32k would take ~15 min). The figure is therefore a conservative lower bound.
 * Each measurement gets a fresh page, warmed up by a short reply of a different trace first.
 *
 * The app's runs are repeated (interleaved 8k, 32k) and medians reported, since a busy 2-core machine
 * adds the odd long GC or scheduling hiccup; the naive runs (about 90 s for 32k) run once, replaying
 * the last app run's updates. The longest task is the larger of the trace's and the page's own
 * longtask observer's (which also counts the rendering work that follows a task).
 *
 * Settings (environment): BENCH_RENDER_REPS=3 (app runs per size) BENCH_RENDER_NAIVE_8K=1 (0: skip
 * the naive 8k run, which only gives the naive growth ratio)
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { Browser } from 'playwright-core';
import { sendMessage } from '../../e2e/harness/app.ts';
import { launchBrowser, openSession } from '../../e2e/harness/browser.ts';
import type { Renderer, RenderBenchApi, Update } from './render/api.ts';
import { buildAndPreview, type Served } from './servers.ts';
import { makeTrace, tracePath } from './traces/r1-trace.ts';
import type { Benchmark, Log } from './types.ts';

const RENDER_ROOT = resolve('tools/bench/render');
const RENDER_OUT = resolve('.cache/bench-render');
const WARMUP_TOKENS = 1500;

/** The bench page: the app's components, with the engine and (for the baseline) MessageView swapped. */
function serveRenderPage(): Promise<Served> {
  return buildAndPreview(
    {
      configFile: false,
      root: RENDER_ROOT,
      plugins: [react()],
      define: { __PONDER_BUILD_ID__: JSON.stringify('bench') },
      resolve: {
        alias: [
          // Only these exact specifiers: chat-store.ts/model-store.ts import the engine, ChatView.tsx its MessageView.
          { find: /^\.\.\/engine\/instance$/, replacement: resolve(RENDER_ROOT, 'fake-engine.ts') },
          { find: /^\.\/MessageView$/, replacement: resolve(RENDER_ROOT, 'message-view.tsx') },
        ],
      },
      build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
    },
    RENDER_OUT,
  );
}

interface Measured {
  renderer: Renderer;
  tokens: number;
  busyMs: number;
  longestTaskMs: number;
  /** Longest task seen by the page's own PerformanceObserver (only tasks over 50 ms are reported). */
  longtaskMs: number;
  longtasks: number;
  wallMs: number;
  frames: number;
  updates: Update[];
  /** Tasks over 50 ms: where in the reply (tokens streamed so far) and how long. */
  long: Array<{ tokens: number; ms: number }>;
}

interface TraceEvent {
  ph: string;
  name: string;
  cat: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/** Longest top-level task on the busiest renderer main thread of a Chromium trace, ms. */
function longestMainThreadTask(json: Buffer): number {
  const { traceEvents } = JSON.parse(json.toString('utf8')) as { traceEvents: TraceEvent[] };
  const mains = new Set(
    traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const perThread = new Map<string, { total: number; longest: number }>();
  for (const e of traceEvents) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph !== 'X' || !mains.has(key) || !e.cat.split(',').includes('toplevel')) continue;
    const t = perThread.get(key) ?? { total: 0, longest: 0 };
    t.total += e.dur ?? 0;
    t.longest = Math.max(t.longest, e.dur ?? 0);
    perThread.set(key, t);
  }
  const busiest = [...perThread.values()].sort((a, b) => b.total - a.total)[0];
  return (busiest?.longest ?? 0) / 1000;
}

async function taskSeconds(cdp: { send(m: 'Performance.getMetrics'): Promise<{ metrics: Array<{ name: string; value: number }> }> }): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

/** Page-side: the longtask observer and a frame counter, armed just before the measured reply. */
const ARM = `(() => {
  const w = window;
  w.__perf = { longest: 0, count: 0, frames: 0, on: true, tasks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      w.__perf.longest = Math.max(w.__perf.longest, e.duration);
      w.__perf.count += 1;
      w.__perf.tasks.push({ start: e.startTime, ms: e.duration });
    }
  }).observe({ type: 'longtask' });
  const tick = () => { if (!w.__perf.on) return; w.__perf.frames += 1; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})()`;

async function measure(
  browser: Browser,
  app: Served,
  renderer: Renderer,
  pieces: string[],
  warmup: string[],
  schedule?: number[],
): Promise<Measured> {
  const session = await openSession(browser, `${app.url}/?renderer=${renderer}`);
  const { page } = session;
  try {
    await page.waitForFunction('window.renderBench !== undefined');
    const bench = 'window.renderBench';
    // Warm-up: JIT, KaTeX's fonts, the first IndexedDB save; a different trace, so no formula is cached.
    await page.evaluate(`${bench}.setTrace(${JSON.stringify(warmup)})`);
    await sendMessage(page, 'Warm up.');
    await page.evaluate(`${bench}.done()`);
    await page.evaluate(`${bench}.reset()`);

    await page.evaluate(
      ([p, sched]) => (window as unknown as { renderBench: RenderBenchApi }).renderBench.setTrace(p, sched ?? undefined),
      [pieces, schedule ?? null] as const,
    );
    const cdp = await session.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.evaluate(ARM);
    await browser.startTracing(page, { categories: ['toplevel'] });
    const busy0 = await taskSeconds(cdp);
    const t0 = performance.now();
    await sendMessage(page, 'Please reason step by step, and put your final answer within \\boxed{}.');
    const streamed = (await page.evaluate(`${bench}.done()`)) as { deltas: number };
    const wallMs = performance.now() - t0;
    const busy1 = await taskSeconds(cdp);
    const trace = await browser.stopTracing();
    const perf = (await page.evaluate('(window.__perf.on = false, window.__perf)')) as {
      longest: number;
      count: number;
      frames: number;
      tasks: Array<{ start: number; ms: number }>;
    };
    const updates = (await page.evaluate(`${bench}.updates()`)) as Update[];
    const tokensAt = (t: number) => updates.filter((u) => u.at <= t).at(-1)?.tokens ?? 0;
    if (streamed.deltas !== pieces.length) throw new Error(`streamed ${streamed.deltas} of ${pieces.length} tokens`);
    const status = await page.locator('article.message.assistant').last().getAttribute('data-status');
    if (status !== 'done') throw new Error(`reply ended as ${status}; page errors: ${session.errors.join('\n')}`);
    return {
      renderer,
      tokens: pieces.length,
      busyMs: (busy1 - busy0) * 1000,
      longestTaskMs: Math.max(longestMainThreadTask(trace), perf.longest),
      longtaskMs: perf.longest,
      longtasks: perf.count,
      wallMs,
      frames: perf.frames,
      updates,
      long: perf.tasks.map((task) => ({ tokens: tokensAt(task.start), ms: task.ms })),
    };
  } finally {
    await session.context.close();
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function describe(m: Measured): string {
  return (
    `${m.renderer.padEnd(11)} ${String(m.tokens).padStart(5)} tokens: main thread ${m.busyMs.toFixed(0)} ms ` +
    `(${(m.busyMs / m.tokens).toFixed(3)} ms/token) in ${m.wallMs.toFixed(0)} ms wall, ${m.updates.length} updates, ${m.frames} frames, ` +
    `longest task ${m.longestTaskMs.toFixed(1)} ms, ${m.longtasks} long tasks` +
    (m.long.length ? ` (${m.long.slice(0, 8).map((l) => `${l.ms.toFixed(0)} ms after token ${l.tokens}`).join(', ')}${m.long.length > 8 ? ', ...' : ''})` : '')
  );
}

async function run(log: Log): Promise<Record<string, number>> {
  const reps = Math.max(1, Number(process.env.BENCH_RENDER_REPS ?? 3) || 1);
  const naive8k = process.env.BENCH_RENDER_NAIVE_8K !== '0';
  const t32 = makeTrace(32_000);
  const t8 = makeTrace(8_000);
  const warmup = makeTrace(WARMUP_TOKENS, 7).pieces;
  const committed = readFileSync(tracePath(32_000), 'utf8');
  if (committed !== t32.text) throw new Error(`${tracePath(32_000)} is stale: rerun npx tsx tools/bench/traces/r1-trace.ts`);
  log(`trace: 32k = ${t32.text.length} chars (${t32.thinkingTokens} thinking tokens), 8k = ${t8.text.length} chars`);

  const app = await serveRenderPage();
  const browser = await launchBrowser();
  try {
    // Naive runs replay the update sequence of the last app run of their size (`of`).
    const cases: Array<{ renderer: Renderer; trace: string[]; key: string; of?: string; last?: boolean }> = [
      { renderer: 'incremental', trace: t8.pieces, key: 'inc8' },
      { renderer: 'incremental', trace: t32.pieces, key: 'inc32' },
      ...(naive8k ? [{ renderer: 'naive' as const, trace: t8.pieces, key: 'naive8', of: 'inc8', last: true }] : []),
      { renderer: 'naive', trace: t32.pieces, key: 'naive32', of: 'inc32', last: true },
    ];
    const results = new Map<string, Measured[]>();
    // Interleaved repetitions, so a noisy machine slows every case alike.
    for (let rep = 0; rep < reps; rep++) {
      for (const c of cases) {
        if (c.last && rep < reps - 1) continue;
        const schedule = c.of ? results.get(c.of)?.at(-1)?.updates.map((u) => u.tokens) : undefined;
        const m = await measure(browser, app, c.renderer, c.trace, warmup, schedule);
        log(describe(m));
        results.set(c.key, [...(results.get(c.key) ?? []), m]);
      }
    }
    const runs = (key: string) => results.get(key) ?? [];
    const busy = (key: string) => median(runs(key).map((m) => m.busyMs));
    const longest = (key: string) => median(runs(key).map((m) => m.longestTaskMs));
    // Ratios pair runs made back to back (same load on the machine): each repetition's 32k with its
    // 8k, and the naive runs with the app runs whose updates they replayed.
    const paired = (a: string, b: string) => median(runs(a).map((m, i) => m.busyMs / runs(b)[i]!.busyMs));
    const last = (key: string) => runs(key).at(-1)!.busyMs;
    const figures: Record<string, number> = {
      render_ms_per_token_32k: busy('inc32') / 32_000,
      render_longest_task_ms_32k: longest('inc32'),
      render_ms_per_token_8k: busy('inc8') / 8_000,
      render_longest_task_ms_8k: longest('inc8'),
      render_cost_ratio_32k_8k: paired('inc32', 'inc8'),
      render_naive_ms_per_token_32k: busy('naive32') / 32_000,
      render_naive_longest_task_ms_32k: longest('naive32'),
      render_naive_vs_incremental_32k: last('naive32') / last('inc32'),
      ...(naive8k ? { render_naive_cost_ratio_32k_8k: last('naive32') / last('naive8') } : {}),
    };
    const rounded = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Number(v.toPrecision(4))]));
    log(JSON.stringify(rounded));
    return rounded;
  } finally {
    await browser.close();
    await app.close();
  }
}

export default { name: 'render-cost', run } satisfies Benchmark;
