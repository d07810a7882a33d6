import './render.css';
import { useId, useState } from 'react';
import { Markdown } from './Markdown.tsx';
import { thinkingHeader, thinkingPhase, type ThinkingStatusInput } from './thinkingStatus.ts';

export interface ThinkingBlockProps extends ThinkingStatusInput {
  /** The reasoning text (between `<think>` and `</think>`), Markdown with math. */
  thinking: string;
}

/**
 * The model's chain of thought: open and live while it streams, collapsed to a summary once
 * `</think>` arrives. It stays open when thinking never finished, since then there is no answer to
 * read instead. A user's toggle overrides the automatic state from then on.
 */
export function ThinkingBlock({ thinking, ...status }: ThinkingBlockProps) {
  const [userOpen, setUserOpen] = useState<boolean | null>(null);
  const bodyId = useId();
  const phase = thinkingPhase(status);
  const open = userOpen ?? !status.closed;
  const header = thinkingHeader(status);

  return (
    <section className="thinking" data-phase={phase}>
      <button type="button" className="thinking-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setUserOpen(!open)}>
        <span className="thinking-chevron" aria-hidden="true" />
        <span className="thinking-header">{header}</span>
      </button>
      {/* Announces phase changes only: the live counters would be noise on every token. */}
      <span className="md-sr-only" aria-live="polite">
        {phase === 'live' ? 'Thinking…' : header}
      </span>
      <div id={bodyId} className="thinking-body" hidden={!open}>
        {/* Not rendered while collapsed: a long chain of thought costs nothing until it is opened. */}
        {open && <Markdown text={thinking} streaming={phase === 'live'} />}
      </div>
    </section>
  );
}
