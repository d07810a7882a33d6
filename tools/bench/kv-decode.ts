/**
 * kv-decode: what one decode step costs at 512, 4k and 16k tokens of context, on WASM and on WebGPU
 * (SwiftShader here), against the time it takes just to read the KV cache once at the memory
 * bandwidth measured in the same run (issue #13, section 3), for two models of DeepSeek-R1-Distill-
 * Qwen-1.5B's cache geometry (28 layers × 2 KV heads × head size 128, fp32, small hidden size and MLP
 * so that long contexts run here in minutes; kv-decode-model.ts), each decoded the way the app decodes it:
 *  - `mha`: the generator's `bench-r1` graph (Concat of past and new keys, as onnx-community's 1.5B
 *    export): a per-step cache on both backends (new, longer `present` tensors every step; on WASM
 *    they are written into ORT's heap and stay there, workers/wasm-heap/heap-kv.ts). Figures
 *    `kv_decode_ms_<wasm|webgpu>_<L>`, `kv_slope_over_read_floor_<wasm|webgpu>` (names as before).
 *  - `gqa`: the same geometry in the ONNX Runtime GenAI layout (GroupQueryAttention, 4-bit weights),
 *    loaded through the app's weight store, with the app's in-place cache (StaticKv: past and present
 *    are one buffer, GenAI's past_present_share_buffer): GPU buffers on WebGPU, ORT's WASM heap on
 *    WASM (workers/wasm-heap/). Figures `kv_decode_ms_gqa_<wasm|webgpu>_<L>`,
 *    `kv_slope_over_read_floor_gqa_<wasm|webgpu>`: the ones issue #13's goals are about (≤ 1.5 on
 *    WebGPU, ≤ 3 on WASM), since they are the app's best path on each backend.
 *  - `mha_js`, `gqa_js`: the same models with transformers.js's DynamicCache through ORT-web's own
 *    run, which copies the cache into the heap and out again every step (what the app did on WASM
 *    before its heap caches), WASM only: the baselines in the same run. Figures
 *    `kv_decode_ms_<mha|gqa>_js_wasm_<L>`, `kv_slope_over_read_floor_<mha|gqa>_js_wasm`.
 * Both written on demand under `.cache/bench-hub/<size>/ponder-test/`, never committed.
 *
 * No prefill: the worker (kv-decode-page.ts, a dedicated module worker in one cross-origin isolated
 * Chromium page) hands a model a KV cache of L tokens directly (deterministic pseudo-random values,
 * kv-decode-cache.ts: [1, kv_heads, L, head_dim] tensors per layer and kind, or an in-place cache
 * reserved for the whole run and written on the GPU) and feeds one token per step through the app's
 * `feed` (workers/forward.ts) with the previous step's cache, as workers/generation.ts decodes. The
 * first `BENCH_KV_WARMUP` steps after making the cache are untimed (on WebGPU the first uploads a
 * per-step cache from the CPU; later steps run on the GPU-resident `present` outputs), then
 * `BENCH_KV_STEPS` steps are timed, and a run's figure is their median. Reps rotate the order of the
 * lengths, of the models and of the backends, so slow drift favours none; each rep also measures the
 * read bandwidth of each backend, once for both models.
 *
 *   floor(L)  = KV bytes at L / read bandwidth (WASM: a hand-written SIMD WebAssembly loop reading a
 *               256 MiB buffer in the same worker, 1 thread; WebGPU: a WGSL compute shader reading a
 *               256 MiB storage buffer, timed to queue.onSubmittedWorkDone())
 *   slope/floor = (ms/token at the longest − at the shortest) / (floor there − floor at the shortest):
 *               how many times the cache's bytes each step costs, in read-once units
 *
 * Settings (environment): BENCH_KV_BACKENDS=wasm,webgpu  BENCH_KV_VARIANTS=mha,gqa,mha_js,gqa_js  BENCH_KV_LENGTHS=512,4096,16384
 *   BENCH_KV_REPS=2 (WebGPU)  BENCH_KV_REPS_WASM=5  BENCH_KV_STEPS=8  BENCH_KV_STEPS_WEBGPU=(BENCH_KV_STEPS)  BENCH_KV_WARMUP=2
 *   BENCH_KV_WARMUP_WEBGPU=1  BENCH_KV_RUN_BUDGET_S=20  BENCH_KV_BANDWIDTH_MIB=256  BENCH_KV_SIZE=(size spec, see KV_SIZE)
 * (2 WebGPU reps and a 20 s budget keep both models' runs within ~15 minutes here: SwiftShader takes
 * about a minute a step at 16k.)
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { GENAI_MODEL_DIR } from '../fixture/genai-files.ts';
import { parseSize } from '../fixture/generate.ts';
import type { Hub } from '../hub/index.ts';
import { capacityFor } from '../../workers/static-kv.ts';
import { median, quantile } from './decode-overhead.ts';
import { gqaInfo, KV_SIZE, MHA_REPO, writeGqaModel } from './kv-decode-model.ts';
import type { Bandwidth, Decoded, Device, Loaded, Variant } from './kv-decode-page.ts';
import { benchHub, RESIZED_ROOT } from './servers.ts';
import { openSourcePage, type SourcePage } from './source-page.ts';
import type { Benchmark, Log } from './types.ts';

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

const VARIANTS: readonly Variant[] = ['mha', 'gqa', 'mha_js', 'gqa_js'];

/** Figure names: the MHA model keeps the names it had before the GQA one was added. */
const tag = (variant: Variant, device: Device) => (variant === 'mha' ? device : `${variant}_${device}`);

