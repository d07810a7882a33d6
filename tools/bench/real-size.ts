/**
 * real-size: the app's weight path at the real models' size, against raw transformers.js loading
 * the SAME files with its Cache API copy (env.useBrowserCache = true, as its users get it), in one
 * Chromium with a persistent on-disk profile. Models: tools/fixture/real-size.ts (random weights,
 * the real shapes), served by the local hub. Every step runs in a fresh dedicated module worker of
 * one page (real-size-page.ts / real-size-worker.ts), so each load starts from a clean heap:
 *
 *   app download   ensureModel (workers/weights/ensure-model.ts): listing, plan, 16 MiB chunks into
 *                  IndexedDB, hashed and checked;
 *   plain fetch    the same files read to the end and dropped;
 *   raw write      what transformers.js does on a miss: the body into memory, then cache.put (for the
 *                  7B also the body streamed into cache.put, which never crosses into JS);
 *   app read       serveStored + storeFetch, each served model file into one ArrayBuffer;
 *   raw read       cache.match, then arrayBuffer (transformers.js on a hit);
 *   app ready      the app's Engine.load on a stored model (re-checks every chunk's digest, from_pretrained
 *                  through storeFetch, on WebGPU one warm-up forward pass), per backend;
 *   raw ready      AutoTokenizer + AutoModelForCausalLM.from_pretrained from the cache, and the same
 *                  forward pass where the app makes one.
 * During every step the RSS of Chromium's processes is sampled (process-rss.ts); after a ready step
 * it is read again with the model held, and once more after the worker has ended.
 *
 * Settings (environment): BENCH_REALSIZE_LOADS=wasm:q4f16,wasm:q4,wasm:q8,webgpu:q4,webgpu:q4f16
 * BENCH_REALSIZE_7B=0 (1: also the ~5 GB 7B GenAI build: download, read-back and what loading it
 * does; `only`: just the 7B)  BENCH_REALSIZE_STEP_TIMEOUT_S=1500
 * BENCH_REALSIZE_REPS=3 (store steps of the q4f16 file: medians, and quartiles of the ratios)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { dtypePreference } from '../../src/models/catalog.ts';
import type { Device, Dtype, ModelSource } from '../../workers/protocol.ts';
import { DTYPE_SUFFIX } from '../../workers/weights/manifest.ts';
import {
  generateRealSize,
  ORG,
  R1_1_5B_DTYPES,
  R1_1_5B_REPO,
  R1_7B_FOLDER,
  R1_7B_REPO,
  REAL_SIZE_ROOT,
  type RealSizeDtype,
  type RealSizeModel,
} from '../fixture/real-size.ts';
import { startHub, type Hub } from '../hub/index.ts';
import { median, quantile } from './decode-overhead.ts';
import { chromiumRss, rssOf, withPeakRss, type ProcessRss } from './process-rss.ts';
import type { PageReply } from './real-size-page.ts';
import type { StepArgs, StepResult } from './real-size-worker.ts';
import { openSourcePage, type SourcePage } from './source-page.ts';
import type { Benchmark, Log } from './types.ts';

/** Where a loading model's bytes live: the renderer (its dedicated workers included) and the GPU process. */
const LOAD_KINDS = ['renderer', 'gpu-process'];
const KINDS = { renderer: ['renderer'], gpu: ['gpu-process'], storage: ['utility:StorageService'], browser: ['browser'] } as const;

type Figures = Record<keyof typeof KINDS | 'load' | 'all', number>;

function measure(processes: ProcessRss[]): Figures {
  const out = { load: rssOf(processes, LOAD_KINDS), all: rssOf(processes) } as Figures;
  for (const [k, kinds] of Object.entries(KINDS)) out[k as keyof typeof KINDS] = rssOf(processes, kinds);
  return out;
}

interface Measured {
  reply: PageReply;
  start: Figures;
  peak: Figures;
  /** After the step, the worker still holding what it made (a loaded model). */
  held: Figures;
  /** After the worker ended. */
  released: Figures;
  /** Hub requests made during the step, and their body bytes. */
  requests: number;
  requestBytes: number;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const signed = (bytes: number) => `${bytes >= 0 ? '+' : ''}${mb(bytes)}`;
const round = (v: number, digits = 3) => Number(v.toFixed(digits));

class Runner {
  constructor(
    private readonly page: SourcePage,
    private readonly hub: Hub,
    private readonly log: Log,
    private readonly timeoutMs: number,
  ) {}

