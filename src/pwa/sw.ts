/// <reference lib="webworker" />
/**
 * Ponder's service worker (built by vite-plugin-pwa's injectManifest): the whole app precached for
 * offline use, the app shell for its own navigations, updates only when the person asks, and the
 * cross-origin isolation headers on everything it serves, so that multi-threaded WebAssembly works
 * on hosts that cannot set headers (GitHub Pages and most static hosts).
 */
import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { isolationHeaders } from '../isolation/headers';

declare const self: ServiceWorkerGlobalScope;

/** Adds COOP/COEP to a same-origin response; a host's own values are replaced by the same ones. */
function isolated(response: Response): Response {
  // Opaque and error responses cannot be rebuilt (status 0), and carry nothing to isolate.
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(isolationHeaders(self.navigator.userAgent))) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const addIsolation: WorkboxPlugin = {
  handlerWillRespond: async ({ response }) => isolated(response),
};

// Registered before the routes so the navigation fallback (a precache handler too) gets them.
addPlugins([addIsolation]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Only the app's own pages fall back to the shell; a model host or mirror served from the same
// origin (hub layout: /api/models/..., /{org}/{repo}/resolve/...) is left to the network.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//, /\/resolve\//] }));

// The first install takes control at once, so the first visit already works offline. Updates wait
// (no skipWaiting on install) until the person clicks "Reload to update", which sends this message.
clientsClaim();
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
