import { useState } from 'react';
import { useChatStore } from './chat-store';
import type { ConversationEntry } from './persistence';
import './conversations.css';

function ConversationItem({ entry, active, onOpened }: { entry: ConversationEntry; active: boolean; onOpened(): void }) {
  const open = useChatStore((s) => s.open);
  const rename = useChatStore((s) => s.rename);
  const remove = useChatStore((s) => s.remove);
  const busy = useChatStore((s) => s.generatingId !== null);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(entry.title);
  const title = entry.title || 'New chat';

  if (editing) {
    return (
      <li className="conversation editing">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void rename(entry.id, draft);
            setEditing(false);
          }}
        >
          <label className="visually-hidden" htmlFor={`rename-${entry.id}`}>
            New name for {title}
          </label>
          <input
            id={`rename-${entry.id}`}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
            onBlur={() => setEditing(false)}
            // The rename box replaces the item the user just chose to rename, so focus belongs in it.
            ref={(el) => el?.focus()}
          />
        </form>
      </li>
    );
  }

  return (
    <li className={`conversation${active ? ' active' : ''}`}>
      <button
        type="button"
        className="open"
        aria-current={active ? 'page' : undefined}
        disabled={busy && !active}
        onClick={() => {
          void open(entry.id);
          onOpened();
        }}
      >
        {title}
      </button>
      <span className="actions">
        <button
          type="button"
          aria-label={`Rename ${title}`}
          title="Rename"
          onClick={() => {
            setDraft(entry.title);
            setEditing(true);
          }}
        >
          ✎
        </button>
        <button type="button" aria-label={`Delete ${title}`} title="Delete" disabled={busy && active} onClick={() => void remove(entry.id)}>
          {/* A plain glyph: an emoji bin shows as an empty box where no emoji font is installed. */}
          ✕
        </button>
      </span>
    </li>
  );
}

export function ConversationList({ onOpened }: { onOpened(): void }) {
  const entries = useChatStore((s) => s.entries);
  const activeId = useChatStore((s) => s.conversation.id);
  const query = useChatStore((s) => s.query);
  const hits = useChatStore((s) => s.hits);
  const search = useChatStore((s) => s.search);
  const deleted = useChatStore((s) => s.deleted);
  const undoRemove = useChatStore((s) => s.undoRemove);
  const shown = hits ? entries.filter((e) => hits.includes(e.id)) : entries;

  return (
    <>
      <div className="search">
        <label htmlFor="conversation-search" className="visually-hidden">
          Search conversations
        </label>
        <input
          id="conversation-search"
          type="search"
          placeholder="Search chats"
          value={query}
          onChange={(e) => void search(e.target.value)}
        />
      </div>
      {deleted && (
        <div className="undo" role="status">
          <span>Deleted “{deleted.title || 'New chat'}”.</span>
          <button type="button" className="button small" onClick={() => void undoRemove()}>
            Undo
          </button>
        </div>
      )}
      <ul className="conversations" aria-label="Chats">
        {shown.map((e) => (
          <ConversationItem key={e.id} entry={e} active={e.id === activeId} onOpened={onOpened} />
        ))}
        {shown.length === 0 && <li className="none muted">{hits ? 'No chats match.' : 'Your chats will appear here.'}</li>}
      </ul>
    </>
  );
}
