import { describe, expect, it } from 'vitest';
import { splitReasoning } from '../reasoning/parse';
import { FIXTURES, eventsOf, withCrlf, type WireFixture } from './fixtures';
import { collectReply, replyOf, WireReader, type Framing, type WireOptions } from './wire';

/** A small deterministic PRNG, so a failing split can be reproduced from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A fixture's reader options. */
function optionsOf(f: WireFixture): WireOptions {
  return { thinkingPrefilled: f.thinkingPrefilled, ...(f.resume ? { resume: f.resume } : {}) };
}

/** Feeds `body` in random pieces (1..max chars) and splits the raw output like collectReply does. */
function collectSplit(body: string, framing: Framing, options: WireOptions, seed: number, max = 12) {
  const reader = new WireReader(framing, options);
  const rand = rng(seed);
  let raw = '';
  for (let i = 0; i < body.length; ) {
    const n = 1 + Math.floor(rand() * max);
    raw += reader.push(body.slice(i, i + n));
    i += n;
  }
  return replyOf(reader, raw + reader.finish(), options.resume);
}

const entries = Object.entries(FIXTURES) as [string, WireFixture][];

describe('collectReply on each engine shape', () => {
  for (const [name, f] of entries) {
    it(`${name} (${f.engine}, ${f.framing})`, () => {
      expect(collectReply(f.body, f.framing, optionsOf(f))).toEqual(f.expected);
    });
    it(`${name} with CRLF line ends`, () => {
      expect(collectReply(withCrlf(f.body), f.framing, optionsOf(f))).toEqual(f.expected);
    });
    it(`${name} split at random points gives the same result`, () => {
      for (let seed = 1; seed <= 40; seed++) {
        const body = seed % 2 ? f.body : withCrlf(f.body);
        expect(collectSplit(body, f.framing, optionsOf(f), seed, seed % 5 === 0 ? 2 : 17)).toEqual(f.expected);
      }
    });
    it(`${name} fed one character at a time`, () => {
      expect(collectSplit(f.body, f.framing, optionsOf(f), 7, 1)).toEqual(f.expected);
    });
  }
});

