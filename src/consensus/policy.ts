/**
 * When to stop sampling paths, and how many to start next.
 *
 * Decided (adaptive mode): Adaptive-Consistency's Beta criterion (Aggarwal et al., 2023). With v1
 * votes for the leader and v2 for the strongest other answer, the leader's share of the two,
 * p ~ Beta(v1 + 1, v2 + 1) under a uniform prior, and sampling stops once P(p > 1/2) ≥ 0.95. For
 * whole counts that probability is a binomial tail, P(Bin(v1 + v2 + 1, 1/2) ≤ v1), summed here
 * exactly (at most 17 terms of whole numbers below 2^53, one rounding at the end). The paper's
 * Dirichlet version over every answer was not chosen: it has no closed form (it needs Monte Carlo or
 * numeric integration, so a seed and a tolerance), and with at most 16 paths a third answer rarely
 * holds enough votes to move the result; the Beta rule is the paper's default.
 * The earliest possible stop is 4–0 (1 - 1/32 = 0.969; 3–0 gives 0.9375), then 6–1, 8–2, 9–3.
 *
 * Settled (adaptive): the leader is ahead by more than every path still to come could close,
 * even if each went to the runner-up. Fixed-k would then elect the same answer from the same
 * samples, so stopping costs nothing. Fixed mode never stops early: it samples all k, as asked. Counting makes this exact; under confidence weighting a future
 * path is taken to weigh at most the heaviest path so far (DeepConf confidences of one model on one
 * question lie in a narrow band), so there it is a close bound, not a proof.
 *
 * Both rules need a majority (ties never stop early). The certainty is computed on path counts in
 * both weightings: whether the leader is the answer the model most often gives is a question about
 * the sampling distribution, which weights do not change; under confidence weighting the leader is
 * the heaviest group, which may hold fewer paths than another (certainty below 1/2 then).
 *
 * Waves (adaptive): start the fewest paths that could end sampling (decide or settle) if all of
 * them agreed with the leader (4 at first; after 3–1 of 8, 2), at most the engine's free rows and
 * the budget left. No wave overshoots the earliest possible stop, so it spends exactly the samples
 * of one-at-a-time sampling while rows still run in parallel. In the policy test's simulation (200
 * questions, k = 8, 4 rows) that is 7.0 samples in 2.8 waves at answer odds 0.5/0.3/0.2 and 6.0 in
 * 2.1 on a mix with easier questions, where fixed-8 takes 8 in 2 and full waves of 4 take 7.7 and 6.7
 * (same accuracy within a point). Fixed mode fills every free row until k paths are started.
 *
 * A path is spent once started, whatever becomes of it; only finished ones vote. A stop may come
 * while paths are still running (the engine then stops them): their answers could not change a
 * settled vote, and a decided one is decided on what was seen.
 */
import type { ConsensusPath, ConsensusSettings, ConsensusStop, VoteResult } from './types';

/** The posterior probability the Beta rule asks for before it stops. */
export const CERTAINTY_TARGET = 0.95;

/** What the policy itself decides; 'stopped' and 'error' come from the user and the engine. */
export type PolicyStop = Extract<ConsensusStop, 'decided' | 'settled' | 'max-paths'>;

export interface PolicyInput {
  settings: ConsensusSettings;
  /** Every path started so far, in any state. */
  paths: readonly ConsensusPath[];
  /** tallyVotes of `paths`. */
  vote: VoteResult;
  /** Rows the engine can run at once (at least 1). */
  capacity: number;
}

export interface PolicyStep {
  /** Why to stop now; null to go on. */
  stop: PolicyStop | null;
  /** Paths to start now (0 when stopping, or while every row is busy). */
  wave: number;
  /** The Beta rule's P(leader is the most likely answer); null before any answer. */
  certainty: number | null;
}

/** P(Bin(n, 1/2) ≤ k), exactly (for n up to 52; n here is at most 17). */
function binomialHalfCdf(n: number, k: number): number {
  let term = 1; // C(n, 0)
  let sum = 0;
  for (let i = 0; i <= Math.min(k, n); i++) {
    sum += term;
    term = (term * (n - i)) / (i + 1); // C(n, i + 1): whole at every step
  }
  return sum / 2 ** n;
}

/** P(p1 > p2) when the leader's share of the top two is Beta(v1 + 1, v2 + 1): P(Bin(v1 + v2 + 1, 1/2) ≤ v1). */
export function betaCertainty(v1: number, v2: number): number {
  return binomialHalfCdf(v1 + v2 + 1, v1);
}

/** The fewest more votes for the leader after which the Beta rule stops (0 when it already does). */
export function votesToDecide(v1: number, v2: number): number {
  let m = 0;
  while (betaCertainty(v1 + m, v2) < CERTAINTY_TARGET) m++;
  return m;
}

/** Path counts of the leading group (the heaviest) and of the most-voted other group. */
function leaderCounts(vote: VoteResult): { leader: number; other: number } | null {
  const [top, ...rest] = vote.groups;
  if (!top) return null;
  return { leader: top.paths.length, other: Math.max(0, ...rest.map((g) => g.paths.length)) };
}

/**
 * The most one more path may weigh: 1 when counting; under confidence weighting the surest voter so
 * far (a path without a confidence weighs the mean, never more), or 1 when none reported one.
 */
function heaviestVote(vote: VoteResult, paths: readonly ConsensusPath[]): number {
  if (vote.weighting === 'count') return 1;
  const known = vote.groups.flatMap((g) => g.paths.flatMap((i) => paths[i]?.confidence ?? []));
  return known.length > 0 ? Math.max(...known) : 1;
}

/** The fewest more votes for the leader after which no `future` votes could overturn it (counting). */
function votesToSettle(leader: number, other: number, future: number): number {
  return Math.max(0, Math.floor((future - (leader - other)) / 2) + 1);
}

const IN_FLIGHT: ReadonlySet<ConsensusPath['status']> = new Set(['waiting', 'streaming']);

export function nextStep({ settings, paths, vote, capacity }: PolicyInput): PolicyStep {
  const inFlight = paths.filter((p) => IN_FLIGHT.has(p.status)).length;
  const unstarted = Math.max(0, settings.maxPaths - paths.length);
  /** Votes that may still come: running paths and those not yet started. */
  const future = inFlight + unstarted;
  const counts = leaderCounts(vote) ?? { leader: 0, other: 0 };
  const certainty = vote.groups.length > 0 ? betaCertainty(counts.leader, counts.other) : null;
  const go = (wave: number): PolicyStep => ({ stop: null, wave, certainty });
  const stop = (why: PolicyStop): PolicyStep => ({ stop: why, wave: 0, certainty });

  if (future === 0) return stop('max-paths');
  const [top, second] = vote.groups;
  // Fixed k samples every path: who picks it wants the whole distribution, not just the winner.
  if (settings.mode === 'adaptive' && vote.outcome === 'majority' && top) {
    if (certainty !== null && certainty >= CERTAINTY_TARGET) return stop('decided');
    if (top.weight - (second?.weight ?? 0) > future * heaviestVote(vote, paths)) return stop('settled');
  }

  const free = Math.min(Math.max(1, capacity) - inFlight, unstarted);
  if (free <= 0) return go(0);
  if (settings.mode === 'fixed') return go(free);
  // Planned on counts under either weighting: the stop rules above check the real vote each time.
  const needed = Math.min(votesToDecide(counts.leader, counts.other), votesToSettle(counts.leader, counts.other, future));
  // Paths still running may bring those votes themselves; with none running, always start one.
  return go(Math.min(free, Math.max(0, Math.max(1, needed) - inFlight)));
}
