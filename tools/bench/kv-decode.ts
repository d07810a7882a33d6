/**
 * kv-decode: what one decode step costs at 512, 4k and 16k tokens of context, on WASM and on WebGPU
 * (SwiftShader here), against the time it takes just to read the KV cache once at the memory
 * bandwidth measured in the same run (issue #13, section 3).
 *
 * The model is the generator's `bench-r1` graph (MHA-style attention: Concat of past and new keys,
 * as onnx-community's 1.5B export) resized to DeepSeek-R1-Distill-Qwen-1.5B's cache geometry: 28
 * layers × 2 KV heads × head size 128, fp32 (the generator writes fp32 activations), with a small
 * hidden size and MLP so that long contexts run here in minutes. Written on demand under
 * `.cache/bench-hub/<size>/ponder-test/bench-r1`, never committed.
 *
 * No prefill: the worker (kv-decode-page.ts, a dedicated module worker in one cross-origin isolated
 * Chromium page) hands the model a KV cache of L tokens directly (deterministic pseudo-random values,
 * [1, kv_heads, L, head_dim] per layer and kind) and feeds one token per step through the app's
 * `feed` (workers/forward.ts) with the previous step's cache, as workers/generation.ts decodes. The
 * first `BENCH_KV_WARMUP` steps after making the cache are untimed (on WebGPU the first uploads the
 * CPU cache; later steps run on the GPU-resident `present` outputs), then `BENCH_KV_STEPS` steps are
 * timed, and a run's figure is their median. Reps rotate the order of the lengths and of the
 * backends, so slow drift favours none; each rep also measures the read bandwidth of each backend.
 *
 *   floor(L)  = KV bytes at L / read bandwidth (WASM: a hand-written SIMD WebAssembly loop reading a
 *               256 MiB buffer in the same worker, 1 thread; WebGPU: a WGSL compute shader reading a
 *               256 MiB storage buffer, timed to queue.onSubmittedWorkDone())
 *   slope/floor = (ms/token at the longest − at the shortest) / (floor there − floor at the shortest):
 *               how many times the cache's bytes each step costs, in read-once units
 *
 * Settings (environment): BENCH_KV_BACKENDS=wasm,webgpu  BENCH_KV_LENGTHS=512,4096,16384
 *   BENCH_KV_REPS=3 (WebGPU)  BENCH_KV_REPS_WASM=5  BENCH_KV_STEPS=8  BENCH_KV_STEPS_WEBGPU=(BENCH_KV_STEPS)  BENCH_KV_WARMUP=2
 *   BENCH_KV_WARMUP_WEBGPU=1  BENCH_KV_RUN_BUDGET_S=30  BENCH_KV_BANDWIDTH_MIB=256  BENCH_KV_SIZE=(size spec, see KV_SIZE)
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { parseSize } from '../fixture/generate.ts';
import type { Hub } from '../hub/index.ts';
import { median, quantile } from './decode-overhead.ts';
import type { Bandwidth, Decoded, Device, Loaded } from './kv-decode-page.ts';
import { benchHub } from './servers.ts';
import { openSourcePage, type SourcePage } from './source-page.ts';
import type { Benchmark, Log } from './types.ts';

/** The 1.5B's cache geometry (28 layers, 2 KV heads, head size 128); everything else small. */
export const KV_SIZE = 'hidden=256,layers=28,heads=2,kv_heads=2,head_dim=128,intermediate=512,vocab=4096,vocab_rank=32';
const REPO = 'ponder-test/bench-r1';
/** The generator writes fp32 activations and cache tensors. */
const BYTES_PER_ELEMENT = 4;

const int = (v: string | undefined, fallback: number) => (v && /^\d+$/.test(v) ? Number(v) : fallback);
const round = (v: number, digits = 3) => Number(v.toFixed(digits));
const fmt = (v: number, digits = 1) => v.toFixed(digits);