  async step(label: string, args: StepArgs): Promise<Measured> {
    this.hub.clearRequests();
    const call = this.page.evaluate(`realSizeStep(${JSON.stringify(args)})`) as Promise<PageReply>;
    call.catch(() => {}); // a timed-out call is left pending until the page closes
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<PageReply>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, error: `timed out after ${this.timeoutMs / 1000} s` }), this.timeoutMs);
    });
    let measured: Omit<Measured, 'held' | 'released' | 'requests' | 'requestBytes'>;
    try {
      const { result, start, peak } = await withPeakRss(() => Promise.race([call, timeout]), measure);
      measured = { reply: result, start, peak };
    } finally {
      clearTimeout(timer);
    }
    await sleep(500);
    const held = measure(chromiumRss());
    await this.page.evaluate('realSizeRelease()');
    await sleep(2000); // the worker's isolate and its WebAssembly memory go when it ends
    const released = measure(chromiumRss());
    const requests = this.hub.requests.length;
    const requestBytes = this.hub.requests.reduce((s, r) => s + r.bytesSent, 0);
    const m: Measured = { ...measured, held, released, requests, requestBytes };
    this.describe(label, m);
    return m;
  }

  private describe(label: string, m: Measured): void {
    const up = (k: keyof Figures) => `${k} ${signed(m.peak[k] - m.start[k])}`;
    const r = m.reply.ok ? m.reply.result : null;
    const head = r
      ? `${r.seconds.toFixed(1)} s${r.bytes ? `, ${mb(r.bytes)}, ${(r.bytes / 1e6 / r.seconds).toFixed(0)} MB/s` : ''}${Object.keys(r.detail).length ? ` ${JSON.stringify(r.detail)}` : ''}`
      : `FAILED: ${m.reply.ok ? '' : m.reply.error}`;
    this.log(`${label}: ${head}`);
    this.log(
      `  RSS at start renderer+gpu ${mb(m.start.load)}; peak above start ${up('load')} (${up('renderer')}, ${up('gpu')}, ${up('storage')}, ${up('browser')}); ` +
        `held after ${signed(m.held.load - m.start.load)}; after the worker ended ${signed(m.released.load - m.start.load)}; hub ${m.requests} requests, ${mb(m.requestBytes)}`,
    );
  }
}

const ok = (m: Measured): StepResult | null => (m.reply.ok ? m.reply.result : null);
const mbps = (m: Measured): number | null => {
  const r = ok(m);
  return r && r.bytes > 0 ? r.bytes / 1e6 / r.seconds : null;
};

/** Adds `name: value` when the value exists. */
function put(figures: Record<string, number>, name: string, value: number | null | undefined, digits = 3): void {
  if (value !== null && value !== undefined && Number.isFinite(value)) figures[name] = round(value, digits);
}

/** One way to load the 1.5B: a device and the dtype whose file it loads. */
interface Load {
  device: Device;
  dtype: Dtype;
}

/** The default loads: WASM with each file, WebGPU with both 4-bit ones (its q4f16 only to hear ORT's answer: no shader-f16 here). */
const LOADS: Load[] = [
  { device: 'wasm', dtype: 'q4f16' },
  { device: 'wasm', dtype: 'q4' },
  { device: 'wasm', dtype: 'q8' },
  { device: 'webgpu', dtype: 'q4' },
  { device: 'webgpu', dtype: 'q4f16' },
];

/** Runs the app's step and raw's, in the order given; answers [app, raw]. */
async function inOrder<T>(appFirst: boolean, app: () => Promise<T>, raw: () => Promise<T>): Promise<[T, T]> {
  if (appFirst) {
    const a = await app();
    return [a, await raw()];
  }
  const r = await raw();
  return [await app(), r];
}

const ratio = (a: number | null, b: number | null) => (a !== null && b !== null ? a / b : null);

