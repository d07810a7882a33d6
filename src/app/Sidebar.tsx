import { useEffect, useRef } from 'react';
import { useChatStore } from '../chat/chat-store';

interface Props {
  open: boolean;
  onClose(): void;
}

export function Sidebar({ open, onClose }: Props) {
  const firstQuestion = useChatStore((s) => s.messages.find((m) => m.role === 'user')?.content ?? null);
  const busy = useChatStore((s) => s.generatingId !== null);
  const newChat = useChatStore((s) => s.newChat);
  const ref = useRef<HTMLElement>(null);

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
      <ul className="conversations" aria-label="Chats">
        <li aria-current="page">{firstQuestion ?? 'New chat'}</li>
      </ul>
      <p className="privacy muted">Runs on this device. Nothing you type leaves your browser.</p>
    </nav>
  );
}
