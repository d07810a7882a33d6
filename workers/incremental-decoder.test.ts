import { describe, expect, it } from 'vitest';
import { IncrementalDecoder } from './incremental-decoder';

// A byte-level vocabulary: each id is one byte, decoded the way a BPE decoder joins bytes.
const utf8 = new TextDecoder();
const decodeBytes = (ids: number[]) => utf8.decode(new Uint8Array(ids));

function streamText(text: string): string[] {
  const decoder = new IncrementalDecoder(decodeBytes);
  const deltas = [...new TextEncoder().encode(text)].map((b) => decoder.push(b));
  deltas.push(decoder.flush());
  return deltas;
}

describe('IncrementalDecoder', () => {
  it('reassembles multi-byte characters split across tokens', () => {
    const text = 'x² + π ≈ 4.14 ✓ 🤔 done';
    const deltas = streamText(text);
    expect(deltas.join('')).toBe(text);
    expect(deltas.some((d) => d.includes('\uFFFD'))).toBe(false);
  });

  it('emits ASCII immediately, one delta per token', () => {
    const deltas = streamText('abc');
    expect(deltas).toEqual(['a', 'b', 'c', '']);
  });

  it('holds a partial character and releases it with the completing token', () => {
    const decoder = new IncrementalDecoder(decodeBytes);
    const [b0, b1, b2, b3] = new TextEncoder().encode('🤔');
    expect(decoder.push(b0!)).toBe('');
    expect(decoder.push(b1!)).toBe('');
    expect(decoder.push(b2!)).toBe('');
    expect(decoder.push(b3!)).toBe('🤔');
  });

  it('gives up holding invalid bytes after four tokens so output never stalls', () => {
    const decoder = new IncrementalDecoder(decodeBytes);
    const out = [0xff, 0xff, 0xff, 0xff].map((b) => decoder.push(b));
    expect(out.slice(0, 3)).toEqual(['', '', '']);
    expect(out[3]).toContain('\uFFFD');
  });

  it('flush returns held bytes at the end of a reply', () => {
    const decoder = new IncrementalDecoder(decodeBytes);
    decoder.push(0xe2);
    expect(decoder.flush()).toBe('\uFFFD');
    expect(decoder.flush()).toBe('');
  });
});
