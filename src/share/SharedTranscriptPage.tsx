// The read-only view of a shared link or an opened file, shown instead of the app. Decoding failures
// are shown as a reason; the user's own chats are not touched until they choose to import.

import { useEffect, useRef, useState } from 'react';
import { chatStoreTarget } from './chat-target.ts';
import { decodeTranscript } from './codec.ts';
import { importTranscript } from './import.ts';
import { closeShared, type SharedSource } from './shared-source.ts';
import { TranscriptBody } from './TranscriptBody.tsx';
import { ShareLinkError, type Transcript } from './transcript.ts';
import './share.css';

type Loaded = { status: 'decoding' } | { status: 'ok'; transcript: Transcript } | { status: 'error'; reason: string };

function useTranscript(source: SharedSource): Loaded {
  const encoded = source.kind === 'link' ? source.encoded : null;
  const [decoded, setDecoded] = useState<{ encoded: string; result: Loaded } | null>(null);
  useEffect(() => {
    if (encoded === null) return;
    let current = true;
    decodeTranscript(encoded).then(
      (transcript) => current && setDecoded({ encoded, result: { status: 'ok', transcript } }),
      (error: unknown) =>
        current && setDecoded({ encoded, result: { status: 'error', reason: error instanceof ShareLinkError ? error.message : 'This link could not be read.' } }),
    );
    return () => {
      current = false;
    };
  }, [encoded]);
  if (source.kind === 'file') return { status: 'ok', transcript: source.transcript };
  return decoded?.encoded === encoded ? decoded.result : { status: 'decoding' };
}

export function SharedTranscriptPage({ source }: { source: SharedSource }) {
  const loaded = useTranscript(source);
  const [problem, setProblem] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // A screen reader lands on the page's purpose, not in the middle of a long transcript.
  useEffect(() => heading.current?.focus(), [loaded.status]);

  const onImport = async (t: Transcript) => {
    const result = await importTranscript(t, chatStoreTarget);
    if (result.ok) closeShared();
    else setProblem(result.reason);
  };

  return (
    <div className="shared-page">
      <header className="shared-bar">
        <h1 ref={heading} tabIndex={-1} className="shared-title">
          {loaded.status === 'error' ? 'This transcript can’t be opened' : 'Shared transcript'}
          <span className="badge">read-only</span>
        </h1>
        <div className="shared-actions">
          {loaded.status === 'ok' && (
            <button type="button" className="button primary small" onClick={() => void onImport(loaded.transcript)}>
              Import into my chats
            </button>
          )}
          <button type="button" className="button small" onClick={closeShared}>
            {loaded.status === 'ok' ? 'Close' : 'Go to my chats'}
          </button>
        </div>
      </header>
      <div className="scroll">
        {problem && (
          <p className="column shared-error" role="alert">
            {problem}
          </p>
        )}
        {loaded.status === 'decoding' && <p className="column muted">Opening the transcript…</p>}
        {loaded.status === 'error' && (
          <div className="column shared-error" role="alert" data-testid="share-error">
            <p>{loaded.reason}</p>
            <p className="muted">Your own conversations are unchanged.</p>
          </div>
        )}
        {loaded.status === 'ok' && (
          <main>
            <TranscriptBody t={loaded.transcript} live />
          </main>
        )}
      </div>
    </div>
  );
}
