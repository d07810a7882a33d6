/**
 * consensus-time: what batching the paths of a consensus buys. The app's Engine, in a real worker of
 * headless Chromium, samples k = 1, 4 and 8 paths of one prompt on `bench-r1` (each path decodes
 * BENCH_CONSENSUS_TOKENS tokens: the model never stops on its own), on WebGPU and on WASM in one run.
 * Each rep times k = 1, 4, 8 back to back and takes the ratios within the rep.
 *
 *   consensus_k{4,8}_vs_k1_time_ratio_{webgpu,wasm}   wall time of k paths / wall time of 1 path
 *
 * Sampling the paths one after another would give 4.0 and 8.0. Batched rows share each step's weight
 * reads, so where a step is bound by reading the weights (a real GPU, batch 1) k rows cost little
 * more than one; where a step is bound by arithmetic (CPU kernels, SwiftShader's software GPU) k rows
 * cost close to k times one.
 *
 * Each rep also times one ordinary reply of as many tokens (`consensus_reply_ms_*`): a k = 1 consensus
 * costs what an answer without consensus costs.
 *
 * Here WebGPU is SwiftShader, Chromium's software GPU, which takes about 15 s a token on bench-r1 (WASM
 * takes 50 ms), so WebGPU runs fewer tokens and one rep by default.
 *
 * Settings (environment): BENCH_CONSENSUS_REPS=3  BENCH_CONSENSUS_TOKENS=32 (WASM)
 *   BENCH_CONSENSUS_WEBGPU_REPS=1  BENCH_CONSENSUS_WEBGPU_TOKENS=3  BENCH_CONSENSUS_BACKENDS=webgpu,wasm
 */
import { benchHub } from './servers.ts';
import { median } from './decode-overhead.ts';
import { openSourcePage, type SourcePage } from './source-page.ts';
import type { ConsensusBench, Sampled } from './consensus-time-page.ts';
import type { LoadedInfo } from '../../workers/protocol';
import type { Benchmark, Log } from './types.ts';

const REPO = 'ponder-test/bench-r1';
const KS = [1, 4, 8] as const;
const PROMPT = 'Seven apples and five pears make how many fruits? Please reason step by step, and put your final answer within \\boxed{}.';

const int = (v: string | undefined, fallback: number) => (v && /^\d+$/.test(v) ? Number(v) : fallback);
const round = (v: number, digits = 3) => Number(v.toFixed(digits));

export default {
  name: 'consensus-time',
  async run(log: Log) {
    const settings = {
      wasm: { reps: Math.max(1, int(process.env.BENCH_CONSENSUS_REPS, 3)), tokens: Math.max(2, int(process.env.BENCH_CONSENSUS_TOKENS, 32)) },
      webgpu: { reps: Math.max(1, int(process.env.BENCH_CONSENSUS_WEBGPU_REPS, 1)), tokens: Math.max(2, int(process.env.BENCH_CONSENSUS_WEBGPU_TOKENS, 3)) },
    };
    const backends = (process.env.BENCH_CONSENSUS_BACKENDS ?? 'webgpu,wasm').split(',').filter((b): b is 'webgpu' | 'wasm' => b === 'webgpu' || b === 'wasm');
    const hub = await benchHub();
    const figures: Record<string, number> = {};
    let page: SourcePage | undefined;
    try {
      page = await openSourcePage({ module: '/tools/bench/consensus-time-page.ts', ready: 'consensusBench', inWorker: true, isolated: true });
      const call = <T>(expr: string) => (page as SourcePage).evaluate(expr) as Promise<T>;
      const bench = (method: keyof ConsensusBench, args: object) => `consensusBench.${method}(${JSON.stringify(args)})`;
      for (const device of backends) {
        const { reps, tokens } = settings[device];
        const info = await call<LoadedInfo>(bench('load', { hub: hub.url, repo: REPO, device }));
        log(`${device}: loaded in ${(info.loadMs / 1000).toFixed(1)} s (${info.adapter ?? `${info.threads} threads`}, KV ${info.kvCache})`);
        // Untimed: shaders compile and ORT settles on each batch shape once.
        for (const k of KS) await call<Sampled>(bench('sample', { k, tokens: 2, prompt: PROMPT }));
        const ratios: Record<number, number[]> = { 4: [], 8: [] };
        const wall: Record<number, number[]> = { 1: [], 4: [], 8: [] };
        const replies: number[] = [];
        for (let rep = 0; rep < reps; rep++) {
          replies.push((await call<{ wallMs: number }>(bench('reply', { tokens, prompt: PROMPT }))).wallMs);
          const got: Record<number, Sampled> = {};
          for (const k of KS) {
            got[k] = await call<Sampled>(bench('sample', { k, tokens, prompt: PROMPT }));
            wall[k]!.push(got[k]!.wallMs);
          }
          for (const k of [4, 8]) ratios[k]!.push(got[k]!.wallMs / got[1]!.wallMs);
          log(
            `${device} #${rep + 1} (${tokens} tokens a path): one reply ${Math.round(replies.at(-1)!)} ms; ` +
              KS.map((k) => `k=${k} ${Math.round(got[k]!.wallMs)} ms (${got[k]!.stats.rowsPerBatch} rows/batch, ${got[k]!.stats.tokensPerSecond.toFixed(1)} tok/s over all paths)`).join('; '),
          );
        }
        for (const k of [4, 8]) figures[`consensus_k${k}_vs_k1_time_ratio_${device}`] = round(median(ratios[k]!));
        for (const k of KS) figures[`consensus_k${k}_ms_${device}`] = Math.round(median(wall[k]!));
        figures[`consensus_reply_ms_${device}`] = Math.round(median(replies));
        figures[`consensus_tokens_${device}`] = tokens;
        await call(bench('unload', {}));
      }
      log(`figures: consensus_k8_vs_k1_time_ratio_webgpu, consensus_k8_vs_k1_time_ratio_wasm (sequential would be 8.0), and the k=4 ratios`);
      return figures;
    } finally {
      await page?.close();
      await hub.close();
    }
  },
} satisfies Benchmark;
