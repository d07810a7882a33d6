import { startsWith } from './kv-cache';

/** The reply of the previous request: its template ids, the reply's token ids and its streamed text. */
export interface ReplyRecord {
  templateIds: readonly number[];
  ids: readonly number[];
  text: string;
}

/**
 * The token ids of a reply being continued. When it is the reply just streamed (same conversation,
 * same text), its own sampled ids are used: re-tokenizing the text can split it differently from
 * how the model produced it, which would both change what the model sees and defeat KV-cache reuse.
 */
export function continuationIds(
  templateIds: readonly number[],
  continuation: string,
  last: ReplyRecord | null,
  encode: (text: string) => number[],
): number[] {
  const same = last !== null && last.text === continuation && last.templateIds.length === templateIds.length && startsWith(templateIds, last.templateIds);
  return same ? [...last.ids] : encode(continuation);
}
