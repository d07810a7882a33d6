/**
 * decode-overhead: how much slower the app decodes than plain transformers.js.
 *
 * In one Chromium, for each backend (WebGPU on SwiftShader, WASM), with the `bench-r1` fixture
 * (151,936-token vocabulary, a reply that never ends) served by the local hub:
 *   raw   plain `model.generate()` with a no-op streamer in a module worker (tools/bench/raw), same
 *         transformers.js, ORT files, dtype, device, prompt and token count; greedy (argmax).
 *   app   the real app through its UI: worker protocol, zustand store, per-frame React rendering,
 *         and its own T=0.6 / top-p 0.95 sampler; decode tok/s is the worker's own `done` stats.
 * Split-out variants (not part of the ratio), to show where the app's extra time goes:
 *   raw+sampler  raw plus the app's own ChoosingLogitsProcessor (T=0.6, top-p 0.95, whole vocabulary)
 *   worker-path  the app's worker without its page: sampler, per-forward yield, incremental
 *                detokenizing and one `delta` postMessage per token (the page drops them)
 * app minus worker-path is then what the page (main-thread work on a 2-core machine) costs decoding.
 * Runs are interleaved: each rep is a raw run followed by every other variant (rotating their order),
 * and one more raw run closes the last rep. Each run's ratio and extra ms/token are taken against
 * raw's speed interpolated between the raw runs before and after it, and the median over reps is
 * reported with its quartiles, so a noisy 2-core machine's drift cancels out. Decode tok/s excludes
 * the first token everywhere: (generated - 1) / (end of generate() - first token), as the app's
 * worker computes it.
 *
 * Settings (environment): BENCH_DECODE_BACKENDS=webgpu,wasm  BENCH_DECODE_REPS=10
 * BENCH_DECODE_TOKENS_WEBGPU=96  BENCH_DECODE_TOKENS_WASM=128  BENCH_DECODE_SPLIT=0 (1: also the split-out variants)
 * BENCH_DECODE_WEBGPU_SIZE / BENCH_DECODE_WASM_SIZE: `full` (standard bench-r1) or a generator size
 * spec such as `hidden=128,layers=2,vocab=4096` (defaults: WEBGPU_SMALL below, and `full`).
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { loadModel, waitForChat, sendMessage, type Backend } from '../../e2e/harness/app.ts';
import { launchBrowser, openSession, type Session } from '../../e2e/harness/browser.ts';
import type { RawBenchApi } from './raw/main.ts';
import type { RawLoaded, RawResult, RawRun, RawVariant } from './raw/messages.ts';
import { parseSize } from '../fixture/generate.ts';
import type { Hub } from '../hub/index.ts';
import { benchHub, serveApp, serveRaw, type Served } from './servers.ts';
import { cpuSince, pageCpu, snapshotThreadCpu, totalCpu, type ThreadCpu } from './thread-cpu.ts';
import type { Benchmark, Log } from './types.ts';

export const REPO = 'ponder-test/bench-r1';
export const PROMPT = 'What is 2 + 3? Please reason step by step, and put your final answer within \\boxed{}.';
/** Tokens of the untimed first run on each side: compiles the decode-step shaders on WebGPU. */
const WARMUP_TOKENS = 8;

/**
 * The WebGPU model. `bench-r1` at its standard size takes about 25 s per token on SwiftShader here
 * (SwiftShader runs ORT's MatMul shaders at a few MFLOP/s; the 64 x 151,936 lm_head alone costs
 * ~1.5 s a token), so it cannot give 3 x 3 timed runs in minutes. WebGPU therefore uses the same
 * generator and graph at a size SwiftShader decodes at ~6 tok/s. Its vocabulary is 4,096 wide, so
 * the app's sampler costs little there; the WASM run keeps the full 151,936 vocabulary and measures it.
 */
export const WEBGPU_SMALL = 'hidden=128,layers=2,heads=4,kv_heads=2,head_dim=32,intermediate=512,vocab=4096,vocab_rank=32';

interface Plan {
  backend: Backend;
  tokens: number;
  /** `full`: the standard bench-r1; otherwise a generator size spec. */
  size: string;
}

interface Settings {
  plans: Plan[];
  reps: number;
  split: boolean;
}

