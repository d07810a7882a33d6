import type { ChatTurn } from '../../workers/protocol';

export interface PromptMessage {
  role: 'user' | 'assistant';
  content: string;
}

/**
 * Earlier assistant turns go back without their reasoning, exactly as DeepSeek-R1's own chat
 * template does (`content.split('</think>')[-1]`, whitespace kept: trimming would change the
 * tokens); doing it here keeps that true for any template.
 */
export function toTurns(messages: readonly PromptMessage[]): ChatTurn[] {
  return messages.map((m) => ({
    role: m.role,
    content: m.role === 'assistant' ? (m.content.split('</think>').at(-1) ?? '') : m.content,
  }));
}
