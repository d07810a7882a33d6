/**
 * weight-store: the app's IndexedDB weight store against the Cache Storage that transformers.js uses
 * on its own, writing and reading one large model file, in one Chromium (persistent profile, so
 * storage is on disk as users have it).
 *
 * A file of BENCH_STORE_BYTES random bytes is served by the local hub as
 * `ponder-test/big-file/onnx/model.onnx_data`. In a dedicated module worker (weight-store-page.ts):
 *   app write   `ensureStored` (workers/weights/download.ts): 16 MiB chunks into IndexedDB, each
 *               digested, the whole file hashed and checked against the listing's sha256;
 *   raw write   `fetch(url)`, then `await caches.open('transformers-cache').put(url, response)`;
 *   plain fetch the same bytes read to the end and dropped (what hub and network stack deliver);
 *   app read    `storeFetch(url)` (workers/weights/store-fetch.ts), then `arrayBuffer()`, as
 *               transformers.js reads a model file;
 *   raw read    `caches.open(...).match(url)`, then `arrayBuffer()`.
 * Each rep runs the writes, the plain fetch, then the reads, app first on even reps and raw first on
 * odd ones, then empties both stores. Figures are medians over reps (ratios: of the per-rep ratios).
 * During each read the RSS of the renderer (the worker's process) and the GPU process is sampled;
 * its peak minus its value just before the read, over the file size, is `load_peak_rss_…`.
 *
 * Settings (environment): BENCH_STORE_BYTES=1.1e9  BENCH_STORE_REPS=2
 */
import { randomFillSync, randomInt } from 'node:crypto';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startHub, type Hub } from '../hub/index.ts';
import type { ModelInfo } from '../hub/model-info.ts';
import { median } from './decode-overhead.ts';
import { rssOf, withPeakRss, type ProcessRss } from './process-rss.ts';
import { openSourcePage, type SourcePage } from './source-page.ts';
import type { Benchmark, Log } from './types.ts';
import type { BenchFile, Step, StepArgs } from './weight-store-page.ts';

const REPO = 'ponder-test/big-file';
const PATH = 'onnx/model.onnx_data';
const PIECE = 16 * 1024 * 1024;
/** Where a loading model's bytes live: the renderer (its dedicated workers included) and the GPU process. */
const LOAD_KINDS = ['renderer', 'gpu-process'];

const measure = (processes: ProcessRss[]) => ({ load: rssOf(processes, LOAD_KINDS), all: rssOf(processes) });

/** Writes `size` random bytes to `path`; returns `[offset, byte]` pairs of it (two per 16 MiB) for checking reads. */
async function writeRandomFile(path: string, size: number): Promise<Array<[number, number]>> {
  await mkdir(dirname(path), { recursive: true });
  const out = await open(path, 'w');
  const samples: Array<[number, number]> = [];
  const buffer = Buffer.allocUnsafe(PIECE);
  try {
    for (let offset = 0; offset < size; offset += PIECE) {
      const piece = randomFillSync(buffer.subarray(0, Math.min(PIECE, size - offset)));
      const at = randomInt(piece.length);
      samples.push([offset + at, piece[at] as number], [offset + piece.length - 1, piece[piece.length - 1] as number]);
      await out.write(piece);
    }
  } finally {
    await out.close();
  }
  return samples;
}

interface Measured {
  seconds: number;
  /** Peak RSS during the step minus RSS just before it, bytes. */
  loadRss: number;
  allRss: number;
}

async function runStep(page: SourcePage, args: StepArgs): Promise<Measured> {
  // A string, not a function: tsx's keepNames would inject a `__name` helper the worker lacks.
  const { result, start, peak } = await withPeakRss(() => page.evaluate(`storeStep(${JSON.stringify(args)})`) as Promise<number>, measure);
  return { seconds: result, loadRss: peak.load - start.load, allRss: peak.all - start.all };
}

type Side = 'app' | 'raw';

