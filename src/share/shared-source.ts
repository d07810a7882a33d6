// What the read-only view shows: a link's `#share=` fragment, or a transcript file the user opened.
// The fragment is read from the URL (and followed on hashchange), so opening a link needs no state.

import { useSyncExternalStore } from 'react';
import { create } from 'zustand';
import type { Transcript } from './transcript.ts';

export const SHARE_PARAM = 'share';

export type SharedSource = { kind: 'link'; encoded: string } | { kind: 'file'; transcript: Transcript; name: string };

export function shareUrl(encoded: string, base = `${location.origin}${location.pathname}`): string {
  return `${base}#${SHARE_PARAM}=${encoded}`;
}

function readFragment(): string | null {
  const prefix = `#${SHARE_PARAM}=`;
  return location.hash.startsWith(prefix) ? location.hash.slice(prefix.length) : null;
}

const subscribeHash = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

const useOpenedFile = create<{ file: Extract<SharedSource, { kind: 'file' }> | null }>()(() => ({ file: null }));

export function openTranscriptFile(transcript: Transcript, name: string): void {
  useOpenedFile.setState({ file: { kind: 'file', transcript, name } });
}

/** Leaves the read-only view: drops the fragment without a reload or a history entry. */
export function closeShared(): void {
  useOpenedFile.setState({ file: null });
  if (readFragment() !== null) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  }
}

/** The transcript to show read-only, or null for the normal app. A link wins over an opened file. */
export function useSharedSource(): SharedSource | null {
  const encoded = useSyncExternalStore(subscribeHash, readFragment, () => null);
  const file = useOpenedFile((s) => s.file);
  if (encoded !== null) return { kind: 'link', encoded };
  return file;
}
