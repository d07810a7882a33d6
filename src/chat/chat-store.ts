import { create } from 'zustand';
import type { GenerationStats, StopReason, WorkerFailure } from '../../workers/protocol';
import { InferenceError } from '../engine/client';
import { inference } from '../engine/instance';
import { ReasoningStream } from '../reasoning/parse';
import { DEFAULT_SAMPLING, toTurns } from './prompt';

export type MessageStatus = 'streaming' | 'done' | 'stopped' | 'length' | 'error';

export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant';
  /** The user's text, or the model's raw output (thinking, `</think>`, answer). */
  content: string;
  thinking: string | null;
  answer: string;
  thinkingClosed: boolean;
  status: MessageStatus;
  startedAt: number;
  /** When the last tokens arrived; with startedAt it gives the live thinking time. */
  updatedAt: number;
  /** Set when `</think>` arrived: how long and how many tokens the model thought. */
  thinkingMs: number | null;
  thinkingTokens: number | null;
  generatedTokens: number;
  tokensPerSecond: number;
  stats: GenerationStats | null;
  error: WorkerFailure | null;
  model: { repo: string; dtype: string; device: string } | null;
}

interface ChatStore {
  messages: ChatMessage[];
  generatingId: string | null;
  send(text: string, model: ChatMessage['model']): Promise<void>;
  stop(): Promise<void>;
  newChat(): void;
}

const STATUS_BY_REASON: Record<StopReason, MessageStatus> = { eos: 'done', length: 'length', interrupted: 'stopped' };

let seq = 0;
const newId = () => `m${Date.now().toString(36)}${(seq++).toString(36)}`;

function blankMessage(role: ChatMessage['role'], content: string, model: ChatMessage['model']): ChatMessage {
  return {
    id: newId(),
    role,
    content,
    thinking: null,
    answer: role === 'user' ? content : '',
    thinkingClosed: false,
    status: role === 'user' ? 'done' : 'streaming',
    startedAt: Date.now(),
    updatedAt: Date.now(),
    thinkingMs: null,
    thinkingTokens: null,
    generatedTokens: 0,
    tokensPerSecond: 0,
    stats: null,
    error: null,
    model,
  };
}

/** Runs `apply` at most once per animation frame, so rendering never paces decoding. */
function frameBatcher(apply: () => void): { schedule(): void; flush(): void } {
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    apply();
  };
  const onFrame = () => scheduled && flush();
  return {
    schedule() {
      if (scheduled) return;
      scheduled = true;
      // Hidden tabs get no animation frames; a timer keeps the transcript (and its saving) current.
      if (typeof document !== 'undefined' && !document.hidden) requestAnimationFrame(onFrame);
      else setTimeout(onFrame, 100);
    },
    flush,
  };
}

export const useChatStore = create<ChatStore>()((set, get) => {
  const patch = (id: string, change: Partial<ChatMessage>) =>
    set((s) => ({ messages: s.messages.map((m) => (m.id === id ? { ...m, ...change } : m)) }));

  return {
    messages: [],
    generatingId: null,

    async send(text, model) {
      const question = text.trim();
      if (!question || get().generatingId) return;
      const user = blankMessage('user', question, null);
      const reply = blankMessage('assistant', '', model);
      const history = [...get().messages.filter((m) => m.status !== 'error'), user];
      set((s) => ({ messages: [...s.messages, user, reply], generatingId: reply.id }));

      // Parsing happens per delta (O(delta)), so the moment `</think>` arrives is exact;
      // the store is updated once per frame with whatever arrived meanwhile.
      const stream = new ReasoningStream();
      let raw = '';
      let tokens = 0;
      let speed = 0;
      let startedAt = reply.startedAt;
      let closedAt: { ms: number; tokens: number } | null = null;
      const batch = frameBatcher(() => {
        const snap = stream.snapshot();
        patch(reply.id, {
          content: raw,
          thinking: snap.thinking,
          answer: snap.answer,
          thinkingClosed: snap.thinkingClosed,
          generatedTokens: tokens,
          tokensPerSecond: speed,
          updatedAt: Date.now(),
          ...(closedAt ? { thinkingMs: closedAt.ms, thinkingTokens: closedAt.tokens } : {}),
        });
      });

      try {
        const { reason, stats } = await inference().generate(toTurns(history), DEFAULT_SAMPLING, {
          onStarted() {
            startedAt = Date.now();
            patch(reply.id, { startedAt, updatedAt: startedAt });
          },
          onDelta(text, generatedTokens, tokensPerSecond) {
            raw += text;
            tokens = generatedTokens;
            speed = tokensPerSecond;
            if (stream.push(text).closed) closedAt = { ms: Date.now() - startedAt, tokens };
            batch.schedule();
          },
        });
        stream.finish();
        batch.flush();
        patch(reply.id, { status: STATUS_BY_REASON[reason], stats, generatedTokens: stats.generatedTokens, tokensPerSecond: stats.tokensPerSecond });
      } catch (error) {
        stream.finish();
        batch.flush();
        const failure: WorkerFailure =
          error instanceof InferenceError ? error.failure : { code: 'internal', message: 'The reply failed unexpectedly.', detail: String(error) };
        patch(reply.id, { status: 'error', error: failure });
      } finally {
        set({ generatingId: null });
      }
    },

    async stop() {
      if (get().generatingId) await inference().interrupt();
    },

    newChat() {
      if (get().generatingId) return;
      set({ messages: [] });
    },
  };
});
