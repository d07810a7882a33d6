/**
 * The naive baseline: what a streaming chat without incremental rendering does on every update,
 * like the transformers.js DeepSeek-R1 WebGPU demo (marked + MathJax). The whole text of the
 * message is re-parsed with `marked.parse` into HTML, swapped in with innerHTML, and every formula
 * in it is typeset again by KaTeX's auto-render (KaTeX is several times faster than MathJax, so this
 * baseline is the kind one). It gets the same store updates (one per animation frame), the same chat
 * view and the same thinking-block behaviour as the app: thinking shown while open, collapsed (and
 * no longer rendered) once `</think>` arrives, then the answer. Trusted bench text only: no sanitizer.
 */
import renderMathInElement from 'katex/contrib/auto-render';
import { marked } from 'marked';
import { memo, useLayoutEffect, useRef } from 'react';
import type { ChatMessage, ModelTag } from '../../../src/chat/chat-store.ts';
import { MessageView as AppMessageView } from '../../../src/chat/MessageView.tsx';

const DELIMITERS = [
  { left: '$$', right: '$$', display: true },
  { left: '\\[', right: '\\]', display: true },
  { left: '$', right: '$', display: false },
  { left: '\\(', right: '\\)', display: false },
];

function NaiveHtml({ text }: { text: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.innerHTML = marked.parse(text, { async: false, gfm: true });
    renderMathInElement(el, { delimiters: DELIMITERS, throwOnError: false });
  }, [text]);
  return <div ref={ref} className="md" />;
}

function NaiveAssistant({ message }: { message: ChatMessage }) {
  const thinkingOpen = message.thinking !== null && !message.thinkingClosed;
  return (
    <article className="message assistant" aria-label="Assistant" data-status={message.status}>
      {message.thinking !== null && (
        <section className="thinking">
          <p className="thinking-header">{thinkingOpen ? `Thinking… ${message.generatedTokens} tokens` : 'Thought'}</p>
          {thinkingOpen && <NaiveHtml text={message.thinking} />}
        </section>
      )}
      {message.answer && <NaiveHtml text={message.answer} />}
    </article>
  );
}

export const NaiveMessageView = memo(function NaiveMessageView({ message, model }: { message: ChatMessage; model: ModelTag }) {
  return message.role === 'assistant' ? <NaiveAssistant message={message} /> : <AppMessageView message={message} model={model} />;
});
