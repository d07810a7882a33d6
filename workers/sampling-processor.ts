import { LogitsProcessor, type Tensor } from '@huggingface/transformers';
import { chooseToken, type ChoiceOptions } from './token-choice';

/**
 * Chooses each token with the app's own sampler inside transformers.js's generate() and leaves only
 * that token standing, so generate() runs greedy (do_sample: false). The app decodes in its own loop
 * (generation.ts); the benchmark uses this to price the sampler inside raw generate().
 */
export class ChoosingLogitsProcessor extends LogitsProcessor {
  private readonly options: ChoiceOptions;

  constructor(options: ChoiceOptions) {
    super();
    this.options = options;
  }

  override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
    const data = logits.data as Float32Array;
    const vocab = logits.dims.at(-1) ?? data.length;
    for (let row = 0; row < data.length; row += vocab) {
      const view = data.subarray(row, row + vocab);
      const chosen = chooseToken(view, this.options);
      view.fill(-Infinity);
      view[chosen] = 0;
    }
    return logits;
  }
}
