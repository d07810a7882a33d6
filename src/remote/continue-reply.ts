/**
 * Continue on a server: the request ends with the cut-off reply as an assistant message, and the
 * server writes on from its end. The reply is in the local raw format (thinking, `</think>`, answer).
 *
 * What each engine does with that message (read 2026-12-01 through the search index):
 * - SGLang, `continue_final_message: true` (python/sglang/srt/entrypoints/openai/serving_chat.py,
 *   `_apply_jinja_template`): the last assistant message is taken out, the rest rendered with the
 *   generation prompt, and the message's text appended to the prompt ids verbatim ('append').
 * - llama-server: "prefill the assistant's response if the last message is an assistant message
 *   (default: prefill enabled)" (`--no-prefill-assistant` turns it off; tools/server utils.hpp):
 *   the text follows the generation prompt ('append').
 * - vLLM, `continue_final_message: true` with `add_generation_prompt: false` (its OpenAI server's
 *   extra parameters): the template renders the message, and transformers' `apply_chat_template`
 *   cuts the render at the message's end, raising "the final message does not appear in the chat"
 *   when the template changed it ('render'). R1's template keeps only what follows `</think>` of an
 *   assistant message, so a message holding `</think>` fails: a continued answer is sent without its
 *   thinking, and a reply cut right at the end of its thinking cannot be continued there.
 * - Ollama, LM Studio and DeepSeek's API: no documented prefill of this kind was found for these
 *   APIs (DeepSeek's "prefix completion" is a beta endpoint not verified for deepseek-reasoner).
 *
 * The R1 generation prompt ends with `<think>\n` (presets' `thinkingPrefilled`), so an appended text
 * starts inside the thinking as the raw reply does; a rendered one opens `<think>` itself.
 */
import { RemoteError } from './remote-engine';
import type { EnginePreset } from './presets';

const CLOSE = '</think>';

export interface ContinuePlan {
  /** The assistant message the server continues. */
  prefix: string;
  /** Where the server's output goes (WireReader's `resume`). */
  resume: 'thinking' | 'answer';
  /** Fields the chat request needs beyond the messages. */
  body: Record<string, unknown>;
}

/** How to ask `preset`'s server to continue `raw`; a RemoteError where it cannot. */
export function continuePlan(preset: EnginePreset, raw: string): ContinuePlan {
  const close = raw.indexOf(CLOSE);
  const resume = close < 0 ? 'thinking' : 'answer';
  const open = preset.thinkingPrefilled ? '' : '<think>\n';
  switch (preset.continueReply) {
    case 'append':
      return { prefix: open + raw, resume, body: preset.id === 'sglang' ? { continue_final_message: true } : {} };
    case 'render': {
      const body = { continue_final_message: true, add_generation_prompt: false };
      if (close < 0) return { prefix: `<think>\n${raw}`, resume, body };
      const answer = raw.slice(close + CLOSE.length);
      if (answer.trim() === '') {
        throw new RemoteError(
          'unsupported',
          `${preset.label} cannot continue a reply that stopped right after its thinking: the model's chat template drops the thinking from the message it would continue. Regenerate the reply instead.`,
        );
      }
      return { prefix: answer, resume, body };
    }
    default:
      throw new RemoteError(
        'unsupported',
        `${preset.label} offers no documented way to continue a reply, so Continue is not available with it. Regenerate the reply, with a larger reply length if it was cut off.`,
      );
  }
}
