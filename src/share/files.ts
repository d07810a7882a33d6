// Transcript files: JSON (the importable format), plus names for the exports.

import { LIMITS, ShareLinkError, type Transcript } from './transcript.ts';
import { parseTranscriptJson } from './validate.ts';

export const toJson = (t: Transcript): string => `${JSON.stringify(t, null, 2)}\n`;

/** "what-is-2-3-2026-11-23.md": readable, and safe on every file system. */
export function fileName(t: Transcript, extension: 'json' | 'md' | 'html'): string {
  const slug = t.title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'transcript';
  return `${slug}-${new Date(t.sharedAt).toISOString().slice(0, 10)}.ponder.${extension}`;
}

/** Reads a picked file; every failure is a ShareLinkError with a reason for the user. */
export async function readTranscriptFile(file: Blob): Promise<Transcript> {
  if (file.size > LIMITS.jsonBytes) {
    throw new ShareLinkError('too-large', `This file is ${(file.size / 1024 / 1024).toFixed(1)} MB, larger than any transcript Ponder writes.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    throw new ShareLinkError('malformed', 'This file is not text, so it is not a Ponder transcript.');
  }
  return parseTranscriptJson(text);
}
