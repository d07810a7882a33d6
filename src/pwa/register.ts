import { registerSW } from 'virtual:pwa-register';
import { useChatStore } from '../chat/chat-store';
import { usePwaStore } from './pwa-store';

// Long-lived tabs (a chat left open for days) still learn about new deployments.
const UPDATE_CHECK_MS = 60 * 60 * 1000;

let started = false;
let applyUpdate: (() => Promise<void>) | null = null;
/** Only the tab whose button was clicked reloads; others keep their page and conversation. */
let askedToUpdate = false;

function checkForUpdate(registration: ServiceWorkerRegistration): void {
  if (!navigator.onLine) return;
  registration.update().catch(() => {
    // A failed check (flaky network, host down) just means no update is offered this time.
  });
}

/** Registers the service worker once; the update, offline-ready and reload callbacks feed the PWA store. */
export function startServiceWorker(): void {
  if (started || !('serviceWorker' in navigator)) return;
  started = true;
  applyUpdate = registerSW({
    onNeedRefresh: () => usePwaStore.setState({ updateReady: true }),
    onOfflineReady: () => usePwaStore.setState({ offlineReady: true }),
    // The waiting version has taken control. Reloading here unasked could cut a reply short in a
    // second tab, so only the tab that asked reloads; the others keep offering the reload.
    onNeedReload: () => {
      if (askedToUpdate) window.location.reload();
      else usePwaStore.setState({ updateReady: true, updateActivated: true });
    },
    onRegisteredSW: (_url, registration) => {
      if (!registration) return;
      if (registration.active) usePwaStore.setState({ offlineReady: true });
      window.setInterval(() => checkForUpdate(registration), UPDATE_CHECK_MS);
      window.addEventListener('online', () => checkForUpdate(registration));
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
  askedToUpdate = true;
  if (usePwaStore.getState().updateActivated) {
    window.location.reload();
    return;
  }
  // Tells the waiting worker to skip waiting; the reload follows when it takes control (onNeedReload).
  await applyUpdate?.();
}
