import { BUILD_ID } from './build-info';
import { promptInstall } from './install';
import { usePwaStore } from './pwa-store';
import './pwa.css';

/** Sidebar footer: install button (or how to install), offline readiness, and the running version. */
export function InstallApp() {
  const offer = usePwaStore((s) => s.installPrompt);
  const installed = usePwaStore((s) => s.installed);
  const offlineReady = usePwaStore((s) => s.offlineReady);

  return (
    <div className="pwa-install">
      {installed ? null : offer ? (
        <button type="button" className="button" onClick={() => void promptInstall()}>
          Install Ponder
        </button>
      ) : (
        <details className="install-help">
          <summary>Install as an app</summary>
          <ul>
            <li>Chrome, Edge: the install icon at the end of the address bar, or the menu → Install Ponder.</li>
            <li>Safari on iPhone or iPad: Share → Add to Home Screen.</li>
            <li>Safari on Mac: File → Add to Dock.</li>
            <li>Firefox on Android: the menu → Install. Firefox on desktop cannot install apps; Ponder still works offline in a tab.</li>
          </ul>
        </details>
      )}
      <p className="muted pwa-meta">
        <span data-testid="app-version">Version {BUILD_ID}</span>
        {offlineReady && <span data-testid="offline-ready"> · Works offline</span>}
      </p>
    </div>
  );
}
