import { useChatStore } from '../chat/chat-store';
import { useModelStore } from '../models/model-store';
import { OfflineIndicator } from '../pwa/OfflineIndicator';
import { PRESETS } from '../remote/presets';
import { ShareButton } from '../share/ShareButton';

export function TopBar({ onMenu }: { onMenu(): void }) {
  const load = useModelStore((s) => s.load);
  const unloadModel = useModelStore((s) => s.unloadModel);
  const busy = useChatStore((s) => s.generatingId !== null);
  const speed = useChatStore((s) => {
    const live = s.conversation.messages.find((m) => m.id === s.generatingId);
    return live ? live.tokensPerSecond : null;
  });

  return (
    <header className="topbar" data-generating={busy ? '' : undefined}>
      <button type="button" className="button menu" onClick={onMenu} aria-label="Open conversations">
        ☰
      </button>
      {load.status === 'ready' ? (
        <div className="model-chip" data-testid="model-chip" data-kv-cache={load.info.kvCache}>
          <strong>{load.target.name}</strong>
          <span className="badge dtype">{load.info.dtype}</span>
          <span className="badge" data-testid="device-badge">
            {load.info.device === 'webgpu' ? (
              'WebGPU'
            ) : (
              <>
                WASM (CPU)<span className="badge-detail"> · {load.info.threads === 1 ? '1 thread' : `${load.info.threads} threads`}</span>
              </>
            )}
          </span>
          <button type="button" className="button small" onClick={() => void unloadModel()} disabled={busy}>
            Change model
          </button>
        </div>
      ) : load.status === 'remote' ? (
        <div className="model-chip" data-testid="model-chip" data-remote="">
          <strong>{load.server.model}</strong>
          <span className="badge" data-testid="device-badge">
            <span className="badge-detail">Server · </span>
            {PRESETS[load.server.preset].label}
          </span>
          <button type="button" className="button small" onClick={() => void unloadModel()} disabled={busy}>
            Change model
          </button>
        </div>
      ) : (
        <div className="model-chip muted">No model loaded</div>
      )}
      {speed !== null && (
        <span className="speed" aria-live="off" data-testid="live-speed">
          {speed.toFixed(1)} tok/s
        </span>
      )}
      <ShareButton />
      <OfflineIndicator />
    </header>
  );
}
