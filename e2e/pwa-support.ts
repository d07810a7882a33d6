import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core';
import { build, preview } from 'vite';
import { LAUNCH_OPTIONS } from './harness/browser';

/**
 * A Chromium profile on disk instead of the harness's fresh contexts: Chromium never offers to install
 * from an incognito-like context (`in-incognito`), so installability is only checked in a real profile.
 * The flags are the harness's (e2e/harness/browser.ts).
 */
export async function launchProfile(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ponder-profile-'));
  const context = await chromium.launchPersistentContext(dir, { ...LAUNCH_OPTIONS, viewport: { width: 1280, height: 900 } });
  return {
    context,
    async close() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A `vite preview` of a built folder on its own port, so a test can stop it without touching others. */
export async function startPreview(outDir = 'dist'): Promise<{ url: string; close(): Promise<void> }> {
  const server = await preview({
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
    logLevel: 'warn',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its URL');
  return { url: url.replace(/\/$/, ''), close: () => server.close() };
}

/** A production build with its own build id (the version string the sidebar shows). */
export async function buildVariant(outDir: string, buildId: string): Promise<void> {
  await build({
    build: { outDir: resolve(outDir), emptyOutDir: true },
    define: { __PONDER_BUILD_ID__: JSON.stringify(buildId) },
    logLevel: 'warn',
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

export interface SwitchableServer {
  url: string;
  /** Serves another folder from now on, at the same origin: a new deployment. */
  serve(root: string): void;
  close(): Promise<void>;
}

/** A static host over a folder that can be swapped, as a redeploy swaps the files behind one origin. */
export async function startSwitchableServer(root: string): Promise<SwitchableServer> {
  let current = resolve(root);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      let file = join(current, path);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) file = join(current, 'index.html'); // single-page app fallback
      // As the README asks of real hosts: the worker script and the page are always revalidated.
      const revalidate = /\/(sw\.js|index\.html)$/.test(file) || !file.includes('/assets/');
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': revalidate ? 'no-cache' : 'public, max-age=31536000, immutable',
      });
      createReadStream(file).pipe(res);
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    serve: (next) => {
      current = resolve(next);
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Waits for the chat after a load; a load error fails at once with the app's own message. */
export async function chatOrLoadError(page: Page, timeout = 180_000): Promise<void> {
  const chat = page.getByRole('textbox', { name: 'Message' });
  const failed = page.getByTestId('load-error');
  await chat.or(failed).first().waitFor({ timeout });
  if (await failed.isVisible()) throw new Error(`the model did not load: ${await failed.innerText()}`);
}

/** Waits until a service worker is active and controls the page; returns its script URL. */
export async function waitForServiceWorkerControl(page: Page): Promise<string> {
  return page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((done) => navigator.serviceWorker.addEventListener('controllerchange', done, { once: true }));
    }
    return navigator.serviceWorker.controller!.scriptURL;
  });
}

export interface RequestLog {
  /** Requests that were not answered by the service worker: they went (or tried to go) to a network. */
  notFromServiceWorker(): Promise<string[]>;
  count(): number;
  stop(): void;
}

/**
 * Records every request of the context (page, dedicated workers and the service worker itself) from
 * now on. Chromium reports a request the service worker answered from its cache with
 * `response.fromServiceWorker()`; anything else reached for the network.
 */
export function recordRequests(context: BrowserContext): RequestLog {
  const seen: Request[] = [];
  const onRequest = (r: Request) => seen.push(r);
  context.on('request', onRequest);
  return {
    count: () => seen.length,
    stop: () => context.off('request', onRequest),
    async notFromServiceWorker() {
      const leaked: string[] = [];
      for (const r of seen) {
        const url = r.url();
        if (url.startsWith('data:') || url.startsWith('blob:')) continue;
        const response = await r.response().catch(() => null);
        if (!response?.fromServiceWorker()) leaked.push(`${r.method()} ${url}${r.failure() ? ` (${r.failure()?.errorText})` : ''}`);
      }
      return leaked;
    },
  };
}
