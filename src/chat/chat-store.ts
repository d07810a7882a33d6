import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { ChatTurn, GenerationStats, SamplingOptions, StopReason, WorkerFailure } from '../../workers/protocol';
import { pathCapacity, sampleConsensus, type PathsEngine } from '../consensus/sample';
import type { ConsensusRecord } from '../consensus/types';
import { InferenceError, type GenerateHandlers } from '../engine/client';
import { inference } from '../engine/instance';
import { loadedContext, pathsContext } from '../models/memory-fit';
import { remoteEngine, serverContext, useModelStore } from '../models/model-store';
import { ReasoningStream } from '../reasoning/parse';
import {
  blankMessage,
  markInterrupted,
  newConversation,
  titleFrom,
  userPrompt,
  type ChatMessage,
  type ChatSettings,
  type Conversation,
} from './conversation';
import { estimatePromptTokens } from './context-budget';
import { createIdbRepo, entryOf, type ConversationEntry, type ConversationRepo } from './persistence';
import { toTurns } from './prompt';
import { cappedMaxNewTokens, replyCap } from './reply-cap';
import { updatePacer } from './update-pacer';

export type { ChatMessage, MessageStatus } from './conversation';

/** The slice of the inference client the store drives; tests hand in a scripted one. */
export interface ReplyEngine {
  generate(
    turns: ChatTurn[],
    options: SamplingOptions,
    handlers: GenerateHandlers,
    continuation?: string,
  ): Promise<{ reason: StopReason; stats: GenerationStats }>;
  interrupt(): Promise<void>;
  /** Present where the engine can sample several paths of one prompt (consensus). */
  generatePaths?: PathsEngine['generatePaths'];
}

export type ModelTag = ChatMessage['model'];

export interface ChatState {
  entries: ConversationEntry[];
  /** Storage problems to tell the user about (unreadable records, failed saves). */
  problems: string[];
  conversation: Conversation;
  generatingId: string | null;
  query: string;
  /** Ids matching the search (titles and content), or null when not searching. */
  hits: string[] | null;
  /** The conversation just deleted, restorable until the next deletion or reload. */
  deleted: Conversation | null;

  init(): Promise<void>;
  newChat(): void;
  open(id: string): Promise<void>;
  rename(id: string, title: string): Promise<void>;
  remove(id: string): Promise<void>;
  undoRemove(): Promise<void>;
  search(query: string): Promise<void>;
  updateSettings(patch: Partial<ChatSettings>): void;
  send(text: string, model: ModelTag): Promise<void>;
  stop(): Promise<void>;
  regenerate(replyId: string, model: ModelTag): Promise<void>;
  showVersion(replyId: string, attempt: number): void;
  editAndResend(userId: string, text: string, model: ModelTag): Promise<void>;
  deleteTurn(userId: string): void;
  continueReply(replyId: string, model: ModelTag): Promise<void>;
  dropOldestTurns(turns: number): void;
  dismissProblem(index: number): void;
  /** Adds a finished conversation (e.g. an imported transcript), saves and opens it; returns its id. */
  importConversation(input: { title: string; messages: ChatMessage[] }): Promise<string | null>;
}

const STATUS_BY_REASON: Record<StopReason, ChatMessage['status']> = { eos: 'done', length: 'length', interrupted: 'stopped', dropped: 'interrupted' };

/** Why a reply whose server went away mid-stream is incomplete, kept on the message beside what arrived. */
export const SERVER_DROPPED: WorkerFailure = {
  code: 'network',
  message: 'The server closed the connection before the reply finished. What arrived is kept: Continue it, or regenerate it.',
};
const SAVE_EVERY_MS = 1000;

function failureOf(error: unknown): WorkerFailure {
  return error instanceof InferenceError ? error.failure : { code: 'internal', message: 'The reply failed unexpectedly.', detail: String(error) };
}

/** The prompt for a reply: every earlier turn, user turns as they were sent, failed replies left out. */
function turnsBefore(messages: readonly ChatMessage[], index: number, settings: ChatSettings): ChatTurn[] {
  return toTurns(
    messages
      .slice(0, index)
      .filter((m) => m.status !== 'error')
      .map((m) => ({ role: m.role, content: m.role === 'user' ? userPrompt(m.content, m.settings ?? settings) : m.content })),
  );
}

function samplingOf(settings: ChatSettings, cap: number | null): SamplingOptions {
  return {
    temperature: settings.temperature,
    topP: settings.topP,
    maxNewTokens: cappedMaxNewTokens(settings.maxNewTokens, cap),
    seed: settings.seed,
    thinkingBudget: settings.thinkingBudget,
  };
}

