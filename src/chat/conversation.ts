import type { GenerationStats, WorkerFailure } from '../../workers/protocol';

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
}

export const MATH_DIRECTIVE = 'Please reason step by step, and put your final answer within \\boxed{}.';

export const DEFAULT_SETTINGS: ChatSettings = {
  temperature: 0.6,
  topP: 0.95,
  maxNewTokens: 8192,
  mathDirective: true,
  seed: null,
  thinkingBudget: null,
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

/** A reply that was streaming when the page went away is kept, and says it was cut short. */
export function markInterrupted(messages: ChatMessage[]): ChatMessage[] {
  return messages.map((m) => (m.status === 'streaming' ? { ...m, status: 'interrupted' as const } : m));
}
