// The words of a consensus reply (outcome, stop reason, vote share, progress), kept pure so the
// wording is unit tested and the shared-transcript page says exactly what the chat says.

import { latexToText } from '../render/plaintext.ts';
import type { ConsensusPath, ConsensusRecord, ConsensusSettings, PathStatus, VoteGroup, VoteResult } from './types.ts';

const number = new Intl.NumberFormat('en');

const plural = (n: number, one: string, many: string): string => `${number.format(n)} ${n === 1 ? one : many}`;

/** A 0–1 fraction as a whole percentage; never "100%" for what is not certain, nor "0%" for what is not nothing. */
export function formatPercent(fraction: number): string {
  const p = Math.round(fraction * 100);
  if (p >= 100 && fraction < 1) return '>99%';
  if (p <= 0 && fraction > 0) return '<1%';
  return `${p}%`;
}

/** DeepConf confidence of a path, or a dash while unknown (still sampling, or a server without logprobs). */
export function formatConfidence(confidence: number | null): string {
  return confidence === null || !Number.isFinite(confidence) ? '—' : confidence.toFixed(2);
}

/** The vote's groups in one list: answers first (heaviest first), with each one's share. */
export interface DistributionRow {
  /** LaTeX of the answer. */
  answer: string;
  votes: number;
  share: number;
  winner: boolean;
  /** Screen-reader and plain-text form, e.g. "42: 5 votes, 71%". */
  label: string;
}

export function distribution(vote: VoteResult): DistributionRow[] {
  return vote.groups.map((group, i) => ({
    answer: group.answer,
    votes: group.paths.length,
    share: group.share,
    winner: vote.winner === i,
    label: `${latexToText(group.answer)}: ${plural(group.paths.length, 'vote', 'votes')}, ${formatPercent(group.share)}`,
  }));
}

/** Paths that boxed an answer: the votes that were cast. */
const votesCast = (vote: VoteResult): number => vote.groups.reduce((sum, g) => sum + g.paths.length, 0);

/** "5 of 7 votes · 71%"; by confidence the percentage is of the weight, which the count alone would not show. */
export function voteShare(vote: VoteResult, group: VoteGroup): string {
  const votes = `${number.format(group.paths.length)} of ${plural(votesCast(vote), 'vote', 'votes')}`;
  return vote.weighting === 'confidence'
    ? `${votes} · ${formatPercent(group.share)} of the confidence-weighted vote`
    : `${votes} · ${formatPercent(group.share)}`;
}

/** The winning group, or null for a tie, no answer, or too few paths. */
export function winningGroup(vote: VoteResult | null): VoteGroup | null {
  return vote?.winner == null ? null : (vote.groups[vote.winner] ?? null);
}

/** The groups sharing the lead in a tie. */
export function tiedGroups(vote: VoteResult): VoteGroup[] {
  const top = vote.groups[0]?.weight ?? 0;
  // Confidence weights are sums of floats: equal up to rounding is equal.
  return vote.groups.filter((g) => Math.abs(g.weight - top) < 1e-9);
}

function listed(items: string[]): string {
  if (items.length <= 2) return items.join(' and ');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** A sentence for every outcome without a winner; null for a majority (the answer speaks for itself). */
export function outcomeSentence(vote: VoteResult | null): string | null {
  if (vote === null) return null;
  switch (vote.outcome) {
    case 'majority':
      return null;
    case 'tie': {
      const tied = tiedGroups(vote).map((g) => latexToText(g.answer));
      const even = vote.weighting === 'confidence' ? 'the same confidence-weighted vote' : `${plural(tiedGroups(vote)[0]?.paths.length ?? 0, 'vote', 'votes')} each`;
      return `Tie: ${listed(tied)} have ${even}, so there is no winner.`;
    }
    case 'no-answer':
      return `None of the ${plural(vote.finished, 'finished path', 'finished paths')} boxed an answer, so there was nothing to vote on.`;
    case 'too-few':
      return `Only ${plural(vote.finished, 'path', 'paths')} finished: a vote needs at least 2.`;
  }
}

/** Why sampling stopped, in a sentence; null while it goes on. */
export function stopSentence(record: ConsensusRecord): string | null {
  const finished = record.vote?.finished ?? 0;
  const covered = finished === 0 ? 'no path had finished' : `the vote covers the ${plural(finished, 'path', 'paths')} that finished`;
  switch (record.stop) {
    case null:
      return null;
    case 'decided':
      return record.certainty === null
        ? 'Stopped early: the vote was decided.'
        : `Stopped early: ${formatPercent(record.certainty)} sure the leader is the most likely answer.`;
    case 'settled':
      return 'Stopped early: the paths still to come could not change the leader.';
    case 'max-paths':
      return `Sampled all ${plural(record.settings.maxPaths, 'path', 'paths')} allowed.`;
    case 'stopped':
      return `Stopped by you: ${covered}.`;
    case 'error':
      return `Stopped by an error: ${covered} before it.`;
  }
}

/** Paths that were started (streamed at least a little, or finished). */
export const startedPaths = (paths: readonly ConsensusPath[]): number => paths.filter((p) => p.status !== 'waiting').length;

/** "7 of up to 8 samples" (adaptive) or "7 of 8 samples" (fixed). */
export function spentText(record: ConsensusRecord): string {
  const upTo = record.settings.mode === 'adaptive' ? 'up to ' : '';
  return `${number.format(startedPaths(record.paths))} of ${upTo}${plural(record.settings.maxPaths, 'sample', 'samples')} spent`;
}

/** "Sampling paths… 3 of up to 8 · leader 2/3" while the paths run. */
export function progressText(record: ConsensusRecord): string {
  const upTo = record.settings.mode === 'adaptive' ? 'up to ' : '';
  const head = `Sampling paths… ${number.format(startedPaths(record.paths))} of ${upTo}${number.format(record.settings.maxPaths)}`;
  const leader = record.vote?.groups[0];
  return leader && record.vote ? `${head} · leader ${leader.paths.length}/${record.vote.finished}` : head;
}

const STATUS: Record<PathStatus, string> = {
  waiting: 'waiting',
  streaming: 'sampling',
  done: 'done',
  stopped: 'stopped',
  length: 'cut off at the token limit',
  error: 'failed',
};

export const pathStatusText = (status: PathStatus): string => STATUS[status];

/** The label of the consensus toggle: what the next question will do. */
export function settingsLabel(settings: ConsensusSettings | null): string {
  if (settings === null) return 'Consensus: off';
  return settings.mode === 'adaptive' ? `Consensus · up to ${settings.maxPaths}` : `Consensus · ${settings.maxPaths} paths`;
}
