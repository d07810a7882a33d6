import { usePwaStore, type BeforeInstallPromptEvent } from './pwa-store';

function runningInstalled(): boolean {
  const iosStandalone = (navigator as Navigator & { standalone?: boolean }).standalone === true;
  return iosStandalone || window.matchMedia('(display-mode: standalone)').matches;
}

let listening = false;

/**
 * Keeps the browser's install offer for our own button. Called when this module loads (before React
 * renders), because Chromium may fire `beforeinstallprompt` as soon as the page is installable.
 */
export function listenForInstallOffer(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  usePwaStore.setState({ installed: runningInstalled() });
  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault(); // no mini-infobar: the sidebar has an Install button instead
    usePwaStore.setState({ installPrompt: event as BeforeInstallPromptEvent });
  });
  window.addEventListener('appinstalled', () => usePwaStore.setState({ installed: true, installPrompt: null }));
}

/** Shows the browser's install dialog; an offer can be used once, so it is dropped either way. */
export async function promptInstall(): Promise<void> {
  const offer = usePwaStore.getState().installPrompt;
  if (!offer) return;
  usePwaStore.setState({ installPrompt: null });
  await offer.prompt();
  const { outcome } = await offer.userChoice;
  if (outcome === 'accepted') usePwaStore.setState({ installed: true });
}

listenForInstallOffer();
