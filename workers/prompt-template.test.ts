// The prompt the app sends, tokenized with whichever chat template the repo ships, is token for token
// what DeepSeek-R1's current template makes of the same conversation with the earlier reasoning left in:
// the template drops it, and so do we; and it always ends inside the thinking (`<｜Assistant｜><think>\n`).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer, type Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixtures } from '../tools/fixture/generate.ts';
import { toTurns } from '../src/chat/prompt.ts';
import { forceThinking, promptIds } from './chat-prompt.ts';
import { R1_CHAT_TEMPLATE } from './r1-chat-template.ts';

/** The template before DeepSeek's February 2025 change: the generation prompt stops at `<｜Assistant｜>`. */
const OLD_TEMPLATE = R1_CHAT_TEMPLATE.replace("{{'<｜Assistant｜><think>\\n'}}", "{{'<｜Assistant｜>'}}");

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

/** What the current R1 template renders, tokenized. */
const reference = (messages: Array<{ role: string; content: string }>) =>
  Array.from(
    (tokenizer.apply_chat_template(messages, { add_generation_prompt: true, return_dict: true, chat_template: R1_CHAT_TEMPLATE }) as { input_ids: Tensor })
      .input_ids.data,
    Number,
  );

/** promptIds with the tokenizer's template replaced (null: the repo ships none). */
function sentWith(template: string | null, messages: Parameters<typeof toTurns>[0]): number[] {
  const own = tokenizer.chat_template;
  tokenizer.chat_template = template;
  try {
    return promptIds(tokenizer, toTurns(messages));
  } finally {
    tokenizer.chat_template = own;
  }
}

const conversation = [
  { role: 'user' as const, content: 'What is 2 + 3?' },
  { role: 'assistant' as const, content: 'Adding them gives 5.\n</think>\n\nThe sum is $5$.' },
  { role: 'user' as const, content: 'And 2 + 4?' },
  { role: 'assistant' as const, content: 'Six, since 4 = 3 + 1.\n</think>\n\n**Answer:** $\\boxed{6}$' },
  { role: 'user' as const, content: 'Thanks! One more: 3 + 4?' },
];

describe('prompt ids', () => {
  it('the old template really lacks the forced thinking (the case this guards)', () => {
    expect(OLD_TEMPLATE).not.toBe(R1_CHAT_TEMPLATE);
    const rendered = tokenizer.apply_chat_template(conversation, { add_generation_prompt: true, tokenize: false, chat_template: OLD_TEMPLATE }) as string;
    expect(rendered.endsWith('<｜Assistant｜>')).toBe(true);
  });

  it.each([
    ['the new template', R1_CHAT_TEMPLATE],
    ['the old template', OLD_TEMPLATE],
    ['no template (built-in R1)', null],
  ])('with %s: multi-turn ids match the R1 template token for token, reasoning dropped, ending in <think>\\n', (_label, template) => {
    const sent = sentWith(template, conversation);
    expect(sent).toEqual(reference(conversation));
    const text = tokenizer.decode(sent, { skip_special_tokens: false });
    expect(text.startsWith('<｜begin▁of▁sentence｜><｜User｜>What is 2 + 3?')).toBe(true);
    expect(text).not.toContain('Adding them gives 5.');
    expect(text).not.toContain('since 4 = 3 + 1');
    expect(text).toContain('<｜Assistant｜>\n\nThe sum is $5$.<｜end▁of▁sentence｜><｜User｜>And 2 + 4?');
    expect(text.endsWith('<｜Assistant｜><think>\n')).toBe(true);
  });

  it.each([
    ['the new template', R1_CHAT_TEMPLATE],
    ['the old template', OLD_TEMPLATE],
    ['no template', null],
  ])('with %s: a first question', (_label, template) => {
    const first = [{ role: 'user' as const, content: 'Hi' }];
    const sent = sentWith(template, first);
    expect(sent).toEqual(reference(first));
    expect(tokenizer.decode(sent.slice(-3), { skip_special_tokens: false })).toBe('<｜Assistant｜><think>\n');
  });
});

describe('forceThinking', () => {
  it('completes whatever part of <think>\\n a template left out, once', () => {
    expect(forceThinking('x<｜Assistant｜>', true)).toBe('x<｜Assistant｜><think>\n');
    expect(forceThinking('x<｜Assistant｜><think>', true)).toBe('x<｜Assistant｜><think>\n');
    expect(forceThinking('x<｜Assistant｜><think>\n', true)).toBe('x<｜Assistant｜><think>\n');
  });

  it('leaves the template of a model without <think> alone', () => {
    expect(forceThinking('<|im_start|>assistant\n', false)).toBe('<|im_start|>assistant\n');
  });
});
