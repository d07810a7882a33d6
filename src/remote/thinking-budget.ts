/**
 * A thinking budget on a server. Where the engine documents a per-request budget it is sent, and the
 * server ends the thinking itself; the client still counts the thinking and closes the stream past the
 * budget, so a server that ignores the field (started without the flag it needs) is held to it too.
 *
 * Read 2026-12-01 through the search index:
 * - vLLM: `thinking_token_budget` at the top level of the request, effective when the server runs with
 *   `--reasoning-config '{"reasoning_start_str": "<think>", "reasoning_end_str": "</think>"}'`
 *   (docs/features/reasoning_outputs.md, "Thinking Budget Control"; a Hugging Face discussion shows the
 *   same flag and field at work). Without that flag a server may refuse the request: it is sent again
 *   without the field.
 * - SGLang: `custom_params.thinking_budget`, enforced when the server runs with
 *   `--enable-strict-thinking` (docs.sglang.io, "Thinking Budget": a grammar-level filter with an exact
 *   per-request budget; the request field as used in published SGLang deployments).
 * - llama-server, Ollama, LM Studio, DeepSeek's API: no per-request thinking budget found.
 */
import type { EnginePreset } from './presets';
import { RemoteError } from './remote-engine';

/** The fields that ask `preset`'s server to end the thinking after `budget` tokens; null where it has none. */
export function serverBudgetFields(preset: EnginePreset, budget: number): Record<string, unknown> | null {
  switch (preset.id) {
    case 'vllm':
      return { thinking_token_budget: budget };
    case 'sglang':
      return { custom_params: { thinking_budget: budget } };
    default:
      return null;
  }
}

/** Whether an error is the server refusing those fields (then the request goes again without them). */
export function refusedBudgetFields(error: unknown): boolean {
  return (
    error instanceof RemoteError &&
    (error.status === 400 || error.status === 422) &&
    /thinking_token_budget|thinking_budget|reasoning[_ -]?config|custom_params/i.test(error.failure.detail ?? error.message)
  );
}

/**
 * Whether the thinking so far is past the budget. With the budget also sent to the server, the server's
 * own cut comes right after the budget's last token, so the client waits one chunk longer before it
 * closes the stream itself.
 */
export function pastBudget(thinkingChunks: number, budget: number | null | undefined, sentToServer: boolean): boolean {
  return !!budget && thinkingChunks >= budget + (sentToServer ? 1 : 0);
}

/** What closes the thinking when the client ends it at the budget, as the local worker does. */
export function closingText(raw: string): string {
  return `${raw.endsWith('\n') ? '' : '\n'}</think>\n\n`;
}
