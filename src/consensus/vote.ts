/**
 * The vote over a consensus reply's paths: finished paths' boxed answers, grouped when they are the
 * same answer, weighed one each or by the path's confidence.
 */
import { sameAnswer } from '../reasoning/answer';
import type { ConsensusPath, PathStatus, VoteGroup, VoteOutcome, VoteResult, VoteWeighting } from './types';

export type SameAnswer = (a: string, b: string) => boolean;

/** A path cut off at the token limit still ends with whatever it boxed, so it votes like a finished one. */
const VOTING: ReadonlySet<PathStatus> = new Set<PathStatus>(['done', 'length']);

export function isFinished(path: ConsensusPath): boolean {
  return VOTING.has(path.status);
}

/**
 * Confidence weights may be sums of floats: groups whose weights differ only by rounding tie.
 * Counts are whole numbers, where this never merges distinct weights.
 */
function sameWeight(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Each answering path's weight. A path without a confidence (a server without logprobs, or one that
 * has not reported it) weighs as much as the average known path, so it neither dominates nor vanishes;
 * with no confidence known at all, every path weighs 1, which is counting.
 */
function weightsOf(paths: readonly ConsensusPath[], voters: readonly number[], weighting: VoteWeighting): Map<number, number> {
  if (weighting === 'count') return new Map(voters.map((i) => [i, 1]));
  const known = voters.map((i) => paths[i]?.confidence).filter((c): c is number => c !== null && c !== undefined);
  const fallback = known.length > 0 ? known.reduce((s, c) => s + c, 0) / known.length : 1;
  return new Map(voters.map((i) => [i, paths[i]?.confidence ?? fallback]));
}

/**
 * Tallies the finished paths' answers. Paths still running, stopped by the user or failed do not
 * vote. An answer joins the first group whose first answer it is `same` as: grouping is against each
 * group's first answer only, so with a comparator that is not transitive (a ~ b, b ~ c, not a ~ c)
 * c starts its own group rather than chaining through b, and the result does not depend on pairs
 * other than those with a group's first answer.
 */
export function tallyVotes(paths: readonly ConsensusPath[], weighting: VoteWeighting, same: SameAnswer = sameAnswer): VoteResult {
  const finished = paths.flatMap((p, i) => (isFinished(p) ? [i] : []));
  const voters = finished.filter((i) => paths[i]?.final !== null);
  const weights = weightsOf(paths, voters, weighting);
  const total = voters.reduce((s, i) => s + (weights.get(i) ?? 0), 0);

  const groups: VoteGroup[] = [];
  for (const i of voters) {
    const answer = paths[i]?.final ?? '';
    const weight = weights.get(i) ?? 0;
    const group = groups.find((g) => same(g.answer, answer));
    if (group) {
      group.paths.push(i);
      group.weight += weight;
    } else groups.push({ answer, paths: [i], weight, share: 0 });
  }
  for (const g of groups) g.share = total > 0 ? g.weight / total : 0;
  // Array.prototype.sort is stable: equal weights keep the order of first appearance.
  groups.sort((a, b) => (sameWeight(a.weight, b.weight) ? 0 : b.weight - a.weight));

  const [top, second] = groups;
  let outcome: VoteOutcome;
  if (finished.length < 2) outcome = 'too-few';
  else if (!top) outcome = 'no-answer';
  else if (second && sameWeight(top.weight, second.weight)) outcome = 'tie';
  else outcome = 'majority';
  return {
    outcome,
    groups,
    winner: outcome === 'majority' ? 0 : null,
    finished: finished.length,
    unanswered: finished.length - voters.length,
    weighting,
  };
}

/** Of the paths at `indices`, the most confident; the earliest when confidences are equal or unknown. */
export function surestPath(paths: readonly ConsensusPath[], indices: readonly number[]): number | null {
  let best: number | null = null;
  let bestConfidence = -Infinity;
  for (const i of indices) {
    const c = paths[i]?.confidence ?? -Infinity;
    if (best === null || c > bestConfidence) {
      best = i;
      bestConfidence = c;
    }
  }
  return best;
}

/** The path to show as the reply: the winning group's surest path. Null when nothing won. */
export function chosenPathOf(vote: VoteResult, paths: readonly ConsensusPath[]): number | null {
  const group = vote.winner === null ? undefined : vote.groups[vote.winner];
  return group ? surestPath(paths, group.paths) : null;
}
