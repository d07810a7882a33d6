import { useRef, useState, type KeyboardEvent } from 'react';

interface Props {
  busy: boolean;
  onSend(text: string): void;
  onStop(): void;
}

export function Composer({ busy, onSend, onStop }: Props) {
  const [text, setText] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);

  const send = () => {
    if (busy || !text.trim()) return;
    onSend(text);
    setText('');
    ref.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends; Shift+Enter (and IME composition) keep typing.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label htmlFor="composer-input" className="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-input"
        ref={ref}
        rows={1}
        value={text}
        placeholder="Ask a question. Enter to send, Shift+Enter for a new line."
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        autoFocus
      />
      {busy ? (
        <button type="button" className="button stop" onClick={onStop}>
          ■ Stop
        </button>
      ) : (
        <button type="submit" className="button primary" disabled={!text.trim()}>
          Send
        </button>
      )}
    </form>
  );
}
