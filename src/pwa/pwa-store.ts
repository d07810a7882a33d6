import { create } from 'zustand';

/** Chromium's install offer; not in TypeScript's DOM types because it is not a standard. */
export interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed'; platform: string }>;
}

interface PwaState {
  /** A new version is installed and waiting for the person to reload into it. */
  updateReady: boolean;
  /** The app shell, runtime and fonts are cached: the app opens without a network. */
  offlineReady: boolean;
  /** The browser's deferred install offer, when it made one. */
  installPrompt: BeforeInstallPromptEvent | null;
  /** Running as an installed app, or installed during this visit. */
  installed: boolean;
}

export const usePwaStore = create<PwaState>()(() => ({
  updateReady: false,
  offlineReady: false,
  installPrompt: null,
  installed: false,
}));