function settings(): Settings {
  const env = process.env;
  const int = (v: string | undefined, fallback: number) => (v && /^\d+$/.test(v) ? Number(v) : fallback);
  const backends = (env.BENCH_DECODE_BACKENDS ?? 'webgpu,wasm').split(',').filter(Boolean);
  const plans = backends.map((b): Plan => {
    if (b === 'webgpu') return { backend: b, tokens: int(env.BENCH_DECODE_TOKENS_WEBGPU, 96), size: env.BENCH_DECODE_WEBGPU_SIZE ?? WEBGPU_SMALL };
    if (b === 'wasm') return { backend: b, tokens: int(env.BENCH_DECODE_TOKENS_WASM, 128), size: env.BENCH_DECODE_WASM_SIZE ?? 'full' };
    throw new Error(`BENCH_DECODE_BACKENDS: unknown backend ${b}`);
  });
  return { plans, reps: Math.max(1, int(env.BENCH_DECODE_REPS, 10)), split: env.BENCH_DECODE_SPLIT === '1' };
}

// --- the app page's instrumentation --------------------------------------------------------------

/**
 * Runs before the app's scripts. Wraps `Worker` so that (1) a `generate` request asks for exactly
 * `maxNewTokens` (the app's setting starts at 256, and the bench model never stops) and (2) the
 * worker's `done` stats and the deltas' arrival on the main thread are recorded. Nothing else about
 * the app changes. A string, not a function: tsx's keepNames would inject a `__name` helper the
 * page does not have.
 */
const APP_HOOK = `(() => {
  const bench = { maxNewTokens: 0, deltas: 0, firstDeltaAt: 0, lastDeltaAt: 0, done: null, waiters: [] };
  const settle = (result) => { bench.done = result; for (const w of bench.waiters.splice(0)) w(result); };
  bench.arm = (n) => { bench.maxNewTokens = n; bench.deltas = 0; bench.firstDeltaAt = 0; bench.lastDeltaAt = 0; bench.done = null; };
  bench.wait = () => (bench.done ? Promise.resolve(bench.done) : new Promise((r) => bench.waiters.push(r)));
  window.__bench = bench;
  const Base = window.Worker;
  window.Worker = class extends Base {
    constructor(url, options) {
      super(url, options);
      this.addEventListener('message', (e) => {
        const d = e.data;
        if (!d || typeof d !== 'object' || bench.maxNewTokens === 0 || bench.done) return;
        if (d.type === 'delta') {
          const now = performance.now();
          if (bench.deltas === 0) bench.firstDeltaAt = now;
          bench.deltas += 1;
          bench.lastDeltaAt = now;
        } else if (d.type === 'done') {
          settle({ at: performance.now(), reason: d.reason, stats: d.stats, deltas: bench.deltas, firstDeltaAt: bench.firstDeltaAt, lastDeltaAt: bench.lastDeltaAt });
        } else if (d.type === 'error' && String(d.id).startsWith('generate')) {
          settle({ error: d.error });
        }
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 'generate' && bench.maxNewTokens > 0) {
        message = { ...message, options: { ...message.options, maxNewTokens: bench.maxNewTokens } };
      }
      return super.postMessage(message, ...rest);
    }
  };
})();`;

interface AppDone {
  error?: { message: string; detail?: string };
  reason: string;
  stats: { generatedTokens: number; tokensPerSecond: number; timeToFirstTokenMs: number; totalMs: number; promptTokens: number };
  deltas: number;
  firstDeltaAt: number;
  lastDeltaAt: number;
}

interface AppResult {
  tokensPerSecond: number;
  generatedTokens: number;
  firstTokenMs: number;
  domLine: string;
  /** Decode rate of deltas as they arrived on the main thread (first delta to last). */
  mainThreadTps: number;
  /** Main-thread busy time (CDP TaskDuration) per generated token, ms. */
  mainBusyMsPerToken: number;
  /** Main-thread busy share of the run's wall time. */
  mainBusyShare: number;
  /** Of the busy time, ms per token in script, style recalculation and layout (CDP metrics). */
  scriptMsPerToken: number;
  styleLayoutMsPerToken: number;
}

/** The renderer main thread's cumulative busy seconds (CDP Performance domain). */
async function mainThreadSeconds(cdp: CDPSession): Promise<{ task: number; script: number; styleLayout: number }> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { task: get('TaskDuration'), script: get('ScriptDuration'), styleLayout: get('RecalcStyleDuration') + get('LayoutDuration') };
}

