// The prompt the app sends for a multi-turn chat, tokenized with the R1 chat template (the fixture
// carries DeepSeek-R1-Distill-Qwen's template verbatim), is token for token what the template makes
// of the same conversation with the earlier reasoning left in: the template drops it, and so do we.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer, type Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixtures } from '../tools/fixture/generate.ts';
import { toTurns } from '../src/chat/prompt.ts';

let root = '';
let tokenizer: PreTrainedTokenizer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ponder-template-'));
  await generateFixtures(root, { only: ['tiny-r1'] });
  env.localModelPath = root;
  env.allowRemoteModels = false;
  tokenizer = await AutoTokenizer.from_pretrained('ponder-test/tiny-r1');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const ids = (messages: Array<{ role: string; content: string }>) =>
  Array.from((tokenizer.apply_chat_template(messages, { add_generation_prompt: true, return_dict: true }) as { input_ids: Tensor }).input_ids.data, Number);

describe('multi-turn prompt', () => {
  it('sends exactly the token ids the R1 template renders, reasoning of earlier turns dropped', () => {
    const conversation = [
      { role: 'user' as const, content: 'What is 2 + 3?' },
      { role: 'assistant' as const, content: 'Adding them gives 5.\n</think>\n\nThe sum is $5$.' },
      { role: 'user' as const, content: 'And 2 + 4?' },
      { role: 'assistant' as const, content: 'Six, since 4 = 3 + 1.\n</think>\n\n**Answer:** $\\boxed{6}$' },
      { role: 'user' as const, content: 'Thanks! One more: 3 + 4?' },
    ];
    const sent = ids(toTurns(conversation));
    expect(sent).toEqual(ids(conversation));
    const text = tokenizer.decode(sent, { skip_special_tokens: false });
    expect(text).not.toContain('Adding them gives 5.');
    expect(text).not.toContain('since 4 = 3 + 1');
    expect(text.endsWith('<｜Assistant｜><think>\n')).toBe(true);
  });
});
