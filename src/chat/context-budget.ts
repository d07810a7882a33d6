import type { ChatMessage } from './conversation';

/** Characters per token for R1's Qwen tokenizer on English and maths: a deliberately low guess, so warnings come early. */
const CHARS_PER_TOKEN = 3;

/**
 * Estimates the prompt the next message makes, in tokens: the last reply's exact prompt and output
 * counts when known (the worker measured them), plus a character-based guess for the rest.
 */
export function estimatePromptTokens(messages: readonly ChatMessage[], draft: string): number {
  let tokens = Math.ceil(draft.length / CHARS_PER_TOKEN);
  let i = messages.length - 1;
  for (; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'assistant' && m.stats) {
      // The answer goes back without its thinking, so count only the answer's share of the output.
      const answerShare = m.content.length > 0 ? m.answer.length / m.content.length : 1;
      tokens += m.stats.promptTokens + Math.ceil(m.stats.generatedTokens * answerShare);
      break;
    }
    tokens += Math.ceil(m.content.length / CHARS_PER_TOKEN);
  }
  return tokens;
}

export interface ContextCheck {
  promptTokens: number;
  /** Room left for the reply after the prompt. */
  room: number;
  tight: boolean;
}

/** A conversation is tight when the reply would get less than its token limit (or under 1,024 tokens). */
export function checkContext(messages: readonly ChatMessage[], draft: string, contextLength: number, maxNewTokens: number): ContextCheck {
  const promptTokens = estimatePromptTokens(messages, draft);
  const room = contextLength - promptTokens;
  return { promptTokens, room, tight: room < Math.min(maxNewTokens, contextLength / 4) || room < 1024 };
}