export interface ChatDeps {
  repo: ConversationRepo;
  engine: () => ReplyEngine;
  /**
   * Tokens of context (prompt and reply) the loaded model fits on this device by the memory estimate,
   * or null where nothing is known (a custom model): replies are capped to what is left after the prompt.
   */
  contextLimit?: () => number | null;
  /** The same across the rows of a batch of consensus paths (which keep their caches per step). */
  pathsContextLimit?: () => number | null;
}

/** The message fields a consensus reply takes from the path it shows. */
function shownFields(record: ConsensusRecord): Partial<ChatMessage> {
  const path = record.chosenPath === null ? null : record.paths[record.chosenPath];
  const spent = record.paths.reduce((sum, p) => sum + p.generatedTokens, 0);
  const base = { consensus: record, generatedTokens: spent };
  if (!path) return base;
  return { ...base, content: path.content, thinking: path.thinking, answer: path.answer, thinkingClosed: path.thinkingClosed };
}

export function createChatStore(deps: ChatDeps): UseBoundStore<StoreApi<ChatState>> {
  const { repo } = deps;

  return create<ChatState>()((set, get) => {
    const report = (problem: string) => set((s) => ({ problems: [...s.problems, problem] }));

    const persist = async (conversation: Conversation) => {
      if (conversation.messages.length === 0) return;
      try {
        await repo.save(conversation);
        set((s) => ({ entries: [entryOf(conversation), ...s.entries.filter((e) => e.id !== conversation.id)] }));
      } catch (error) {
        report(`Saving this conversation failed (${String(error)}). It stays open here; free some storage and it will be saved with the next message.`);
      }
    };

    /** Applies a change to the open conversation and saves it (unless told not to, mid-stream). */
    const change = (fn: (c: Conversation) => Conversation, save = true) => {
      const next = { ...fn(get().conversation), updatedAt: Date.now() };
      set({ conversation: next });
      if (save) void persist(next);
      return next;
    };

    const patchMessage = (id: string, patch: Partial<ChatMessage>, save = true) =>
      change((c) => ({ ...c, messages: c.messages.map((m) => (m.id === id ? { ...m, ...patch } : m)) }), save);

    /**
     * Applies a streaming reply's fields (`fields()`, null while there are none) at the pace updatePacer
     * sets, saving about once a second so a crash or closed tab loses at most that much.
     */
    const streamInto = (replyId: string, fields: () => Partial<ChatMessage> | null) => {
      let lastSave = 0;
      return updatePacer(() => {
        const patch = fields();
        if (!patch) return;
        const now = Date.now();
        const save = now - lastSave >= SAVE_EVERY_MS;
        if (save) lastSave = now;
        patchMessage(replyId, { ...patch, updatedAt: now }, save);
      });
    };

    /** Set by Stop; a consensus reads it to tell the user's stop from its own. */
    let stopRequested = false;

    /** Samples the paths of a consensus reply into `replyId`, voting as they finish. */
    const consensusInto = async (replyId: string, engine: PathsEngine, turns: ChatTurn[], options: SamplingOptions, promptTokens: number) => {
      const settings = get().conversation.settings;
      if (!settings.consensus) return;
      let latest: ConsensusRecord | null = null;
      const batch = streamInto(replyId, () => (latest ? shownFields(latest) : null));
      const { record, error } = await sampleConsensus({
        engine,
        turns,
        options,
        settings: settings.consensus,
        capacity: pathCapacity(deps.pathsContextLimit?.() ?? null, promptTokens, options.maxNewTokens),
        onChange(next) {
          latest = next;
          batch.schedule();
        },
        stopped: () => stopRequested,
      });
      batch.flush();
      const status = record.stop === 'error' ? 'error' : record.stop === 'stopped' ? 'stopped' : 'done';
      patchMessage(replyId, { ...shownFields(record), status, error: error === null ? null : failureOf(error), updatedAt: Date.now() });
    };

    /** Streams a reply into the message `replyId`, which must already be in the conversation. */
    const generateInto = async (replyId: string, continuation?: { raw: string; tokens: number }) => {
      const { conversation } = get();
      const index = conversation.messages.findIndex((m) => m.id === replyId);
      if (index < 0 || get().generatingId) return;
      const settings = conversation.settings;
      // The prompt is what came before (a continued reply's own tokens included): the cache holds it too.
      const promptTokens = estimatePromptTokens(conversation.messages.slice(0, index), '') + (continuation?.tokens ?? 0);
      const cap = replyCap(deps.contextLimit?.() ?? null, promptTokens);
      set({ generatingId: replyId });
      stopRequested = false;

      const engine = deps.engine();
      if (settings.consensus && !continuation && engine.generatePaths) {
        try {
          const paths: PathsEngine = { generatePaths: engine.generatePaths.bind(engine), interrupt: engine.interrupt.bind(engine) };
          await consensusInto(replyId, paths, turnsBefore(conversation.messages, index, settings), samplingOf(settings, cap), promptTokens);
        } finally {
          set({ generatingId: null });
        }
        return;
      }

      // Parsing happens per delta (O(delta)), so the moment `</think>` arrives is exact;
      // the store is updated at the pace updatePacer sets, and saved about once a second for crash safety.
      const stream = new ReasoningStream();
      let raw = continuation?.raw ?? '';
      if (raw) stream.push(raw);
      const base = continuation?.tokens ?? 0;
      let tokens = base;
      let speed = 0;
      let startedAt = Date.now();
      let closedAt: { ms: number; tokens: number } | null = null;
      const batch = streamInto(replyId, () => {
        const snap = stream.snapshot();
        return {
          content: raw,
          thinking: snap.thinking,
          answer: snap.answer,
          thinkingClosed: snap.thinkingClosed,
          generatedTokens: tokens,
          tokensPerSecond: speed,
          ...(closedAt ? { thinkingMs: closedAt.ms, thinkingTokens: closedAt.tokens } : {}),
        };
      });

      try {
        const { reason, stats } = await engine.generate(
          turnsBefore(conversation.messages, index, settings),
          samplingOf(settings, cap),
          {
            onStarted() {
              startedAt = Date.now();
              if (!continuation) patchMessage(replyId, { startedAt, updatedAt: startedAt }, false);
            },
            onDelta(text, generatedTokens, tokensPerSecond) {
              raw += text;
              tokens = base + generatedTokens;
              speed = tokensPerSecond;
              // The count leaves out the `</think>` token itself, so it matches a thinking budget.
              if (stream.push(text).closed) closedAt = { ms: Date.now() - startedAt, tokens: tokens - 1 };
              batch.schedule();
            },
          },
          continuation?.raw,
        );
        stream.finish();
        batch.flush();
        patchMessage(replyId, {
          status: STATUS_BY_REASON[reason],
          ...(reason === 'dropped' ? { error: SERVER_DROPPED } : {}),
          stats,
          generatedTokens: base + stats.generatedTokens,
          tokensPerSecond: stats.tokensPerSecond,
        });
      } catch (error) {
        stream.finish();
        batch.flush();
        patchMessage(replyId, { status: 'error', error: failureOf(error) });
      } finally {
        set({ generatingId: null });
      }
    };

    const freshReply = (model: ModelTag): ChatMessage => ({ ...blankMessage('assistant', ''), model, settings: { ...get().conversation.settings } });

    return {
      entries: [],
      problems: [],
      conversation: newConversation(),
      generatingId: null,
      query: '',
      hits: null,
      deleted: null,

      async init() {
        try {
          const { entries, problems } = await repo.list();
          set((s) => ({ entries, problems: [...s.problems, ...problems] }));
        } catch (error) {
          report(`Your saved conversations could not be read (${String(error)}). New chats still work.`);
        }
      },

      newChat() {
        if (get().generatingId) return;
        set({ conversation: newConversation(get().conversation.settings) });
      },

      async open(id) {
        if (get().generatingId || get().conversation.id === id) return;
        const { conversation, problem } = await repo.load(id);
        if (problem) report(problem);
        if (!conversation) return;
        const messages = markInterrupted(conversation.messages);
        set({ conversation: { ...conversation, messages } });
        // A reply cut off by a crash or a closed tab is saved as interrupted, once.
        if (messages.some((m, i) => m !== conversation.messages[i])) await persist({ ...conversation, messages });
      },

      async rename(id, title) {
        const clean = title.trim();
        if (!clean) return;
        if (get().conversation.id === id) {
          change((c) => ({ ...c, title: clean }));
          return;
        }
        const { conversation } = await repo.load(id);
        if (!conversation) return;
        await persist({ ...conversation, title: clean, updatedAt: Date.now() });
      },

      async remove(id) {
        if (get().generatingId && get().conversation.id === id) return;
        const { conversation } = get().conversation.id === id ? { conversation: get().conversation } : await repo.load(id);
        await repo.remove(id);
        set((s) => ({
          entries: s.entries.filter((e) => e.id !== id),
          deleted: conversation ?? null,
          hits: s.hits?.filter((h) => h !== id) ?? null,
        }));
        if (get().conversation.id === id) set({ conversation: newConversation(get().conversation.settings) });
      },

      async undoRemove() {
        const deleted = get().deleted;
        if (!deleted) return;
        set({ deleted: null });
        await persist(deleted);
      },

      async search(query) {
        set({ query });
        const q = query.trim();
        if (!q) {
          set({ hits: null });
          return;
        }
        const hits = await repo.search(q);
        // A slower, older search must not overwrite the answer to a newer one.
        if (get().query === query) set({ hits });
      },

      updateSettings(patch) {
        change((c) => ({ ...c, settings: { ...c.settings, ...patch } }));
      },

      async send(text, model) {
        const question = text.trim();
        if (!question || get().generatingId) return;
        const user = { ...blankMessage('user', question), settings: { ...get().conversation.settings } };
        const reply = freshReply(model);
        change((c) => ({ ...c, title: c.title || titleFrom(question), messages: [...c.messages, user, reply] }));
        await generateInto(reply.id);
      },

      async stop() {
        if (!get().generatingId) return;
        stopRequested = true;
        await deps.engine().interrupt();
      },

      async regenerate(replyId, model) {
        if (get().generatingId) return;
        const old = get().conversation.messages.find((m) => m.id === replyId && m.role === 'assistant');
        if (!old) return;
        const { versions, ...previous } = old;
        const attempt = 1 + Math.max(old.attempt, ...versions.map((v) => v.attempt));
        const reply: ChatMessage = { ...freshReply(model), id: replyId, attempt, versions: [...versions, { ...previous, versions: [] }] };
        patchMessage(replyId, reply);
        await generateInto(replyId);
      },

      showVersion(replyId, attempt) {
        if (get().generatingId) return;
        const current = get().conversation.messages.find((m) => m.id === replyId);
        const chosen = current?.versions.find((v) => v.attempt === attempt);
        if (!current || !chosen) return;
        const { versions, ...shown } = current;
        // The shown reply and the chosen attempt trade places.
        const rest = versions.map((v) => (v === chosen ? { ...shown, versions: [] } : v));
        patchMessage(replyId, { ...chosen, id: replyId, versions: rest });
      },

      async editAndResend(userId, text, model) {
        const question = text.trim();
        if (!question || get().generatingId) return;
        const index = get().conversation.messages.findIndex((m) => m.id === userId && m.role === 'user');
        if (index < 0) return;
        const reply = freshReply(model);
        change((c) => ({
          ...c,
          title: index === 0 ? titleFrom(question) : c.title,
          messages: [...c.messages.slice(0, index), { ...c.messages[index]!, content: question, answer: question }, reply],
        }));
        await generateInto(reply.id);
      },

      deleteTurn(userId) {
        if (get().generatingId) return;
        change((c) => {
          const index = c.messages.findIndex((m) => m.id === userId);
          if (index < 0) return c;
          const next = c.messages[index + 1];
          const count = next?.role === 'assistant' ? 2 : 1;
          return { ...c, messages: [...c.messages.slice(0, index), ...c.messages.slice(index + count)] };
        });
      },

      async continueReply(replyId, model) {
        if (get().generatingId) return;
        const reply = get().conversation.messages.find((m) => m.id === replyId);
        // A consensus reply is its paths and their vote: continuing one path would leave the vote behind.
        if (!reply || reply.role !== 'assistant' || reply.consensus) return;
        patchMessage(replyId, { status: 'streaming', error: null, model });
        await generateInto(replyId, { raw: reply.content, tokens: reply.generatedTokens });
      },

      dropOldestTurns(turns) {
        if (get().generatingId) return;
        change((c) => {
          let messages = c.messages;
          for (let t = 0; t < turns && messages.length > 0; t++) {
            const count = messages[1]?.role === 'assistant' ? 2 : 1;
            messages = messages.slice(count);
          }
          return { ...c, messages };
        });
      },

      async importConversation({ title, messages }) {
        if (get().generatingId) return null;
        const settings = messages.findLast((m) => m.settings)?.settings ?? get().conversation.settings;
        const conversation = { ...newConversation(settings), title: title.trim() || titleFrom(messages[0]?.content ?? ''), messages };
        set({ conversation });
        await persist(conversation);
        return conversation.id;
      },

      dismissProblem(index) {
        set((s) => ({ problems: s.problems.filter((_, i) => i !== index) }));
      },
    };
  });
}

export const useChatStore = createChatStore({
  repo: createIdbRepo(),
  // A connected server replies while it is connected; the in-browser worker otherwise.
  engine: () => remoteEngine() ?? inference(),
  // A connected server's reported context (null where it said nothing: no cap); the device's fit otherwise.
  contextLimit: () => (remoteEngine() ? (serverContext(useModelStore.getState())?.tokens ?? null) : loadedContext(useModelStore.getState())),
  pathsContextLimit: () => pathsContext(useModelStore.getState()),
});

