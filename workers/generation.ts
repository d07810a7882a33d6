import { DynamicCache, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { selectRows } from './batch-rows';
import { promptIds as chatPromptIds } from './chat-prompt';
import { continuationIds, type ReplyRecord } from './continuation';
import { ExplainedError, failedWhile } from './errors';
import { feed, stepRows } from './forward';
import { IncrementalDecoder } from './incremental-decoder';
import { KvCacheSlot, StaticKvSlot, type KvSlot, type KvSnapshot } from './kv-cache';
import type { KvPlacement } from './kv-placement';
import type { ChunkLimits } from './prefill-chunks';
import { staticKvFor, type StaticKv } from './static-kv';
import { heapKvKind, type HeapKv } from './wasm-heap/heap-kv';
import type { HeapTensor } from './wasm-heap/heap-run';
import { kvLayout } from './kv-layout';
import { LowestGroupConfidence, tokenConfidence } from './path-confidence';
import type { ChatTurn, GenerationStats, PathEnd, PathsStats, SamplingOptions, StopReason } from './protocol';
import { randomSource } from './seeded-random';
import { ThinkingBudget } from './thinking-budget';
import { chooseToken } from './token-choice';

export interface GenerateRequest {
  turns: ChatTurn[];
  options: SamplingOptions;
  /** Raw output of an unfinished reply; the model picks up right after it. */
  continuation?: string;
}

export interface GenerateCallbacks {
  started(promptTokens: number): void;
  delta(text: string, generatedTokens: number, tokensPerSecond: number): void;
}

export interface PathsRequest {
  turns: ChatTurn[];
  options: SamplingOptions;
  /** One path per seed; path i is seeds[i]. */
  seeds: number[];
}

export interface PathsCallbacks {
  started(promptTokens: number): void;
  delta(path: number, text: string, generatedTokens: number): void;
  done(path: number, end: PathEnd): void;
}

/** One path being decoded in a batch. */
interface Row {
  path: number;
  random: () => number;
  budget: ThinkingBudget | null;
  decoder: IncrementalDecoder;
  ids: number[];
  confidence: LowestGroupConfidence;
}

/** Token counts in failure messages: "While writing token 1,024 …". */
const COUNT = new Intl.NumberFormat('en');

/** Paths decoded together at most, whatever the buffers allow: the UI offers up to 16. */
const MAX_ROWS = 16;

export interface GenerationResult {
  reason: StopReason;
  stats: GenerationStats;
}

const THINK_END = '</think>';
const ASSISTANT = '<｜Assistant｜>';

function eosIdsOf(model: PreTrainedModel): Set<number> {
  const eos = model.generation_config?.eos_token_id ?? (model.config as { eos_token_id?: number | number[] }).eos_token_id;
  return new Set<number>(Array.isArray(eos) ? eos : eos === undefined || eos === null ? [] : [eos]);
}

/**
 * Generation on one loaded tokenizer + model, independent of where the weights came from (browser
 * store or a local folder), so the same code runs in the worker and in Node tests. Owns the KV cache
 * kept between requests and the record of the last reply, both of which belong to this model only.
 *
 * The decoding loop is its own rather than generate()'s: the prompt is fed in chunks that fit the
 * device's buffers (see prefill-chunks.ts), only the last position's logits are read, and each token
 * is chosen by the app's sampler.
 */
export class Generator {
  private readonly tokenizer: PreTrainedTokenizer;
  private readonly model: PreTrainedModel;
  private readonly limits: ChunkLimits;
  private readonly eosIds: Set<number>;
  /** `<｜Assistant｜>`, where a turn's prompt stops being shared with the next turn's; -1 if absent. */
  private readonly assistantId: number;
  private readonly kv: KvSlot<DynamicCache, Tensor> | KvSlot<StaticKv, never> | KvSlot<HeapKv, HeapTensor>;
  private lastReply: ReplyRecord | null = null;
  private running = false;
  private interrupted = false;

  /** `placement`: where the KV cache lives (kv-placement.ts); none, transformers.js's DynamicCache. */
  constructor(tokenizer: PreTrainedTokenizer, model: PreTrainedModel, limits: ChunkLimits, placement: KvPlacement | null = null) {
    this.tokenizer = tokenizer;
    this.model = model;
    this.limits = limits;
    if (placement && 'inPlace' in placement) this.kv = new StaticKvSlot(() => staticKvFor(model, placement.inPlace));
    else if (placement) this.kv = new KvCacheSlot<HeapKv, HeapTensor>(heapKvKind(placement.heap, kvLayout(model)));
    else this.kv = new KvCacheSlot<DynamicCache, Tensor>();
    this.eosIds = eosIdsOf(model);
    const assistant = tokenizer.convert_tokens_to_ids(ASSISTANT) as unknown;
    this.assistantId = typeof assistant === 'number' ? assistant : -1;
  }

  /**
   * Runs one request. `t0` is when the request arrived, so time to first token covers everything the
   * user waits for (templating, cache handling and the prompt's forward passes).
   */
  async generate(request: GenerateRequest, cb: GenerateCallbacks, t0 = performance.now()): Promise<GenerationResult> {
    return this.exclusive(() => this.run(request, cb, t0));
  }

  /**
   * Samples one path per seed from the same prompt: the prompt is read once, then its cache is copied
   * into the rows of a batch, each row with its own seed (and thinking budget), all decoded together.
   * A row ends at its own EOS or length, and leaves the batch, so it costs nothing afterwards. Paths
   * beyond what the device's buffers hold in one batch run in a later batch from the same prompt.
   * The kept per-conversation cache is neither used nor changed.
   */
  async generatePaths(request: PathsRequest, cb: PathsCallbacks, t0 = performance.now()): Promise<PathsStats> {
    return this.exclusive(() => this.runPaths(request, cb, t0));
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.running) throw new ExplainedError('busy', 'The model is already answering. Stop it or wait for it to finish.');
    this.running = true;
    this.interrupted = false;
    try {
      return await work();
    } finally {
      this.running = false;
    }
  }

  /** 'in-place' when the cache is updated where it lies (GQA graphs on a storage given), else copied per step. */
  get kvCache(): 'in-place' | 'per-step' {
    return this.kv instanceof StaticKvSlot ? 'in-place' : 'per-step';
  }

  /** Stops the running request between two forward passes (prefill chunks or tokens). */
  interrupt(): void {
    if (this.running) this.interrupted = true;
  }

  /** Forgets the kept cache and last reply (a new conversation, or before the model goes away). */
  async reset(): Promise<void> {
    this.lastReply = null;
    await this.kv.clear();
  }

  private async run({ turns, options, continuation = '' }: GenerateRequest, cb: GenerateCallbacks, t0: number): Promise<GenerationResult> {
    const { tokenizer, model } = this;
    const templateIds = chatPromptIds(tokenizer, turns);
    const priorIds = continuation
      ? continuationIds(templateIds, continuation, this.lastReply, (text) => tokenizer.encode(text, { add_special_tokens: false }))
      : [];
    const promptIds = [...templateIds, ...priorIds];
    const { thinkingBudget } = options;
    const budget = thinkingBudget === null || thinkingBudget === undefined ? null : new ThinkingBudget(thinkingBudget, this.thinkEndId(), priorIds);
    const random = randomSource(options.seed);
    const choice = { temperature: options.temperature, topP: options.topP, random };
    cb.started(promptIds.length);

    const decoder = new IncrementalDecoder((ids) => tokenizer.decode(ids, { skip_special_tokens: true }));
    const replyIds: number[] = [];
    let text = '';
    let firstAt = 0;
    const speed = () => (replyIds.length > 1 ? ((replyIds.length - 1) * 1000) / (performance.now() - firstAt) : 0);
    const emit = (piece: string) => {
      if (!piece) return;
      text += piece;
      cb.delta(piece, replyIds.length, speed());
    };
    const stop = () => this.interrupted;

    // One slot kind per model, so the cache it hands out is always its own kind.
    const kv = this.kv as KvSlot<DynamicCache | StaticKv | HeapKv, unknown>;
    const { cache, reused, protect } = await kv.take(promptIds);
    let where = `While reading the prompt (${COUNT.format(promptIds.length - reused)} tokens)`;
    // The prompt up to its last <｜Assistant｜> is what the next turn's prompt will start with.
    const cut = templateIds.lastIndexOf(this.assistantId) + 1;
    let turn: KvSnapshot<unknown> | null = null;
    try {
      let logits: Float32Array | null = null;
      const snapshotAt = cut > reused ? cut : null;
      if (snapshotAt !== null) {
        logits = await feed(model, cache, promptIds.slice(reused, snapshotAt), this.limits, { stop, protect });
        if (logits) turn = kv.snapshot(cache, promptIds.slice(0, snapshotAt), protect);
      }
      const from = snapshotAt ?? reused;
      if ((snapshotAt === null || turn) && from < promptIds.length) {
        logits = await feed(model, cache, promptIds.slice(from), this.limits, { stop, protect });
      }
      while (logits) {
        const id = budget?.forcedToken() ?? chooseToken(logits, choice);
        budget?.accept(id);
        replyIds.push(id);
        if (replyIds.length === 1) firstAt = performance.now();
        // A stop token is not text, special or not: R1's stop list includes <｜Assistant｜>, which is not.
        if (this.eosIds.has(id)) break;
        emit(decoder.push(id));
        if (replyIds.length >= options.maxNewTokens || stop()) break;
        where = `While writing token ${COUNT.format(replyIds.length + 1)} of the reply`;
        logits = await feed(model, cache, [id], this.limits, { protect });
      }
    } catch (error) {
      // A half-updated cache no longer matches any token list; a snapshot taken before the failure does.
      await kv.keep(cache, [], turn);
      throw failedWhile(where, error);
    }
    // The cache holds every token fed: the prompt and the reply but its last token.
    const sequence = [...promptIds, ...replyIds];
    await kv.keep(cache, sequence, turn);
    emit(decoder.flush());
    this.lastReply = { templateIds, ids: [...priorIds, ...replyIds], text: continuation + text };

    const lastId = replyIds.at(-1) ?? -1;
    const reason: StopReason = this.interrupted ? 'interrupted' : this.eosIds.has(lastId) ? 'eos' : 'length';
    const now = performance.now();
    return {
      reason,
      stats: {
        promptTokens: promptIds.length,
        generatedTokens: replyIds.length,
        timeToFirstTokenMs: replyIds.length > 0 ? firstAt - t0 : now - t0,
        tokensPerSecond: speed(),
        totalMs: now - t0,
        reusedCacheTokens: reused,
        thinkingBudgetHit: budget?.hit ?? false,
      },
    };
  }

  private async runPaths({ turns, options, seeds }: PathsRequest, cb: PathsCallbacks, t0: number): Promise<PathsStats> {
    const promptIds = chatPromptIds(this.tokenizer, turns);
    const thinkEnd = options.thinkingBudget === null || options.thinkingBudget === undefined ? null : this.thinkEndId();
    cb.started(promptIds.length);
    const prompt = new DynamicCache();
    const perBatch = this.rowsPerBatch(promptIds.length + options.maxNewTokens);
    let generated = 0;
    let firstAt: number;
    try {
      let logits: Float32Array | null;
      try {
        logits = await feed(this.model, prompt, promptIds, this.limits, { stop: () => this.interrupted });
      } catch (error) {
        throw failedWhile(`While reading the prompt (${COUNT.format(promptIds.length)} tokens)`, error);
      }
      firstAt = performance.now();
      const keep = new Set(Object.values(prompt).filter((t): t is Tensor => t instanceof Tensor));
      for (let from = 0; from < seeds.length; from += perBatch) {
        const rows = seeds.slice(from, from + perBatch).map((seed, i): Row => ({
          path: from + i,
          random: randomSource(seed),
          budget: thinkEnd === null ? null : new ThinkingBudget(options.thinkingBudget ?? 0, thinkEnd),
          decoder: new IncrementalDecoder((ids) => this.tokenizer.decode(ids, { skip_special_tokens: true })),
          ids: [],
          confidence: new LowestGroupConfidence(),
        }));
        if (!logits || this.interrupted) {
          for (const row of rows) cb.done(row.path, { reason: 'interrupted', generatedTokens: 0, confidence: null, thinkingBudgetHit: false });
          continue;
        }
        generated += await this.decodeRows(prompt, keep, logits, rows, options, cb);
      }
    } finally {
      await disposeGpu(prompt);
    }
    const now = performance.now();
    return {
      promptTokens: promptIds.length,
      generatedTokens: generated,
      totalMs: now - t0,
      tokensPerSecond: generated > 0 && now > firstAt ? (generated * 1000) / (now - firstAt) : 0,
      rowsPerBatch: Math.min(perBatch, seeds.length),
    };
  }

  /** Decodes `rows` together from the prompt's cache and last logits; returns the tokens they generated. */
  private async decodeRows(
    prompt: DynamicCache,
    keep: ReadonlySet<Tensor>,
    promptLogits: Float32Array,
    rows: Row[],
    options: SamplingOptions,
    cb: PathsCallbacks,
  ): Promise<number> {
    const choice = { temperature: options.temperature, topP: options.topP };
    let cache = await selectRows(prompt, rows.map(() => 0), keep);
    let active = rows;
    let logits = rows.map(() => promptLogits);
    let generated = 0;
    const finish = (row: Row, reason: StopReason) => {
      const piece = row.decoder.flush();
      if (piece) cb.delta(row.path, piece, row.ids.length);
      generated += row.ids.length;
      cb.done(row.path, { reason, generatedTokens: row.ids.length, confidence: row.confidence.value, thinkingBudgetHit: row.budget?.hit ?? false });
    };
    try {
      while (active.length > 0) {
        const staying: number[] = [];
        const next: number[] = [];
        active.forEach((row, r) => {
          const rowLogits = logits[r]!;
          row.confidence.push(tokenConfidence(rowLogits));
          const id = row.budget?.forcedToken() ?? chooseToken(rowLogits, { ...choice, random: row.random });
          row.budget?.accept(id);
          row.ids.push(id);
          if (this.eosIds.has(id)) return finish(row, 'eos');
          const piece = row.decoder.push(id);
          if (piece) cb.delta(row.path, piece, row.ids.length);
          if (row.ids.length >= options.maxNewTokens) return finish(row, 'length');
          if (this.interrupted) return finish(row, 'interrupted');
          staying.push(r);
          next.push(id);
        });
        if (staying.length === 0) break;
        // Finished rows leave the batch, so the rest no longer pay for them.
        if (staying.length < active.length) cache = await selectRows(cache, staying);
        active = staying.map((r) => active[r]!);
        try {
          logits = await stepRows(this.model, cache, next);
        } catch (error) {
          const longest = Math.max(...active.map((row) => row.ids.length));
          throw failedWhile(`While writing token ${COUNT.format(longest + 1)} of ${active.length} paths`, error);
        }
      }
    } finally {
      await disposeGpu(cache);
    }
    return generated;
  }

  /**
   * Rows one batch may hold: each layer's cache is one buffer of rows × KV heads × tokens × head size,
   * and the logits one of rows × vocabulary, both within the device's largest buffer.
   */
  private rowsPerBatch(tokens: number): number {
    const { heads, headDim, type } = kvLayout(this.model);
    const bytes = type === 'float16' ? 2 : 4;
    const row = Math.max(heads * headDim * tokens * bytes, this.limits.vocabSize * 4, 1);
    return Math.max(1, Math.min(MAX_ROWS, Math.floor(this.limits.maxBufferBytes / row)));
  }

  /** `</think>` is an added, non-special token in R1 tokenizers; a model without it cannot be budgeted. */
  private thinkEndId(): number {
    const id = this.tokenizer.convert_tokens_to_ids(THINK_END) as number | null | undefined;
    if (typeof id !== 'number') {
      throw new ExplainedError(
        'unsupported',
        `This model's tokenizer has no ${THINK_END} token, so a thinking budget cannot end its thinking. Turn the budget off.`,
      );
    }
    return id;
  }
}

/** Frees a cache's GPU buffers now rather than when the garbage collector gets to them. */
async function disposeGpu(cache: DynamicCache): Promise<void> {
  await Promise.all(Object.values(cache).filter((t): t is Tensor => t instanceof Tensor && t.location === 'gpu-buffer').map((t) => t.dispose()));
}
