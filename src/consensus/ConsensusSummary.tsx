import './consensus.css';
import { useId } from 'react';
import { AnswerCard } from '../render';
import { MathView } from '../render/MathView.tsx';
import { distribution, formatPercent, outcomeSentence, progressText, spentText, stopSentence, voteShare, winningGroup } from './describe.ts';
import type { ConsensusRecord, VoteResult } from './types.ts';

/** The distinct answers as bars; the text beside each bar carries the numbers, the bar is decoration. */
function Distribution({ vote }: { vote: VoteResult }) {
  const rows = distribution(vote);
  return (
    <ul className="consensus-bars" aria-label="Answers and their votes" data-testid="consensus-distribution">
      {rows.map((row) => (
        <li key={row.answer} className="consensus-bar" data-winner={row.winner || undefined}>
          <span className="consensus-bar-answer">
            <MathView tex={row.answer} display={false} source={row.answer} />
          </span>
          <span className="consensus-bar-track" aria-hidden="true">
            <span className="consensus-bar-fill" style={{ width: `${Math.max(2, row.share * 100)}%` }} />
          </span>
          <span className="consensus-bar-count">
            {row.votes} {row.votes === 1 ? 'vote' : 'votes'} · {formatPercent(row.share)}
            {row.winner && <span className="visually-hidden"> (the majority)</span>}
          </span>
        </li>
      ))}
      {vote.unanswered > 0 && (
        <li className="consensus-bar consensus-bar--none">
          <span className="consensus-bar-answer">No boxed answer</span>
          <span className="consensus-bar-track" aria-hidden="true" />
          <span className="consensus-bar-count">
            {vote.unanswered} {vote.unanswered === 1 ? 'path' : 'paths'}, not voting
          </span>
        </li>
      )}
    </ul>
  );
}

/**
 * The result of a consensus reply: the majority answer and its share, the spread of answers, and
 * how much was sampled and why it stopped; live progress while the paths run. Read-only, so the
 * shared-transcript page can show it as the chat does.
 */
export function ConsensusSummary({ record }: { record: ConsensusRecord }) {
  const titleId = useId();
  const { vote, stop } = record;
  const sampling = stop === null;
  const winner = sampling ? null : winningGroup(vote);
  const outcome = sampling ? null : outcomeSentence(vote);
  const stopped = stopSentence(record);
  return (
    <section className="consensus-summary" aria-labelledby={titleId} data-testid="consensus-summary" data-outcome={vote?.outcome}>
      <h3 id={titleId} className="consensus-title">
        {/* With a winner, the answer card below names it. */}
        {sampling || winner ? 'Consensus' : 'Consensus: no majority'}
      </h3>
      {/* Changes only when a path starts or ends, so announcing it is not noise. */}
      {sampling && (
        <p className="consensus-progress" aria-live="polite">
          {progressText(record)}
        </p>
      )}
      {winner && vote && (
        <>
          <AnswerCard latex={winner.answer} />
          <p className="consensus-share">{voteShare(vote, winner)}</p>
        </>
      )}
      {outcome && <p className="consensus-outcome">{outcome}</p>}
      {vote && (vote.groups.length > 0 || vote.unanswered > 0) && <Distribution vote={vote} />}
      {stopped && (
        <p className="consensus-stop muted">
          <span>{spentText(record)}.</span> <span>{stopped}</span>
        </p>
      )}
    </section>
  );
}
