import { useEffect, useState } from 'react';
import type { StoredModel } from '../../workers/weights/inventory';
import { formatBytes } from '../util/format';
import { useStorageStore } from './storage-store';
import './storage.css';

function lastUsed(model: StoredModel): string {
  return model.lastUsedAt ? new Date(model.lastUsedAt).toLocaleString() : 'Never loaded';
}

/** Two-step delete: the first press asks, the second (or Cancel) answers; no modal to trap focus. */
function ConfirmButton({ label, confirm, onConfirm, disabled }: { label: string; confirm: string; onConfirm(): void; disabled: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button danger" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={confirm}>
      <span>{confirm}</span>
      <button
        type="button"
        className="button danger"
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Yes, delete
      </button>
      <button type="button" className="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

export function StorageScreen() {
  const models = useStorageStore((s) => s.models);
  const estimate = useStorageStore((s) => s.estimate);
  const persisted = useStorageStore((s) => s.persisted);
  const busy = useStorageStore((s) => s.busy);
  const notice = useStorageStore((s) => s.notice);
  const close = useStorageStore((s) => s.close);
  const refresh = useStorageStore((s) => s.refresh);
  const remove = useStorageStore((s) => s.remove);
  const removeAll = useStorageStore((s) => s.removeAll);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <div className="scroll">
      <div className="column storage" data-testid="storage-screen">
        <div className="storage-head">
          <h1>Storage</h1>
          <button type="button" className="button" onClick={close}>
            Back
          </button>
        </div>
        <p className="muted" data-testid="storage-quota">
          {estimate
            ? `This site uses ${formatBytes(estimate.usage)} of the ${formatBytes(estimate.quota)} the browser allows it (${formatBytes(Math.max(0, estimate.quota - estimate.usage))} available).`
            : 'This browser does not say how much space the site may use.'}
        </p>
        <p className="muted" data-testid="storage-persisted">
          {persisted === true
            ? 'Storage is persistent: the browser will not clear the models to make room.'
            : persisted === false
              ? 'Storage is not persistent: the browser may clear the models when space runs low. Installing Ponder as an app usually makes it persistent.'
              : 'The browser has not said whether it will keep the models.'}
        </p>
        {notice && (
          <p className={notice.kind === 'error' ? 'hint error' : 'hint'} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="storage-notice">
            {notice.text}
          </p>
        )}
        {models.length === 0 ? (
          <p data-testid="storage-empty">No models are stored on this device.</p>
        ) : (
          <>
            <ul className="stored-models" aria-label="Stored models">
              {models.map((m) => (
                <li key={m.id} className="stored-model" data-testid="stored-model" data-model={m.repo}>
                  <div className="stored-model-text">
                    <h2>{m.repo}</h2>
                    <p className="muted numbers">
                      <span data-testid="stored-size">{formatBytes(m.bytes)} on disk</span> ·{' '}
                      <span className={m.complete ? 'state ok' : 'state'} data-testid="stored-state">
                        {m.complete ? 'Complete' : `Partial (${m.files.filter((f) => f.complete).length} of ${m.files.length} files)`}
                      </span>{' '}
                      · Last used: {lastUsed(m)}
                      {m.revision !== 'main' ? ` · revision ${m.revision}` : ''}
                    </p>
                  </div>
                  <ConfirmButton label="Delete" confirm={`Delete ${m.repo}?`} disabled={busy} onConfirm={() => void remove(m.id)} />
                </li>
              ))}
            </ul>
            <div className="row storage-all">
              <ConfirmButton label="Delete all models" confirm="Delete every stored model?" disabled={busy} onConfirm={() => void removeAll()} />
            </div>
          </>
        )}
      </div>
    </div>
  );
}
