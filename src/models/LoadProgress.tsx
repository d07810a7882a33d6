import { totalProgress, type LoadPhase } from '../../workers/protocol';
import { useStorageStore } from '../storage/storage-store';
import { formatBytes, formatSeconds, percent } from '../util/format';
import { useModelStore } from './model-store';
import './models.css';

const PHASE_TEXT: Record<LoadPhase, string> = {
  resolve: 'Looking up the model files…',
  download: 'Downloading the model (once; it stays on this device)…',
  compile: 'Preparing the model for this device…',
  warmup: 'Compiling GPU shaders and warming up…',
};

/** The answer to navigator.storage.persist(), asked when the download started. */
function PersistenceNote() {
  const persisted = useStorageStore((s) => s.persisted);
  if (persisted === null) return null;
  return (
    <p className="muted" data-testid="load-persisted">
      {persisted
        ? 'Storage is persistent: the browser will keep the model until you delete it.'
        : 'The browser did not make storage persistent, so it may clear the model if space runs low. Installing Ponder as an app usually allows it.'}
    </p>
  );
}

export function LoadProgress() {
  const load = useModelStore((s) => s.load);
  const retry = useModelStore((s) => s.retry);
  const dismiss = useModelStore((s) => s.dismiss);

  if (load.status === 'error') {
    return (
      <div className="scroll">
        <div className="column">
          <section className="load-panel" role="alert" data-testid="load-error">
            <h2>Could not load {load.target.name}</h2>
            <p>{load.failure.message}</p>
            {load.failure.detail && (
              <details>
                <summary>Details</summary>
                <pre className="error-detail">{load.failure.detail}</pre>
              </details>
            )}
            <p className="muted">Anything already downloaded is kept; retrying continues from there.</p>
            <div className="row">
              <button type="button" className="button primary" onClick={() => void retry()}>
                Retry
              </button>
              <button type="button" className="button" onClick={dismiss}>
                Choose another model
              </button>
            </div>
          </section>
        </div>
      </div>
    );
  }
  if (load.status !== 'loading') return null;

  const { loaded, total } = totalProgress(load.files);
  const elapsed = load.updatedAt - load.startedAt;
  const rate = elapsed > 1000 ? loaded / (elapsed / 1000) : 0;
  const eta = rate > 0 && total > loaded ? ((total - loaded) / rate) * 1000 : null;
  const pct = percent(loaded, total);

  return (
    <div className="scroll">
      <div className="column">
        <section className="load-panel" aria-labelledby="load-title" data-testid="load-progress">
          <h2 id="load-title">Loading {load.target.name}</h2>
          <p aria-live="polite" data-testid="load-phase" data-phase={load.phase}>
            {PHASE_TEXT[load.phase]}
          </p>
          {total > 0 && (
            <>
              <progress className="bar" max={100} value={pct} aria-label="Overall download progress" />
              <p className="muted numbers" data-testid="load-overall">
                {formatBytes(loaded)} of {formatBytes(total)} · {pct}%
                {load.phase === 'download' && rate > 0 ? ` · ${formatBytes(rate)}/s` : ''}
                {load.phase === 'download' && eta !== null ? ` · about ${formatSeconds(eta)} left` : ''}
              </p>
              <ul className="files">
                {load.files.map((f) => (
                  <li key={f.path}>
                    <span className="name">{f.path}</span>
                    <progress max={100} value={percent(f.loaded, f.total)} aria-label={`${f.path} progress`} />
                    <span className="muted numbers">
                      {formatBytes(f.loaded)} / {formatBytes(f.total)}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {load.phase === 'download' && <PersistenceNote />}
          {(load.phase === 'compile' || load.phase === 'warmup') && (
            <p className="muted">The first load on a device can take a minute while shaders compile.</p>
          )}
        </section>
      </div>
    </div>
  );
}
