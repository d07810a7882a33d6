// A server reply's model tag must pass the transcript checks a share link is held to, and name the
// model and the engine only.
import { describe, expect, it } from 'vitest';
import { blankMessage, type ChatMessage } from '../chat/conversation';
import { remoteModelTag } from '../models/model-store';
import { toTranscript } from '../share/convert';
import { validateTranscript } from '../share/validate';

function exchange(model: ChatMessage['model']): ChatMessage[] {
  const reply: ChatMessage = {
    ...blankMessage('assistant', 'Okay.</think>The answer is 4.'),
    thinking: 'Okay.',
    thinkingClosed: true,
    answer: 'The answer is 4.',
    status: 'done',
    model,
  };
  return [blankMessage('user', 'What is 2 + 2?'), reply];
}

describe('remoteModelTag', () => {
  it.each([
    ['vllm', 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B', 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B'],
    ['ollama', 'deepseek-r1:32b', 'deepseek-r1-32b'],
    ['llama-server', '/models/DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf', 'models/DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf'],
    ['deepseek', 'deepseek-reasoner', 'deepseek-reasoner'],
    ['lmstudio', 'a/b/c d', 'a-b/c-d'],
  ] as const)('%s %s → %s, valid in a transcript', (preset, model, repo) => {
    const tag = remoteModelTag({ preset, baseUrl: 'https://gpu.example:8443', model });
    expect(tag).toEqual({ repo, dtype: preset, device: 'server' });
    const t = toTranscript(exchange(tag), { includeThinking: true, exchange: null, now: 1 });
    expect(validateTranscript(t)).toEqual(t);
    expect(JSON.stringify(t)).not.toContain('gpu.example');
  });
});
