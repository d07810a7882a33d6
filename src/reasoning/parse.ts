/**
 * Splits DeepSeek-R1 output into its thinking part and its answer part.
 *
 * The R1 generation prompt ends with `<｜Assistant｜><think>\n`, so the model's output normally starts
 * INSIDE the thinking part: there is no opening tag, and the first `</think>` ends the thinking.
 *
 * Rules (shared by `splitReasoning` and `ReasoningStream`, which must agree exactly):
 *
 * 1. Opening tag. If the output starts with `<think>` (after optional whitespace), that tag is
 *    dropped and the output is in thinking. A `<think>` anywhere else is ordinary text.
 * 2. `startsInThinking` (default true) says whether the prompt left the model inside thinking.
 *    - true: the output is thinking from its first character, tag or no tag. Without `</think>`
 *      (still streaming, or cut off at the token limit) everything is thinking and the answer is ''.
 *      `thinking` is never null in this mode.
 *    - false (the caller built a prompt that skips thinking): only rule 1 opens thinking. Otherwise
 *      the whole output is answer and `thinking` is null ("shows no thinking"). A `</think>` in such
 *      an output is answer text: a streaming UI has already shown what came before it as answer and
 *      cannot take it back.
 * 3. Boundary. Once in thinking, the FIRST `</think>` ends it (`thinkingClosed: true`); everything
 *    after it is answer, including any later `<think>` / `</think>` tags, kept as text.
 * 4. Trimming. Both parts are `String.prototype.trim()`med (the JS whitespace set, Unicode spaces and
 *    line terminators included). Empty thinking (`\n</think>\n\nAnswer`) gives `thinking: ''`.
 */

export interface ReasoningOptions {
  /** Whether the output begins inside the thinking part (the prompt ended with `<think>\n`). Default true. */
  startsInThinking?: boolean;
}

export interface ReasoningSplit {
  /** Thinking text, trimmed; null only when the output shows no thinking (see rule 2). */
  thinking: string | null;
  /** Answer text after `</think>` (or the whole output when there is no thinking), trimmed. */
  answer: string;
  /** True once the first `</think>` has been seen. */
  thinkingClosed: boolean;
}

/** What one `ReasoningStream.push` (or `finish`) appended; see `ReasoningStream` for the rules. */
export interface ReasoningDelta {
  /** Text to append to the thinking shown so far. */
  thinking: string;
  /** Text to append to the answer shown so far. */
  answer: string;
  /** True only in the call during which the first `</think>` completed. */
  closed: boolean;
}

const OPEN = '<think>';
const CLOSE = '</think>';

export function splitReasoning(output: string, options: ReasoningOptions = {}): ReasoningSplit {
  const startsInThinking = options.startsInThinking ?? true;
  const lead = /^\s*<think>/.exec(output);
  const rest = lead ? output.slice(lead[0].length) : output;
  if (!lead && !startsInThinking) return { thinking: null, answer: output.trim(), thinkingClosed: false };
  const end = rest.indexOf(CLOSE);
  if (end < 0) return { thinking: rest.trim(), answer: '', thinkingClosed: false };
  return {
    thinking: rest.slice(0, end).trim(),
    answer: rest.slice(end + CLOSE.length).trim(),
    thinkingClosed: true,
  };
}

function isSpace(code: number): boolean {
  // ASCII fast path; otherwise defer to \s, which is exactly the set String.prototype.trim() removes.
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 128) return false;
  return /\s/.test(String.fromCharCode(code));
}

/** One output part (thinking or answer) being built with trim() semantics. */
class Part {
  /** Text committed so far (already handed out in deltas). */
  text = '';
  /** Whether any non-whitespace has been committed; until then whitespace is leading and dropped. */
  started = false;
  /** Trailing whitespace held back: trimmed if the part ends here, committed if text follows. */
  heldSpace = '';

