import { memo } from 'react';
import { findFinalAnswer } from '../reasoning/answer';
import { AnswerCard, Markdown, ThinkingBlock } from '../render';
import { formatSeconds } from '../util/format';
import type { ChatMessage } from './chat-store';

const STATUS_NOTE: Partial<Record<ChatMessage['status'], string>> = {
  stopped: 'Stopped.',
  length: 'The reply reached the token limit.',
};

function Stats({ message }: { message: ChatMessage }) {
  const { stats, model } = message;
  if (!stats) return null;
  return (
    <p className="stats muted" data-testid="message-stats">
      {stats.tokensPerSecond.toFixed(1)} tok/s · {stats.generatedTokens} tokens · first token {formatSeconds(stats.timeToFirstTokenMs)}
      {model ? ` · ${model.dtype} on ${model.device === 'webgpu' ? 'WebGPU' : 'WASM'}` : ''}
    </p>
  );
}

function AssistantMessage({ message }: { message: ChatMessage }) {
  const streaming = message.status === 'streaming';
  const final = findFinalAnswer({ thinking: message.thinking, answer: message.answer });
  const thinkingSeconds = (message.thinkingMs ?? message.updatedAt - message.startedAt) / 1000;
  return (
    <article className="message assistant" aria-label="Assistant" data-status={message.status}>
      {message.thinking !== null && (
        <ThinkingBlock
          thinking={message.thinking}
          closed={message.thinkingClosed}
          streaming={streaming}
          tokens={message.thinkingTokens ?? message.generatedTokens}
          seconds={thinkingSeconds}
          cutOff={!streaming && !message.thinkingClosed}
        />
      )}
      {message.answer && (
        <div className="answer" data-testid="answer">
          <Markdown text={message.answer} streaming={streaming} />
        </div>
      )}
      {final && !streaming && <AnswerCard latex={final.latex} />}
      {streaming && message.generatedTokens === 0 && <p className="muted pending">Starting…</p>}
      {STATUS_NOTE[message.status] && <p className="note muted">{STATUS_NOTE[message.status]}</p>}
      {message.error && (
        <div className="note error" role="alert">
          <p>{message.error.message}</p>
          {message.error.detail && (
            <details>
              <summary>Details</summary>
              <pre>{message.error.detail}</pre>
            </details>
          )}
        </div>
      )}
      <Stats message={message} />
    </article>
  );
}

export const MessageView = memo(function MessageView({ message }: { message: ChatMessage }) {
  if (message.role === 'user') {
    return (
      <article className="message user" aria-label="You">
        <p>{message.content}</p>
      </article>
    );
  }
  return <AssistantMessage message={message} />;
});
