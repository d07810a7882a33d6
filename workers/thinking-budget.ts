/**
 * The thinking-budget policy for one reply: counts thinking tokens and, once the budget is spent,
 * demands `</think>` as the next token so the model moves on to its answer.
 *
 * R1's generation prompt already opens the thinking (`<think>\n`), so every reply token counts as
 * thinking until `</think>` appears, whether the model wrote it or the policy forced it.
 */
export class ThinkingBudget {
  private readonly budget: number;
  private readonly thinkEndId: number;
  private thinking: boolean;
  private count: number;
  private forced = false;

  /**
   * @param prior the reply's tokens before this request (a continued reply); they count toward the
   *   budget, and a `</think>` among them means the thinking is already over.
   */
  constructor(budget: number, thinkEndId: number, prior: readonly number[] = []) {
    if (!Number.isInteger(budget) || budget < 0) {
      throw new RangeError(`A thinking budget must be a whole number of tokens (0 or more), got ${budget}.`);
    }
    this.budget = budget;
    this.thinkEndId = thinkEndId;
    this.thinking = !prior.includes(thinkEndId);
    this.count = this.thinking ? prior.length : 0;
  }

  /** The token that must come next, or null while the model may choose freely. */
  forcedToken(): number | null {
    return this.thinking && this.count >= this.budget ? this.thinkEndId : null;
  }

  /** Records the token that was chosen for the reply. */
  accept(id: number): void {
    if (!this.thinking) return;
    if (id === this.thinkEndId) {
      this.forced = this.forcedToken() !== null;
      this.thinking = false;
    } else {
      this.count += 1;
    }
  }

  /** True once this policy, not the model, ended the thinking. */
  get hit(): boolean {
    return this.forced;
  }
}
