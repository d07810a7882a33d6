/**
 * `npm run bench [-- name ...]`: runs every benchmark (or the named ones) in order, prints progress
 * and details, and as its LAST stdout line one JSON object of all figures. Not a test: no assertions.
 *
 * To add a benchmark, write `tools/bench/<name>.ts` with a default export `{ name, run }` (see
 * types.ts) and add one line to BENCHMARKS.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './types.ts';

const BENCHMARKS: Array<() => Promise<{ default: Benchmark }>> = [
  () => import('./decode-overhead.ts'),
  () => import('./render-cost.ts'),
  () => import('./turn-reuse.ts'),
  () => import('./weight-store.ts'),
  () => import('./wasm-threads.ts'),
  () => import('./wasm-matmul.ts'),
  () => import('./kv-decode.ts'),
  () => import('./real-size.ts'),
  () => import('./consensus-vote.ts'),
  () => import('./consensus-time.ts'),
];

async function main(argv: string[]): Promise<number> {
  // Vite configs, the fixture hub and the build folders are all relative to the repo root.
  process.chdir(resolve(dirname(fileURLToPath(import.meta.url)), '../..'));
  const wanted = new Set(argv.filter((a) => !a.startsWith('-')));
  const figures: Record<string, number> = {};
  let failed = 0;
  const started = performance.now();
  for (const load of BENCHMARKS) {
    const bench = (await load()).default;
    if (wanted.size > 0 && !wanted.has(bench.name)) continue;
    const t0 = performance.now();
    console.log(`== ${bench.name}`);
    try {
      const result = await bench.run((line) => console.log(`[${bench.name}] ${line}`));
      Object.assign(figures, result);
      console.log(`== ${bench.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed += 1;
      console.log(`== ${bench.name} FAILED after ${((performance.now() - t0) / 1000).toFixed(1)} s: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  console.log(`bench finished in ${((performance.now() - started) / 1000).toFixed(1)} s${failed ? `, ${failed} benchmark(s) failed` : ''}`);
  console.log(JSON.stringify(figures));
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('{}');
    process.exit(1);
  },
);