async function bench15(run: Runner, hub: Hub, model: RealSizeModel, loads: Load[], reps: number, log: Log): Promise<Record<string, number>> {
  const repo = `${ORG}/${R1_1_5B_REPO}`;
  /**
   * The app's own dtype preference for the device (no shader-f16 here) when it picks `dtype` from
   * what the repo ships (q4 on both backends); otherwise that dtype alone, as a device with
   * shader-f16 would pick q4f16.
   */
  const source = (device: Device, dtype: Dtype): ModelSource => {
    const preferred = dtypePreference(device, false);
    const picked = preferred.find((d) => R1_1_5B_DTYPES.includes(d as RealSizeDtype));
    return { host: hub.url, repo, revision: 'main', dtypes: picked === dtype ? preferred : [dtype], device };
  };
  const graphOf = (dtype: Dtype) => `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`;
  const sizeOf = (dtype: Dtype) => model.files.find((f) => f.path === graphOf(dtype))?.size ?? 0;
  const url = (path: string) => `${hub.url}/${repo}/resolve/main/${path}`;
  const f: Record<string, number> = {};

  // The store: q4f16 (the published default file, 1.37 GB) for the main figures, `reps` times from
  // empty stores with app and raw alternating which goes first; then the q4 twin (`_q4`) and the
  // 8-bit file (`_q8`) once each, kept stored beside the last q4f16 for the loads below.
  for (const dtype of R1_1_5B_DTYPES) {
    const tag = dtype === 'q4f16' ? '' : `_${dtype}`;
    const size = sizeOf(dtype);
    f[`realsize_file_mb${tag}`] = round(size / 1e6, 1);
    log(`${repo} ${graphOf(dtype)}: ${mb(size)}`);
    // The files the app's plan holds (REQUIRED, the OPTIONAL ones the repo has, the graph), so both sides move the same bytes.
    const urls = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', graphOf(dtype)].map(url);
    const src = source('wasm', dtype);
    const samples = new Map<string, number[]>();
    const sample = (name: string, value: number | null) => {
      if (value !== null && Number.isFinite(value)) samples.set(name, [...(samples.get(name) ?? []), value]);
    };
    const peakOver = (m: Measured) => (ok(m) ? (m.peak.load - m.start.load) / size : null);
    const times = dtype === 'q4f16' ? reps : 1;
    for (let rep = 0; rep < times; rep++) {
      if (dtype === 'q4f16') await run.step(`clear (rep ${rep + 1} of ${times})`, { kind: 'clear' });
      const appFirst = rep % 2 === 0;
      const appWrite = () => run.step(`${dtype}: app download (ensureModel, dtypes ${src.dtypes.join(',')})`, { kind: 'app-download', source: src });
      const rawWrite = () => run.step(`${dtype}: raw write (transformers.js: arrayBuffer, cache.put)`, { kind: 'raw-write', urls });
      const appRead = () => run.step(`${dtype}: app read (serveStored + storeFetch -> arrayBuffer)`, { kind: 'app-read', source: src });
      const rawRead = () => run.step(`${dtype}: raw read (cache.match -> arrayBuffer)`, { kind: 'raw-read', urls: [url(graphOf(dtype))] });
      const [aw, rw] = await inOrder(appFirst, appWrite, rawWrite);
      const plain = await run.step(`${dtype}: plain fetch`, { kind: 'plain-fetch', urls });
      const [ar, rr] = await inOrder(appFirst, appRead, rawRead);
      sample('download_mbps_app', mbps(aw));
      sample('plain_fetch_mbps', mbps(plain));
      sample('cacheapi_write_mbps', mbps(rw));
      sample('weightstore_read_mbps', mbps(ar));
      sample('cacheapi_read_mbps', mbps(rr));
      sample('weightstore_vs_cacheapi_write_ratio', ratio(mbps(aw), mbps(rw)));
      sample('download_vs_plain_fetch_ratio', ratio(mbps(aw), mbps(plain)));
      sample('weightstore_vs_cacheapi_read_ratio', ratio(mbps(ar), mbps(rr)));
      sample('write_peak_rss_over_file_size_app', peakOver(aw));
      sample('write_peak_rss_over_file_size_raw', peakOver(rw));
      sample('read_peak_rss_over_file_size_app', peakOver(ar));
      sample('read_peak_rss_over_file_size_raw', peakOver(rr));
      if (times > 1) log(`  rep ${rep + 1} (${appFirst ? 'app' : 'raw'} first): write ratio ${ratio(mbps(aw), mbps(rw))?.toFixed(3)}, read ratio ${ratio(mbps(ar), mbps(rr))?.toFixed(3)}`);
    }
    // Medians over reps (ratios: of the per-rep ratios), with quartiles where there were several.
    for (const [name, values] of samples) {
      const digits = name.includes('mbps') ? 1 : 3;
      put(f, `realsize_${name}${tag}`, median(values), digits);
      if (values.length > 1 && name.includes('ratio')) {
        put(f, `realsize_${name}${tag}_q1`, quantile(values, 0.25), digits);
        put(f, `realsize_${name}${tag}_q3`, quantile(values, 0.75), digits);
      }
    }
  }

  // Stored -> ready, app and raw on the same file, alternating which goes first.
  const outcomes: string[] = [];
  for (const [i, { device, dtype }] of loads.entries()) {
    const size = sizeOf(dtype);
    const key = `${device}_${dtype}`;
    for (const side of i % 2 === 0 ? (['app', 'raw'] as const) : (['raw', 'app'] as const)) {
      const src = source(device, dtype);
      const m =
        side === 'app'
          ? await run.step(`${key}: app ready (Engine.load, dtypes ${src.dtypes.join(',')})`, { kind: 'app-ready', source: src })
          : await run.step(`${key}: raw ready (from_pretrained from the Cache API)`, { kind: 'raw-ready', hub: hub.url, repo, dtype, device });
      const r = ok(m);
      outcomes.push(`${key} ${side}: ${r ? `ready in ${r.seconds.toFixed(1)} s` : m.reply.ok ? '' : `cannot load: ${m.reply.error}`}`);
      put(f, `realsize_ready_ok_${side}_${key}`, r ? 1 : 0, 0);
      put(f, `realsize_ready_s_${side}_${key}`, r?.seconds, 1);
      // Also when the load failed: how far memory went before it did.
      put(f, `realsize_load_peak_rss_over_file_size_${side}_${key}`, (m.peak.load - m.start.load) / size);
      put(f, `realsize_load_held_rss_over_file_size_${side}_${key}`, r ? (m.held.load - m.start.load) / size : null);
      if (side === 'raw' && m.requestBytes > size / 2) log(`  raw ready fetched ${mb(m.requestBytes)} from the hub: its cache was missed`);
    }
    put(f, `realsize_ready_app_over_raw_${key}`, ratio(f[`realsize_ready_s_app_${key}`] ?? null, f[`realsize_ready_s_raw_${key}`] ?? null));
  }
  log('stored -> ready, in short:');
  for (const line of outcomes) log(`  ${line}`);
  // The headline load figures: the published default file (q4f16) on WASM, the one 1.5B load that fits here.
  for (const side of ['app', 'raw'] as const) {
    put(f, `realsize_load_peak_rss_over_file_size_${side}`, f[`realsize_load_peak_rss_over_file_size_${side}_wasm_q4f16`]);
  }
  return f;
}

