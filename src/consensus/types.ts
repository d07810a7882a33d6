/*
 * Consensus: one question answered along several sampled reasoning paths, whose boxed answers vote.
 * These are the shapes the store, the UI, persistence and share links all agree on.
 */

export type ConsensusMode = 'adaptive' | 'fixed';
/** How a path's vote counts: one each, or by the path's confidence (DeepConf lowest group confidence). */
export type VoteWeighting = 'count' | 'confidence';

/** What the user chose for the next question; null in ChatSettings means a single answer. */
export interface ConsensusSettings {
  /** The most paths to sample, 2–16. */
  maxPaths: number;
  mode: ConsensusMode;
  weighting: VoteWeighting;
}

export const MIN_PATHS = 2;
export const MAX_PATHS = 16;
export const DEFAULT_CONSENSUS: ConsensusSettings = { maxPaths: 8, mode: 'adaptive', weighting: 'count' };

export type PathStatus = 'waiting' | 'streaming' | 'done' | 'stopped' | 'length' | 'error';

/** One sampled reasoning path. */
export interface ConsensusPath {
  /** The model's raw output (thinking, `</think>`, answer), as a message's content. */
  content: string;
  thinking: string | null;
  answer: string;
  thinkingClosed: boolean;
  status: PathStatus;
  generatedTokens: number;
  /** DeepConf lowest group confidence (higher is surer); null until the path ends, or where unknown (servers without logprobs). */
  confidence: number | null;
  /** The path's boxed answer (LaTeX), null when it gave none. */
  final: string | null;
  /** The sampling seed of this path (distinct per path, so paths differ). */
  seed: number;
}

/** Paths whose answers are the same answer (by sameAnswer), voting together. */
export interface VoteGroup {
  /** The answer as the first path in the group wrote it. */
  answer: string;
  /** Indices into the paths. */
  paths: number[];
  /** Sum of the paths' weights (1 each when counting). */
  weight: number;
  /** weight over the total weight of every counted path, 0–1. */
  share: number;
}

/**
 * - majority: one group leads;
 * - tie: two or more groups share the lead (no winner);
 * - no-answer: no finished path boxed an answer;
 * - too-few: fewer than two paths finished, so nothing was voted on.
 */
export type VoteOutcome = 'majority' | 'tie' | 'no-answer' | 'too-few';

export interface VoteResult {
  outcome: VoteOutcome;
  /** Sorted by weight, heaviest first. */
  groups: VoteGroup[];
  /** Index into groups of the winner (0 for a majority), null otherwise. */
  winner: number | null;
  /** Paths that finished (end of reply or length), which are the only ones voting. */
  finished: number;
  /** Finished paths without a boxed answer. */
  unanswered: number;
  weighting: VoteWeighting;
}

/**
 * Why sampling stopped:
 * - decided: the adaptive rule found the leader almost surely the mode;
 * - settled: no remaining path could change the leader (fixed k or adaptive);
 * - max-paths: every allowed path was sampled;
 * - stopped: the user pressed Stop (the vote covers the paths that finished);
 * - error: the engine failed (the vote covers the paths that finished before).
 */
export type ConsensusStop = 'decided' | 'settled' | 'max-paths' | 'stopped' | 'error';

/** A consensus reply, saved with its message. The message's own content is the winning path's. */
export interface ConsensusRecord {
  settings: ConsensusSettings;
  paths: ConsensusPath[];
  /** The latest vote; null before any path finished. */
  vote: VoteResult | null;
  /** Null while sampling. */
  stop: ConsensusStop | null;
  /** Posterior probability that the leader is the most likely answer, when sampling stopped. */
  certainty: number | null;
  /** The path shown as the message's answer (the winner's most confident path), null when none won. */
  chosenPath: number | null;
}
