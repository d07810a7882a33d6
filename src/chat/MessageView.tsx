import { memo, useState } from 'react';
import { findFinalAnswer } from '../reasoning/answer';
import { AnswerCard, Markdown, ThinkingBlock } from '../render';
import { CopyButton } from '../render/CopyButton';
import { useModelStore } from '../models/model-store';
import { formatSeconds } from '../util/format';
import { useChatStore, type ChatMessage, type ModelTag } from './chat-store';
import { deviceName } from '../share/describe';
import { ConsensusView } from '../consensus/ConsensusView';
import { PRESETS } from '../remote/presets';

const STATUS_NOTE: Partial<Record<ChatMessage['status'], string>> = {
  stopped: 'Stopped.',
  length: 'The reply reached the token limit.',
  interrupted: 'This reply was interrupted: the page closed while it was being written.',
};

const CONTINUABLE: ReadonlySet<ChatMessage['status']> = new Set(['stopped', 'length', 'interrupted']);

function Stats({ message }: { message: ChatMessage }) {
  const { stats, model } = message;
  if (!stats) return null;
  return (
    <p className="stats muted" data-testid="message-stats">
      {stats.tokensPerSecond.toFixed(1)} tok/s · {message.generatedTokens} tokens · first token {formatSeconds(stats.timeToFirstTokenMs)}
      {stats.reusedCacheTokens ? ` (${stats.reusedCacheTokens} cached)` : ''}
      {model ? ` · ${model.dtype} on ${deviceName(model.device)}` : ''}
    </p>
  );
}

function Versions({ message }: { message: ChatMessage }) {
  const showVersion = useChatStore((s) => s.showVersion);
  const busy = useChatStore((s) => s.generatingId !== null);
  const count = message.versions.length + 1;
  if (count === 1) return null;
  const has = (attempt: number) => message.versions.some((v) => v.attempt === attempt);
  return (
    <span className="versions" role="group" aria-label="Reply versions">
      <button
        type="button"
        className="button small"
        aria-label="Previous version"
        disabled={busy || !has(message.attempt - 1)}
        onClick={() => showVersion(message.id, message.attempt - 1)}
      >
        ‹
      </button>
      <span data-testid="version-count">
        {message.attempt} / {count}
      </span>
      <button
        type="button"
        className="button small"
        aria-label="Next version"
        disabled={busy || !has(message.attempt + 1)}
        onClick={() => showVersion(message.id, message.attempt + 1)}
      >
        ›
      </button>
    </span>
  );
}

function AssistantMessage({ message, model }: { message: ChatMessage; model: ModelTag }) {
  const regenerate = useChatStore((s) => s.regenerate);
  const continueReply = useChatStore((s) => s.continueReply);
  const busy = useChatStore((s) => s.generatingId !== null);
  // A connected server that has no documented way to continue a reply (remote/continue-reply.ts) gets no Continue.
  const engineContinues = useModelStore((s) => s.load.status !== 'remote' || PRESETS[s.load.server.preset].continueReply !== null);
  const streaming = message.status === 'streaming';
  const final = findFinalAnswer({ thinking: message.thinking, answer: message.answer });
  const thinkingSeconds = (message.thinkingMs ?? message.updatedAt - message.startedAt) / 1000;
  // The reply's thinking and answer: the chosen path's, for a consensus reply.
  const body = (
    <>
      {/* A reply that failed before thinking anything shows only the error. */}
      {message.thinking !== null && (message.thinking !== '' || message.status !== 'error') && (
        <ThinkingBlock
          thinking={message.thinking}
          closed={message.thinkingClosed}
          streaming={streaming}
          tokens={message.thinkingTokens ?? message.generatedTokens}
          seconds={thinkingSeconds}
          cutOff={message.status === 'length'}
          failed={message.status === 'error'}
          budgetHit={message.stats?.thinkingBudgetHit ?? false}
        />
      )}
      {message.answer && (
        <div className="answer" data-testid="answer">
          <Markdown text={message.answer} streaming={streaming} />
        </div>
      )}
      {/* A consensus reply's answer card is the vote's (ConsensusView). */}
      {final && !streaming && !message.consensus && <AnswerCard latex={final.latex} />}
    </>
  );
  return (
    <article className="message assistant" aria-label="Assistant" data-status={message.status}>
      {message.consensus ? (
        <ConsensusView record={message.consensus} seconds={(message.updatedAt - message.startedAt) / 1000}>
          {body}
        </ConsensusView>
      ) : (
        body
      )}
      {/* A consensus reply shows its sampling progress instead. */}
      {streaming && !message.consensus && message.generatedTokens === 0 && <p className="muted pending">Starting…</p>}
      {/* An end with its own explanation (a server that went away) says that instead of the generic note. */}
      {!message.error && STATUS_NOTE[message.status] && <p className="note muted">{STATUS_NOTE[message.status]}</p>}
      {message.error && (
        <div className="note error" role="alert">
          <p>{message.error.message}</p>
          {message.error.code === 'device-lost' && (
            <button type="button" className="button small" onClick={() => void useModelStore.getState().retry()}>
              Reload the model
            </button>
          )}
          {message.error.detail && (
            <details>
              <summary>Details</summary>
              <pre>{message.error.detail}</pre>
            </details>
          )}
        </div>
      )}
      <Stats message={message} />
      {!streaming && (
        <div className="message-actions">
          <CopyButton text={message.answer || message.content} label="Copy" />
          {model && (
            <button type="button" className="button small" disabled={busy} onClick={() => void regenerate(message.id, model)}>
              ↻ Regenerate
            </button>
          )}
          {/* A consensus reply is its paths and their vote; it can be regenerated, not continued. */}
          {model && engineContinues && CONTINUABLE.has(message.status) && !message.consensus && (
            <button type="button" className="button small" disabled={busy} onClick={() => void continueReply(message.id, model)}>
              Continue
            </button>
          )}
          <Versions message={message} />
        </div>
      )}
    </article>
  );
}

function UserMessage({ message, model }: { message: ChatMessage; model: ModelTag }) {
  const editAndResend = useChatStore((s) => s.editAndResend);
  const deleteTurn = useChatStore((s) => s.deleteTurn);
  const busy = useChatStore((s) => s.generatingId !== null);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(message.content);

  if (editing) {
    return (
      <form
        className="message user editing"
        aria-label="Edit your message"
        onSubmit={(e) => {
          e.preventDefault();
          setEditing(false);
          if (model) void editAndResend(message.id, draft, model);
        }}
      >
        <label htmlFor={`edit-${message.id}`} className="visually-hidden">
          Edit your message
        </label>
        <textarea id={`edit-${message.id}`} value={draft} onChange={(e) => setDraft(e.target.value)} rows={3} />
        <div className="row">
          <button type="submit" className="button primary small" disabled={!model || !draft.trim()}>
            Send
          </button>
          <button type="button" className="button small" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </div>
      </form>
    );
  }
  return (
    <article className="message user" aria-label="You">
      <p>{message.content}</p>
      <div className="message-actions">
        <CopyButton text={message.content} label="Copy" />
        <button
          type="button"
          className="button small"
          disabled={busy || !model}
          onClick={() => {
            setDraft(message.content);
            setEditing(true);
          }}
        >
          Edit
        </button>
        <button type="button" className="button small" disabled={busy} onClick={() => deleteTurn(message.id)}>
          Delete
        </button>
      </div>
    </article>
  );
}

export const MessageView = memo(function MessageView({ message, model }: { message: ChatMessage; model: ModelTag }) {
  return message.role === 'user' ? <UserMessage message={message} model={model} /> : <AssistantMessage message={message} model={model} />;
});
