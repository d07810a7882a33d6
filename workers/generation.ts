import {
  InterruptableStoppingCriteria,
  LogitsProcessorList,
  StoppingCriteriaList,
  Tensor,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type TextStreamer,
} from '@huggingface/transformers';
import { continuationIds, type ReplyRecord } from './continuation';
import { ExplainedError } from './errors';
import { IncrementalDecoder } from './incremental-decoder';
import { KvCacheSlot } from './kv-cache';
import type { ChatTurn, GenerationStats, SamplingOptions, StopReason } from './protocol';
import { ChoosingLogitsProcessor } from './sampling-processor';
import { randomSource } from './seeded-random';
import { ThinkingBudget } from './thinking-budget';
import { TokenStreamer } from './token-streamer';

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

export interface GenerationResult {
  reason: StopReason;
  stats: GenerationStats;
}

const THINK_END = '</think>';

function idsTensor(ids: readonly number[]): Tensor {
  return new Tensor('int64', BigInt64Array.from(ids, (id) => BigInt(id)), [1, ids.length]);
}

function eosIdsOf(model: PreTrainedModel): Set<number> {
  const eos = model.generation_config?.eos_token_id ?? (model.config as { eos_token_id?: number | number[] }).eos_token_id;
  return new Set<number>(Array.isArray(eos) ? eos : eos === undefined || eos === null ? [] : [eos]);
}

/**
 * Generation on one loaded tokenizer + model, independent of where the weights came from (browser
 * store or a local folder), so the same code runs in the worker and in Node tests. Owns the KV cache
 * kept between requests and the record of the last reply, both of which belong to this model only.
 */
export class Generator {
  private readonly tokenizer: PreTrainedTokenizer;
  private readonly model: PreTrainedModel;
  private readonly eosIds: Set<number>;
  private readonly kv = new KvCacheSlot();
  private lastReply: ReplyRecord | null = null;
  private stopping: InterruptableStoppingCriteria | null = null;

  constructor(tokenizer: PreTrainedTokenizer, model: PreTrainedModel) {
    this.tokenizer = tokenizer;
    this.model = model;
    this.eosIds = eosIdsOf(model);
  }

  /**
   * Runs one request. `t0` is when the request arrived, so time to first token covers everything the
   * user waits for (templating, cache handling and the prompt's forward pass).
   */
  async generate(request: GenerateRequest, cb: GenerateCallbacks, t0 = performance.now()): Promise<GenerationResult> {
    if (this.stopping) throw new ExplainedError('busy', 'The model is already answering. Stop it or wait for it to finish.');
    const stopping = new InterruptableStoppingCriteria();
    this.stopping = stopping;
    try {
      return await this.run(request, cb, t0, stopping);
    } finally {
      this.stopping = null;
    }
  }

  interrupt(): void {
    this.stopping?.interrupt();
  }

  /** Forgets the kept cache and last reply (a new conversation, or before the model goes away). */
  async reset(): Promise<void> {
    this.lastReply = null;
    await this.kv.clear();
  }

  private async run(
    { turns, options, continuation = '' }: GenerateRequest,
    cb: GenerateCallbacks,
    t0: number,
    stopping: InterruptableStoppingCriteria,
  ): Promise<GenerationResult> {
    const { tokenizer, model } = this;
    const templateIds = tokenizer.apply_chat_template(turns, { add_generation_prompt: true, tokenize: true, return_tensor: false, return_dict: false });
    const priorIds = continuation
      ? continuationIds(templateIds, continuation, this.lastReply, (text) => tokenizer.encode(text, { add_special_tokens: false }))
      : [];
    const promptIds = [...templateIds, ...priorIds];
    const { thinkingBudget } = options;
    const budget = thinkingBudget === null || thinkingBudget === undefined ? null : new ThinkingBudget(thinkingBudget, this.thinkEndId(), priorIds);
    const random = randomSource(options.seed);
    cb.started(promptIds.length);

    const decoder = new IncrementalDecoder((ids) => tokenizer.decode(ids, { skip_special_tokens: true }));
    let text = '';
    let generated = 0;
    let firstAt = 0;
    let lastId = -1;
    const speed = () => (generated > 1 ? ((generated - 1) * 1000) / (performance.now() - firstAt) : 0);
    const emit = (piece: string) => {
      if (!piece) return;
      text += piece;
      cb.delta(piece, generated, speed());
    };
    const streamer = new TokenStreamer((id) => {
      generated += 1;
      lastId = id;
      if (generated === 1) firstAt = performance.now();
      emit(decoder.push(id));
    });
    const stoppingList = new StoppingCriteriaList();
    stoppingList.push(stopping);
    const processors = new LogitsProcessorList();
    processors.push(new ChoosingLogitsProcessor({ temperature: options.temperature, topP: options.topP, random, budget }));

    const { cache, reused } = await this.kv.take(promptIds);
    let sequence: number[];
    try {
      const out = (await model.generate({
        input_ids: idsTensor(promptIds),
        attention_mask: idsTensor(promptIds.map(() => 1)),
        // Passing our own cache object makes generate() keep it alive and fill it in place; when it
        // already covers the prompt's first tokens, generate() feeds only the rest.
        past_key_values: cache,
        max_new_tokens: options.maxNewTokens,
        do_sample: false,
        logits_processor: processors,
        stopping_criteria: stoppingList,
        // The 4.3.1 typings demand a TextStreamer although generate() only calls put/end.
        streamer: streamer as unknown as TextStreamer,
      })) as Tensor;
      sequence = ((out.tolist() as bigint[][])[0] ?? []).map(Number);
    } catch (error) {
      // A half-updated cache no longer matches any token list.
      await cache.dispose();
      throw error;
    }
    await this.kv.keep(cache, sequence);
    emit(decoder.flush());
    this.lastReply = { templateIds, ids: sequence.slice(templateIds.length), text: continuation + text };

    const reason: StopReason = stopping.interrupted ? 'interrupted' : this.eosIds.has(lastId) ? 'eos' : 'length';
    const now = performance.now();
    return {
      reason,
      stats: {
        promptTokens: promptIds.length,
        generatedTokens: generated,
        timeToFirstTokenMs: generated > 0 ? firstAt - t0 : now - t0,
        tokensPerSecond: speed(),
        totalMs: now - t0,
        reusedCacheTokens: reused,
        thinkingBudgetHit: budget?.hit ?? false,
      },
    };
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
