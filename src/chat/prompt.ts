import type { ChatTurn, SamplingOptions } from '../../workers/protocol';

/** The R1 model card's recommendation: temperature 0.6, top-p 0.95, room for long reasoning. */
export const DEFAULT_SAMPLING: SamplingOptions = { temperature: 0.6, topP: 0.95, maxNewTokens: 8192 };

export interface PromptMessage {
  role: 'user' | 'assistant';
  content: string;
}

/**
 * Earlier assistant turns go back without their reasoning, exactly as DeepSeek-R1's own chat
 * template does (`content.split('</think>')[-1]`); doing it here keeps that true for any template.
 */
export function toTurns(messages: readonly PromptMessage[]): ChatTurn[] {
  return messages.map((m) => ({
    role: m.role,
    content: m.role === 'assistant' ? (m.content.split('</think>').at(-1) ?? '').trim() : m.content,
  }));
}
