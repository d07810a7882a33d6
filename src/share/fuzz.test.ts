// decodeTranscript reads links written by strangers: whatever arrives, it must settle with a valid
// transcript or a ShareLinkError, never another exception, a hang or an unhandled rejection.

import { describe, expect, it } from 'vitest';
import { seeded, type Random } from '../reasoning/testing/random';
import { decodeTranscript, encodeTranscript } from './codec.ts';
import { randomTranscript } from './testing/random-transcript.ts';
import { ShareLinkError } from './transcript.ts';
import { validateTranscript } from './validate.ts';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

async function outcome(link: string): Promise<'valid' | 'rejected'> {
  try {
    const t = await decodeTranscript(link);
    validateTranscript(t); // what came back is itself a valid transcript
    return 'valid';
  } catch (error) {
    if (!(error instanceof ShareLinkError)) throw new Error(`not a ShareLinkError: ${String(error)}`, { cause: error });
    expect(error.message).toMatch(/\w{3,}/);
    return 'rejected';
  }
}

function randomString(r: Random): string {
  const n = r.int(300);
  const kind = r.int(3);
  let s = kind === 0 ? '1.' : '';
  for (let i = 0; i < n; i++) s += kind === 2 ? String.fromCharCode(r.int(0x10000)) : B64[r.int(64)];
  return s;
}

function mutate(r: Random, link: string): string {
  const i = r.int(link.length);
  switch (r.int(5)) {
    case 0: // replace one character with another base64url one
      return link.slice(0, i) + B64.replace(link[i] ?? '', '')[r.int(63)] + link.slice(i + 1);
    case 1: // delete a run
      return link.slice(0, i) + link.slice(i + 1 + r.int(8));
    case 2: // insert characters
      return link.slice(0, i) + B64[r.int(64)]! + B64[r.int(64)]! + link.slice(i);
    case 3: // truncate
      return link.slice(0, i);
    default: // splice in a piece of another part of the link
      return link.slice(0, i) + link.slice(r.int(link.length), r.int(link.length)) + link.slice(i);
  }
}

describe('decodeTranscript fuzz', () => {
  it('rejects random input with ShareLinkError only', async () => {
    const r = seeded(0xf022);
    for (let i = 0; i < 2000; i++) expect(await outcome(randomString(r))).toBe('rejected');
  });

  it('rejects mutated links with ShareLinkError only (gzip CRC catches every edit)', async () => {
    const r = seeded(0xbadc0de);
    let cases = 0;
    for (let t = 0; t < 40; t++) {
      const link = await encodeTranscript(randomTranscript(r));
      for (let m = 0; m < 50; m++) {
        const mutated = mutate(r, link);
        if (mutated === link) continue;
        expect(await outcome(mutated), `transcript ${t}, mutation ${m}`).toBe('rejected');
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(1500); // some mutations are no-ops (an empty splice)
  });
});
