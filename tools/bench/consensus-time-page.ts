/**
 * The browser side of consensus-time.ts, run from source in a dedicated module worker, as the app
 * runs its inference worker: the app's own Engine (workers/engine.ts) loads `bench-r1` from the local
 * hub into IndexedDB and samples k paths of one prompt with generatePaths, the call a consensus
 * makes for each wave.
 */
import { Engine } from '../../workers/engine';
import type { Device, LoadedInfo, PathsStats } from '../../workers/protocol';
import { defaultThreads } from '../../src/engine/threads';

const engine = new Engine();

async function load({ hub, repo, device }: { hub: string; repo: string; device: Device }): Promise<LoadedInfo> {
  const threads = self.crossOriginIsolated ? defaultThreads(navigator.hardwareConcurrency || 1) : 1;
  return engine.load({ host: hub, repo, revision: 'main', dtypes: ['fp32'], device, threads }, { progress() {} });
}

export interface Sampled {
  wallMs: number;
  stats: PathsStats;
  /** Tokens each path generated. */
  tokens: number[];
}

/** k paths of `tokens` tokens each (bench-r1 never stops on its own), timed from request to last path. */
async function sample({ k, tokens, prompt }: { k: number; tokens: number; prompt: string }): Promise<Sampled> {
  const seeds = Array.from({ length: k }, (_, i) => 1000 + i);
  const counts = seeds.map(() => 0);
  const t0 = performance.now();
  const stats = await engine.generatePaths(
    { turns: [{ role: 'user', content: prompt }], options: { temperature: 0.6, topP: 0.95, maxNewTokens: tokens }, seeds },
    { started() {}, delta() {}, done: (path, end) => (counts[path] = end.generatedTokens) },
    t0,
  );
  return { wallMs: performance.now() - t0, stats, tokens: counts };
}

/** One ordinary reply of `tokens` tokens (the app's single-answer path), timed the same way. */
async function reply({ tokens, prompt }: { tokens: number; prompt: string }): Promise<{ wallMs: number }> {
  const t0 = performance.now();
  await engine.generate({ turns: [{ role: 'user', content: prompt }], options: { temperature: 0.6, topP: 0.95, maxNewTokens: tokens, seed: 1000 } }, { started() {}, delta() {} }, t0);
  await engine.reset();
  return { wallMs: performance.now() - t0 };
}

async function unload(): Promise<void> {
  await engine.unload();
}

const consensusBench = { load, sample, reply, unload };
export type ConsensusBench = typeof consensusBench;
(globalThis as { consensusBench?: ConsensusBench }).consensusBench = consensusBench;
