/**
 * Turns a stream of token ids into text deltas in O(1) work per token.
 *
 * Byte-level BPE tokens can split one UTF-8 character across tokens; decoding such a token alone
 * yields U+FFFD, so those tokens are held until the character completes. Decoding only the pending
 * tokens (not the whole reply, as TextStreamer does) keeps long replies linear.
 */
export class IncrementalDecoder {
  private pending: number[] = [];
  private readonly decode: (ids: number[]) => string;

  constructor(decode: (ids: number[]) => string) {
    this.decode = decode;
  }

  /** Returns the text this token completes ('' while a character is still partial). */
  push(id: number): string {
    this.pending.push(id);
    const text = this.decode(this.pending);
    // A UTF-8 sequence is at most 4 bytes, so after 4 held tokens the U+FFFD is genuine output.
    if (text.endsWith('\uFFFD') && this.pending.length < 4) return '';
    this.pending = [];
    return text;
  }

  /** Whatever is still held at the end of generation. */
  flush(): string {
    if (this.pending.length === 0) return '';
    const text = this.decode(this.pending);
    this.pending = [];
    return text;
  }
}
