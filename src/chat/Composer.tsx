import { useRef, useState, type KeyboardEvent } from 'react';
import { ConsensusControl } from '../consensus/ConsensusControl';

interface Props {
  busy: boolean;
  /** Sending is held back (e.g. the context is full); typing still works. */
  disabled?: boolean;
  onDraft?(text: string): void;
  onSend(text: string): void;
  onStop(): void;
}

export function Composer({ busy, disabled = false, onDraft, onSend, onStop }: Props) {
  const [text, setTextState] = useState('');
  const setText = (value: string) => {
    setTextState(value);
    onDraft?.(value);
  };
  const ref = useRef<HTMLTextAreaElement>(null);

  const send = () => {
    if (busy || disabled || !text.trim()) return;
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
    <>
      {/* Outside the form: Enter in its controls must not send the message. */}
      <div className="composer-tools">
        <ConsensusControl />
      </div>
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
          <button type="submit" className="button primary" disabled={disabled || !text.trim()}>
            Send
          </button>
        )}
      </form>
    </>
  );
}
