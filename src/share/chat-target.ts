// The import adapter over the chat store: the store creates, saves and opens the conversation.

import { useChatStore } from '../chat/chat-store';
import type { ImportTarget } from './import.ts';

export const chatStoreTarget: ImportTarget = {
  isBusy: () => useChatStore.getState().generatingId !== null,
  async importConversation(conversation) {
    await useChatStore.getState().importConversation(conversation);
  },
};
