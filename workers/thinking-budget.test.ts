import { describe, expect, it } from 'vitest';
import { ThinkingBudget } from './thinking-budget.ts';

const END = 9;

/** Feeds the model's wishes through the policy the way the logits processor does. */
function run(policy: ThinkingBudget, wanted: number[]): number[] {
  return wanted.map((w) => {
    const chosen = policy.forcedToken() ?? w;
    policy.accept(chosen);
    return chosen;
  });
}

describe('ThinkingBudget', () => {
  it('forces </think> after exactly `budget` thinking tokens, then lets the model answer', () => {
    const policy = new ThinkingBudget(3, END);
    expect(run(policy, [1, 2, 3, 4, 5, 6])).toEqual([1, 2, 3, END, 5, 6]);
    expect(policy.hit).toBe(true);
  });

  it('does nothing when the model closes the thinking in time', () => {
    const policy = new ThinkingBudget(3, END);
    expect(run(policy, [1, 2, END, 4, 5, 6, 7])).toEqual([1, 2, END, 4, 5, 6, 7]);
    expect(policy.hit).toBe(false);
  });

  it('counts as hit when the budget decided the step, even if the model wanted </think> too', () => {
    const policy = new ThinkingBudget(2, END);
    expect(run(policy, [1, 2, END, 4])).toEqual([1, 2, END, 4]);
    expect(policy.hit).toBe(true);
    const early = new ThinkingBudget(2, END);
    run(early, [1, END, 4]);
    expect(early.hit).toBe(false);
  });

  it('a budget of 0 ends the thinking at once', () => {
    const policy = new ThinkingBudget(0, END);
    expect(run(policy, [1, 2])).toEqual([END, 2]);
    expect(policy.hit).toBe(true);
  });

  it('never forces twice: a later </think> from the model is just text', () => {
    const policy = new ThinkingBudget(1, END);
    expect(run(policy, [1, 2, END, 3])).toEqual([1, END, END, 3]);
  });

  it('counts the thinking tokens of a continued reply', () => {
    const policy = new ThinkingBudget(5, END, [1, 2, 3]);
    expect(run(policy, [4, 5, 6, 7])).toEqual([4, 5, END, 7]);
    expect(policy.hit).toBe(true);
  });

  it('forces at once when a continued reply is already over budget', () => {
    const policy = new ThinkingBudget(2, END, [1, 2, 3, 4]);
    expect(run(policy, [5, 6])).toEqual([END, 6]);
  });

  it('leaves a continued reply alone once its thinking is closed', () => {
    const policy = new ThinkingBudget(2, END, [1, 2, END, 4, 5, 6]);
    expect(policy.forcedToken()).toBeNull();
    expect(run(policy, [7, 8, 9])).toEqual([7, 8, 9]);
    expect(policy.hit).toBe(false);
  });

  it.each([-1, 1.5, Number.NaN])('rejects budget %s', (budget) => {
    expect(() => new ThinkingBudget(budget, END)).toThrow(RangeError);
  });
});
