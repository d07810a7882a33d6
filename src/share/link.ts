// Fitting a transcript into a share link. Links past LIMITS.practicalLinkChars get cut off by chat
// apps and mail clients; a consensus reply carries up to 16 chains of thought, usually the bulk of
// it, so those go first. The votes stay (each path's boxed answer, status, tokens, confidence and
// seed), so the shared page still shows how the answer was reached. The files keep everything.

import { encodeTranscript } from './codec.ts';
import type { Transcript, TranscriptTurn } from './transcript.ts';

/** The transcript with every consensus path's thinking and answer left out, marked `pathsOmitted`. */
export function withoutPathText(t: Transcript): Transcript {
  const shorten = (m: TranscriptTurn): TranscriptTurn =>
    m.role === 'assistant' && m.consensus
      ? { ...m, consensus: { ...m.consensus, paths: m.consensus.paths.map((p) => ({ ...p, thinking: null, thinkingClosed: false, answer: '' })) } }
      : m;
  return { ...t, pathsOmitted: true, messages: t.messages.map(shorten) };
}

/** How many consensus paths a transcript carries (those whose text was left out, when `pathsOmitted`). */
export const pathCount = (t: Transcript): number =>
  t.messages.reduce((n, m) => n + (m.role === 'assistant' ? (m.consensus?.paths.length ?? 0) : 0), 0);

/**
 * The link text for `t`. When it would be longer than `maxChars` and paths have text to drop, the
 * link carries `withoutPathText(t)` instead: the transcript returned is the one the link holds.
 * Either may still be too long (long single answers); the caller then offers the file.
 */
export async function encodeForLink(t: Transcript, maxChars: number): Promise<{ transcript: Transcript; encoded: string }> {
  const encoded = await encodeTranscript(t);
  if (encoded.length <= maxChars || pathCount(t) === 0) return { transcript: t, encoded };
  const shorter = withoutPathText(t);
  return { transcript: shorter, encoded: await encodeTranscript(shorter) };
}
