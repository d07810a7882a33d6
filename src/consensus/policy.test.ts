import { describe, expect, it } from 'vitest';
import { seeded } from '../reasoning/testing/random';
import { betaCertainty, CERTAINTY_TARGET, nextStep, votesToDecide, type PolicyStep } from './policy';
import type { ConsensusPath, ConsensusSettings, PathStatus } from './types';
import { tallyVotes } from './vote';

const exact = (a: string, b: string) => a === b;
const ADAPTIVE: ConsensusSettings = { maxPaths: 8, mode: 'adaptive', weighting: 'count' };
const FIXED: ConsensusSettings = { maxPaths: 8, mode: 'fixed', weighting: 'count' };

function path(final: string | null, status: PathStatus = 'done', confidence: number | null = null): ConsensusPath {
  return { content: '', thinking: null, answer: '', thinkingClosed: true, status, generatedTokens: 10, confidence, final, seed: 0 };
}
const answers = (s: string) => [...s].map((a) => path(a));

function step(settings: ConsensusSettings, paths: ConsensusPath[], capacity = 4): PolicyStep {
  return nextStep({ settings, paths, vote: tallyVotes(paths, settings.weighting, exact), capacity });
}

describe('the Beta rule', () => {
  it('is the exact binomial tail P(Bin(v1 + v2 + 1, 1/2) <= v1)', () => {
    expect(betaCertainty(0, 0)).toBe(1 / 2);
    expect(betaCertainty(3, 0)).toBe(15 / 16);
    expect(betaCertainty(4, 0)).toBe(31 / 32);
    expect(betaCertainty(5, 1)).toBe(120 / 128);
    expect(betaCertainty(6, 1)).toBe(247 / 256);
    expect(betaCertainty(7, 2)).toBe(968 / 1024);
    expect(betaCertainty(8, 2)).toBe(1981 / 2048);
    expect(betaCertainty(4, 4)).toBe(1 / 2);
    expect(betaCertainty(1, 3)).toBe(6 / 32);
  });

  it('needs 4-0, 6-1, 8-2 or 9-3 to stop', () => {
    expect([0, 1, 2, 3].map((v2) => votesToDecide(0, v2))).toEqual([4, 6, 8, 9]);
    for (const [v1, v2] of [[4, 0], [6, 1], [8, 2], [9, 3]] as const) {
      expect(betaCertainty(v1, v2)).toBeGreaterThanOrEqual(CERTAINTY_TARGET);
      expect(betaCertainty(v1 - 1, v2)).toBeLessThan(CERTAINTY_TARGET);
    }
  });
});

describe('nextStep', () => {
  it('starts adaptive sampling with the 4 paths that could decide, within the free rows', () => {
    expect(step(ADAPTIVE, [])).toEqual({ stop: null, wave: 4, certainty: null });
    expect(step(ADAPTIVE, [], 2).wave).toBe(2);
    // Of 3, two that agree settle it: the third starts only if they differ.
    expect(step({ ...ADAPTIVE, maxPaths: 3 }, [], 8).wave).toBe(2);
    expect(step(ADAPTIVE, [path(null, 'streaming'), path(null, 'waiting')]).wave).toBe(2);
    expect(step(ADAPTIVE, [path(null, 'streaming')], 1).wave).toBe(0);
  });

  it('decides at 4-0', () => {
    expect(step(ADAPTIVE, answers('5555'))).toEqual({ stop: 'decided', wave: 0, certainty: 31 / 32 });
    expect(step(ADAPTIVE, answers('555')).stop).toBeNull();
  });

  it('after 3-1 of 8 starts the 2 paths that could settle it', () => {
    // Deciding would take 6-1 (3 more); 5-1 with 2 to come is already settled.
    const s = step(ADAPTIVE, answers('5535'));
    expect(s).toEqual({ stop: null, wave: 2, certainty: betaCertainty(3, 1) });
    expect(step(ADAPTIVE, answers('553555')).stop).toBe('settled');
  });

  it('fixed mode samples every path, even once the rest could not change the leader', () => {
    expect(step(FIXED, [])).toEqual({ stop: null, wave: 4, certainty: null });
    expect(step(FIXED, answers('5555')).wave).toBe(4);
    expect(step(FIXED, answers('55555')).stop).toBeNull(); // settled in adaptive mode: 5 > 3 to come
    expect(step(FIXED, answers('55555')).wave).toBe(3);
    expect(step(FIXED, answers('55553333')).stop).toBe('max-paths');
    expect(step(FIXED, [...answers('5555'), ...Array.from({ length: 4 }, () => path(null, 'streaming'))])).toEqual({
      stop: null,
      wave: 0,
      certainty: 31 / 32,
    });
  });

  it('settles adaptive mode once the rest cannot change the leader, counting running paths as votes to come, never on a tie', () => {
    const wide: ConsensusSettings = { ...ADAPTIVE, maxPaths: 16 };
    expect(step(ADAPTIVE, answers('55553')).stop).toBeNull(); // 4-1: 0.89 sure, and 3 to come could end 4-4
    expect(step(ADAPTIVE, answers('555535')).stop).toBe('settled'); // 5-1 with 2 to come
    expect(step(ADAPTIVE, [...answers('555553'), path(null, 'streaming'), path(null, 'streaming')]).stop).toBe('settled'); // 5-1, 2 running
    expect(step(ADAPTIVE, [...answers('55553'), path(null, 'streaming'), path(null, 'streaming')]).stop).toBeNull(); // 4-1, 2 running, 1 to start
    expect(step(wide, answers('5533')).stop).toBeNull();
  });

  it('spends stopped, failed and unanswered paths without counting their votes', () => {
    const paths = [path('5'), path('5'), path('5', 'stopped'), path('5', 'error'), path(null), path(null), path('5'), path('5')];
    expect(step(ADAPTIVE, paths)).toEqual({ stop: 'max-paths', wave: 0, certainty: 31 / 32 });
    // 2-0 with 2 to come: one more 5 settles it.
    expect(step(ADAPTIVE, paths.slice(0, 6)).wave).toBe(1);
  });

  it('under confidence weighting, settles only past what the surest voter so far could undo', () => {
    const settings: ConsensusSettings = { maxPaths: 5, mode: 'adaptive', weighting: 'confidence' };
    const sure = [path('a', 'done', 2), path('a', 'done', 2), path('b', 'done', 1)];
    expect(step(settings, sure).stop).toBeNull(); // 4 - 1 = 3, not > 2 x 2
    const surer = [path('a', 'done', 4), path('a', 'done', 4), path('a', 'done', 1), path('b', 'done', 1)];
    expect(step(settings, surer).stop).toBe('settled'); // 9 - 1 = 8 > 1 x 4
  });
});

