import { describe, expect, it } from 'vitest';
import type { ConsensusPath, PathStatus } from './types';
import { chosenPathOf, tallyVotes } from './vote';

const exact = (a: string, b: string) => a === b;

function path(final: string | null, status: PathStatus = 'done', confidence: number | null = null): ConsensusPath {
  return { content: '', thinking: null, answer: '', thinkingClosed: true, status, generatedTokens: 10, confidence, final, seed: 0 };
}

describe('tallyVotes', () => {
  it('counts finished paths, heaviest group first, ties in order of first appearance', () => {
    const paths = [path('3'), path('5'), path('5'), path('3'), path('7'), path(null), path('5', 'length')];
    const vote = tallyVotes(paths, 'count', exact);
    expect(vote.outcome).toBe('majority');
    expect(vote.winner).toBe(0);
    expect(vote.groups.map((g) => [g.answer, g.paths, g.weight])).toEqual([
      ['5', [1, 2, 6], 3],
      ['3', [0, 3], 2],
      ['7', [4], 1],
    ]);
    expect(vote.groups.map((g) => g.share)).toEqual([3 / 6, 2 / 6, 1 / 6]);
    expect(vote).toMatchObject({ finished: 7, unanswered: 1, weighting: 'count' });
  });

  it('leaves out paths that are running, stopped or failed', () => {
    const paths = [path('1'), path('2', 'streaming'), path('2', 'stopped'), path('2', 'error'), path('2', 'waiting'), path('1')];
    const vote = tallyVotes(paths, 'count', exact);
    expect(vote.groups).toEqual([{ answer: '1', paths: [0, 5], weight: 2, share: 1 }]);
    expect(vote.finished).toBe(2);
  });

  it('groups with the comparator, against each group’s first answer', () => {
    const near = (a: string, b: string) => Math.abs(Number(a) - Number(b)) <= 1;
    // 2 ~ 1 and 3 ~ 2, but 3 is not ~ 1: it starts its own group instead of chaining.
    const vote = tallyVotes([path('1'), path('2'), path('3'), path('3')], 'count', near);
    expect(vote.groups.map((g) => [g.answer, g.paths])).toEqual([
      ['1', [0, 1]],
      ['3', [2, 3]],
    ]);
    expect(vote.outcome).toBe('tie');
    expect(vote.winner).toBeNull();
  });

  it('names the outcomes: tie, too-few, no-answer', () => {
    expect(tallyVotes([path('1'), path('2')], 'count', exact).outcome).toBe('tie');
    expect(tallyVotes([path('1'), path('1', 'streaming')], 'count', exact)).toMatchObject({ outcome: 'too-few', winner: null });
    expect(tallyVotes([], 'count', exact).outcome).toBe('too-few');
    expect(tallyVotes([path(null), path(null, 'length')], 'count', exact)).toMatchObject({
      outcome: 'no-answer',
      winner: null,
      groups: [],
      unanswered: 2,
    });
  });

  it('weighs by confidence; an unknown confidence counts as the mean of the known ones', () => {
    const paths = [path('a', 'done', 1), path('b', 'done', 4), path('a', 'done', 2), path('c', 'done', null)];
    const vote = tallyVotes(paths, 'confidence', exact);
    // c weighs (1 + 4 + 2) / 3.
    expect(vote.groups.map((g) => [g.answer, g.weight])).toEqual([
      ['b', 4],
      ['a', 3],
      ['c', 7 / 3],
    ]);
    expect(vote.winner).toBe(0);
    expect(vote.groups[0]?.share).toBeCloseTo(4 / (4 + 3 + 7 / 3), 12);
    // Counting, the same paths elect a.
    expect(tallyVotes(paths, 'count', exact).groups[0]?.answer).toBe('a');
  });

  it('weighs every path 1 when no confidence is known, and ties despite float rounding', () => {
    const unknown = tallyVotes([path('a'), path('b'), path('b')], 'confidence', exact);
    expect(unknown.groups.map((g) => g.weight)).toEqual([2, 1]);
    const rounded = tallyVotes([path('a', 'done', 0.1), path('a', 'done', 0.2), path('b', 'done', 0.3)], 'confidence', exact);
    expect(rounded.outcome).toBe('tie');
  });
});

describe('chosenPathOf', () => {
  it('picks the winning group’s most confident path, the first when unknown', () => {
    const paths = [path('5', 'done', 2), path('3', 'done', 9), path('5', 'done', 3), path('5', 'done', null)];
    expect(chosenPathOf(tallyVotes(paths, 'count', exact), paths)).toBe(2);
    const unknown = [path('5'), path('3'), path('5')];
    expect(chosenPathOf(tallyVotes(unknown, 'count', exact), unknown)).toBe(0);
  });

  it('is null without a winner', () => {
    const tie = [path('5'), path('3')];
    expect(chosenPathOf(tallyVotes(tie, 'count', exact), tie)).toBeNull();
  });
});
