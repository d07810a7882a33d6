import { useModelStore } from '../models/model-store';
import { useOnline } from './online';
import './pwa.css';

/**
 * Says what the missing network means for the current screen: on the first screen, which models still
 * load; after a failed load, that the model is simply not on this device yet (the worker's error only
 * knows that a download failed).
 */
export function OfflineNotice() {
  const online = useOnline();
  const load = useModelStore((s) => s.load);
  if (online) return null;

  if (load.status === 'error' && load.failure.code === 'network') {
    return (
      <p className="offline-notice" role="alert" data-testid="offline-not-stored">
        You are offline, and {load.target.name} is not stored on this device yet. Connect to the internet to download it;
        models already stored here load without a connection.
      </p>
    );
  }
  if (load.status === 'idle') {
    return (
      <p className="offline-notice" data-testid="offline-hint">
        You are offline. Models already stored on this device load and run as usual; downloading a new one needs a
        connection.
      </p>
    );
  }
  return null;
}
