// Splits Markdown into top-level blocks so a streaming message can be rendered incrementally: every
// block but the last is settled (its source never changes again), so its rendering can be memoized;
// only the open tail block is re-parsed when a token arrives.
//
// A block boundary is the start of a non-blank line that follows a blank line and does not continue
// the block before it. Constructs that legitimately span blank lines keep their lines together:
// fenced code (``` or ~~~), display math ($$ or \[ opened at a line start), lists (an indented line
// or another list item after a blank line) and indented code. When in doubt the splitter keeps lines
// together: a block that is too big only costs re-parsing time, a wrong boundary would break rendering.
//
// The split is a pure function of the text (`splitBlocks`); `BlockSplitter` computes the same result
// incrementally, scanning each complete line once while the text grows by appending.

import { displayMathOpenedBy, findCloser } from './math.ts';

export interface Block {
  /** Offset of the block in the text; blocks tile the text, so this also identifies it while streaming. */
  start: number;
  source: string;
}

/**
 * A display-math opener that never closes would otherwise make every later line part of one ever-
 * growing tail block, re-parsed per token. Past this many lines the splitter stops waiting for the
 * closer; the Markdown lexer then shows the unclosed opener as text, as it would anyway.
 */
export const MAX_DISPLAY_MATH_LINES = 200;

interface Fence {
  char: '`' | '~';
  length: number;
  indent: number;
}

const BLANK = /^[ \t\r]*$/;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
/** A partial line that may still turn into a list item once more characters arrive. */
const LIST_ITEM_PREFIX = /^ {0,3}(?:[-*+]|\d{1,9}[.)]?)$/;
const FENCE_OPEN = /^([ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*)(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^([ \t]*)(`{3,}|~{3,})[ \t\r]*$/;

function indentOf(line: string): number {
  let cols = 0;
  for (const ch of line) {
    if (ch === ' ') cols += 1;
    else if (ch === '\t') cols += 4 - (cols % 4);
    else break;
  }
  return cols;
}

/** Line-by-line state of the block that is currently open. */
class OpenBlock {
  hasContent = false;
  blankSinceContent = false;
  inList = false;
  indentedCode = false;
  fence: Fence | null = null;
  math: { closer: '$$' | '\\]'; lines: number } | null = null;

  /** Whether a non-blank line arriving after a blank line still belongs to this block. */
  continuedBy(line: string): boolean {
    if (this.inList) return /^[ \t]/.test(line) || LIST_ITEM.test(line);
    if (this.indentedCode) return indentOf(line) >= 4;
    return false;
  }

  /**
   * The same decision for the last, still incomplete line: true only once the answer cannot change
   * as more characters arrive, so the result agrees with what the complete line will decide.
   */
  certainlyEndedBy(partial: string): boolean {
    if (!this.hasContent || !this.blankSinceContent || this.fence || this.math || BLANK.test(partial)) return false;
    if (this.inList) return !/^[ \t]/.test(partial) && !LIST_ITEM.test(partial) && !LIST_ITEM_PREFIX.test(partial);
    if (this.indentedCode) return indentOf(partial) < 4;
    return true;
  }

  /** Feeds one complete line (without its newline) that belongs to this block. */
  take(line: string): void {
    if (this.fence) {
      const close = FENCE_CLOSE.exec(line);
      if (
        close &&
        close[2]![0] === this.fence.char &&
        close[2]!.length >= this.fence.length &&
        indentOf(close[1]!) <= this.fence.indent + 3
      ) {
        this.fence = null;
      }
      return;
    }
    if (this.math) {
      if (findCloser(line, 0, this.math.closer) !== -1 || ++this.math.lines > MAX_DISPLAY_MATH_LINES) this.math = null;
      return;
    }
    if (BLANK.test(line)) {
      if (this.hasContent) this.blankSinceContent = true;
      return;
    }
    if (!this.hasContent) {
      this.hasContent = true;
      this.indentedCode = indentOf(line) >= 4;
    }
    this.blankSinceContent = false;
    if (LIST_ITEM.test(line)) this.inList = true;
    const fence = FENCE_OPEN.exec(line);
    // A backtick fence's info string cannot contain a backtick (CommonMark), so "```a```" is inline code.
    if (fence && !(fence[2]![0] === '`' && fence[3]!.includes('`'))) {
      this.fence = { char: fence[2]![0] as Fence['char'], length: fence[2]!.length, indent: indentOf(fence[1]!) };
      return;
    }
    const closer = displayMathOpenedBy(line);
    if (closer) this.math = { closer, lines: 0 };
  }
}

/** Incremental splitter; keep one per rendered message. `split` is idempotent, so calling it during render is safe. */
export class BlockSplitter {
  private text = '';
  /** End of the last complete line scanned; everything before it is final as long as the text only grows. */
  private scanned = 0;
  private settled: Block[] = [];
  private open = new OpenBlock();
  private openStart = 0;
  private result: Block[] = [];
  /** The block ended by the current partial line, reused while that line grows so its identity is stable. */
  private provisional: Block | null = null;

  split(text: string): Block[] {
    if (text === this.text) return this.result;
    // Appending is the streaming case. Anything else (a different message, an edit) starts over.
    // The prefix comparison is a single memcmp, far cheaper than re-scanning lines.
    if (!text.startsWith(this.text.slice(0, this.scanned))) this.reset();
    this.text = text;

    for (let nl = text.indexOf('\n', this.scanned); nl !== -1; nl = text.indexOf('\n', this.scanned)) {
      const line = text.slice(this.scanned, nl);
      if (!this.open.fence && !this.open.math && this.open.hasContent && this.open.blankSinceContent && !BLANK.test(line) && !this.open.continuedBy(line)) {
        this.settle(this.scanned);
      }
      this.open.take(line);
      this.scanned = nl + 1;
    }

    const blocks = this.settled.slice();
    let tailStart = this.openStart;
    if (this.open.certainlyEndedBy(text.slice(this.scanned))) {
      if (this.provisional?.start !== this.openStart || this.provisional.source.length !== this.scanned - this.openStart) {
        this.provisional = { start: this.openStart, source: text.slice(this.openStart, this.scanned) };
      }
      blocks.push(this.provisional);
      tailStart = this.scanned;
    }
    if (tailStart < text.length) blocks.push({ start: tailStart, source: text.slice(tailStart) });
    this.result = blocks;
    return blocks;
  }

  private settle(end: number): void {
    const source = this.text.slice(this.openStart, end);
    // Keep the object the partial-line decision already handed out, so memoized renders see the same props.
    const block = this.provisional?.start === this.openStart && this.provisional.source === source ? this.provisional : { start: this.openStart, source };
    this.settled.push(block);
    this.provisional = null;
    this.openStart = end;
    this.open = new OpenBlock();
  }

  private reset(): void {
    this.text = '';
    this.scanned = 0;
    this.settled = [];
    this.open = new OpenBlock();
    this.openStart = 0;
    this.result = [];
    this.provisional = null;
  }
}

/** One-shot split of a complete text; the reference the incremental splitter must agree with. */
export function splitBlocks(text: string): Block[] {
  return new BlockSplitter().split(text);
}
