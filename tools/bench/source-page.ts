/**
 * A module of this repo run from source in headless Chromium, for probes and benchmarks of the
 * browser's storage (probe-large-file, weight-store). Vite serves the repo root, so the module's
 * imports of workers/* resolve as they do in the app, on 127.0.0.1 (a secure context). The profile is
 * a temporary folder on disk, as users have: Playwright's default contexts are off the record, where
 * IndexedDB keeps blobs in memory and chunks past about 500 MB come back unreadable.
 * Chromium runs with --expose-gc, so a step can free its buffers before the next is measured.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type Plugin } from 'vite';
import { LAUNCH_OPTIONS } from '../../e2e/harness/browser.ts';
import { crossOriginIsolation } from '../../vite.config.ts';

export interface SourcePage {
  page: Page;
  /** Evaluates a JavaScript expression where the module runs: the page, or its dedicated worker. */
  evaluate(expression: string): Promise<unknown>;
  close(): Promise<void>;
}

export interface SourcePageOptions {
  /** The module's path from the repo root, e.g. `/tools/bench/probe-large-file-page.ts`. */
  module: string;
  /** A global the module defines once it has loaded; its presence means ready. */
  ready: string;
  /** Run the module in a dedicated module worker the page starts (as the app runs its worker). */
  inWorker?: boolean;
  /**
   * Serve every response with the app's cross-origin isolation headers (vite.config.ts), so the page
   * and its worker get SharedArrayBuffer and ONNX Runtime may run WebAssembly threaded. Off by default.
   */
  isolated?: boolean;
}

const READY_TIMEOUT_MS = 60_000;

function pagePlugin(html: string): Plugin {
  return {
    name: 'source-page',
    configureServer(server) {
      server.middlewares.use('/source-page', (_req, res) => {
        res.setHeader('content-type', 'text/html');
        res.end(html);
      });
    },
  };
}

export async function openSourcePage({ module, ready, inWorker = false, isolated = false }: SourcePageOptions): Promise<SourcePage> {
  const script = inWorker
    ? `<script type="module">new Worker(${JSON.stringify(module)}, { type: 'module' });</script>`
    : `<script type="module" src="${module}"></script>`;
  const server = await createServer({
    configFile: false,
    root: process.cwd(),
    logLevel: 'warn',
    // The headers' middleware goes first: the page's own ends its response.
    plugins: [...(isolated ? [crossOriginIsolation()] : []), pagePlugin(`<!doctype html><title>source page</title>${script}`)],
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    optimizeDeps: { noDiscovery: true, include: ['idb-keyval'] },
  });
  const profile = await mkdtemp(join(tmpdir(), 'ponder-source-page-'));
  let context: BrowserContext | undefined;
  const close = async () => {
    await context?.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  };
  try {
    await server.listen();
    const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
    if (!url) throw new Error('vite did not report its URL');
    context = await chromium.launchPersistentContext(profile, { ...LAUNCH_OPTIONS, args: [...LAUNCH_OPTIONS.args, '--js-flags=--expose-gc'] });
    const page = context.pages()[0] ?? (await context.newPage());
    const worker = inWorker ? page.waitForEvent('worker') : null;
    await page.goto(`${url}/source-page`);
    const realm = await worker;
    const evaluate = (expression: string): Promise<unknown> => (realm ? realm.evaluate(expression) : page.evaluate(expression));
    for (const t0 = Date.now(); (await evaluate(`typeof ${ready}`)) === 'undefined'; await sleep(100)) {
      if (Date.now() - t0 > READY_TIMEOUT_MS) throw new Error(`${module} did not define ${ready} within ${READY_TIMEOUT_MS / 1000} s`);
    }
    return { page, evaluate, close };
  } catch (error) {
    await close();
    throw error;
  }
}
