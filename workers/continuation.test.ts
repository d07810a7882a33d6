import { describe, expect, it } from 'vitest';
import { continuationIds, type ReplyRecord } from './continuation.ts';

// A stand-in tokenizer that splits differently from how the "model" produced the reply.
const encode = (text: string) => [...text].map((c) => c.charCodeAt(0));
const last: ReplyRecord = { templateIds: [1, 2, 3], ids: [500, 501], text: 'ab' };

describe('continuationIds', () => {
  it('reuses the sampled ids of the reply just streamed', () => {
    expect(continuationIds([1, 2, 3], 'ab', last, encode)).toEqual([500, 501]);
  });

  it('tokenizes the text when it is not that reply', () => {
    expect(continuationIds([1, 2, 3], 'abc', last, encode)).toEqual([97, 98, 99]);
    expect(continuationIds([1, 2, 4], 'ab', last, encode)).toEqual([97, 98]);
    expect(continuationIds([1, 2, 3, 4], 'ab', last, encode)).toEqual([97, 98]);
    expect(continuationIds([1, 2, 3], 'ab', null, encode)).toEqual([97, 98]);
  });

  it('returns a copy the caller may extend', () => {
    const ids = continuationIds([1, 2, 3], 'ab', last, encode);
    ids.push(7);
    expect(last.ids).toEqual([500, 501]);
  });
});
