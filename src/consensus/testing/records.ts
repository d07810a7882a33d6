// Consensus records built from a list of boxed answers (test-only), for the describe unit tests and
// the e2e view test, voted by the real tally.

import type { ConsensusPath, ConsensusRecord, ConsensusSettings, ConsensusStop, PathStatus } from '../types.ts';
import { chosenPathOf, tallyVotes } from '../vote.ts';

/** The answers here are written alike when they are alike, so plain equality groups them. */
const exact = (a: string, b: string): boolean => a === b;

export interface PathSpec {
  /** The boxed answer, or null for a path that boxed none. */
  final: string | null;
  status?: PathStatus;
  confidence?: number | null;
}

export function path({ final, status = 'done', confidence = null }: PathSpec, index: number): ConsensusPath {
  const thinking = `Path ${index + 1} reasons step by step.`;
  const answer = final === null ? 'I could not finish.' : `So the answer is $\\boxed{${final}}$.`;
  const finished = status === 'done' || status === 'length';
  return {
    content: finished ? `${thinking}\n</think>\n\n${answer}` : thinking,
    thinking,
    answer: finished ? answer : '',
    thinkingClosed: finished,
    status,
    generatedTokens: 100 + index * 10,
    confidence,
    final: finished ? final : null,
    seed: 1000 + index,
  };
}

export function consensusRecord(
  specs: readonly PathSpec[],
  { stop = 'max-paths', certainty = null, settings = { maxPaths: specs.length, mode: 'adaptive', weighting: 'count' } }: { stop?: ConsensusStop | null; certainty?: number | null; settings?: ConsensusSettings } = {},
): ConsensusRecord {
  const paths = specs.map(path);
  const vote = tallyVotes(paths, settings.weighting, exact);
  return { settings, paths, vote, stop, certainty, chosenPath: stop === null ? null : chosenPathOf(vote, paths) };
}
