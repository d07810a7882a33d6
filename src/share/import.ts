// Importing a shared transcript into the user's own chats. The chat layer owns conversations; this
// module only converts and hands over, through an adapter, so it stays independent of storage.

import type { ChatMessage } from '../chat/chat-store';
import { toChatMessages } from './convert.ts';
import type { Transcript } from './transcript.ts';

export interface ImportTarget {
  /** True while a reply streams: replacing the open conversation then would race it. */
  isBusy(): boolean;
  /** Adds the conversation to the user's chats, saves it, and opens it. */
  importConversation(conversation: { title: string; messages: ChatMessage[] }): void | Promise<void>;
}

export type ImportResult = { ok: true } | { ok: false; reason: string };

export async function importTranscript(t: Transcript, target: ImportTarget): Promise<ImportResult> {
  if (target.isBusy()) return { ok: false, reason: 'A reply is still being written. Stop it or wait for it to finish, then import.' };
  await target.importConversation({ title: t.title, messages: toChatMessages(t) });
  return { ok: true };
}
