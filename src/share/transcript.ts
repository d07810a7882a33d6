// The shared-transcript format. One shape for links, JSON files and the read-only view; written by
// strangers, so `validate.ts` checks every field before anything renders it.
//
// Version 2 adds consensus replies. A transcript is written as version 2 only when it carries one,
// and version 1 (exactly the old shape) otherwise: every transcript an older Ponder could open it
// still opens, and one it cannot tells its reader to update instead of listing unknown fields.

export const TRANSCRIPT_FORMAT = 'ponder-transcript';
export type TranscriptVersion = 1 | 2;
/** The newest version this Ponder reads and writes. */
export const TRANSCRIPT_VERSION = 2;

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

/** One sampled path of a consensus reply. A path still running when shared is shared as stopped. */
export interface TranscriptPath {
  /** Null when the path did not think, the sender left thinking out, or the path's text was omitted. */
  thinking: string | null;
  thinkingClosed: boolean;
  /** Empty when the path's text was omitted to keep a link short (see `Transcript.pathsOmitted`). */
  answer: string;
  status: ReplyStatus;
  generatedTokens: number;
  /** DeepConf lowest group confidence, higher is surer; null where unknown. */
  confidence: number | null;
  /** The path's boxed answer (LaTeX), null when it gave none. */
  final: string | null;
  seed: number;
}

export interface TranscriptVoteGroup {
  answer: string;
  /** Indices into the reply's paths. */
  paths: number[];
  weight: number;
  /** 0–1. */
  share: number;
}

export interface TranscriptVote {
  outcome: 'majority' | 'tie' | 'no-answer' | 'too-few';
  /** Heaviest first. */
  groups: TranscriptVoteGroup[];
  /** Index into groups, null without a winner. */
  winner: number | null;
  finished: number;
  unanswered: number;
  weighting: 'count' | 'confidence';
}

/** A reply answered along several paths whose boxed answers voted; the turn's own text is the chosen path's. */
export interface TranscriptConsensus {
  settings: { maxPaths: number; mode: 'adaptive' | 'fixed'; weighting: 'count' | 'confidence' };
  paths: TranscriptPath[];
  vote: TranscriptVote | null;
  /** Why sampling stopped; null if it had not when shared. */
  stop: 'decided' | 'settled' | 'max-paths' | 'stopped' | 'error' | null;
  /** Probability (0–1) that the leader is the most likely answer. */
  certainty: number | null;
  /** Index into paths of the one shown as the reply, null when none won. */
  chosenPath: number | null;
}

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
  /** Version 2 only; absent for a single answer. */
  consensus?: TranscriptConsensus;
}

export type TranscriptTurn = UserTurn | AssistantTurn;

export interface Transcript {
  format: typeof TRANSCRIPT_FORMAT;
  version: TranscriptVersion;
  title: string;
  /** Epoch milliseconds. */
  sharedAt: number;
  /** False when the sender chose to leave the model's thinking out. */
  thinkingIncluded: boolean;
  /** Version 2 only, present (true) when the paths' thinking and answers were left out to keep a link short; their votes stay. */
  pathsOmitted?: true;
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
  /** The most paths a consensus reply samples (16); a boxed answer is a short formula. */
  paths: 16,
  finalChars: 10_000,
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