/** The app, driven through its UI (exported for ad-hoc profiling scripts). */
export class AppSide {
  private constructor(
    private readonly session: Session,
    private readonly cdp: CDPSession,
  ) {}

  /** `extraInitScript` runs before the app's scripts too: for experiments (e.g. throttling rAF). */
  static async open(browser: Browser, app: Served, hubUrl: string, backend: Backend, log: Log, extraInitScript?: string): Promise<AppSide> {
    const session = await openSession(browser, app.url);
    await session.context.addInitScript({ content: APP_HOOK });
    if (extraInitScript) await session.context.addInitScript({ content: extraInitScript });
    await session.page.reload();
    const cdp = await session.context.newCDPSession(session.page);
    await cdp.send('Performance.enable');
    const side = new AppSide(session, cdp);
    const t0 = performance.now();
    await loadModel(session.page, hubUrl, REPO, backend);
    await waitForChat(session.page, 600_000).catch((e: unknown) => {
      throw new Error(`app did not load ${REPO} on ${backend}: ${String(e)}\npage errors: ${session.errors.join('\n')}`);
    });
    const chip = (await session.page.getByTestId('model-chip').innerText()).replace(/\s+/g, ' ');
    const badge = (await session.page.getByTestId('device-badge').textContent()) ?? '';
    log(`app  loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s (download, compile, 1-token warm-up): ${badge} · ${chip.trim()}`);
    return side;
  }

  get page(): Page {
    return this.session.page;
  }

  async run(tokens: number, timeoutMs: number, prompt = PROMPT): Promise<AppResult & { promptTokens: number }> {
    const { page } = this;
    await page.evaluate(`window.__bench.arm(${tokens})`);
    const busy0 = await mainThreadSeconds(this.cdp);
    await sendMessage(page, prompt);
    const done = (await withTimeout(page.evaluate('window.__bench.wait()') as Promise<AppDone>, timeoutMs, 'app reply')) as AppDone;
    const busy1 = await mainThreadSeconds(this.cdp);
    if (done.error) throw new Error(`app generate failed: ${done.error.message} ${done.error.detail ?? ''}`);
    const reply = page.locator('article.message.assistant').last();
    const stats = reply.getByTestId('message-stats');
    await stats.waitFor({ timeout: 30_000 });
    const domLine = ((await stats.textContent()) ?? '').trim();
    const newChat = page.getByRole('button', { name: '+ New chat' });
    await newChat.click({ timeout: 30_000 });
    await page.locator('article.message').first().waitFor({ state: 'detached', timeout: 30_000 });
    const s = done.stats;
    const wallMs = s.totalMs;
    const perToken = (seconds: number) => (seconds * 1000) / Math.max(1, s.generatedTokens);
    return {
      tokensPerSecond: s.tokensPerSecond,
      generatedTokens: s.generatedTokens,
      promptTokens: s.promptTokens,
      firstTokenMs: s.timeToFirstTokenMs,
      domLine,
      mainThreadTps: done.deltas > 1 ? ((done.deltas - 1) * 1000) / (done.lastDeltaAt - done.firstDeltaAt) : 0,
      mainBusyMsPerToken: perToken(busy1.task - busy0.task),
      mainBusyShare: wallMs > 0 ? ((busy1.task - busy0.task) * 1000) / wallMs : 0,
      scriptMsPerToken: perToken(busy1.script - busy0.script),
      styleLayoutMsPerToken: perToken(busy1.styleLayout - busy0.styleLayout),
    };
  }

  async close(): Promise<void> {
    await this.session.context.close();
  }
}

// --- the raw page --------------------------------------------------------------------------------

/** The raw baseline page (exported for ad-hoc profiling scripts). */
export class RawSide {
  private constructor(private readonly session: Session) {}

