// The top bar's entry point to sharing, exporting and opening transcripts.

import { useState } from 'react';
import { useChatStore } from '../chat/chat-store';
import { ShareDialog } from './ShareDialog.tsx';

export function ShareButton() {
  const [open, setOpen] = useState(false);
  const messages = useChatStore((s) => s.conversation.messages);
  // Sharing mid-reply would capture half a thought; opening a file is fine any time.
  const busy = useChatStore((s) => s.generatingId !== null);
  // An empty chat has nothing to share, but the same dialog still opens a transcript file.
  const label = messages.length > 0 ? 'Share' : 'Open transcript';
  return (
    <>
      <button type="button" className="button small share-open" aria-haspopup="dialog" onClick={() => setOpen(true)} disabled={busy}>
        {label}
      </button>
      {open && <ShareDialog messages={messages} onClose={() => setOpen(false)} />}
    </>
  );
}
