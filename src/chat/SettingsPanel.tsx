import { useId } from 'react';
import { loadedContext } from '../models/memory-fit';
import { serverContext, useModelStore } from '../models/model-store';
import { uncappedNote } from '../remote/server-limits';
import { useChatStore } from './chat-store';
import { DEFAULT_SETTINGS, MATH_DIRECTIVE } from './conversation';
import { capNote, replyCap } from './reply-cap';

const MAX_CONTEXT = 32_768;

function optionalNumber(value: string): number | null {
  const n = Number(value);
  return value.trim() === '' || !Number.isFinite(n) ? null : Math.max(0, Math.floor(n));
}

/** Generation settings of the open conversation, with the model card's recommended ranges. */
export function SettingsPanel({ onClose }: { onClose(): void }) {
  const settings = useChatStore((s) => s.conversation.settings);
  const update = useChatStore((s) => s.updateSettings);
  const id = useId();
  const outOfRange = settings.temperature < 0.5 || settings.temperature > 0.7;
  // What the loaded model fits on this device (null for a custom model, which stays uncapped), or
  // the context a connected server reported (null where it did not: no cap, and the line says why).
  const fitted = useModelStore(loadedContext);
  const server = useModelStore(serverContext);
  const remotePreset = useModelStore((s) => (s.load.status === 'remote' ? s.load.server.preset : null));
  const context = server?.tokens ?? fitted;
  const cap = replyCap(context);
  const capLine = context !== null ? capNote(context, server?.source) : remotePreset ? uncappedNote(remotePreset) : null;

  return (
    <section className="settings" aria-labelledby={`${id}-title`} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="settings-head">
        <h2 id={`${id}-title`}>Generation settings</h2>
        <button type="button" className="button small" onClick={onClose}>
          Done
        </button>
      </div>
      <p className="muted">These apply to this conversation. Defaults follow the DeepSeek-R1 model card.</p>
      <div className="setting">
        <label htmlFor={`${id}-temp`}>
          Temperature <output htmlFor={`${id}-temp`}>{settings.temperature.toFixed(2)}</output>
        </label>
        <input
          id={`${id}-temp`}
          type="range"
          min={0}
          max={1.2}
          step={0.05}
          value={settings.temperature}
          onChange={(e) => update({ temperature: Number(e.target.value) })}
          aria-describedby={`${id}-temp-hint`}
        />
        <p id={`${id}-temp-hint`} className={outOfRange ? 'hint warn' : 'hint muted'}>
          Recommended 0.5–0.7 (0.6). Lower values make R1 models repeat themselves endlessly; higher ones ramble. 0 is greedy.
        </p>
      </div>
      <div className="setting">
        <label htmlFor={`${id}-topp`}>
          Top-p <output htmlFor={`${id}-topp`}>{settings.topP.toFixed(2)}</output>
        </label>
        <input id={`${id}-topp`} type="range" min={0.5} max={1} step={0.01} value={settings.topP} onChange={(e) => update({ topP: Number(e.target.value) })} />
        <p className="hint muted">Recommended 0.95: sample only from the tokens making up 95% of the probability.</p>
      </div>
      <div className="setting">
        <label htmlFor={`${id}-max`}>Maximum reply length (tokens)</label>
        <input
          id={`${id}-max`}
          type="number"
          min={256}
          max={MAX_CONTEXT}
          step={256}
          value={settings.maxNewTokens}
          onChange={(e) => update({ maxNewTokens: Math.min(MAX_CONTEXT, Math.max(1, Math.floor(Number(e.target.value) || DEFAULT_SETTINGS.maxNewTokens))) })}
          aria-describedby={capLine !== null ? `${id}-max-hint ${id}-max-cap` : `${id}-max-hint`}
        />
        <p id={`${id}-max-hint`} className="hint muted">
          Hard problems need 10,000–25,000 thinking tokens; the model's limit is 32,768.
        </p>
        {capLine !== null && (
          <p id={`${id}-max-cap`} className={cap !== null && settings.maxNewTokens > cap ? 'hint warn' : 'hint muted'} data-testid="reply-cap">
            {capLine}
          </p>
        )}
      </div>
      <div className="setting">
        <label htmlFor={`${id}-budget`}>Thinking budget (tokens, optional)</label>
        <input
          id={`${id}-budget`}
          type="number"
          min={1}
          placeholder="No limit"
          value={settings.thinkingBudget ?? ''}
          onChange={(e) => update({ thinkingBudget: optionalNumber(e.target.value) })}
        />
        <p className="hint muted">When reached, Ponder ends the thinking and the model answers with what it has.</p>
      </div>
      <div className="setting">
        <label htmlFor={`${id}-seed`}>Seed (optional)</label>
        <input
          id={`${id}-seed`}
          type="number"
          min={0}
          placeholder="Random"
          value={settings.seed ?? ''}
          onChange={(e) => update({ seed: optionalNumber(e.target.value) })}
        />
        <p className="hint muted">The same seed and settings give the same reply, for reproducible runs.</p>
      </div>
      <div className="setting checkbox">
        <input id={`${id}-math`} type="checkbox" checked={settings.mathDirective} onChange={(e) => update({ mathDirective: e.target.checked })} />
        <label htmlFor={`${id}-math`}>Ask for step-by-step reasoning and a boxed answer</label>
        <p className="hint muted">Adds “{MATH_DIRECTIVE}” to each question, as the model card advises for maths.</p>
      </div>
      <button type="button" className="button" onClick={() => update({ ...DEFAULT_SETTINGS })}>
        Reset to recommended
      </button>
    </section>
  );
}
