// The shared-transcript format (version 1). One shape for links, JSON files and the read-only view;
// written by strangers, so `validate.ts` checks every field before anything renders it.

export const TRANSCRIPT_FORMAT = 'ponder-transcript';
export const TRANSCRIPT_VERSION = 1;

export interface TranscriptModel {
  /** Hub repository id, e.g. `onnx-community/DeepSeek-R1-Distill-Qwen-1.5B-ONNX`. */
  repo: string;
  dtype: string;
  device: string;
}

/** The generation settings a reply was made with. */
export interface TranscriptSettings {
  temperature: number;
  topP: number;
  maxNewTokens: number;
  /** The model card's "reason step by step ... \boxed{}" line was added to the question. */
  mathDirective: boolean;
  seed: number | null;
  thinkingBudget: number | null;
}

export interface TranscriptStats {
  promptTokens: number;
  generatedTokens: number;
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
  totalMs: number;
}

export interface UserTurn {
  role: 'user';
  text: string;
}

export type ReplyStatus = 'done' | 'stopped' | 'length' | 'error';

export interface AssistantTurn {
  role: 'assistant';
  /** Null when the model did not think, or the sender left the thinking out. */
  thinking: string | null;
  thinkingClosed: boolean;
  answer: string;
  status: ReplyStatus;
  /** The failure shown for an `error` reply. */
  error: string | null;
  model: TranscriptModel | null;
  settings: TranscriptSettings | null;
  /** Epoch milliseconds. */
  startedAt: number;
  thinkingMs: number | null;
  thinkingTokens: number | null;
  generatedTokens: number;
  stats: TranscriptStats | null;
}

export type TranscriptTurn = UserTurn | AssistantTurn;

export interface Transcript {
  format: typeof TRANSCRIPT_FORMAT;
  version: typeof TRANSCRIPT_VERSION;
  title: string;
  /** Epoch milliseconds. */
  sharedAt: number;
  /** False when the sender chose to leave the model's thinking out. */
  thinkingIncluded: boolean;
  messages: TranscriptTurn[];
}

/**
 * Limits. A 32k-token reply is about 130 KB of text, so these leave room for long real chats while
 * bounding what a hostile link can make the page parse and render.
 */
export const LIMITS = {
  /** Decompressed JSON, and JSON files. */
  jsonBytes: 8 * 1024 * 1024,
  /** Chromium refuses URLs over 2 MiB; no genuine link is longer. */
  linkChars: 2 * 1024 * 1024,
  /** Above this a link breaks in chat apps and mail clients: offer the file instead. */
  practicalLinkChars: 32 * 1024,
  messages: 2000,
  textChars: 2_000_000,
  titleChars: 200,
  idChars: 200,
} as const;

export type ShareErrorReason = 'malformed' | 'corrupted' | 'too-large' | 'version' | 'invalid';

/** Why a link or file is not a transcript this version can show; `message` is for the user. */
export class ShareLinkError extends Error {
  override readonly name = 'ShareLinkError';
  constructor(
    readonly reason: ShareErrorReason,
    message: string,
  ) {
    super(message);
  }
}
