import type { GenerationStats, WorkerFailure } from '../../workers/protocol';
import type { ConsensusPath, ConsensusRecord, ConsensusSettings } from '../consensus/types';

export type MessageStatus = 'streaming' | 'done' | 'stopped' | 'length' | 'error' | 'interrupted';

export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant';
  /** The user's text, or the model's raw output (thinking, `</think>`, answer). */
  content: string;
  thinking: string | null;
  answer: string;
  thinkingClosed: boolean;
  status: MessageStatus;
  startedAt: number;
  /** When the last tokens arrived; with startedAt it gives the live thinking time. */
  updatedAt: number;
  /** Set when `</think>` arrived: how long and how many tokens the model thought. */
  thinkingMs: number | null;
  thinkingTokens: number | null;
  generatedTokens: number;
  tokensPerSecond: number;
  stats: GenerationStats | null;
  error: WorkerFailure | null;
  model: { repo: string; dtype: string; device: string } | null;
  settings: ChatSettings | null;
  /** Other attempts at this reply (regenerate keeps them); the message itself is the shown one. */
  versions: ChatMessage[];
  /** 1 for the first attempt at a reply, counting up with each regeneration. */
  attempt: number;
  /** A reply sampled along several paths that voted; its content is then the chosen path's. */
  consensus: ConsensusRecord | null;
}

/** Per-conversation generation settings; defaults follow the DeepSeek-R1 model card. */
export interface ChatSettings {
  temperature: number;
  topP: number;
  maxNewTokens: number;
  /** Appends the model card's "reason step by step ... \boxed{}" directive to each question. */
  mathDirective: boolean;
  seed: number | null;
  thinkingBudget: number | null;
  /** Sample several paths and vote on their answers; null answers once. */
  consensus: ConsensusSettings | null;
}

export const MATH_DIRECTIVE = 'Please reason step by step, and put your final answer within \\boxed{}.';

export const DEFAULT_SETTINGS: ChatSettings = {
  temperature: 0.6,
  topP: 0.95,
  maxNewTokens: 8192,
  mathDirective: true,
  seed: null,
  thinkingBudget: null,
  consensus: null,
};

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  settings: ChatSettings;
  messages: ChatMessage[];
}

let seq = 0;
export function newId(prefix: string): string {
  seq += 1;
  return `${prefix}${Date.now().toString(36)}${seq.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export function blankMessage(role: ChatMessage['role'], content: string): ChatMessage {
  const now = Date.now();
  return {
    id: newId('m'),
    role,
    content,
    thinking: null,
    answer: role === 'user' ? content : '',
    thinkingClosed: false,
    status: role === 'user' ? 'done' : 'streaming',
    startedAt: now,
    updatedAt: now,
    thinkingMs: null,
    thinkingTokens: null,
    generatedTokens: 0,
    tokensPerSecond: 0,
    stats: null,
    error: null,
    model: null,
    settings: null,
    versions: [],
    attempt: 1,
    consensus: null,
  };
}

export function newConversation(settings: ChatSettings = DEFAULT_SETTINGS): Conversation {
  const now = Date.now();
  return { id: newId('c'), title: '', createdAt: now, updatedAt: now, settings: { ...settings }, messages: [] };
}

/** A title from the first question: its first line, shortened at a word boundary. */
export function titleFrom(text: string, max = 60): string {
  const line = text.trim().split('\n')[0]?.trim() ?? '';
  if (line.length <= max) return line || 'New chat';
  const cut = line.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** What the model sees for a user turn: the model card asks for instructions in the user turn. */
export function userPrompt(text: string, settings: ChatSettings): string {
  return settings.mathDirective && !text.includes(MATH_DIRECTIVE) ? `${text}\n\n${MATH_DIRECTIVE}` : text;
}

/**
 * A reply that was streaming when the page went away is kept, and says it was cut short. Its
 * consensus paths that were still sampling or queued end as stopped, and the sampling as stopped,
 * so nothing on screen claims to be still running.
 */
export function markInterrupted(messages: ChatMessage[]): ChatMessage[] {
  return messages.map((m) => {
    const consensus = m.consensus && interruptConsensus(m.consensus);
    if (m.status !== 'streaming' && consensus === m.consensus) return m;
    return { ...m, status: m.status === 'streaming' ? 'interrupted' : m.status, consensus };
  });
}

function interruptConsensus(c: ConsensusRecord): ConsensusRecord {
  const running = (p: ConsensusPath) => p.status === 'streaming' || p.status === 'waiting';
  if (c.stop !== null && !c.paths.some(running)) return c;
  return { ...c, stop: c.stop ?? 'stopped', paths: c.paths.map((p) => (running(p) ? { ...p, status: 'stopped' } : p)) };
}