  /** Appends `s` and returns what became committed. */
  add(s: string): string {
    let k = s.length;
    while (k > 0 && isSpace(s.charCodeAt(k - 1))) k--;
    if (k === 0) {
      if (this.started) this.heldSpace += s;
      return '';
    }
    const head = this.started ? this.heldSpace + s.slice(0, k) : s.slice(0, k).trimStart();
    this.started = true;
    this.heldSpace = s.slice(k);
    this.text += head;
    return head;
  }
}

type Mode = 'prelude' | 'thinking' | 'answer';

/**
 * Incremental version of `splitReasoning`, fed text deltas of any size (tags may be split across
 * deltas, e.g. `</thi` + `nk>`). Work per push is proportional to the delta plus what it releases.
 *
 * Delta rules (what `push` returns):
 * - Deltas are only ever appended, never retracted, and they never contain text that the final
 *   split would drop. So `push` holds back text whose fate is not yet known:
 *   - trailing whitespace of a part (dropped by trim if the part ends there; released as soon as
 *     non-whitespace follows in the same part), and leading whitespace (always dropped);
 *   - in thinking, a trailing proper prefix of `</think>` (`<`, `</th`, ...) together with the
 *     whitespace before it (released as text as soon as the next character rules the tag out);
 *   - at the very start, whitespace and a proper prefix of `<think>`.
 * - `finish()` releases whatever held text the final split keeps (a dangling `</th` at the cut-off
 *   point, for example). After `finish()`, the concatenated deltas equal `snapshot()` exactly, which
 *   equals `splitReasoning(allText, options)`.
 * - Before `finish()`, at every point: the concatenated deltas equal the `thinking` / `answer` getters,
 *   each is a prefix of the matching `snapshot()` field, and `snapshot()` equals `splitReasoning` of the
 *   text pushed so far. The gap between the getter and the snapshot is at most held whitespace plus a
 *   partial tag.
 * - Held whitespace never splits a character (whitespace is in the BMP), so a delta splits a
 *   surrogate pair only where the input deltas did.
 */
export class ReasoningStream {
  private readonly startsInThinking: boolean;
  private mode: Mode = 'prelude';
  /** Prelude: the non-whitespace seen so far, a proper prefix of `<think>`. */
  private openMatch = '';
  /** Thinking: a held proper prefix of `</think>` at the end of the text. */
  private closeMatch = '';
  private thinkingPart: Part | null = null;
  private readonly answerPart = new Part();
  private closed = false;
  private finished = false;
  // Output buffers for the call in progress.
  private outThinking = '';
  private outAnswer = '';
  private outClosed = false;

  constructor(options: ReasoningOptions = {}) {
    this.startsInThinking = options.startsInThinking ?? true;
    if (this.startsInThinking) this.thinkingPart = new Part();
  }

  /** Thinking text handed out so far (the concatenated deltas); null while no thinking is shown. */
  get thinking(): string | null {
    return this.thinkingPart ? this.thinkingPart.text : null;
  }

  /** Answer text handed out so far (the concatenated deltas). */
  get answer(): string {
    return this.answerPart.text;
  }

  get thinkingClosed(): boolean {
    return this.closed;
  }

  /** The split as if the output ended now: equals `splitReasoning` of everything pushed so far. */
  snapshot(): ReasoningSplit {
    switch (this.mode) {
      case 'prelude':
        return this.startsInThinking
          ? { thinking: this.openMatch, answer: '', thinkingClosed: false }
          : { thinking: null, answer: this.openMatch, thinkingClosed: false };
      case 'thinking': {
        const part = this.thinkingPart as Part;
        // A dangling partial tag is text once the output ends; the whitespace before it is then inner.
        const tail = this.closeMatch ? part.heldSpace + this.closeMatch : '';
        return { thinking: part.text + tail, answer: '', thinkingClosed: false };
      }
      case 'answer':
        return { thinking: this.thinking, answer: this.answerPart.text, thinkingClosed: this.closed };
    }
  }

