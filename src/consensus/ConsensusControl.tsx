import './consensus.css';
import { useId, useRef, useState } from 'react';
import { useChatStore } from '../chat/chat-store';
import { settingsLabel } from './describe.ts';
import { DEFAULT_CONSENSUS, MAX_PATHS, MIN_PATHS, type ConsensusMode, type ConsensusSettings, type VoteWeighting } from './types.ts';

interface Choice<T extends string> {
  value: T;
  label: string;
  hint: string;
}

const MODES: readonly Choice<ConsensusMode>[] = [
  { value: 'adaptive', label: 'Adaptive', hint: 'Stop as soon as the vote is decided.' },
  { value: 'fixed', label: 'Fixed', hint: 'Always sample every path.' },
];

const WEIGHTINGS: readonly Choice<VoteWeighting>[] = [
  { value: 'count', label: 'Count each path', hint: 'One path, one vote.' },
  { value: 'confidence', label: 'Weight by confidence', hint: 'Paths the model was surer of count more.' },
];

function Choices<T extends string>({ legend, name, choices, value, onChange }: { legend: string; name: string; choices: readonly Choice<T>[]; value: T; onChange(value: T): void }) {
  return (
    <fieldset className="consensus-choices">
      <legend>{legend}</legend>
      {choices.map((c) => (
        <label key={c.value} className="consensus-choice">
          <input type="radio" name={name} value={c.value} checked={value === c.value} onChange={() => onChange(c.value)} />
          <span>
            {c.label} <span className="muted">{c.hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The composer's consensus switch: off, or up to k sampled paths that vote. A disclosure rather
 * than a floating popover, so it needs no positioning and fits a 360 px phone.
 */
export function ConsensusControl() {
  const settings = useChatStore((s) => s.conversation.settings.consensus);
  const updateSettings = useChatStore((s) => s.updateSettings);
  const id = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  // Turning consensus off and on again brings back the last choices, not the defaults.
  const [last, setLast] = useState<ConsensusSettings>(settings ?? DEFAULT_CONSENSUS);
  const shown = settings ?? last;

  const change = (patch: Partial<ConsensusSettings>) => {
    const next = { ...shown, ...patch };
    setLast(next);
    updateSettings({ consensus: next });
  };
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };

  return (
    <div className="consensus-control">
      <button
        ref={toggle}
        type="button"
        className="button small consensus-toggle"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        data-active={settings !== null || undefined}
        onClick={() => setOpen(!open)}
      >
        {settingsLabel(settings)}
      </button>
      {open && (
        <div id={`${id}-panel`} className="consensus-popover" role="group" aria-label="Consensus settings" onKeyDown={(e) => e.key === 'Escape' && close()}>
          <label className="consensus-switch">
            <input type="checkbox" checked={settings !== null} onChange={(e) => updateSettings({ consensus: e.target.checked ? last : null })} />
            <span>
              Answer by consensus <span className="muted">Sample several reasoning paths; their boxed answers vote.</span>
            </span>
          </label>
          <fieldset className="consensus-options" disabled={settings === null}>
            <div className="consensus-range">
              <label htmlFor={`${id}-k`}>
                Maximum paths <output htmlFor={`${id}-k`}>{shown.maxPaths}</output>
              </label>
              <input
                id={`${id}-k`}
                type="range"
                min={MIN_PATHS}
                max={MAX_PATHS}
                step={1}
                value={shown.maxPaths}
                aria-describedby={`${id}-k-hint`}
                onChange={(e) => change({ maxPaths: Number(e.target.value) })}
              />
              <p id={`${id}-k-hint`} className="hint muted">
                Each path is a full reply, so a question can take up to {shown.maxPaths} times as long.
              </p>
            </div>
            <Choices legend="Mode" name={`${id}-mode`} choices={MODES} value={shown.mode} onChange={(mode) => change({ mode })} />
            <Choices legend="Vote weighting" name={`${id}-weighting`} choices={WEIGHTINGS} value={shown.weighting} onChange={(weighting) => change({ weighting })} />
          </fieldset>
          <button type="button" className="button small" onClick={close}>
            Done
          </button>
        </div>
      )}
    </div>
  );
}
