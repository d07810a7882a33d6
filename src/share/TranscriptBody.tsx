// The transcript as static markup for the HTML export: the app's own renderer (Markdown, KaTeX with
// trust:false), with <details> instead of the live thinking toggle so it reads without any script.

import { findFinalAnswer } from '../reasoning/answer';
import { Markdown } from '../render';
import { MathView } from '../render/MathView.tsx';
import { replyFacts, sharedLine, thinkingSummary } from './describe.ts';
import type { AssistantTurn, Transcript } from './transcript.ts';

const STATUS_NOTE = { stopped: 'Stopped.', length: 'The reply reached the token limit.' } as const;

function Reply({ m }: { m: AssistantTurn }) {
  const final = findFinalAnswer(m);
  const facts = replyFacts(m);
  return (
    <article className="message assistant" aria-label="Model">
      {m.thinking !== null && (
        <details className="thinking">
          <summary className="thinking-toggle">
            <span className="thinking-header">{thinkingSummary(m)}</span>
          </summary>
          <div className="thinking-body">
            <Markdown text={m.thinking} streaming={false} />
          </div>
        </details>
      )}
      {m.answer && (
        <div className="answer">
          <Markdown text={m.answer} streaming={false} />
        </div>
      )}
      {final && (
        <section className="answer-card" aria-label="Answer">
          <div className="answer-card-bar">
            <span className="answer-card-label">Answer</span>
          </div>
          <MathView tex={final.latex} display source={final.latex} />
        </section>
      )}
      {m.status === 'error' && <p className="note error">{m.error ?? 'This reply failed.'}</p>}
      {(m.status === 'stopped' || m.status === 'length') && <p className="note muted">{STATUS_NOTE[m.status]}</p>}
      {facts && <p className="stats muted">{facts}</p>}
    </article>
  );
}

export function StaticTranscript({ t }: { t: Transcript }) {
  return (
    <main className="column messages">
      <header>
        <h1>{t.title}</h1>
        <p className="muted">{sharedLine(t)}</p>
      </header>
      {t.messages.map((m, i) =>
        m.role === 'user' ? (
          <article key={i} className="message user" aria-label="You">
            <p>{m.text}</p>
          </article>
        ) : (
          <Reply key={i} m={m} />
        ),
      )}
    </main>
  );
}
