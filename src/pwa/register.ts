import { registerSW } from 'virtual:pwa-register';
import { useChatStore } from '../chat/chat-store';
import { useModelStore } from '../models/model-store';
import { usePwaStore } from './pwa-store';

// Long-lived tabs (a chat left open for days) still learn about new deployments.
const UPDATE_CHECK_MS = 60 * 60 * 1000;

let started = false;
let registration: ServiceWorkerRegistration | null = null;
let skipWaiting: (() => Promise<void>) | null = null;

function checkForUpdate(): void {
  if (!navigator.onLine || !registration) return;
  registration.update().catch(() => {
    // A failed check (flaky network, host down) just means no update is offered this time.
  });
}

const ISOLATION_RELOAD_KEY = 'ponder.isolationReload';

/**
 * On a host that sends no isolation headers, the first visit loads before the service worker that
 * adds them. Once that worker controls the page, one reload makes it cross-origin isolated (and
 * WebAssembly multi-threaded). Once per tab session, so a browser that still withholds isolation
 * never loops, and never while a model loads or a reply is written: then the next visit has it.
 */
function reloadIntoIsolation(): void {
  if (window.crossOriginIsolated !== false || navigator.serviceWorker.controller) return;
  navigator.serviceWorker.addEventListener(
    'controllerchange',
    () => {
      const busy = useChatStore.getState().generatingId !== null || useModelStore.getState().load.status === 'loading';
      if (busy) return;
      try {
        if (sessionStorage.getItem(ISOLATION_RELOAD_KEY)) return;
        sessionStorage.setItem(ISOLATION_RELOAD_KEY, '1');
      } catch {
        return; // without a way to remember the reload, a loop cannot be ruled out: stay as is
      }
      window.location.reload();
    },
    { once: true },
  );
}

/** Registers the service worker once; its update and offline-ready callbacks feed the PWA store. */
export function startServiceWorker(): void {
  if (started || !('serviceWorker' in navigator)) return;
  started = true;
  reloadIntoIsolation();
  skipWaiting = registerSW({
    onNeedRefresh: () => usePwaStore.setState({ updateReady: true }),
    onOfflineReady: () => usePwaStore.setState({ offlineReady: true }),
    // Called when another tab applied the update. Without this callback the plugin would reload this
    // tab at once, perhaps mid-reply; instead the offer stays up and the person reloads when ready.
    onNeedReload: () => usePwaStore.setState({ updateReady: true }),
    onRegisteredSW: (_url, r) => {
      if (!r) return;
      registration = r;
      if (r.active) usePwaStore.setState({ offlineReady: true });
      window.setInterval(checkForUpdate, UPDATE_CHECK_MS);
      window.addEventListener('online', checkForUpdate);
    },
    onRegisterError: (error: unknown) => console.warn('Service worker registration failed; offline use is unavailable.', error),
  });
}

/**
 * Moves to the waiting version and reloads into it. Refused while a reply is being generated: the
 * page's code and the inference worker must not change under a running generation.
 */
export async function reloadToUpdate(): Promise<void> {
  if (useChatStore.getState().generatingId !== null) return;
  if (!registration?.waiting) {
    // Nothing waiting: another tab already activated the new version, which controls this page too.
    window.location.reload();
    return;
  }
  // Our own listener, not the plugin's: workbox-window only reloads when it saw a controller at
  // registration, so a tab whose first visit installed the worker would never reload.
  navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
  await skipWaiting?.();
}
