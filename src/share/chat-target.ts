// The import adapter over today's chat store: a new conversation, opened, then saved through the
// store's own rename action (which persists the open conversation). Replace with a store action
// `importConversation` once the chat layer offers one.

import { useChatStore } from '../chat/chat-store';
import { newConversation } from '../chat/conversation';
import type { ImportTarget } from './import.ts';

export const chatStoreTarget: ImportTarget = {
  isBusy: () => useChatStore.getState().generatingId !== null,
  async importConversation({ title, messages }) {
    const { conversation } = useChatStore.getState();
    const imported = { ...newConversation(conversation.settings), title, messages };
    useChatStore.setState({ conversation: imported });
    await useChatStore.getState().rename(imported.id, title);
  },
};
