import { useChatStore } from '../chat/chat-store';
import { usePwaStore } from './pwa-store';
import { reloadToUpdate } from './register';
import './pwa.css';

/** Offers the waiting version; the live region stays mounted so the offer is announced when it appears. */
export function UpdatePrompt() {
  const updateReady = usePwaStore((s) => s.updateReady);
  const busy = useChatStore((s) => s.generatingId !== null);

  return (
    <div className="pwa-banner" role="status" data-testid="update-prompt">
      {updateReady && (
        <>
          <span>
            A new version of Ponder is ready.
            {busy && ' You can reload once this reply is finished.'}
          </span>
          <button type="button" className="button small primary" disabled={busy} onClick={() => void reloadToUpdate()}>
            Reload to update
          </button>
        </>
      )}
    </div>
  );
}