  static async open(browser: Browser, raw: Served, hubUrl: string, backend: Backend, log: Log): Promise<RawSide> {
    const session = await openSession(browser, raw.url);
    await session.page.waitForFunction('document.body.dataset.ready === "true"');
    const request = { type: 'load' as const, hub: hubUrl, repo: REPO, device: backend, dtype: 'fp32' as const };
    const loaded = await session.page
      .evaluate((r) => (window as unknown as { rawBench: RawBenchApi }).rawBench.load(r), request)
      .catch((e: unknown) => {
        throw new Error(`raw page did not load ${REPO} on ${backend}: ${String(e)}\npage errors: ${session.errors.join('\n')}`);
      });
    const l: RawLoaded = loaded;
    log(
      `raw  loaded in ${(l.loadMs / 1000).toFixed(1)} s: fp32 on ${backend}${l.adapter ? ` (${l.adapter})` : ''}, crossOriginIsolated=${l.crossOriginIsolated}`,
    );
    return new RawSide(session);
  }

  run(tokens: number, variant: RawVariant, timeoutMs: number): Promise<RawResult> {
    const request: RawRun = { type: 'run', prompt: PROMPT, maxNewTokens: tokens, variant };
    return withTimeout(
      this.session.page.evaluate((r) => (window as unknown as { rawBench: RawBenchApi }).rawBench.run(r), request),
      timeoutMs,
      `raw ${variant} run`,
    );
  }

  async close(): Promise<void> {
    await this.session.context.close();
  }
}