async function bench7(run: Runner, hub: Hub, model: RealSizeModel, log: Log): Promise<Record<string, number>> {
  const repo = `${ORG}/${R1_7B_REPO}`;
  const source = (device: Device, dtypes: Dtype[]): ModelSource => ({ host: hub.url, repo, revision: 'main', dtypes, device, folder: R1_7B_FOLDER });
  // The fp16 build downloads for a shader-f16 WebGPU preference; the app checks the graph before its data.
  const f16Pref = dtypePreference('webgpu', true);
  const dataPath = `${R1_7B_FOLDER}/model.onnx.data`;
  const dataSize = model.files.find((f) => f.path === dataPath)?.size ?? 0;
  const urls = model.files.map((f) => `${hub.url}/${repo}/resolve/main/${f.path}`);
  const dataUrl = `${hub.url}/${repo}/resolve/main/${dataPath}`;
  log(`${repo}: ${model.files.length} files, model.onnx.data ${mb(dataSize)} (float16, GenAI layout)`);
  const f: Record<string, number> = { realsize7b_data_mb: round(dataSize / 1e6, 1) };
  await run.step('7B clear', { kind: 'clear' });
  const appWrite = await run.step('7B app download (ensureModel, shader-f16 preference)', { kind: 'app-download', source: source('webgpu', f16Pref) });
  const plain = await run.step('7B plain fetch', { kind: 'plain-fetch', urls });
  const rawWrite = await run.step('7B raw write (arrayBuffer, cache.put)', { kind: 'raw-write', urls });
  // transformers.js's own write reads the body into one buffer first; the body streamed into
  // Cache Storage without JS (weight-store's raw write) shows whether Cache Storage itself holds the file.
  const streamWrite = await run.step('7B raw write, streamed (cache.put(url, response))', { kind: 'raw-write-stream', urls: [dataUrl] });
  const appRead = await run.step('7B app read (served parts -> arrayBuffer each)', { kind: 'app-read', source: source('webgpu', f16Pref) });
  const rawRead = await run.step('7B raw read (cache.match -> arrayBuffer)', { kind: 'raw-read', urls: [dataUrl] });
  put(f, 'realsize7b_download_mbps_app', mbps(appWrite), 1);
  put(f, 'realsize7b_plain_fetch_mbps', mbps(plain), 1);
  put(f, 'realsize7b_cacheapi_write_mbps', mbps(rawWrite), 1);
  put(f, 'realsize7b_weightstore_read_mbps', mbps(appRead), 1);
  put(f, 'realsize7b_cacheapi_read_mbps', mbps(rawRead), 1);
  put(f, 'realsize7b_cacheapi_stream_write_mbps', mbps(streamWrite), 1);
  put(f, 'realsize7b_raw_write_ok', rawWrite.reply.ok ? 1 : 0, 0);
  put(f, 'realsize7b_raw_stream_write_ok', streamWrite.reply.ok ? 1 : 0, 0);
  put(f, 'realsize7b_raw_read_ok', rawRead.reply.ok ? 1 : 0, 0);
  // What loading does: the app's own preferences here (no shader-f16) refuse the fp16 graph; with the
  // float16 preference forced, ORT itself answers. transformers.js cannot load the GenAI layout at all.
  const attempts: Array<[string, ModelSource]> = [
    ['app_wasm', source('wasm', dtypePreference('wasm', false))],
    ['app_webgpu', source('webgpu', dtypePreference('webgpu', false))],
    ['forced_wasm', source('wasm', f16Pref)],
    ['forced_webgpu', source('webgpu', f16Pref)],
  ];
  for (const [name, src] of attempts) {
    const m = await run.step(`7B ready, ${name.replace('_', ' on ')} (dtypes ${src.dtypes.join(',')})`, { kind: 'app-ready', source: src });
    put(f, `realsize7b_ready_ok_${name}`, m.reply.ok ? 1 : 0, 0);
    put(f, `realsize7b_ready_s_${name}`, ok(m)?.seconds, 1);
    put(f, `realsize7b_load_peak_rss_gb_${name}`, (m.peak.load - m.start.load) / 1e9, 2);
  }
  return f;
}

