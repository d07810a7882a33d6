import { useOnline } from './online';
import './pwa.css';

/** "Offline" pill in the top bar; a polite live region, so the change is announced too. */
export function OfflineIndicator() {
  const online = useOnline();
  return (
    <span className="net-status" role="status" data-testid="network-status">
      {!online && (
        <span className="pill" title="No network: stored models and your chats keep working.">
          <span className="dot" aria-hidden="true" />
          Offline
        </span>
      )}
    </span>
  );
}
