// A finished assistant turn with plain defaults (test-only); tests override what they exercise.

import type { AssistantTurn } from '../transcript.ts';

export const assistantTurn = (over: Partial<AssistantTurn> = {}): AssistantTurn => ({
  role: 'assistant', thinking: null, thinkingClosed: true, answer: '', status: 'done', error: null, model: null, settings: null,
  startedAt: 1.7e12, thinkingMs: 1000, thinkingTokens: 10, generatedTokens: 20, stats: null, ...over,
});
