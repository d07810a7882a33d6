// Chat messages <-> transcripts. Pure: the store and the UI pass messages in.

import type { ChatMessage } from '../chat/chat-store';
import { blankMessage } from '../chat/conversation';
import {
  LIMITS,
  TRANSCRIPT_FORMAT,
  TRANSCRIPT_VERSION,
  type AssistantTurn,
  type ReplyStatus,
  type Transcript,
  type TranscriptTurn,
} from './transcript.ts';

export interface ShareOptions {
  includeThinking: boolean;
  /** Index (in `messages`) of the question whose exchange to share; null shares everything. */
  exchange: number | null;
  now?: number;
}

export interface Exchange {
  /** Index of the user message that starts it. */
  index: number;
  question: string;
}

export function exchanges(messages: readonly ChatMessage[]): Exchange[] {
  return messages.flatMap((m, index) => (m.role === 'user' ? [{ index, question: m.content }] : []));
}

/** A short title from the first question: one line, at most 80 characters. */
export function titleOf(messages: readonly Pick<ChatMessage, 'role' | 'content'>[]): string {
  const first = messages.find((m) => m.role === 'user')?.content.replace(/\s+/g, ' ').trim() ?? '';
  const title = first.length > 80 ? `${first.slice(0, 79)}…` : first;
  return title || 'Ponder conversation';
}

/** A reply still streaming, or cut short by a closed tab, is shared as what it is: stopped early. */
const shareStatus = (status: ChatMessage['status']): ReplyStatus =>
  status === 'streaming' || status === 'interrupted' ? 'stopped' : status;

function assistantTurn(m: ChatMessage, includeThinking: boolean): AssistantTurn {
  // Field by field: only what the format names leaves the app (no ids, versions or worker extras).
  return {
    role: 'assistant',
    thinking: includeThinking ? m.thinking : null,
    thinkingClosed: m.thinkingClosed,
    answer: m.answer,
    status: shareStatus(m.status),
    error: m.error?.message ?? null,
    model: m.model && { repo: m.model.repo, dtype: m.model.dtype, device: m.model.device },
    settings: m.settings && {
      temperature: m.settings.temperature,
      topP: m.settings.topP,
      maxNewTokens: m.settings.maxNewTokens,
      mathDirective: m.settings.mathDirective,
      seed: m.settings.seed,
      thinkingBudget: m.settings.thinkingBudget,
    },
    startedAt: m.startedAt,
    thinkingMs: m.thinkingMs,
    thinkingTokens: m.thinkingTokens,
    generatedTokens: m.generatedTokens,
    stats: m.stats && {
      promptTokens: m.stats.promptTokens,
      generatedTokens: m.stats.generatedTokens,
      timeToFirstTokenMs: m.stats.timeToFirstTokenMs,
      tokensPerSecond: m.stats.tokensPerSecond,
      totalMs: m.stats.totalMs,
    },
  };
}

/** The messages of one exchange: its question and every reply up to the next question. */
function exchangeSlice(messages: readonly ChatMessage[], start: number): readonly ChatMessage[] {
  const next = messages.findIndex((m, i) => i > start && m.role === 'user');
  return messages.slice(start, next < 0 ? undefined : next);
}

export function toTranscript(messages: readonly ChatMessage[], options: ShareOptions): Transcript {
  const chosen = options.exchange === null ? messages : exchangeSlice(messages, options.exchange);
  return {
    format: TRANSCRIPT_FORMAT,
    version: TRANSCRIPT_VERSION,
    title: titleOf(chosen).slice(0, LIMITS.titleChars),
    sharedAt: options.now ?? Date.now(),
    thinkingIncluded: options.includeThinking,
    messages: chosen.map((m): TranscriptTurn => (m.role === 'user' ? { role: 'user', text: m.content } : assistantTurn(m, options.includeThinking))),
  };
}

/**
 * Chat messages for a transcript, so the app's own MessageView renders it and an import continues
 * it. Built on the chat layer's blank message, so fields it adds later get its defaults. The raw
 * content is rebuilt the way the model wrote it (thinking, `</think>`, answer): prompts read that.
 */
export function toChatMessages(t: Transcript): ChatMessage[] {
  return t.messages.map((m): ChatMessage => {
    if (m.role === 'user') return { ...blankMessage('user', m.text), startedAt: t.sharedAt, updatedAt: t.sharedAt };
    const content = m.thinking === null ? m.answer : m.thinkingClosed ? `${m.thinking}</think>${m.answer}` : m.thinking;
    return {
      ...blankMessage('assistant', content),
      thinking: m.thinking,
      answer: m.answer,
      thinkingClosed: m.thinkingClosed,
      status: m.status,
      startedAt: m.startedAt,
      updatedAt: m.startedAt + (m.stats?.totalMs ?? m.thinkingMs ?? 0),
      thinkingMs: m.thinkingMs,
      thinkingTokens: m.thinkingTokens,
      generatedTokens: m.generatedTokens,
      tokensPerSecond: m.stats?.tokensPerSecond ?? 0,
      stats: m.stats,
      error: m.status === 'error' ? { code: 'internal', message: m.error ?? 'This reply failed.' } : null,
      model: m.model,
      settings: m.settings,
    };
  });
}
