// Share or export the open conversation, or open a transcript file. A native modal <dialog>: the
// browser keeps focus inside and closes it on Escape; focus returns to the button that opened it.

import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ChatMessage } from '../chat/chat-store';
import { exchanges, toTranscript } from './convert.ts';
import { canShareFile, download, shareFile, shareLink, type Delivery } from './deliver.ts';
import { fileName, readTranscriptFile, toJson } from './files.ts';
import { encodeForLink, pathCount } from './link.ts';
import { toMarkdown } from './markdown.ts';
import { openTranscriptFile, shareUrl } from './shared-source.ts';
import { LIMITS, ShareLinkError, type Transcript } from './transcript.ts';
import './share.css';

const DELIVERY_NOTE: Record<Delivery, string> = {
  shared: 'Shared.',
  copied: 'Link copied to the clipboard.',
  downloaded: 'Download started.',
  cancelled: '',
  failed: 'That did not work here; copy the link from the box instead.',
};

async function exportFile(t: Transcript, kind: 'md' | 'html' | 'json'): Promise<File> {
  const name = fileName(t, kind);
  if (kind === 'json') return new File([toJson(t)], name, { type: 'application/json' });
  if (kind === 'md') return new File([toMarkdown(t)], name, { type: 'text/markdown' });
  // Loaded on demand: the static renderer and the style collector are only needed here.
  const [{ toHtml }, { collectStyles }] = await Promise.all([import('./html.ts'), import('./styles.ts')]);
  return new File([toHtml(t, await collectStyles())], name, { type: 'text/html' });
}

interface Link {
  url: string;
  /** What the link holds: `t`, or `t` without its consensus paths' text when that was too long. */
  holds: Transcript;
}

function useLink(t: Transcript | null): Link | null {
  const [link, setLink] = useState<{ t: Transcript; link: Link } | null>(null);
  useEffect(() => {
    if (!t) return;
    let current = true;
    const budget = LIMITS.practicalLinkChars - shareUrl('').length;
    void encodeForLink(t, budget).then(({ transcript, encoded }) => current && setLink({ t, link: { url: shareUrl(encoded), holds: transcript } }));
    return () => {
      current = false;
    };
  }, [t]);
  return link && link.t === t ? link.link : null;
}

const kb = (chars: number) => `${Math.ceil(chars / 1024)} KB`;