  push(delta: string): ReasoningDelta {
    if (this.finished) throw new Error('ReasoningStream: push() after finish()');
    let i = 0;
    while (i < delta.length) {
      if (this.mode === 'prelude') i = this.stepPrelude(delta, i);
      else if (this.mode === 'thinking') i = this.stepThinking(delta, i);
      else {
        this.outAnswer += this.answerPart.add(i === 0 ? delta : delta.slice(i));
        i = delta.length;
      }
    }
    return this.flush();
  }

  /** Ends the stream: releases held text that the final split keeps. Idempotent. */
  finish(): ReasoningDelta {
    if (!this.finished) {
      this.finished = true;
      if (this.mode === 'prelude') {
        const text = this.openMatch;
        this.openMatch = '';
        this.enter(this.startsInThinking ? 'thinking' : 'answer');
        if (this.startsInThinking) this.outThinking += (this.thinkingPart as Part).add(text);
        else this.outAnswer += this.answerPart.add(text);
      } else if (this.mode === 'thinking' && this.closeMatch) {
        this.outThinking += (this.thinkingPart as Part).add(this.closeMatch);
        this.closeMatch = '';
      }
    }
    return this.flush();
  }

  private flush(): ReasoningDelta {
    const out = { thinking: this.outThinking, answer: this.outAnswer, closed: this.outClosed };
    this.outThinking = '';
    this.outAnswer = '';
    this.outClosed = false;
    return out;
  }

  private enter(mode: 'thinking' | 'answer'): void {
    this.mode = mode;
    if (mode === 'thinking' && !this.thinkingPart) this.thinkingPart = new Part();
  }

  /** Consumes leading whitespace and a possible `<think>`; returns the next index. */
  private stepPrelude(s: string, i: number): number {
    const c = s.charCodeAt(i);
    if (this.openMatch === '' && isSpace(c)) return i + 1; // leading whitespace: trimmed either way
    const candidate = this.openMatch + s[i];
    if (OPEN.startsWith(candidate)) {
      if (candidate === OPEN) {
        this.openMatch = '';
        this.enter('thinking');
      } else {
        this.openMatch = candidate;
      }
      return i + 1;
    }
    // Not an opening tag: replay the held prefix in the real mode, then the current character there.
    const held = this.openMatch;
    this.openMatch = '';
    this.enter(this.startsInThinking ? 'thinking' : 'answer');
    if (held) {
      // `<` is the only prefix shared with `</think>`, so it must go through tag matching again.
      if (this.mode === 'thinking') this.stepThinkingText(held);
      else this.outAnswer += this.answerPart.add(held);
    }
    return i;
  }

  private stepThinkingText(s: string): void {
    let i = 0;
    while (i < s.length) i = this.stepThinking(s, i);
  }

  /** Thinking mode: commits text up to the next `<`, matches `</think>` char by char; returns the next index. */
  private stepThinking(s: string, i: number): number {
    const part = this.thinkingPart as Part;
    if (this.closeMatch) {
      const candidate = this.closeMatch + s[i];
      if (CLOSE.startsWith(candidate)) {
        if (candidate === CLOSE) {
          // Boundary: held whitespace before the tag is trailing, so trim drops it.
          this.closeMatch = '';
          part.heldSpace = '';
          this.closed = true;
          this.outClosed = true;
          this.mode = 'answer';
        } else {
          this.closeMatch = candidate;
        }
        return i + 1;
      }
      // Ruled out: the held prefix is text. Only the current char can start a new tag (`<` occurs
      // once in `</think>`), so it is re-examined without consuming it.
      this.outThinking += part.add(this.closeMatch);
      this.closeMatch = '';
      return i;
    }
    const lt = s.indexOf('<', i);
    const end = lt < 0 ? s.length : lt;
    if (end > i) this.outThinking += part.add(i === 0 && end === s.length ? s : s.slice(i, end));
    if (lt < 0) return end;
    this.closeMatch = '<';
    return lt + 1;
  }
}
