import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { isolationHeaders } from './src/isolation/headers.ts';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
// Shown in the sidebar so a person (and the update test) can tell which deployment is running.
const BUILD_ID = process.env.PONDER_BUILD_ID ?? pkg.version;

/** Cross-origin isolation from `npm run dev` and `npm start` (vite preview), on every response. */
export function crossOriginIsolation(): Plugin {
  const middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    for (const [name, value] of Object.entries(isolationHeaders(req.headers['user-agent'] ?? ''))) res.setHeader(name, value);
    res.setHeader('Vary', 'User-Agent');
    next();
  };
  return {
    name: 'ponder:cross-origin-isolation',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

export default defineConfig({
  plugins: [
    react(),
    crossOriginIsolation(),
    VitePWA({
      // Our own worker (src/pwa/sw.ts): Workbox's generated one cannot add the isolation headers.
      strategies: 'injectManifest',
      srcDir: 'src/pwa',
      filename: 'sw.ts',
      // Never swap code by itself: the app asks, and waits until no reply is being generated.
      registerType: 'prompt',
      // Registered from src/pwa through `virtual:pwa-register`: no inline script, so a strict CSP fits.
      injectRegister: null,
      // The glob below already precaches every icon; listing them again would duplicate entries.
      includeManifestIcons: false,
      manifest: {
        id: '/',
        name: 'Ponder: private reasoning',
        short_name: 'Ponder',
        description:
          'Private reasoning chat that runs DeepSeek-R1 distills on your own GPU, in your browser, offline.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#f7f7f5',
        background_color: '#f7f7f5',
        categories: ['education', 'productivity', 'utilities'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      injectManifest: {
        // The whole app, ONNX Runtime's .mjs/.wasm included. KaTeX ships woff2, woff and ttf of each
        // font; every browser with service workers takes the woff2 first, so only those are kept.
        // No model weights: they live in the IndexedDB store, never in the service worker's cache.
        globPatterns: ['**/*.{html,js,mjs,css,wasm,woff2,svg,png}'],
        // ORT's wasm is ~27 MB; Workbox skips anything over 2 MB unless told otherwise.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
      },
    }),
  ],
  define: {
    __PONDER_BUILD_ID__: JSON.stringify(BUILD_ID),
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // ONNX Runtime's wasm is ~27 MB by nature; it is loaded only by the worker.
    chunkSizeWarningLimit: 4096,
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: false },
  server: { host: '127.0.0.1' },
});
