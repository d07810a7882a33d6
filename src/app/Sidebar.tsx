import { useEffect, useRef } from 'react';
import { useChatStore } from '../chat/chat-store';
import { InstallApp } from '../pwa/InstallApp';
import { ConversationList } from '../chat/ConversationList';
import { useModelStore } from '../models/model-store';
import { PRESETS } from '../remote/presets';
import { useStorageStore } from '../storage/storage-store';

interface Props {
  open: boolean;
  onClose(): void;
}

export function Sidebar({ open, onClose }: Props) {
  const busy = useChatStore((s) => s.generatingId !== null);
  const newChat = useChatStore((s) => s.newChat);
  const ref = useRef<HTMLElement>(null);
  // The privacy line must stay true: with a server connected, the questions go to it.
  const server = useModelStore((s) => (s.load.status === 'remote' ? PRESETS[s.load.server.preset].label : null));

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    ref.current?.querySelector('button')?.focus();
    return () => window.removeEventListener('keydown', onKey);
  }, [open, onClose]);

  return (
    <nav ref={ref} className={`sidebar${open ? ' open' : ''}`} aria-label="Conversations">
      <div className="brand">
        <img src="/icon.svg" alt="" />
        Ponder
      </div>
      <button
        type="button"
        className="button"
        onClick={() => {
          newChat();
          onClose();
        }}
        disabled={busy}
      >
        + New chat
      </button>
      <ConversationList onOpened={onClose} />
      <button
        type="button"
        className="button"
        onClick={() => {
          useStorageStore.getState().openScreen();
          onClose();
        }}
      >
        Storage
      </button>
      <InstallApp />
      <p className="privacy muted" data-testid="privacy-line">
        {server
          ? `Connected to a server (${server}): your questions and the conversation go to it. Chats are kept in this browser only.`
          : 'Runs on this device. Nothing you type leaves your browser.'}
      </p>
    </nav>
  );
}