export default {
  name: 'kv-decode',
  async run(log: Log) {
    const backends = (process.env.BENCH_KV_BACKENDS ?? 'wasm,webgpu').split(',').filter(Boolean) as Device[];
    for (const b of backends) if (b !== 'wasm' && b !== 'webgpu') throw new Error(`unknown backend ${b}`);
    const variants = (process.env.BENCH_KV_VARIANTS ?? VARIANTS.join(',')).split(',').filter(Boolean) as Variant[];
    for (const v of variants) if (!VARIANTS.includes(v)) throw new Error(`unknown variant ${v}`);
    const lengths = (process.env.BENCH_KV_LENGTHS ?? '512,4096,16384').split(',').map(Number);
    if (lengths.some((l) => !Number.isInteger(l) || l < 1)) throw new Error('BENCH_KV_LENGTHS: positive integers');
    const reps: Record<Device, number> = {
      wasm: Math.max(1, int(process.env.BENCH_KV_REPS_WASM, 5)),
      webgpu: Math.max(1, int(process.env.BENCH_KV_REPS, 2)),
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
    const budgetMs = 1000 * int(process.env.BENCH_KV_RUN_BUDGET_S, 20);
    const mib = Math.max(16, int(process.env.BENCH_KV_BANDWIDTH_MIB, 256));
    const sizeSpec = process.env.BENCH_KV_SIZE ?? KV_SIZE;
    const size = parseSize(sizeSpec);
    const label = `kv_${sizeSpec.replace(/[^\w]+/g, '_')}`;
    const gqa = gqaInfo(sizeSpec);
    // The baselines (ORT-web's own run) are WASM's: on WebGPU the MHA export's per-step cache already
    // stays on the GPU, and a GQA per-step step at 16k takes minutes on SwiftShader.
    const runs = variants.flatMap((variant) => backends.filter((d) => !variant.endsWith('_js') || d === 'wasm').map((device) => ({ variant, device })));

    log(`machine: ${cpus().length} cores, ${machine()}`);
    for (const line of otherChromium()) log(`  already running: ${line.slice(0, 160)}`);
    log(
      `models: ${variants.join(', ')} at ${sizeSpec}, fp32; lengths ${lengths.join(', ')}; ${backends.map((b) => `${reps[b]} reps (${b})`).join(', ')}, ` +
        `each run ${backends.map((b) => `${warmup[b]} untimed + ≤ ${steps[b]} timed steps (${b})`).join(', ')}, timed steps while they fit in ${budgetMs / 1000} s (at least 1)`,
    );

    let hub: Hub | undefined;
    let page: SourcePage | undefined;
    try {
      const t0 = performance.now();
      // Both models in one hub root: the GQA repo beside the resized bench-r1.
      if (variants.some((v) => v.startsWith('gqa'))) await writeGqaModel(resolve(RESIZED_ROOT, label), gqa);
      hub = await benchHub({ label, size });
      log(`models written/checked in ${fmt((performance.now() - t0) / 1000)} s`);
      page = await openSourcePage({ module: '/tools/bench/kv-decode-page.ts', ready: 'kvBench', inWorker: true, isolated: true });
      const call = <T>(expr: string) => (page as SourcePage).evaluate(expr) as Promise<T>;

      const loaded = new Map<string, Loaded>();
      const at = (variant: Variant, device: Device) => loaded.get(tag(variant, device)) as Loaded;
      // Lengths each model can hold on each backend: on WebGPU one layer's key (or value) is one buffer and binding.
      const fits: Record<string, number[]> = {};
      let kvBytesPerToken = 0;
      for (const { variant, device } of runs) {
        const args = variant.startsWith('mha') ? { repo: MHA_REPO } : { repo: gqa.id, folder: GENAI_MODEL_DIR };
        const info = await call<Loaded>(`kvBench.load(${JSON.stringify({ hub: hub.url, device, variant, ...args })})`);
        loaded.set(tag(variant, device), info);
        const bytes = info.layers * 2 * info.kvHeads * info.headDim * BYTES_PER_ELEMENT;
        if (kvBytesPerToken && bytes !== kvBytesPerToken) throw new Error(`${variant} has ${bytes} B of KV per token, the other model ${kvBytesPerToken}`);
        kvBytesPerToken = bytes;
        log(
          `${variant} ${device}: loaded in ${fmt(info.loadMs / 1000)} s; ${info.kvCache} KV cache; crossOriginIsolated ${info.crossOriginIsolated}, ${info.cores} cores, ` +
            `ORT WASM threads ${info.threads}${info.adapter ? `; adapter ${info.adapter}` : ''}` +
            (info.maxBufferSize ? `; ORT's device: maxBufferSize ${info.maxBufferSize}, maxStorageBufferBindingSize ${info.maxStorageBufferBindingSize}, features ${info.gpuFeatures?.join(' ')}` : ''),
        );
        log(`${variant} ${device}: ${info.layers} layers × 2 × ${info.kvHeads} KV heads × head size ${info.headDim} × ${BYTES_PER_ELEMENT} B = ${bytes} B of KV per token (hidden ${info.hidden}, ${info.heads} query heads)`);
        const fit: number[] = (fits[tag(variant, device)] = []);
        for (const length of lengths) {
          const positions = length + warmup[device] + steps[device];
          // An in-place cache's buffers hold its whole capacity, whatever the length.
          const held = info.kvCache === 'in-place' ? capacityFor(positions, info.maxPositions) : positions;
          const tensorBytes = held * info.kvHeads * info.headDim * BYTES_PER_ELEMENT;
          const limit = info.maxBufferSize ? Math.min(info.maxBufferSize, info.maxStorageBufferBindingSize ?? Infinity) : Infinity;
          if (tensorBytes > limit) log(`${variant} ${device}: skipping ${length}: one layer's key tensor would be ${tensorBytes} B, over the device's buffer/binding limit ${limit}`);
          else fit.push(length);
        }
      }
      const fitsOf = (variant: Variant, device: Device) => fits[tag(variant, device)] ?? [];

      // Untimed: shader compilation and first-shape work for each model and backend, at the shortest length.
      for (const { variant, device } of runs) {
        const shortest = fitsOf(variant, device)[0];
        if (shortest === undefined) continue;
        const t = performance.now();
        const d = await call<Decoded>(`kvBench.decode(${JSON.stringify({ device, variant, length: shortest, warmup: 1, steps: 2, budgetMs })})`);
        log(`${variant} ${device}: warm-up at ${shortest} in ${fmt((performance.now() - t) / 1000)} s (steps ${d.warmupMs.concat(d.stepMs).map((v) => fmt(v, 0)).join(', ')} ms; kv on ${d.location})`);
      }

      /** Per model and backend (tag), per length: each rep's ms/token. */
      const perRep: Record<string, Record<number, number[]>> = {};
      const bandwidths: Record<Device, number[]> = { wasm: [], webgpu: [] };
      /** Per model and backend, per rep: the slope over the floor, from that rep's own runs and bandwidth. */
      const slopes: Record<string, number[]> = {};
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
          for (const variant of rotate(variants, rep)) {
            if (!runs.some((r) => r.variant === variant && r.device === device)) continue;
            const key = tag(variant, device);
            const fit = fitsOf(variant, device);
            const msAt: Record<number, number> = {};
            for (const length of rotate(fit, rep)) {
              const t = performance.now();
              const d = await call<Decoded>(`kvBench.decode(${JSON.stringify({ device, variant, length, warmup: warmup[device], steps: steps[device], budgetMs })})`);
              const ms = median(d.stepMs);
              ((perRep[key] ??= {})[length] ??= []).push(ms);
              msAt[length] = ms;
              const floor = (length * kvBytesPerToken) / (gbps * 1e6);
              log(
                `  ${variant} ${device} L=${length}: ${fmt(ms)} ms/token (floor ${fmt(floor, 2)} ms; steps ${d.stepMs.map((v) => fmt(v, 0)).join(' ')}; ` +
                  `warm-up ${d.warmupMs.map((v) => fmt(v, 0)).join(' ')}; cache made in ${fmt(d.setupMs, 0)} ms; kv on ${d.location}` +
                  `${d.capacity ? `, in place, capacity ${d.capacity}` : ''}; ${fmt((performance.now() - t) / 1000)} s)`,
              );
            }
            const lo = fit[0];
            const hi = fit.at(-1);
            if (lo !== undefined && hi !== undefined && hi > lo) {
              const floorDelta = ((hi - lo) * kvBytesPerToken) / (gbps * 1e6);
              (slopes[key] ??= []).push(((msAt[hi] as number) - (msAt[lo] as number)) / floorDelta);
            }
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
        for (const length of lengths) figures[`kv_floor_ms_${device}_${length}`] = round((length * kvBytesPerToken) / (gbps * 1e6), 3);
      }
      for (const { variant, device } of runs) {
        const key = tag(variant, device);
        const fit = fitsOf(variant, device);
        const gbps = median(bandwidths[device]);
        for (const length of fit) {
          const xs = perRep[key]?.[length] ?? [];
          figures[`kv_decode_ms_${key}_${length}`] = round(median(xs), 2);
          figures[`kv_decode_ms_${key}_${length}_q1`] = round(quantile(xs, 0.25), 2);
          figures[`kv_decode_ms_${key}_${length}_q3`] = round(quantile(xs, 0.75), 2);
        }
        const lo = fit[0];
        const hi = fit.at(-1);
        const perRepSlopes = slopes[key] ?? [];
        if (perRepSlopes.length > 0 && lo !== undefined && hi !== undefined) {
          figures[`kv_slope_over_read_floor_${key}`] = round(median(perRepSlopes), 2);
          figures[`kv_slope_over_read_floor_${key}_q1`] = round(quantile(perRepSlopes, 0.25), 2);
          figures[`kv_slope_over_read_floor_${key}_q3`] = round(quantile(perRepSlopes, 0.75), 2);
          const msDelta = median(perRep[key]?.[hi] ?? []) - median(perRep[key]?.[lo] ?? []);
          log(
            `${variant} ${device} (${at(variant, device).kvCache} cache): ${fmt(msDelta)} ms more per token at ${hi} than at ${lo}, ` +
              `${fmt((msDelta * 1e6) / ((hi - lo) * kvBytesPerToken), 2)} ns per KV byte; ` +
              `read once at ${fmt(gbps, 2)} GB/s that is ${fmt(((hi - lo) * kvBytesPerToken) / (gbps * 1e6), 2)} ms: slope/floor ${fmt(median(perRepSlopes), 2)} ` +
              `(per rep ${perRepSlopes.map((v) => fmt(v, 2)).join(' ')}) -> kv_slope_over_read_floor_${key}` +
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
