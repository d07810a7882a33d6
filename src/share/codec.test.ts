import { describe, expect, it } from 'vitest';
import { seeded } from '../reasoning/testing/random';
import { decodeTranscript, encodeTranscript } from './codec.ts';
import { linkForJson as linkFor } from './testing/links.ts';
import { randomTranscript } from './testing/random-transcript.ts';
import { LIMITS, ShareLinkError, TRANSCRIPT_VERSION, type ShareErrorReason, type Transcript } from './transcript.ts';

const SAMPLE: Transcript = {
  format: 'ponder-transcript',
  version: 1,
  title: 'What is 2 + 3?',
  sharedAt: 1_760_000_000_000,
  thinkingIncluded: true,
  messages: [
    { role: 'user', text: 'What is 2 + 3?' },
    {
      role: 'assistant', thinking: 'Add them: $2 + 3 = 5$.', thinkingClosed: true, answer: 'The sum is $\\boxed{5}$.', status: 'done', error: null,
      model: { repo: 'ponder-test/tiny-r1', dtype: 'q4', device: 'wasm' },
      settings: { temperature: 0.6, topP: 0.95, maxNewTokens: 8192, mathDirective: true, seed: null, thinkingBudget: null },
      startedAt: 1_760_000_000_000, thinkingMs: 1200, thinkingTokens: 12, generatedTokens: 20,
      stats: { promptTokens: 10, generatedTokens: 20, timeToFirstTokenMs: 80, tokensPerSecond: 300, totalMs: 1500 },
    },
  ],
};

/** Resolves with the reason a decode failed; fails the test on success or on any other error. */
async function reasonOf(promise: Promise<unknown>): Promise<ShareErrorReason> {
  const error = await promise.then(
    () => new Error('decoded, but should have been rejected'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShareLinkError);
  expect((error as ShareLinkError).message.length).toBeGreaterThan(20);
  return (error as ShareLinkError).reason;
}

describe('encodeTranscript / decodeTranscript', () => {
  it('round-trips a transcript into a URL-safe string', async () => {
    const link = await encodeTranscript(SAMPLE);
    expect(link).toMatch(/^1\.[A-Za-z0-9_-]+$/);
    expect(await decodeTranscript(link)).toEqual(SAMPLE);
  });

  it('round-trips random transcripts (Unicode incl. astral and lone surrogates, math, markup)', async () => {
    const seed = 0x5eed;
    const r = seeded(seed);
    for (let i = 0; i < 150; i++) {
      const t = randomTranscript(r);
      expect(await decodeTranscript(await encodeTranscript(t)), `seed ${seed}, case ${i}`).toEqual(t);
    }
  });

  it('round-trips huge chains of thought', async () => {
    const r = seeded(7);
    for (let i = 0; i < 3; i++) {
      const t = randomTranscript(r, { huge: true });
      const back = await decodeTranscript(await encodeTranscript(t));
      expect(back, `case ${i}`).toEqual(t);
    }
  });

  it('compresses: repetitive reasoning makes a far shorter link than its text', async () => {
    const long = { ...SAMPLE, messages: [SAMPLE.messages[0]!, { ...(SAMPLE.messages[1] as object), thinking: 'Wait, let me check. '.repeat(5000) }] } as Transcript;
    const link = await encodeTranscript(long);
    expect(link.length).toBeLessThan(JSON.stringify(long).length / 20);
  });

  it.each([
    ['empty', '', 'malformed'],
    ['not a Ponder link', 'hello world', 'malformed'],
    ['a newer encoding', '2.AAAA', 'version'],
    ['characters outside base64url', '1.abc+def/ghi=', 'malformed'],
    ['an impossible base64 length', '1.abcde', 'malformed'],
    ['no payload', '1.', 'malformed'],
    ['bytes that are not gzip data', '1.AAAAAAAAAAAAAAAA', 'corrupted'],
  ] as const)('rejects %s', async (_, link, reason) => {
    expect(await reasonOf(decodeTranscript(link))).toBe(reason);
  });

  it('rejects a truncated link (the gzip trailer checks length and CRC)', async () => {
    const link = await encodeTranscript(SAMPLE);
    for (const cut of [1, 2, 4, 8, 12, Math.floor(link.length / 2)]) {
      expect(await reasonOf(decodeTranscript(link.slice(0, link.length - cut))), `cut ${cut}`).toMatch(/corrupted|malformed/);
    }
  });

  it('rejects a link whose last character differs only in unused bits (non-canonical base64)', async () => {
    // A title length whose encoding ends in a partial quantum (2 or 3 characters leave unused bits).
    let link = '';
    for (let pad = 0; (link.length - 2) % 4 === 0; pad++) link = await encodeTranscript({ ...SAMPLE, title: 'x'.repeat(pad) });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(link.at(-1)!);
    const twin = link.slice(0, -1) + alphabet[last ^ 1];
    expect(await reasonOf(decodeTranscript(twin))).toBe('malformed');
  });

  it('rejects a zip bomb without inflating it all', async () => {
    const bomb = await linkFor(`{"format":"ponder-transcript","version":1,"title":"${' '.repeat(LIMITS.jsonBytes * 4)}"}`);
    expect(bomb.length).toBeLessThan(LIMITS.practicalLinkChars * 2);
    const started = performance.now();
    expect(await reasonOf(decodeTranscript(bomb))).toBe('too-large');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('rejects links longer than a browser allows', async () => {
    expect(await reasonOf(decodeTranscript(`1.${'A'.repeat(LIMITS.linkChars)}`))).toBe('too-large');
  });

  it('rejects a well-formed link carrying a newer format version, saying so', async () => {
    const error = await decodeTranscript(await linkFor(JSON.stringify({ ...SAMPLE, version: TRANSCRIPT_VERSION + 1 }))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShareLinkError);
    expect((error as ShareLinkError).reason).toBe('version');
    expect((error as ShareLinkError).message).toMatch(/newer Ponder/);
  });

  it.each([
    ['not JSON', '{"format":'],
    ['invalid UTF-8', Uint8Array.of(0x22, 0xff, 0xfe, 0x22)],
    ['a JSON array', '[1,2,3]'],
    ['deeply nested JSON', '['.repeat(200_000) + ']'.repeat(200_000)],
    ['a transcript with an unexpected field', JSON.stringify({ ...SAMPLE, extra: 1 })],
  ])('rejects %s inside a valid gzip member', async (_, json) => {
    expect(await reasonOf(decodeTranscript(await linkFor(json)))).toMatch(/corrupted|invalid/);
  });
});
