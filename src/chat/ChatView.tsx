import { useState } from 'react';
import { CATALOG } from '../models/catalog';
import { remoteModelTag, serverContext, useModelStore } from '../models/model-store';
import { useChatStore } from './chat-store';
import { Composer } from './Composer';
import { checkContext } from './context-budget';
import { MessageView } from './MessageView';
import { SettingsPanel } from './SettingsPanel';
import { useFollowScroll } from './use-follow-scroll';
import './chat.css';

const DEFAULT_CONTEXT = 32_768;

function Problems() {
  const problems = useChatStore((s) => s.problems);
  const dismiss = useChatStore((s) => s.dismissProblem);
  if (problems.length === 0) return null;
  return (
    <div className="problems" role="alert">
      {problems.map((p, i) => (
        <p key={i}>
          {p}{' '}
          <button type="button" className="button small" onClick={() => dismiss(i)}>
            Dismiss
          </button>
        </p>
      ))}
    </div>
  );
}

export function ChatView({ onPickModel }: { onPickModel(): void }) {
  const messages = useChatStore((s) => s.conversation.messages);
  const settings = useChatStore((s) => s.conversation.settings);
  const busy = useChatStore((s) => s.generatingId !== null);
  const send = useChatStore((s) => s.send);
  const stop = useChatStore((s) => s.stop);
  const newChat = useChatStore((s) => s.newChat);
  const dropOldestTurns = useChatStore((s) => s.dropOldestTurns);
  const load = useModelStore((s) => s.load);
  const { scrollRef, atBottom, jumpToLatest } = useFollowScroll(messages);
  const [showSettings, setShowSettings] = useState(false);
  const [draft, setDraft] = useState('');
  const [sendAnyway, setSendAnyway] = useState(false);

  const ready = load.status === 'ready' || load.status === 'remote';
  // A server's replies are tagged with the model's name and the engine ("server" as the device): never its URL.
  const model =
    load.status === 'ready'
      ? { repo: load.target.repo, dtype: load.info.dtype, device: load.info.device }
      : load.status === 'remote'
        ? remoteModelTag(load.server)
        : null;
  // The model's own context: the catalog's for a local model, the one a connected server reported.
  const contextLength =
    load.status === 'ready'
      ? (CATALOG.find((m) => m.repo === load.target.repo)?.contextLength ?? DEFAULT_CONTEXT)
      : (serverContext({ load })?.tokens ?? DEFAULT_CONTEXT);
  const context = checkContext(messages, draft, contextLength, settings.maxNewTokens);
  const blocked = context.tight && messages.length > 0 && !sendAnyway;

  return (
    <>
      <div className="scroll" ref={scrollRef}>
        <div className="column messages" role="log" aria-label="Conversation" aria-live="off">
          <div className="chat-tools">
            <button type="button" className="button small" aria-expanded={showSettings} onClick={() => setShowSettings((v) => !v)}>
              ⚙ Settings
            </button>
          </div>
          {showSettings && <SettingsPanel onClose={() => setShowSettings(false)} />}
          <Problems />
          {messages.length === 0 ? (
            <div className="empty">
              <h2>Ready when you are.</h2>
              <p className="muted">
                The model thinks out loud before it answers. Maths works best when you ask for the final answer in a box.
              </p>
            </div>
          ) : (
            messages.map((m) => <MessageView key={m.id} message={m} model={model} />)
          )}
        </div>
      </div>
      {!atBottom && (
        <button type="button" className="button jump" onClick={jumpToLatest}>
          ↓ Jump to latest
        </button>
      )}
      <div className="composer-wrap">
        {blocked && (
          <div className="context-warning" role="alert" data-testid="context-warning">
            <p>
              This conversation is near the model’s {contextLength.toLocaleString()}-token context: about {Math.max(0, context.room).toLocaleString()}{' '}
              tokens are left for the reply. Start a new chat, or drop the oldest turns to make room.
            </p>
            <div className="row">
              <button type="button" className="button" onClick={newChat}>
                New chat
              </button>
              <button type="button" className="button" onClick={() => dropOldestTurns(1)}>
                Drop oldest turn
              </button>
              <button type="button" className="button" onClick={() => setSendAnyway(true)}>
                Send anyway
              </button>
            </div>
          </div>
        )}
        {ready ? (
          <Composer
            busy={busy}
            disabled={blocked}
            onDraft={setDraft}
            onSend={(text) => {
              setSendAnyway(false);
              void send(text, model);
            }}
            onStop={() => void stop()}
          />
        ) : (
          <div className="no-model">
            <p className="muted">Load a model to continue this chat.</p>
            <button type="button" className="button primary" onClick={onPickModel}>
              Choose a model
            </button>
          </div>
        )}
      </div>
    </>
  );
}