async function run(log: Log): Promise<Record<string, number>> {
  const loads = process.env.BENCH_REALSIZE_LOADS
    ? process.env.BENCH_REALSIZE_LOADS.split(',').map((l) => {
        const [device, dtype] = l.split(':') as [Device, Dtype];
        return { device, dtype };
      })
    : LOADS;
  const only7b = process.env.BENCH_REALSIZE_7B === 'only';
  const with7b = only7b || process.env.BENCH_REALSIZE_7B === '1';
  const timeoutMs = Number(process.env.BENCH_REALSIZE_STEP_TIMEOUT_S ?? 1500) * 1000;
  const reps = Math.max(1, Number(process.env.BENCH_REALSIZE_REPS ?? 3));
  const t0 = performance.now();
  const models = await generateRealSize(REAL_SIZE_ROOT, { with7b, only7b, log });
  log(`models ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (${models.map((m) => `${m.repo}: ${m.seconds ? `written in ${m.seconds.toFixed(0)} s` : 'unchanged'}`).join('; ')})`);
  let hub: Hub | undefined;
  let page: SourcePage | undefined;
  try {
    hub = await startHub({ root: REAL_SIZE_ROOT });
    // The hub hashes each file once for its listing; do it now, outside the timed download.
    const t1 = performance.now();
    for (const m of models) await (await fetch(`${hub.url}/api/models/${ORG}/${m.repo}/revision/main?blobs=true`)).json();
    log(`hub listings (sha256 of every file) in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    page = await openSourcePage({ module: '/tools/bench/real-size-page.ts', ready: 'realSizeStep' });
    const runner = new Runner(page, hub, log, timeoutMs);
    const figures: Record<string, number> = {};
    const m15 = models.find((m) => m.repo === R1_1_5B_REPO);
    if (m15) Object.assign(figures, await bench15(runner, hub, m15, loads, reps, log));
    const m7 = models.find((m) => m.repo === R1_7B_REPO);
    if (m7) Object.assign(figures, await bench7(runner, hub, m7, log));
    await runner.step('clear', { kind: 'clear' });
    return figures;
  } finally {
    await page?.close();
    await hub?.close();
  }
}

export default { name: 'real-size', run } satisfies Benchmark;
