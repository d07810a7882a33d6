import './consensus.css';
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Markdown, ThinkingBlock } from '../render';
import { MathView } from '../render/MathView.tsx';
import { latexToText } from '../render/plaintext.ts';
import { ConsensusSummary } from './ConsensusSummary.tsx';
import { formatConfidence, pathStatusText, winningGroup } from './describe.ts';
import type { ConsensusPath, ConsensusRecord } from './types.ts';

const count = new Intl.NumberFormat('en');

/** Arrow keys move along the tabs (wrapping), Home and End jump to the ends. */
function nextTab(key: string, current: number, total: number): number | null {
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (current + 1) % total;
    case 'ArrowLeft':
    case 'ArrowUp':
      return (current - 1 + total) % total;
    case 'Home':
      return 0;
    case 'End':
      return total - 1;
    default:
      return null;
  }
}

function tabLabel(path: ConsensusPath, index: number, winner: boolean): string {
  const answer = path.final === null ? '' : `, answer ${latexToText(path.final)}`;
  return `Path ${index + 1}: ${pathStatusText(path.status)}${answer}${winner ? ', with the majority' : ''}`;
}

/** One path in full. Keyed by path where used: each path's Markdown and thinking block keep their own state. */
function PathBody({ path, index, winner, seconds }: { path: ConsensusPath; index: number; winner: boolean; seconds: number }) {
  const streaming = path.status === 'streaming';
  return (
    <>
      <p className="consensus-path-meta">
        <strong>Path {index + 1}</strong>
        <span>{pathStatusText(path.status)}</span>
        <span>
          {count.format(path.generatedTokens)} {path.generatedTokens === 1 ? 'token' : 'tokens'}
        </span>
        <span>confidence {formatConfidence(path.confidence)}</span>
        <span>
          answer{' '}
          {path.final === null ? (
            '—'
          ) : (
            <MathView tex={path.final} display={false} source={path.final} />
          )}
        </span>
        {winner && <span className="consensus-badge">with the majority</span>}
      </p>
      {path.status === 'waiting' ? (
        <p className="muted">Waiting to start.</p>
      ) : (
        path.thinking !== null && (
          <ThinkingBlock
            thinking={path.thinking}
            closed={path.thinkingClosed}
            streaming={streaming}
            tokens={path.generatedTokens}
            seconds={seconds}
            cutOff={path.status === 'length'}
            failed={path.status === 'error'}
          />
        )
      )}
      {path.answer && (
        <div className="answer">
          <Markdown text={path.answer} streaming={streaming} />
        </div>
      )}
    </>
  );
}

/**
 * Every sampled path as tabs, open while sampling and collapsed once it ends (a user's toggle wins).
 * Only the selected path's body is rendered, so sixteen streaming paths cost one Markdown view.
 */
function PathTabs({ record, seconds }: { record: ConsensusRecord; seconds: number }) {
  const id = useId();
  const tablist = useRef<HTMLDivElement>(null);
  const [userOpen, setUserOpen] = useState<boolean | null>(null);
  const [picked, setPicked] = useState<number | null>(null);
  const { paths } = record;
  const sampling = record.stop === null;
  const open = userOpen ?? sampling;
  const winners = new Set(winningGroup(record.vote)?.paths ?? []);
  // Until the user picks one: a path being written while sampling, the chosen path after.
  const auto = sampling ? Math.max(0, paths.findIndex((p) => p.status === 'streaming')) : (record.chosenPath ?? 0);
  const selected = Math.min(picked ?? auto, paths.length - 1);
  const path = paths[selected];
  const legend = [
    ...(winners.size > 0 ? ['✓ with the majority'] : []),
    ...(paths.some((p) => p.status === 'streaming') ? ['dashed: still sampling'] : []),
  ];

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = nextTab(e.key, selected, paths.length);
    if (next === null) return;
    e.preventDefault();
    setPicked(next);
    tablist.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[next]?.focus();
  };

  return (
    <section className="consensus-paths" aria-label="Sampled paths">
      <button type="button" className="thinking-toggle consensus-paths-toggle" aria-expanded={open} aria-controls={`${id}-body`} onClick={() => setUserOpen(!open)}>
        <span className="thinking-chevron" aria-hidden="true" />
        {paths.length} {paths.length === 1 ? 'path' : 'paths'}
        {winners.size > 0 && <span className="muted"> · {winners.size} with the majority</span>}
      </button>
      <div id={`${id}-body`} hidden={!open}>
        {open && path && (
          <>
            <div ref={tablist} role="tablist" aria-label="Paths" className="consensus-tabs" onKeyDown={onKeyDown}>
              {paths.map((p, i) => (
                <button
                  key={i}
                  type="button"
                  role="tab"
                  id={`${id}-tab-${i}`}
                  className="consensus-tab"
                  aria-selected={i === selected}
                  aria-controls={`${id}-panel`}
                  aria-label={tabLabel(p, i, winners.has(i))}
                  tabIndex={i === selected ? 0 : -1}
                  data-status={p.status}
                  data-winner={winners.has(i) || undefined}
                  onClick={() => setPicked(i)}
                >
                  {i + 1}
                </button>
              ))}
            </div>
            {/* The marks' key, for sighted readers; each tab's label says it in words. */}
            {legend.length > 0 && (
              <p className="consensus-legend muted" aria-hidden="true">
                {legend.join(' · ')}
              </p>
            )}
            <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${selected}`} className="consensus-panel-body" tabIndex={0}>
              <PathBody key={selected} path={path} index={selected} winner={winners.has(selected)} seconds={seconds} />
            </div>
          </>
        )}
      </div>
    </section>
  );
}

export interface ConsensusViewProps {
  record: ConsensusRecord;
  /** How long the reply has run: the paths are sampled side by side, so it is each path's time too. */
  seconds: number;
  /** The message's own body: the chosen path's thinking and answer. */
  children: ReactNode;
}

/** A consensus reply: the vote's result, the chosen path as the message's body, then every path. */
export function ConsensusView({ record, seconds, children }: ConsensusViewProps) {
  return (
    <div className="consensus">
      <ConsensusSummary record={record} />
      {record.stop !== null && record.chosenPath !== null && (
        <p className="consensus-chosen muted">
          Path {record.chosenPath + 1}
          {record.vote?.winner !== null && record.vote?.winner !== undefined ? ', from the majority,' : ', the surest one (no answer won),'} is shown as the reply:
        </p>
      )}
      {children}
      {record.paths.length > 0 && <PathTabs record={record} seconds={seconds} />}
    </div>
  );
}
