// Chat messages <-> transcripts. Pure: the store and the UI pass messages in.

import type { ChatMessage } from '../chat/chat-store';
import { blankMessage } from '../chat/conversation';
import type { ConsensusPath, ConsensusRecord, PathStatus } from '../consensus/types';
import {
  LIMITS,
  TRANSCRIPT_FORMAT,
  type AssistantTurn,
  type ReplyStatus,
  type Transcript,
  type TranscriptConsensus,
  type TranscriptPath,
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

/** A reply or path still running (or queued), or cut short by a closed tab, is shared as what it is: stopped early. */
const shareStatus = (status: ChatMessage['status'] | PathStatus): ReplyStatus =>
  status === 'streaming' || status === 'interrupted' || status === 'waiting' ? 'stopped' : status;

function sharedPath(p: ConsensusPath, includeThinking: boolean): TranscriptPath {
  return {
    thinking: includeThinking ? p.thinking : null,
    thinkingClosed: p.thinkingClosed,
    answer: p.answer,
    status: shareStatus(p.status),
    generatedTokens: p.generatedTokens,
    confidence: p.confidence,
    final: p.final,
    seed: p.seed,
  };
}

function sharedConsensus(c: ConsensusRecord, includeThinking: boolean): TranscriptConsensus {
  const { settings, vote } = c;
  return {
    settings: { maxPaths: settings.maxPaths, mode: settings.mode, weighting: settings.weighting },
    paths: c.paths.map((p) => sharedPath(p, includeThinking)),
    vote: vote && {
      outcome: vote.outcome,
      groups: vote.groups.map((g) => ({ answer: g.answer, paths: [...g.paths], weight: g.weight, share: g.share })),
      winner: vote.winner,
      finished: vote.finished,
      unanswered: vote.unanswered,
      weighting: vote.weighting,
    },
    stop: c.stop,
    certainty: c.certainty,
    chosenPath: c.chosenPath,
  };
}

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
    ...(m.consensus && { consensus: sharedConsensus(m.consensus, includeThinking) }),
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
    // Version 1 unless a reply needs 2 (see transcript.ts), so older Ponders open what they can.
    version: chosen.some((m) => m.consensus) ? 2 : 1,
    title: titleOf(chosen).slice(0, LIMITS.titleChars),
    sharedAt: options.now ?? Date.now(),
    thinkingIncluded: options.includeThinking,
    messages: chosen.map((m): TranscriptTurn => (m.role === 'user' ? { role: 'user', text: m.content } : assistantTurn(m, options.includeThinking))),
  };
}

/** The raw output as the model wrote it (thinking, `</think>`, answer): prompts read that. */
const rawContent = (m: Pick<TranscriptPath, 'thinking' | 'thinkingClosed' | 'answer'>): string =>
  m.thinking === null ? m.answer : m.thinkingClosed ? `${m.thinking}</think>${m.answer}` : m.thinking;

/**
 * The consensus record back. Paths whose text a short link left out (link.ts) keep their votes with
 * empty text, except the chosen one: its text is the reply's own, so nothing of it is lost.
 */
function chatConsensus(t: Transcript, m: AssistantTurn & { consensus: TranscriptConsensus }): ConsensusRecord {
  const c = m.consensus;
  const paths = c.paths.map((p, i): ConsensusPath => {
    const text = t.pathsOmitted && i === c.chosenPath ? { thinking: m.thinking, thinkingClosed: m.thinkingClosed, answer: m.answer } : p;
    return { ...p, ...text, content: rawContent(text) };
  });
  const vote = c.vote && { ...c.vote, groups: c.vote.groups.map((g) => ({ ...g, paths: [...g.paths] })) };
  return { settings: { ...c.settings }, paths, vote, stop: c.stop, certainty: c.certainty, chosenPath: c.chosenPath };
}

/**
 * Chat messages for a transcript, so the app's own MessageView renders it and an import continues
 * it. Built on the chat layer's blank message, so fields it adds later get its defaults.
 */
export function toChatMessages(t: Transcript): ChatMessage[] {
  return t.messages.map((m): ChatMessage => {
    if (m.role === 'user') return { ...blankMessage('user', m.text), startedAt: t.sharedAt, updatedAt: t.sharedAt };
    const consensus = m.consensus ? chatConsensus(t, { ...m, consensus: m.consensus }) : null;
    return {
      ...blankMessage('assistant', rawContent(m)),
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
      settings: m.settings && { ...m.settings, consensus: consensus && { ...consensus.settings } },
      consensus,
    };
  });
}
