import { describe, expect, it } from 'vitest';
import {
  distribution,
  formatConfidence,
  formatPercent,
  outcomeSentence,
  progressText,
  settingsLabel,
  spentText,
  stopSentence,
  voteShare,
  winningGroup,
} from './describe.ts';
import { consensusRecord } from './testing/records.ts';
import { DEFAULT_CONSENSUS } from './types.ts';

const answers = (...finals: Array<string | null>) => finals.map((final) => ({ final }));

describe('formatting', () => {
  it('rounds percentages without claiming certainty or nothing', () => {
    expect(formatPercent(5 / 7)).toBe('71%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0.998)).toBe('>99%');
    expect(formatPercent(0.001)).toBe('<1%');
    expect(formatPercent(0)).toBe('0%');
  });

  it('shows a confidence with two decimals, or a dash when unknown', () => {
    expect(formatConfidence(12.3456)).toBe('12.35');
    expect(formatConfidence(null)).toBe('—');
    expect(formatConfidence(Number.NaN)).toBe('—');
  });

  it('labels the toggle with what the next question does', () => {
    expect(settingsLabel(null)).toBe('Consensus: off');
    expect(settingsLabel(DEFAULT_CONSENSUS)).toBe('Consensus · up to 8');
    expect(settingsLabel({ ...DEFAULT_CONSENSUS, mode: 'fixed', maxPaths: 4 })).toBe('Consensus · 4 paths');
  });
});

describe('a majority', () => {
  const record = consensusRecord(answers('42', '42', '42', '42', '42', '7', '7'), { stop: 'decided', certainty: 0.96 });

  it('gives the share of the votes cast', () => {
    const vote = record.vote!;
    expect(voteShare(vote, winningGroup(vote)!)).toBe('5 of 7 votes · 71%');
    expect(outcomeSentence(vote)).toBeNull();
  });

  it('says by confidence that the percentage is of the weight', () => {
    const vote = { ...record.vote!, weighting: 'confidence' as const };
    expect(voteShare(vote, { ...vote.groups[0]!, share: 0.8 })).toBe('5 of 7 votes · 80% of the confidence-weighted vote');
  });

  it('lists the distinct answers, heaviest first, the winner marked', () => {
    expect(distribution(record.vote!)).toEqual([
      { answer: '42', votes: 5, share: 5 / 7, winner: true, label: '42: 5 votes, 71%' },
      { answer: '7', votes: 2, share: 2 / 7, winner: false, label: '7: 2 votes, 29%' },
    ]);
  });

  it('reads LaTeX answers as text in labels', () => {
    const vote = consensusRecord(answers('\\frac{1}{2}', '\\frac{1}{2}', '3')).vote!;
    expect(distribution(vote)[0]?.label).toBe('1/2: 2 votes, 67%');
  });

  it('counts the samples spent out of the maximum', () => {
    const early = consensusRecord(answers('1', '1', '1'), { settings: { ...DEFAULT_CONSENSUS, maxPaths: 8 } });
    expect(spentText(early)).toBe('3 of up to 8 samples spent');
    const fixed = consensusRecord(answers('1', '1'), { settings: { ...DEFAULT_CONSENSUS, mode: 'fixed', maxPaths: 2 } });
    expect(spentText(fixed)).toBe('2 of 2 samples spent');
  });
});

describe('why sampling stopped', () => {
  it('names each reason', () => {
    const stop = (s: Parameters<typeof consensusRecord>[1]) => stopSentence(consensusRecord(answers('1', '1', '2'), s));
    expect(stop({ stop: 'decided', certainty: 0.964 })).toBe('Stopped early: 96% sure the leader is the most likely answer.');
    expect(stop({ stop: 'decided', certainty: null })).toBe('Stopped early: the vote was decided.');
    expect(stop({ stop: 'settled' })).toBe('Stopped early: the paths still to come could not change the leader.');
    expect(stop({ stop: 'max-paths' })).toBe('Sampled all 3 paths allowed.');
    expect(stop({ stop: 'stopped' })).toBe('Stopped by you: the vote covers the 3 paths that finished.');
    expect(stop({ stop: 'error' })).toBe('Stopped by an error: the vote covers the 3 paths that finished before it.');
    expect(stop({ stop: null })).toBeNull();
  });

  it('counts only the paths that finished when stopped by the user', () => {
    const record = consensusRecord([{ final: '5' }, { final: '5' }, { final: null, status: 'stopped' }], { stop: 'stopped' });
    expect(stopSentence(record)).toBe('Stopped by you: the vote covers the 2 paths that finished.');
    const one = consensusRecord([{ final: '5' }, { final: null, status: 'stopped' }], { stop: 'stopped' });
    expect(stopSentence(one)).toBe('Stopped by you: the vote covers the 1 path that finished.');
  });

  it('says so when no path had finished', () => {
    const none = { ...consensusRecord([{ final: null, status: 'stopped' }], { stop: 'stopped' }), vote: null };
    expect(stopSentence(none)).toBe('Stopped by you: no path had finished.');
    expect(stopSentence({ ...none, stop: 'error' })).toBe('Stopped by an error: no path had finished before it.');
  });
});

describe('outcomes without a winner', () => {
  it('names the tied answers', () => {
    const vote = consensusRecord(answers('12', '15', '12', '15')).vote!;
    expect(vote.outcome).toBe('tie');
    expect(winningGroup(vote)).toBeNull();
    expect(outcomeSentence(vote)).toBe('Tie: 12 and 15 have 2 votes each, so there is no winner.');
    const three = consensusRecord(answers('1', '2', '3')).vote!;
    expect(outcomeSentence(three)).toBe('Tie: 1, 2 and 3 have 1 vote each, so there is no winner.');
  });

  it('explains a vote with no boxed answer', () => {
    expect(outcomeSentence(consensusRecord(answers(null, null, null)).vote)).toBe(
      'None of the 3 finished paths boxed an answer, so there was nothing to vote on.',
    );
  });

  it('explains too few finished paths', () => {
    const record = consensusRecord([{ final: '3' }, { final: null, status: 'error' }], { stop: 'error' });
    expect(outcomeSentence(record.vote)).toBe('Only 1 path finished: a vote needs at least 2.');
  });
});

describe('live progress', () => {
  it('shows paths started out of the maximum and the leader', () => {
    const record = consensusRecord(
      [{ final: '2' }, { final: '2' }, { final: '3' }, { final: null, status: 'streaming' }, { final: null, status: 'waiting' }],
      { stop: null, settings: { ...DEFAULT_CONSENSUS, maxPaths: 8 } },
    );
    expect(progressText(record)).toBe('Sampling paths… 4 of up to 8 · leader 2/3');
    expect(progressText({ ...record, vote: null })).toBe('Sampling paths… 4 of up to 8');
  });
});