function otherChromium(): string[] {
  try {
    return execFileSync('pgrep', ['-fa', 'chromium'], { encoding: 'utf8' }).split('\n').filter((l) => l.trim() && !l.includes('pgrep'));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

const machine = () => `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${otherChromium().length} chromium process(es) running`;

/** Rotates `xs` left by `by`. */
const rotate = <T>(xs: readonly T[], by: number): T[] => xs.map((_, i) => xs[(i + by) % xs.length] as T);

export default {
  name: 'kv-decode',
  async run(log: Log) {
    const backends = (process.env.BENCH_KV_BACKENDS ?? 'wasm,webgpu').split(',').filter(Boolean) as Device[];
    for (const b of backends) if (b !== 'wasm' && b !== 'webgpu') throw new Error(`unknown backend ${b}`);
    const lengths = (process.env.BENCH_KV_LENGTHS ?? '512,4096,16384').split(',').map(Number);
    if (lengths.some((l) => !Number.isInteger(l) || l < 1)) throw new Error('BENCH_KV_LENGTHS: positive integers');
    const reps: Record<Device, number> = {
      wasm: Math.max(1, int(process.env.BENCH_KV_REPS_WASM, 5)),
      webgpu: Math.max(1, int(process.env.BENCH_KV_REPS, 3)),
    };
    const allReps = Math.max(...backends.map((b) => reps[b]));
    const steps: Record<Device, number> = {
      wasm: Math.max(1, int(process.env.BENCH_KV_STEPS, 8)),
      webgpu: Math.max(1, int(process.env.BENCH_KV_STEPS_WEBGPU, int(process.env.BENCH_KV_STEPS, 8))),
    };
    const warmup: Record<Device, number> = {
      wasm: Math.max(1, int(process.env.BENCH_KV_WARMUP, 2)),
      webgpu: Math.max(1, int(process.env.BENCH_KV_WARMUP_WEBGPU, 1)),
    };
    const budgetMs = 1000 * int(process.env.BENCH_KV_RUN_BUDGET_S, 30);
    const mib = Math.max(16, int(process.env.BENCH_KV_BANDWIDTH_MIB, 256));
    const sizeSpec = process.env.BENCH_KV_SIZE ?? KV_SIZE;
    const size = parseSize(sizeSpec);

    log(`machine: ${cpus().length} cores, ${machine()}`);
    for (const line of otherChromium()) log(`  already running: ${line.slice(0, 160)}`);
    log(`model: bench-r1 at ${sizeSpec} (layer weights shared), fp32; lengths ${lengths.join(', ')}; ${backends.map((b) => `${reps[b]} reps (${b})`).join(', ')}, each run ${backends.map((b) => `${warmup[b]} untimed + ≤ ${steps[b]} timed steps (${b})`).join(', ')}, timed steps while they fit in ${budgetMs / 1000} s (at least 1)`);

    let hub: Hub | undefined;
    let page: SourcePage | undefined;
    try {
      const t0 = performance.now();
      hub = await benchHub({ label: `kv_${sizeSpec.replace(/[^\w]+/g, '_')}`, size });
      log(`model written/checked in ${fmt((performance.now() - t0) / 1000)} s`);
      page = await openSourcePage({ module: '/tools/bench/kv-decode-page.ts', ready: 'kvBench', inWorker: true, isolated: true });
      const call = <T>(expr: string) => (page as SourcePage).evaluate(expr) as Promise<T>;

      const loaded: Partial<Record<Device, Loaded>> = {};
      // Lengths each backend can hold: on WebGPU one layer's key (or value) is one buffer and binding.
      const fits: Record<Device, number[]> = { wasm: [], webgpu: [] };
      let kvBytesPerToken = 0;
      for (const device of backends) {
        const info = await call<Loaded>(`kvBench.load(${JSON.stringify({ hub: hub.url, repo: REPO, device })})`);
        loaded[device] = info;
        kvBytesPerToken = info.layers * 2 * info.kvHeads * info.headDim * BYTES_PER_ELEMENT;
        log(
          `${device}: loaded in ${fmt(info.loadMs / 1000)} s; crossOriginIsolated ${info.crossOriginIsolated}, ${info.cores} cores, ` +
            `ORT WASM threads ${info.threads}${info.adapter ? `; adapter ${info.adapter}` : ''}` +
            (info.maxBufferSize ? `; ORT's device: maxBufferSize ${info.maxBufferSize}, maxStorageBufferBindingSize ${info.maxStorageBufferBindingSize}` : ''),
        );
        log(`${device}: ${info.layers} layers × 2 × ${info.kvHeads} KV heads × head size ${info.headDim} × ${BYTES_PER_ELEMENT} B = ${kvBytesPerToken} B of KV per token (hidden ${info.hidden}, ${info.heads} query heads)`);
        for (const length of lengths) {
          const tensorBytes = (length + warmup[device] + steps[device]) * info.kvHeads * info.headDim * BYTES_PER_ELEMENT;
          const limit = info.maxBufferSize ? Math.min(info.maxBufferSize, info.maxStorageBufferBindingSize ?? Infinity) : Infinity;
          if (tensorBytes > limit) log(`${device}: skipping ${length}: one layer's key tensor would be ${tensorBytes} B, over the device's buffer/binding limit ${limit}`);
          else fits[device].push(length);
        }
      }

      // Untimed: shader compilation and first-shape work on each backend, at the shortest length.
      for (const device of backends) {
        const shortest = fits[device][0];
        if (shortest === undefined) continue;
        const t = performance.now();
        const d = await call<Decoded>(`kvBench.decode(${JSON.stringify({ device, length: shortest, warmup: 1, steps: 2, budgetMs })})`);
        log(`${device}: warm-up at ${shortest} in ${fmt((performance.now() - t) / 1000)} s (steps ${d.warmupMs.concat(d.stepMs).map((v) => fmt(v, 0)).join(', ')} ms; kv outputs on ${d.location})`);
      }

      const perRep: Record<Device, Record<number, number[]>> = { wasm: {}, webgpu: {} };
      const bandwidths: Record<Device, number[]> = { wasm: [], webgpu: [] };
      /** Per rep, per backend: the slope over the floor, from that rep's own runs and bandwidth. */
      const slopes: Record<Device, number[]> = { wasm: [], webgpu: [] };
      for (let rep = 0; rep < allReps; rep++) {
        log(`rep ${rep + 1}/${allReps}: ${machine()}`);
        for (const device of rotate(backends, rep)) {
          if (rep >= reps[device]) continue;
          const bw = await call<Bandwidth>(`kvBench.bandwidth(${JSON.stringify({ device, mib, passes: 5 })})`);
          const gbps = median(bw.gbps);
          bandwidths[device].push(gbps);
          const side = Object.entries(bw.side).map(([k, v]) => `${k} ${fmt(median(v), 2)}`).join(', ');
          log(`  ${device} read bandwidth ${fmt(gbps, 2)} GB/s (passes ${bw.gbps.map((v) => fmt(v, 2)).join(' ')}); ${side}`);
          if (rep === 0) log(`  ${device} bandwidth method: ${bw.method}${bw.limits ? `; adapter limits ${JSON.stringify(bw.limits)}` : ''}`);
          const msAt: Record<number, number> = {};
          for (const length of rotate(fits[device], rep)) {
            const t = performance.now();
            const d = await call<Decoded>(`kvBench.decode(${JSON.stringify({ device, length, warmup: warmup[device], steps: steps[device], budgetMs })})`);
            const ms = median(d.stepMs);
            (perRep[device][length] ??= []).push(ms);
            msAt[length] = ms;
            const floor = (length * kvBytesPerToken) / (gbps * 1e6);
            log(
              `  ${device} L=${length}: ${fmt(ms)} ms/token (floor ${fmt(floor, 2)} ms; steps ${d.stepMs.map((v) => fmt(v, 0)).join(' ')}; ` +
                `warm-up ${d.warmupMs.map((v) => fmt(v, 0)).join(' ')}; cache made in ${fmt(d.setupMs, 0)} ms; kv on ${d.location}; ${fmt((performance.now() - t) / 1000)} s)`,
            );
          }
          const lo = fits[device][0];
          const hi = fits[device].at(-1);
          if (lo !== undefined && hi !== undefined && hi > lo) {
            const floorDelta = ((hi - lo) * kvBytesPerToken) / (gbps * 1e6);
            slopes[device].push(((msAt[hi] as number) - (msAt[lo] as number)) / floorDelta);
          }
        }
      }
      log(`after: ${machine()}`);

      const figures: Record<string, number> = {};
      for (const length of lengths) figures[`kv_bytes_${length}`] = length * kvBytesPerToken;
      figures.kv_bytes_per_element = BYTES_PER_ELEMENT;
      for (const device of backends) {
        const gbps = median(bandwidths[device]);
        figures[`kv_read_bandwidth_gbps_${device}`] = round(gbps, 2);
        figures[`kv_read_bandwidth_gbps_${device}_q1`] = round(quantile(bandwidths[device], 0.25), 2);
        figures[`kv_read_bandwidth_gbps_${device}_q3`] = round(quantile(bandwidths[device], 0.75), 2);
        for (const length of fits[device]) {
          const xs = perRep[device][length] ?? [];
          figures[`kv_decode_ms_${device}_${length}`] = round(median(xs), 2);
          figures[`kv_decode_ms_${device}_${length}_q1`] = round(quantile(xs, 0.25), 2);
          figures[`kv_decode_ms_${device}_${length}_q3`] = round(quantile(xs, 0.75), 2);
          figures[`kv_floor_ms_${device}_${length}`] = round((length * kvBytesPerToken) / (gbps * 1e6), 3);
        }
        const lo = fits[device][0];
        const hi = fits[device].at(-1);
        if (slopes[device].length > 0 && lo !== undefined && hi !== undefined) {
          figures[`kv_slope_over_read_floor_${device}`] = round(median(slopes[device]), 2);
          figures[`kv_slope_over_read_floor_${device}_q1`] = round(quantile(slopes[device], 0.25), 2);
          figures[`kv_slope_over_read_floor_${device}_q3`] = round(quantile(slopes[device], 0.75), 2);
          const msDelta = median(perRep[device][hi] ?? []) - median(perRep[device][lo] ?? []);
          log(
            `${device}: ${fmt(msDelta)} ms more per token at ${hi} than at ${lo}, ${fmt((msDelta * 1e6) / ((hi - lo) * kvBytesPerToken), 2)} ns per KV byte; ` +
              `read once at ${fmt(gbps, 2)} GB/s that is ${fmt(((hi - lo) * kvBytesPerToken) / (gbps * 1e6), 2)} ms: slope/floor ${fmt(median(slopes[device]), 2)} ` +
              `(per rep ${slopes[device].map((v) => fmt(v, 2)).join(' ')})` +
              (hi !== lengths.at(-1) ? ` (NB: up to ${hi} only, not ${lengths.at(-1)})` : ''),
          );
        }
      }
      return figures;
    } finally {
      await page?.close();
      await hub?.close();
    }
  },
} satisfies Benchmark;
