import { useModelStore } from '../models/model-store';
import { useChatStore } from './chat-store';
import { Composer } from './Composer';
import { MessageView } from './MessageView';
import { useFollowScroll } from './use-follow-scroll';
import './chat.css';

export function ChatView() {
  const messages = useChatStore((s) => s.messages);
  const busy = useChatStore((s) => s.generatingId !== null);
  const send = useChatStore((s) => s.send);
  const stop = useChatStore((s) => s.stop);
  const load = useModelStore((s) => s.load);
  const { scrollRef, atBottom, jumpToLatest } = useFollowScroll(messages);

  const model = load.status === 'ready' ? { repo: load.target.repo, dtype: load.info.dtype, device: load.info.device } : null;

  return (
    <>
      <div className="scroll" ref={scrollRef}>
        <div className="column messages" role="log" aria-label="Conversation" aria-live="off">
          {messages.length === 0 ? (
            <div className="empty">
              <h2>Ready when you are.</h2>
              <p className="muted">
                The model thinks out loud before it answers. Maths works best when you ask for the final answer in a box.
              </p>
            </div>
          ) : (
            messages.map((m) => <MessageView key={m.id} message={m} />)
          )}
        </div>
      </div>
      {!atBottom && (
        <button type="button" className="button jump" onClick={jumpToLatest}>
          ↓ Jump to latest
        </button>
      )}
      <div className="composer-wrap">
        <Composer busy={busy} onSend={(text) => void send(text, model)} onStop={() => void stop()} />
      </div>
    </>
  );
}