function ExportSection({ messages, onNote }: { messages: readonly ChatMessage[]; onNote(note: string): void }) {
  const [scope, setScope] = useState<number | null>(null);
  const [includeThinking, setIncludeThinking] = useState(true);
  const choices = exchanges(messages);
  const transcript = useMemo(() => toTranscript(messages, { includeThinking, exchange: scope }), [messages, includeThinking, scope]);
  const link = useLink(transcript);
  const tooLong = link !== null && link.url.length > LIMITS.practicalLinkChars;
  const jsonFile = useMemo(() => new File([toJson(transcript)], fileName(transcript, 'json'), { type: 'application/json' }), [transcript]);
  const ids = { scope: useId(), thinking: useId(), link: useId() };

  const deliverFile = async (kind: 'md' | 'html' | 'json') => onNote(DELIVERY_NOTE[download(await exportFile(transcript, kind))]);

  return (
    <>
      <fieldset>
        <legend>What to share</legend>
        <label htmlFor={ids.scope}>
          Part
          <select id={ids.scope} value={scope ?? 'all'} onChange={(e) => setScope(e.target.value === 'all' ? null : Number(e.target.value))}>
            <option value="all">The whole conversation</option>
            {choices.map((c) => (
              <option key={c.index} value={c.index}>
                Exchange: {c.question.slice(0, 60)}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={ids.thinking}>
          <input id={ids.thinking} type="checkbox" checked={includeThinking} onChange={(e) => setIncludeThinking(e.target.checked)} />
          Include the model’s thinking
        </label>
      </fieldset>

      <fieldset>
        <legend>Link</legend>
        {link === null ? (
          <p className="hint muted">Packing the transcript…</p>
        ) : tooLong ? (
          <p className="warning" role="status" data-testid="link-too-long">
            As a link this transcript would be {kb(link.url.length)}. Links over {kb(LIMITS.practicalLinkChars)} get cut off by chat apps and mail
            clients, so share it as a file instead{includeThinking ? ', or leave the thinking out to shorten it' : ''}.
          </p>
        ) : (
          <>
            <label htmlFor={ids.link} className="visually-hidden">
              Share link
            </label>
            <input id={ids.link} type="url" readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
            <p className="hint muted">
              {kb(link.url.length)}. The transcript travels inside the link (after the #), so no server ever receives it.
            </p>
            {link.holds.pathsOmitted && (
              <p className="hint muted" data-testid="paths-omitted">
                To keep the link short it leaves out the reasoning of {pathCount(link.holds)} consensus paths (their answers still vote); the files keep
                everything.
              </p>
            )}
            <div className="row">
              <button type="button" className="button primary small" onClick={() => void shareLink(link.url, transcript.title).then((d) => onNote(DELIVERY_NOTE[d]))}>
                {typeof navigator.share === 'function' ? 'Share link…' : 'Copy link'}
              </button>
            </div>
          </>
        )}
      </fieldset>

      <fieldset>
        <legend>File</legend>
        <div className="row">
          <button type="button" className="button small" onClick={() => void deliverFile('html')}>
            Download HTML
          </button>
          <button type="button" className="button small" onClick={() => void deliverFile('md')}>
            Download Markdown
          </button>
          <button type="button" className="button small" onClick={() => void deliverFile('json')}>
            Download JSON
          </button>
          {canShareFile(jsonFile) && (
            <button type="button" className="button small" onClick={() => void shareFile(jsonFile, transcript.title).then((d) => onNote(DELIVERY_NOTE[d]))}>
              Share file…
            </button>
          )}
        </div>
        <p className="hint muted">HTML opens in any browser, offline. JSON can be opened and imported in Ponder.</p>
      </fieldset>
    </>
  );
}

function OpenSection({ onOpened, onNote }: { onOpened(): void; onNote(note: string): void }) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const open = async (file: File | undefined) => {
    if (!file) return;
    try {
      openTranscriptFile(await readTranscriptFile(file), file.name);
      onNote('');
      onOpened();
    } catch (e) {
      setError(e instanceof ShareLinkError ? e.message : 'This file could not be read.');
    }
  };
  return (
    <fieldset>
      <legend>Open a transcript</legend>
      <label htmlFor={id}>Transcript file (.json)</label>
      <input id={id} type="file" accept=".json,application/json" onChange={(e) => void open(e.target.files?.[0])} />
      {error && (
        <p className="warning" role="alert">
          {error}
        </p>
      )}
      <p className="hint muted">It opens read-only; nothing changes until you choose to import it. To open a link, paste it into the address bar.</p>
    </fieldset>
  );
}

export function ShareDialog({ messages, onClose }: { messages: readonly ChatMessage[]; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [note, setNote] = useState('');

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    return () => {
      dialog.close();
      opener?.focus();
    };
  }, []);

  const shareable = messages.some((m) => m.status !== 'streaming');
  return (
    <dialog ref={ref} className="share-dialog" aria-labelledby={titleId} onClose={() => !ref.current?.open && onClose()}>
      <button type="button" className="button small close" onClick={onClose} aria-label="Close">
        ✕
      </button>
      <h2 id={titleId}>Share or open a transcript</h2>
      {shareable ? <ExportSection messages={messages} onNote={setNote} /> : <p className="muted">This chat is empty: there is nothing to share yet.</p>}
      <OpenSection onOpened={onClose} onNote={setNote} />
      <p className="hint" role="status">
        {note}
      </p>
    </dialog>
  );
}
