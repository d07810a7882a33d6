import type { PreTrainedTokenizer } from '@huggingface/transformers';
import type { ChatTurn } from './protocol';
import { R1_CHAT_TEMPLATE } from './r1-chat-template';

const THINK = '<think>';
const BOS = '<｜begin▁of▁sentence｜>';

/**
 * Makes a rendered generation prompt end inside the thinking, as DeepSeek's model card asks: "enforce
 * the model to initiate its response with <think>\n", since otherwise it sometimes skips thinking.
 * The old R1 template (before February 2025, still in onnx-community's 1.5B) ends at `<｜Assistant｜>`;
 * the new one already ends with `<think>\n`. Only for tokenizers that know `<think>`: another model's
 * template is left as it is.
 */
export function forceThinking(rendered: string, knowsThink: boolean): string {
  if (!knowsThink || rendered.endsWith(`${THINK}\n`)) return rendered;
  return rendered.endsWith(THINK) ? `${rendered}\n` : `${rendered}${THINK}\n`;
}

/** Unknown tokens map to nothing, or to the unknown token's id in vocabularies that have one. */
function hasToken(tokenizer: PreTrainedTokenizer, token: string): boolean {
  const id = tokenizer.convert_tokens_to_ids(token) as unknown;
  return typeof id === 'number' && (id !== tokenizer.unk_token_id || token === tokenizer.unk_token);
}

/**
 * The token ids of the prompt for `turns`, ending with `<｜Assistant｜><think>\n` whichever template the
 * repo ships: its own (old or new), or none at all (ONNX Runtime GenAI folders may have no template),
 * in which case R1's own template is used. Earlier assistant turns arrive without their thinking
 * (src/chat/prompt.ts), which both template versions also do.
 */
export function promptIds(tokenizer: PreTrainedTokenizer, turns: readonly ChatTurn[]): number[] {
  const own = tokenizer.chat_template as unknown;
  const builtIn = own === null || own === undefined;
  // A repo without a template may also leave bos_token unset; R1's template starts with it.
  const extra = builtIn && !tokenizer.bos_token && hasToken(tokenizer, BOS) ? { bos_token: BOS } : {};
  const rendered = tokenizer.apply_chat_template(turns as ChatTurn[], {
    add_generation_prompt: true,
    tokenize: false,
    ...(builtIn ? { chat_template: R1_CHAT_TEMPLATE } : {}),
    ...extra,
  }) as string;
  return tokenizer.encode(forceThinking(rendered, hasToken(tokenizer, THINK)), { add_special_tokens: false });
}
