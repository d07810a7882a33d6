import { LogitsProcessor, type Tensor } from '@huggingface/transformers';
import type { ThinkingBudget } from './thinking-budget';
import { chooseToken, type ChoiceOptions } from './token-choice';

export interface ChoosingOptions extends ChoiceOptions {
  /** Ends the thinking when its budget is spent; it tracks one sequence, so batches cannot have one. */
  budget?: ThinkingBudget | null;
}

/**
 * Chooses each token with the app's own sampler and leaves only that token standing, so
 * generate() runs greedy (do_sample: false) and never applies its own top_k or Math.random.
 * Because the decision is made here, a token the thinking budget forces is decided here too.
 */
export class ChoosingLogitsProcessor extends LogitsProcessor {
  private readonly options: ChoosingOptions;

  constructor(options: ChoosingOptions) {
    super();
    this.options = options;
  }

  override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
    const data = logits.data as Float32Array;
    const vocab = logits.dims.at(-1) ?? data.length;
    const { budget } = this.options;
    if (budget && data.length > vocab) throw new Error('A thinking budget tracks one sequence; it cannot steer a batch.');
    for (let row = 0; row < data.length; row += vocab) {
      const view = data.subarray(row, row + vocab);
      const chosen = budget?.forcedToken() ?? chooseToken(view, this.options);
      budget?.accept(chosen);
      view.fill(-Infinity);
      view[chosen] = 0;
    }
    return logits;
  }
}
