/**
 * What the bench serves on 127.0.0.1: the fixture hub, the production app build, and the raw
 * baseline page. The app is built with the project's own vite.config.ts exactly as
 * e2e/harness/global-setup.ts does, but into `.cache/bench-app` rather than `dist`, so a bench and an
 * e2e run (whose preview serves `dist`) never rebuild each other's files.
 */
import { resolve } from 'node:path';
import { build, preview, type InlineConfig } from 'vite';
import { HUB_ROOT } from '../../e2e/harness/global-setup.ts';
import { crossOriginIsolation } from '../../vite.config.ts';
import { generateFixtures, type FixtureDtype, type ModelSizeOptions } from '../fixture/generate.ts';
import { startHub, type Hub } from '../hub/index.ts';

export interface Served {
  url: string;
  close(): Promise<void>;
}

export const APP_OUT = resolve('.cache/bench-app');
export const RAW_OUT = resolve('.cache/bench-raw');
export const RAW_ROOT = resolve('tools/bench/raw');

export async function buildAndPreview(config: InlineConfig, outDir: string): Promise<Served> {
  const shared: InlineConfig = { ...config, logLevel: 'warn', build: { ...config.build, outDir, emptyOutDir: true } };
  await build(shared);
  // Both are cross-origin isolated (the app's own config and the raw config both add the plugin), so
  // ONNX Runtime may run threaded in both, with the same count (the raw worker uses the app's default).
  const server = await preview({ ...shared, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its URL');
  return { url: url.replace(/\/$/, ''), close: () => server.close() };
}

/** The production app (vite.config.ts of the repo), served like `npm start`. */
export function serveApp(): Promise<Served> {
  return buildAndPreview({}, APP_OUT);
}

/** The raw generate() page + worker (tools/bench/raw), bundled by Vite with the same dependencies. */
export function serveRaw(): Promise<Served> {
  return buildAndPreview(
    {
      configFile: false,
      root: RAW_ROOT,
      plugins: [crossOriginIsolation()],
      worker: { format: 'es' },
      build: { target: 'es2022', chunkSizeWarningLimit: 65536 },
    },
    RAW_OUT,
  );
}

/** Where resized bench models go, so the e2e hub root keeps the standard `bench-r1`. */
export const RESIZED_ROOT = resolve('.cache/bench-hub');

/**
 * Writes (or confirms: unchanged files are not rewritten) the `bench-r1` fixture and serves it. The
 * standard size lives in the e2e hub root; a resized one (the generator's `benchSize`) in its own
 * root under `.cache/bench-hub/<label>`, still as `ponder-test/bench-r1`.
 */
export async function benchHub(resize?: { label: string; size: Partial<ModelSizeOptions>; dtypes?: FixtureDtype[] }): Promise<Hub> {
  const root = resize ? resolve(RESIZED_ROOT, resize.label) : HUB_ROOT;
  await generateFixtures(root, { only: ['bench-r1'], ...(resize ? { benchSize: resize.size } : {}), ...(resize?.dtypes ? { benchDtypes: resize.dtypes } : {}) });
  return startHub({ root });
}