// --- helpers ---------------------------------------------------------------------------------------

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The q-quantile (0..1) with linear interpolation between the sorted values. */
export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.min(s.length - 1, lo + 1);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (at - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

const round = (v: number, digits = 3) => Number(v.toFixed(digits));
const fmt = (v: number) => v.toFixed(2);

function describeRaw(r: RawResult): string {
  return `${r.generatedTokens} tokens, ${fmt(r.tokensPerSecond)} tok/s (first token ${Math.round(r.firstTokenMs)} ms, median step ${fmt(median(r.intervals))} ms)`;
}

// --- the benchmark ---------------------------------------------------------------------------------

type Variant = 'app' | RawVariant;

const LABEL: Record<Variant, string> = { raw: 'raw        ', app: 'app        ', sampler: 'raw+sampler', worker: 'worker-path' };

async function measureBackend(browser: Browser, raw: Served, app: Served, hubUrl: string, plan: Plan, s: Settings, log: Log) {
  const { backend, tokens: n } = plan;
  // Generous: a busy 2-core machine can slow SwiftShader a lot.
  const timeoutMs = 120_000 + n * 3_000;
  const rawSide = await RawSide.open(browser, raw, hubUrl, backend, log);
  const appSide = await AppSide.open(browser, app, hubUrl, backend, log);
  try {
    const visibility = await appSide.page.evaluate('document.visibilityState');
    if (visibility !== 'visible') log(`warning: the app page is ${String(visibility)}; its per-frame batching falls back to 100 ms timers`);

    const variants: Variant[] = s.split ? ['raw', 'app', 'sampler', 'worker'] : ['raw', 'app'];
    // Untimed warm-ups: the first decode steps compile shaders on WebGPU, and V8 compiles the sampler.
    for (const v of variants) {
      if (v === 'app') log(`warm-up app: "${(await appSide.run(WARMUP_TOKENS, timeoutMs)).domLine}"`);
      else log(`warm-up ${v}: ${describeRaw(await rawSide.run(WARMUP_TOKENS, v, timeoutMs))}`);
    }

    const tps: Record<Variant, number[]> = { raw: [], app: [], sampler: [], worker: [] };
    // Each variant's ratio is taken against raw as it ran around it: raw opens every rep and one more
    // raw run closes the last, and raw's speed at a variant's place in the rep is interpolated (in log
    // space) between the two. A machine that drifts within a rep then favours no variant.
    const measured = variants.filter((v): v is Exclude<Variant, 'raw'> => v !== 'raw');
    const at: Record<Variant, Array<{ rep: number; place: number }>> = { raw: [], app: [], sampler: [], worker: [] };
    const appRuns: AppResult[] = [];
    // CPU time of every Chromium thread per generated token, per run (see thread-cpu.ts).
    const cpu: Record<Variant, ThreadCpu[]> = { raw: [], app: [], sampler: [], worker: [] };
    const runOnce = async (v: Variant, label: string): Promise<{ generatedTokens: number; tokensPerSecond: number }> => {
      if (v === 'app') {
        const a = await appSide.run(n, timeoutMs);
        if (a.generatedTokens !== n) log(`warning: the app generated ${a.generatedTokens} tokens, not ${n}`);
        appRuns.push(a);
        log(
          `${backend} ${label} ${LABEL.app}  ${a.generatedTokens} tokens, ${fmt(a.tokensPerSecond)} tok/s (first token ${Math.round(a.firstTokenMs)} ms); ` +
            `main thread busy ${fmt(a.mainBusyMsPerToken)} ms/token (script ${fmt(a.scriptMsPerToken)}, style+layout ${fmt(a.styleLayoutMsPerToken)}), ` +
            `${(a.mainBusyShare * 100).toFixed(1)}% of the run; DOM "${a.domLine}"`,
        );
        return a;
      }
      const r = await rawSide.run(n, v, timeoutMs);
      log(`${backend} ${label} ${LABEL[v]}  ${describeRaw(r)}`);
      return r;
    };
    const runVariant = async (v: Variant, label: string) => {
      const before = snapshotThreadCpu();
      const { generatedTokens, tokensPerSecond } = await runOnce(v, label);
      cpu[v].push(cpuSince(before, snapshotThreadCpu(), generatedTokens));
      tps[v].push(tokensPerSecond);
    };
    for (let rep = 0; rep < s.reps; rep++) {
      await runVariant('raw', `#${rep + 1}`);
      // Each rep starts one variant later, so no variant always runs right after raw.
      const order = measured.map((_, k) => measured[(k + rep) % measured.length] as Exclude<Variant, 'raw'>);
      for (const [k, v] of order.entries()) {
        at[v].push({ rep, place: (k + 1) / (order.length + 1) });
        await runVariant(v, `#${rep + 1}`);
      }
    }
    await runVariant('raw', 'closing');

    // Per-run ratios and extra times against the interpolated raw, then the median over reps.
    const med = (v: Variant) => median(tps[v]);
    const rawAround = (v: Variant) =>
      at[v].map(({ rep, place }) => Math.exp(Math.log(tps.raw[rep] as number) * (1 - place) + Math.log(tps.raw[rep + 1] as number) * place));
    const ratios = (v: Variant) => rawAround(v).map((r, i) => (tps[v][i] as number) / r);
    const ratio = (v: Variant) => median(ratios(v));
    const extra = (v: Variant) => median(rawAround(v).map((r, i) => 1000 / (tps[v][i] as number) - 1000 / r));
    const appRatios = ratios('app');
    const [q1, q3] = [quantile(appRatios, 0.25), quantile(appRatios, 0.75)];
    const figures: Record<string, number> = {
      [`decode_tps_raw_${backend}`]: round(med('raw')),
      [`decode_tps_app_${backend}`]: round(med('app')),
      [`app_vs_raw_decode_ratio_${backend}`]: round(ratio('app'), 4),
      // The spread of the per-rep ratios: on a shared 2-core machine one rep can be ±10% off.
      [`app_vs_raw_decode_ratio_${backend}_q1`]: round(q1, 4),
      [`app_vs_raw_decode_ratio_${backend}_q3`]: round(q3, 4),
      [`app_extra_ms_per_token_${backend}`]: round(extra('app'), 2),
    };
    log(
      `${backend}: raw ${fmt(med('raw'))} tok/s (${fmt(1000 / med('raw'))} ms/token); app ${fmt(med('app'))} tok/s; ` +
        `per rep: app/raw ${appRatios.map((r) => r.toFixed(3)).join(', ')} -> median ${ratio('app').toFixed(3)} ` +
        `(quartiles ${q1.toFixed(3)}–${q3.toFixed(3)}), ` +
        `${fmt(extra('app'))} ms/token more than raw`,
    );
    if (s.split) {
      figures[`decode_tps_raw_sampler_${backend}`] = round(med('sampler'));
      figures[`raw_sampler_vs_raw_decode_ratio_${backend}`] = round(ratio('sampler'), 4);
      figures[`sampler_ms_per_token_${backend}`] = round(extra('sampler'), 2);
      figures[`decode_tps_worker_path_${backend}`] = round(med('worker'));
      figures[`worker_path_ms_per_token_${backend}`] = round(extra('worker'), 2);
      log(
        `${backend} where the app's extra ${fmt(extra('app'))} ms/token goes (medians over reps, noise about ±2 ms): ` +
          `the sampler ${fmt(extra('sampler'))} ms (raw+sampler/raw ${ratio('sampler').toFixed(3)}); ` +
          `the whole worker path (sampler, yield, detokenize, postMessage) ${fmt(extra('worker'))} ms; ` +
          `so the page (main-thread and compositor work competing for the 2 cores) about ${fmt(extra('app') - extra('worker'))} ms`,
      );
    }
    const busy = median(appRuns.map((a) => a.mainBusyMsPerToken));
    figures[`app_main_thread_busy_ms_per_token_${backend}`] = round(busy, 2);
    log(
      `${backend} app main thread: busy ${fmt(busy)} ms/token (script ${fmt(median(appRuns.map((a) => a.scriptMsPerToken)))}, ` +
        `style+layout ${fmt(median(appRuns.map((a) => a.styleLayoutMsPerToken)))}), ${(median(appRuns.map((a) => a.mainBusyShare)) * 100).toFixed(1)}% of wall time`,
    );
    if (cpu.raw.some((c) => c.size > 0)) {
      const medCpu = (v: Variant, of: (c: ThreadCpu) => number) => median(cpu[v].map(of));
      const [rawAll, appAll] = [medCpu('raw', totalCpu), medCpu('app', totalCpu)];
      const [rawPage, appPage] = [medCpu('raw', pageCpu), medCpu('app', pageCpu)];
      figures[`cpu_ms_per_token_raw_${backend}`] = round(rawAll, 1);
      figures[`cpu_ms_per_token_app_${backend}`] = round(appAll, 1);
      figures[`page_cpu_ms_per_token_raw_${backend}`] = round(rawPage, 2);
      figures[`page_cpu_ms_per_token_app_${backend}`] = round(appPage, 2);
      const threads = new Set([...cpu.app, ...cpu.raw].flatMap((c) => [...c.keys()]));
      const byThread = [...threads]
        .map((t) => [t, medCpu('app', (c) => c.get(t) ?? 0) - medCpu('raw', (c) => c.get(t) ?? 0)] as const)
        .filter(([, d]) => Math.abs(d) >= 0.2)
        .sort((a, b) => b[1] - a[1]);
      log(
        `${backend} CPU per token (every Chromium thread; medians): raw ${fmt(rawAll)} ms, app ${fmt(appAll)} ms; ` +
          `page threads (renderer main, compositor, viz): raw ${fmt(rawPage)} ms, app ${fmt(appPage)} ms; ` +
          `app minus raw by thread: ${byThread.map(([t, d]) => `${t} ${d >= 0 ? '+' : ''}${fmt(d)}`).join(', ')}`,
      );
    }
    return figures;
  } finally {
    await appSide.close();
    await rawSide.close();
  }
}

async function run(log: Log): Promise<Record<string, number>> {
  const s = settings();
  log(
    `${s.reps} interleaved reps of raw, app${s.split ? ', raw+sampler, worker-path' : ''}; ` +
      s.plans.map((p) => `${p.backend}: ${p.tokens} tokens, bench-r1 ${p.size === 'full' ? 'standard size' : p.size}`).join('; '),
  );
  const hubs: Hub[] = [];
  const servers: Served[] = [];
  let browser: Browser | null = null;
  try {
    let t = performance.now();
    const hubFor = new Map<Plan, Hub>();
    for (const plan of s.plans) {
      const hub = await benchHub(plan.size === 'full' ? undefined : { label: plan.size.replace(/[^\w]+/g, '_'), size: parseSize(plan.size) });
      hubs.push(hub);
      hubFor.set(plan, hub);
    }
    log(`fixtures ready, hubs at ${hubs.map((h) => h.url).join(', ')} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    t = performance.now();
    const app = await serveApp();
    servers.push(app);
    const raw = await serveRaw();
    servers.push(raw);
    log(`built and serving: app ${app.url}, raw ${raw.url} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    browser = await launchBrowser();
    const figures: Record<string, number> = {};
    for (const plan of s.plans) {
      t = performance.now();
      Object.assign(figures, await measureBackend(browser, raw, app, (hubFor.get(plan) as Hub).url, plan, s, log));
      log(`${plan.backend} took ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    return figures;
  } finally {
    await browser?.close();
    for (const server of servers) await server.close();
    for (const hub of hubs) await hub.close();
  }
}

export default { name: 'decode-overhead', run } satisfies Benchmark;