/** The reps, alternating which side goes first; the figures. */
async function compare(page: SourcePage, file: BenchFile, samples: StepArgs['samples'], reps: number, log: Log): Promise<Record<string, number>> {
  const step = (s: Step) => runStep(page, { step: s, file, samples });
  const mbps = (m: Measured) => file.size / 1e6 / m.seconds;
  const mb = (bytes: number) => `${bytes >= 0 ? '+' : ''}${(bytes / 1e6).toFixed(0)} MB`;
  const describe = (m: Measured) =>
    `${m.seconds.toFixed(1)} s, ${mbps(m).toFixed(0)} MB/s; peak RSS renderer+gpu ${mb(m.loadRss)}, all Chromium ${mb(m.allRss)}`;
  const writes: Record<Side, Measured[]> = { app: [], raw: [] };
  const reads: Record<Side, Measured[]> = { app: [], raw: [] };
  const fetches: Measured[] = [];
  const record = async (into: Measured[], s: Step, label: string) => {
    const m = await step(s);
    into.push(m);
    log(`${label}: ${describe(m)}`);
  };
  await step('clear');
  for (let rep = 1; rep <= reps; rep++) {
    const order: Side[] = rep % 2 === 1 ? ['app', 'raw'] : ['raw', 'app'];
    for (const side of order) await record(writes[side], `${side}-write`, `rep ${rep} ${side} write`);
    await record(fetches, 'plain-fetch', `rep ${rep} plain fetch`);
    for (const side of order) await record(reads[side], `${side}-read`, `rep ${rep} ${side} read`);
    log(`rep ${rep} stores emptied in ${(await step('clear')).seconds.toFixed(1)} s`);
  }

  const ratio = (xs: Record<Side, Measured[]>) => median(xs.app.map((a, i) => mbps(a) / mbps(xs.raw[i] as Measured)));
  const medianMbps = (xs: Measured[]) => median(xs.map(mbps));
  const rssRatio = (xs: Measured[]) => median(xs.map((m) => m.loadRss / file.size));
  const round = (v: number, digits: number) => Number(v.toFixed(digits));
  return {
    weightstore_vs_cacheapi_read_ratio: round(ratio(reads), 3),
    weightstore_vs_cacheapi_write_ratio: round(ratio(writes), 3),
    weightstore_write_mbps: round(medianMbps(writes.app), 1),
    cacheapi_write_mbps: round(medianMbps(writes.raw), 1),
    plain_fetch_mbps: round(medianMbps(fetches), 1),
    weightstore_read_mbps: round(medianMbps(reads.app), 1),
    cacheapi_read_mbps: round(medianMbps(reads.raw), 1),
    load_peak_rss_over_file_size_app: round(rssRatio(reads.app), 3),
    load_peak_rss_over_file_size_raw: round(rssRatio(reads.raw), 3),
  };
}

async function run(log: Log): Promise<Record<string, number>> {
  const size = Math.round(Number(process.env.BENCH_STORE_BYTES ?? 1.1e9));
  const reps = Number(process.env.BENCH_STORE_REPS ?? 2);
  const root = await mkdtemp(join(tmpdir(), 'ponder-weight-store-'));
  let hub: Hub | undefined;
  let page: SourcePage | undefined;
  try {
    const t0 = performance.now();
    const samples = await writeRandomFile(join(root, REPO, PATH), size);
    log(`${(size / 1e6).toFixed(0)} MB of random bytes written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    hub = await startHub({ root });
    const t1 = performance.now();
    // The listing, as the app reads it; the hub hashes the file for it once.
    const info = (await (await fetch(`${hub.url}/api/models/${REPO}`)).json()) as ModelInfo;
    const sibling = info.siblings.find((s) => s.rfilename === PATH);
    if (!sibling) throw new Error(`the hub does not list ${PATH}`);
    log(`hub listing (sha256 of the file) in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    const file: BenchFile = {
      url: `${hub.url}/${REPO}/resolve/main/${PATH}`,
      repo: REPO,
      revision: 'main',
      path: PATH,
      size: sibling.size,
      sha256: sibling.lfs.sha256,
    };
    page = await openSourcePage({ module: '/tools/bench/weight-store-page.ts', ready: 'storeStep', inWorker: true });
    return await compare(page, file, samples, reps, log);
  } finally {
    await page?.close();
    await hub?.close();
    await rm(root, { recursive: true, force: true });
  }
}

export default { name: 'weight-store', run } satisfies Benchmark;
