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

/**
 * How much of the incomplete last line is read to decide whether it starts a new block: enough for
 * indentation plus the longest list marker ("   123456789. "). A peek that is all blank just leaves
 * the decision to the complete line.
 */
const PARTIAL_LINE_PEEK = 16;

/** Characters compared at the start of the text and before the cursor to recognise an append. */
const CHECK_WINDOW = 256;

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

  /**
   * Whether this complete line starts a new block: a non-blank line after a blank line that does
   * not continue a list or indented code. (Blank lines inside a fence or display math do not set
   * `blankSinceContent`, so those never end here.)
   */
  endedBy(line: string): boolean {
    if (!this.blankSinceContent || BLANK.test(line)) return false;
    if (this.inList) return !/^[ \t]/.test(line) && !LIST_ITEM.test(line);
    if (this.indentedCode) return indentOf(line) < 4;
    return true;
  }

  /**
   * The same decision for the start of the last, still incomplete line: true only once more
   * characters cannot change it, so it always agrees with what the complete line will decide.
   */
  certainlyEndedBy(partialStart: string): boolean {
    return this.endedBy(partialStart) && !(this.inList && LIST_ITEM_PREFIX.test(partialStart));
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
      // The fence's column, list markers included: a fence inside "1. ```" closes at that item's indentation.
      const indent = indentOf(fence[1]!.replace(/[^\t]/g, ' '));
      this.fence = { char: fence[2]![0] as Fence['char'], length: fence[2]!.length, indent };
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
    if (!this.extendsScanned(text)) this.reset();
    this.text = text;

    for (let nl = text.indexOf('\n', this.scanned); nl !== -1; nl = text.indexOf('\n', this.scanned)) {
      const line = text.slice(this.scanned, nl);
      if (this.open.endedBy(line)) this.settle(this.scanned);
      this.open.take(line);
      this.scanned = nl + 1;
    }

    const blocks = this.settled.slice();
    let tailStart = this.openStart;
    // Only the start of the partial line matters, and re-reading a long line per token would be quadratic.
    if (this.open.certainlyEndedBy(text.slice(this.scanned, this.scanned + PARTIAL_LINE_PEEK))) {
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

  /**
   * Whether `text` keeps the scanned prefix, i.e. the stream only appended. Comparing the whole
   * prefix would cost O(n) per token (about 0.3 ms at 130 kB, char by char), the very quadratic
   * cost this class exists to avoid. Streaming only appends; a restart, another message or a
   * revised tail changes the length or the text around the cursor, which is what is compared.
   * An edit hidden in the middle of the prefix is not noticed: render a different message with a
   * different React key.
   */
  private extendsScanned(text: string): boolean {
    if (text.length < this.scanned) return false;
    const head = Math.min(CHECK_WINDOW, this.scanned);
    const near = Math.max(0, this.scanned - CHECK_WINDOW);
    return (
      text.slice(0, head) === this.text.slice(0, head) && text.slice(near, this.scanned) === this.text.slice(near, this.scanned)
    );
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