/**
 * 200 questions, each path's answer drawn from the question's answer distribution (answer 0 is right);
 * every wave's paths finish before the next step, as a batch does.
 */
function simulate(questions: readonly number[][], settings: ConsensusSettings, capacity: number, seed: number) {
  let samples = 0;
  let waves = 0;
  let correct = 0;
  const perQuestion: number[] = [];
  questions.forEach((probs, q) => {
    const random = seeded(seed * 1000 + q);
    const draw = () => {
      let r = random.next();
      let a = 0;
      for (; a < probs.length - 1 && r >= (probs[a] ?? 0); a++) r -= probs[a] ?? 0;
      return String(a);
    };
    const paths: ConsensusPath[] = [];
    for (;;) {
      const vote = tallyVotes(paths, settings.weighting, exact);
      const s = nextStep({ settings, paths, vote, capacity });
      if (s.stop) {
        if (vote.winner !== null && vote.groups[vote.winner]?.answer === '0') correct++;
        break;
      }
      expect(s.wave).toBeGreaterThan(0);
      expect(s.wave).toBeLessThanOrEqual(capacity);
      waves++;
      for (let i = 0; i < s.wave; i++) paths.push(path(draw()));
    }
    samples += paths.length;
    perQuestion.push(paths.length);
  });
  const n = questions.length;
  return { samples: samples / n, waves: waves / n, accuracy: correct / n, perQuestion };
}

describe('simulation: adaptive against fixed-8', () => {
  const HARD = Array.from({ length: 200 }, () => [0.5, 0.3, 0.2]);
  const LEVELS = [[0.9, 0.05, 0.05], [0.7, 0.2, 0.1], [0.5, 0.3, 0.2]];
  const MIXED = Array.from({ length: 200 }, (_, i) => LEVELS[i % LEVELS.length] ?? []);

  it.each([
    ['hard', HARD],
    ['mixed', MIXED],
  ] as const)('%s questions: fewer samples, about the same accuracy, and no wave past the sequential stop', (_, questions) => {
    const fixed = simulate(questions, FIXED, 4, 7);
    const adaptive = simulate(questions, ADAPTIVE, 4, 7);
    const sequential = simulate(questions, ADAPTIVE, 1, 7);
    expect(fixed.samples).toBe(8);
    expect(fixed.waves).toBe(2);
    expect(adaptive.samples).toBeLessThan(fixed.samples);
    expect(Math.abs(adaptive.accuracy - fixed.accuracy)).toBeLessThan(0.05);
    // Same draws, same stops: waves only save time, never add samples.
    expect(adaptive.perQuestion).toEqual(sequential.perQuestion);
    expect(adaptive.waves).toBeLessThan(sequential.waves / 2);
  });

  it('saves most on easy questions', () => {
    const adaptive = simulate(MIXED, ADAPTIVE, 4, 7);
    const easy = adaptive.perQuestion.filter((_, i) => i % LEVELS.length === 0);
    expect(easy.reduce((s, n) => s + n, 0) / easy.length).toBeLessThan(5);
    expect(adaptive.samples).toBeLessThan(simulate(HARD, ADAPTIVE, 4, 7).samples);
  });
});
