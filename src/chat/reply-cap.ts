/*
 * The app caps a reply's length at what the loaded model fits on this device (src/models/memory-fit.ts):
 * the fitted context holds the prompt and the reply together, so the reply gets what is left after the
 * prompt. Custom models have no memory facts and stay uncapped (a null context). A connected server's
 * replies are capped the same way at the context it reports.
 */

/** Room kept for the prompt however short it is: the chat template, the question and the maths directive. */
export const PROMPT_ALLOWANCE = 1024;
/** The cap never goes below this: the context is an estimate, and a reply cut to nothing helps nobody. */
export const MIN_REPLY_TOKENS = 256;

const count = new Intl.NumberFormat('en');

/** The most tokens a reply may have: the fitted context less the prompt (at least PROMPT_ALLOWANCE); null is no cap. */
export function replyCap(fittedContext: number | null, promptTokens = 0): number | null {
  if (fittedContext === null) return null;
  return Math.max(MIN_REPLY_TOKENS, fittedContext - Math.max(PROMPT_ALLOWANCE, promptTokens));
}

/** The maxNewTokens a request carries: the user's setting, or the cap where that is lower. */
export function cappedMaxNewTokens(setting: number, cap: number | null): number {
  return cap === null ? setting : Math.min(setting, cap);
}

/**
 * The settings panel's line on the cap, for a short conversation (longer ones leave the reply less):
 * the context fitted on this device by the memory estimate, or, with `serverSource`, the context a
 * connected server reported and where it comes from (src/remote/server-limits.ts).
 */
export function capNote(context: number, serverSource?: string): string {
  const cap = count.format(replyCap(context) ?? 0);
  const k = Math.round(context / 1024);
  const why = serverSource
    ? `: the server’s context is ${k}k tokens (${serverSource})`
    : ` on this device: about ${k}k tokens fit in its memory (an estimate)`;
  return `Capped at ${cap}${why}, and the conversation so far takes some of them.`;
}
