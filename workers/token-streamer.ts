import { BaseStreamer } from '@huggingface/transformers';

/**
 * Hands each generated token id to a callback; generate()'s first put (the prompt) is skipped.
 * Shared by the app's generator and the benchmark's raw baseline, so both count tokens alike.
 */
export class TokenStreamer extends BaseStreamer {
  private seenPrompt = false;
  private readonly onToken: (id: number) => void;

  constructor(onToken: (id: number) => void) {
    super();
    this.onToken = onToken;
  }

  override put(value: bigint[][]): void {
    if (!this.seenPrompt) {
      this.seenPrompt = true;
      return;
    }
    const id = value[0]?.[0];
    if (id !== undefined) this.onToken(Number(id));
  }

  override end(): void {}
}
