// A transcript rendered with the app's own message renderer (Markdown, KaTeX with trust:false,
// thinking block, answer card). `live` is the in-app read-only view; without it the markup works
// with no script at all (the HTML export): thinking in <details>, no copy buttons.

import { findFinalAnswer } from '../reasoning/answer';
import { AnswerCard, Markdown, ThinkingBlock } from '../render';
import { MathView } from '../render/MathView.tsx';
import { replyFacts, sharedLine, thinkingStatus, thinkingSummary } from './describe.ts';
import type { AssistantTurn, Transcript } from './transcript.ts';

const STATUS_NOTE = { stopped: 'Stopped.', length: 'The reply reached the token limit.' } as const;

function Thinking({ m, live }: { m: AssistantTurn & { thinking: string }; live: boolean }) {
  if (live) return <ThinkingBlock thinking={m.thinking} {...thinkingStatus(m)} />;
  return (
    <details className="thinking">
      <summary className="thinking-toggle">
        <span className="thinking-header">{thinkingSummary(m)}</span>
      </summary>
      <div className="thinking-body">
        <Markdown text={m.thinking} streaming={false} />
      </div>
    </details>
  );
}

function FinalAnswer({ latex, live }: { latex: string; live: boolean }) {
  if (live) return <AnswerCard latex={latex} />;
  return (
    <section className="answer-card" aria-label="Answer">
      <div className="answer-card-bar">
        <span className="answer-card-label">Answer</span>
      </div>
      <MathView tex={latex} display source={latex} />
    </section>
  );
}

function Reply({ m, live }: { m: AssistantTurn; live: boolean }) {
  const final = findFinalAnswer(m);
  const facts = replyFacts(m);
  return (
    <article className="message assistant" aria-label="Model" data-status={m.status}>
      {m.thinking !== null && <Thinking m={{ ...m, thinking: m.thinking }} live={live} />}
      {m.answer && (
        <div className="answer">
          <Markdown text={m.answer} streaming={false} />
        </div>
      )}
      {final && <FinalAnswer latex={final.latex} live={live} />}
      {m.status === 'error' && <p className="note error">{m.error ?? 'This reply failed.'}</p>}
      {(m.status === 'stopped' || m.status === 'length') && <p className="note muted">{STATUS_NOTE[m.status]}</p>}
      {facts && <p className="stats muted">{facts}</p>}
    </article>
  );
}

export function TranscriptBody({ t, live }: { t: Transcript; live: boolean }) {
  return (
    <div className="column messages transcript">
      <header className="transcript-header">
        <h1>{t.title}</h1>
        <p className="muted">{sharedLine(t)}</p>
      </header>
      {t.messages.map((m, i) =>
        m.role === 'user' ? (
          <article key={i} className="message user" aria-label="You">
            <p>{m.text}</p>
          </article>
        ) : (
          <Reply key={i} m={m} live={live} />
        ),
      )}
    </div>
  );
}
