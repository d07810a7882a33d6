// A transcript rendered with the app's own message renderer (Markdown, KaTeX with trust:false,
// thinking block, answer card). `live` is the in-app read-only view; without it the markup works
// with no script at all (the HTML export): thinking in <details>, no copy buttons.

import { findFinalAnswer } from '../reasoning/answer';
import { AnswerCard, Markdown, ThinkingBlock } from '../render';
import { MathView } from '../render/MathView.tsx';
import { consensusFacts, omittedNote, pathThinkingSummary, pathTitle, replyFacts, sharedLine, thinkingStatus, thinkingSummary, voteDistribution, voteHeadline } from './describe.ts';
import type { AssistantTurn, Transcript, TranscriptConsensus } from './transcript.ts';

const STATUS_NOTE = { stopped: 'Stopped.', length: 'The reply reached the token limit.' } as const;

/** Thinking as a <details>, which opens and closes with no script (the HTML export). */
function StaticThinking({ summary, thinking }: { summary: string; thinking: string }) {
  return (
    <details className="thinking">
      <summary className="thinking-toggle">
        <span className="thinking-header">{summary}</span>
      </summary>
      <div className="thinking-body">
        <Markdown text={thinking} streaming={false} />
      </div>
    </details>
  );
}

function Thinking({ m, live }: { m: AssistantTurn & { thinking: string }; live: boolean }) {
  if (live) return <ThinkingBlock thinking={m.thinking} {...thinkingStatus(m)} />;
  return <StaticThinking summary={thinkingSummary(m)} thinking={m.thinking} />;
}

/**
 * The vote in a few plain lines, then each path folded away (the chosen one's text is the reply
 * itself). Answers are shown as the LaTeX the paths boxed, as text: React escapes it.
 */
function Consensus({ c, omitted }: { c: TranscriptConsensus; omitted: boolean }) {
  const distribution = voteDistribution(c);
  return (
    <section className="consensus" aria-label="Consensus">
      <p className="consensus-headline">{voteHeadline(c)}</p>
      {distribution.length > 0 && (
        <ul className="consensus-distribution">
          {distribution.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      )}
      <p className="stats muted">{consensusFacts(c)}</p>
      {omitted && <p className="note muted">{omittedNote(c.paths.length)}</p>}
      {c.paths.map((p, i) => (
        <details key={i} className="consensus-path">
          <summary>{pathTitle(p, i, i === c.chosenPath)}</summary>
          {i === c.chosenPath ? (
            <p className="muted">Its thinking and answer are the reply above.</p>
          ) : (
            <>
              {p.thinking !== null && <StaticThinking summary={pathThinkingSummary(p)} thinking={p.thinking} />}
              {p.answer && (
                <div className="answer">
                  <Markdown text={p.answer} streaming={false} />
                </div>
              )}
            </>
          )}
        </details>
      ))}
    </section>
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

function Reply({ m, live, pathsOmitted }: { m: AssistantTurn; live: boolean; pathsOmitted: boolean }) {
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
      {m.consensus && <Consensus c={m.consensus} omitted={pathsOmitted} />}
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
          <Reply key={i} m={m} live={live} pathsOmitted={t.pathsOmitted === true} />
        ),
      )}
    </div>
  );
}