describe('WireReader output is the local raw format', () => {
  it('reasoning field, then `</think>` once, then the answer', () => {
    const f = FIXTURES['vllm-reasoning'];
    const reader = new WireReader('sse', { thinkingPrefilled: true });
    const raw = eventsOf(f.body, 'sse').map((e) => reader.push(e)).join('') + reader.finish();
    expect(raw).toBe('Okay, 2 + 2. That is 4.\n</think>\n\nThe answer is $\\boxed{4}$.');
    expect(reader.done).toBe(true);
  });

  it('vLLM 0.12–0.15 sends both fields: the text is taken once', () => {
    const f = FIXTURES['vllm-both-fields'];
    const reader = new WireReader('sse', { thinkingPrefilled: true });
    const raw = reader.push(f.body) + reader.finish();
    expect(raw).toBe('Okay, 2 + 2. That is 4.</think>The answer is $\\boxed{4}$.');
    expect(reader.reasoningChunks).toBe(2);
  });

  it('a stream that switches field name mid-way loses nothing and doubles nothing', () => {
    const body = [
      'data: {"choices":[{"index":0,"delta":{"reasoning_content":"a"}}]}',
      'data: {"choices":[{"index":0,"delta":{"reasoning":"b","reasoning_content":"b"}}]}',
      'data: {"choices":[{"index":0,"delta":{"reasoning":"c"}}]}',
      'data: {"choices":[{"index":0,"delta":{"content":"x"}}]}',
      '',
    ].join('\n\n');
    expect(collectReply(body, 'sse', { thinkingPrefilled: true })).toMatchObject({ thinking: 'abc', answer: 'x' });
  });

  it('no reasoning field and a prefill: the content starts in thinking', () => {
    const body = 'data: {"choices":[{"index":0,"delta":{"content":"still thinking, cut off"},"finish_reason":"length"}]}\n\n';
    expect(collectReply(body, 'sse', { thinkingPrefilled: true })).toEqual({
      thinking: 'still thinking, cut off',
      answer: '',
      finishReason: 'length',
      error: null,
      usage: null,
    });
  });

  it('no prefill: content that opens `<think>` itself, split over chunks', () => {
    const r = new WireReader('sse', { thinkingPrefilled: false });
    let raw = r.push('data: {"choices":[{"index":0,"delta":{"content":"\\n <"}}]}\n\n');
    expect(raw).toBe(''); // not decided yet
    raw += r.push('data: {"choices":[{"index":0,"delta":{"content":"think>hm</think>ok"}}]}\n\n') + r.finish();
    expect(splitReasoning(raw)).toEqual({ thinking: 'hm', answer: 'ok', thinkingClosed: true });
  });

  it('no prefill: a `<` that is not `<think>` is answer text', () => {
    expect(collectReply('data: {"choices":[{"delta":{"content":"<b>"}}]}\n\n', 'sse', { thinkingPrefilled: false })).toMatchObject({
      thinking: '',
      answer: '<b>',
    });
  });

  it('multi-line data fields are joined with a newline (SSE spec)', () => {
    const body = 'data: {"choices":[{"index":0,\ndata: "delta":{"reasoning":"r"}}]}\n\ndata: {"choices":[{"delta":{"content":"a"}}]}\n\n';
    expect(collectReply(body, 'sse', { thinkingPrefilled: true })).toMatchObject({ thinking: 'r', answer: 'a' });
  });

  it('keep-alive comments, `event:` and `id:` lines and a body without the last blank line', () => {
    const body = ': ping\r\n\r\nid: 1\r\nevent: message\r\ndata: {"choices":[{"delta":{"reasoning_content":"r"}}]}\r\n\r\n:\r\ndata: {"choices":[{"delta":{"content":"a"},"finish_reason":"stop"}]}';
    expect(collectReply(body, 'sse', { thinkingPrefilled: true })).toEqual({ thinking: 'r', answer: 'a', finishReason: 'stop', error: null, usage: null });
  });

  it('CR-only line ends', () => {
    const body = 'data: {"choices":[{"delta":{"reasoning":"r"}}]}\r\rdata: {"choices":[{"delta":{"content":"a"}}]}\r\r';
    expect(collectReply(body, 'sse', { thinkingPrefilled: true })).toMatchObject({ thinking: 'r', answer: 'a' });
  });

  it('error shapes: {"error":"..."} in SSE, event: error, and an NDJSON line without a newline at the end', () => {
    expect(collectReply('data: {"error":"Invalid API key"}\n\n', 'sse', { thinkingPrefilled: true }).error).toBe('Invalid API key');
    expect(collectReply('event: error\ndata: {"message":"overloaded","type":"server_error"}\n\n', 'sse', { thinkingPrefilled: true }).error).toBe('overloaded');
    expect(collectReply('{"error":"model \\"x\\" not found, try pulling it first"}', 'ndjson', { thinkingPrefilled: true }).error).toBe(
      'model "x" not found, try pulling it first',
    );
    expect(collectReply('error: {"error":{"code":500,"message":"boom","type":"server_error"}}\n\n', 'sse', { thinkingPrefilled: true }).error).toBe('boom');
  });

  it("llama-server's timings stand in for a missing usage object", () => {
    const body = 'data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}],"timings":{"prompt_n":9,"predicted_n":3}}\n\ndata: [DONE]\n\n';
    expect(collectReply(body, 'sse', { thinkingPrefilled: false }).usage).toEqual({ promptTokens: 9, completionTokens: 3 });
  });

  it('a body cut off mid-event keeps what arrived and reports no finish reason', () => {
    const f = FIXTURES['deepseek-api'];
    const cut = f.body.slice(0, f.body.indexOf('The answer') + 5);
    const got = collectReply(cut, 'sse', { thinkingPrefilled: true });
    expect(got).toMatchObject({ thinking: 'Okay, 2 + 2. That is 4.', answer: '', finishReason: null, error: null });
  });

  it('the store`s ReasoningStream reads the live output unchanged', async () => {
    const { ReasoningStream } = await import('../reasoning/parse');
    for (const [, f] of entries) {
      const reader = new WireReader(f.framing, optionsOf(f));
      const stream = new ReasoningStream();
      // A continued answer's stream already holds the reply's closed thinking.
      if (f.resume === 'answer') stream.push('</think>');
      for (const e of eventsOf(f.body, f.framing)) stream.push(reader.push(e));
      stream.push(reader.finish());
      stream.finish();
      const snap = stream.snapshot();
      expect({ thinking: snap.thinking ?? '', answer: snap.answer }).toEqual({ thinking: f.expected.thinking, answer: f.expected.answer });
    }
  });
});
