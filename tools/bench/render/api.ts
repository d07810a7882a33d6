/** What the render bench page exposes on `window.renderBench` (tools/bench/render-cost.ts drives it). */
export type Renderer = 'incremental' | 'naive';

/** One store update of the streaming reply, as the page saw it. */
export interface Update {
  /** performance.now() at the update. */
  at: number;
  /** Tokens in the reply after it. */
  tokens: number;
}

export interface RenderBenchApi {
  renderer: Renderer;
  /**
   * Sets the token pieces the fake engine streams for the next reply. With `schedule` (cumulative
   * token counts), it replays that sequence of updates instead: each batch in one task, then waits
   * for the frame in which the store applies it, so the store updates exactly once per entry.
   */
  setTrace(pieces: string[], schedule?: number[]): void;
  /** Starts a new, empty chat (after a warm-up reply). */
  reset(): Promise<void>;
  /** Resolves once the reply has been streamed, stored and painted. */
  done(): Promise<{ deltas: number; streamMs: number }>;
  /** The store updates of the reply since the last setTrace. */
  updates(): Update[];
}

/** The renderer this page was opened with: `?renderer=naive`, else the app's own. */
export function rendererOf(search: string): Renderer {
  return new URLSearchParams(search).get('renderer') === 'naive' ? 'naive' : 'incremental';
}
