import { describe, expect, it } from 'vitest';
import { ReasoningStream, splitReasoning, type ReasoningOptions, type ReasoningSplit } from './parse.ts';
import { seeded, type Random } from './testing/random.ts';

const split = (thinking: string | null, answer: string, thinkingClosed: boolean): ReasoningSplit => ({
  thinking,
  answer,
  thinkingClosed,
});

describe('splitReasoning', () => {
  const cases: [string, string, ReasoningSplit][] = [
    ['typical output (no opening tag)', 'Let me think.\n</think>\n\nThe answer is 4.', split('Let me think.', 'The answer is 4.', true)],
    ['explicit opening tag', '<think>\nhmm\n</think>\n\n42', split('hmm', '42', true)],
    ['opening tag after whitespace', ' \n\t<think>hmm</think>42', split('hmm', '42', true)],
    ['still thinking', 'Okay, so the problem', split('Okay, so the problem', '', false)],
    ['cut off with a partial close tag', 'so x = 2 </thi', split('so x = 2 </thi', '', false)],
    ['cut off right after opening tag', '<think>\n', split('', '', false)],
    ['empty thinking', '\n</think>\n\nAnswer', split('', 'Answer', true)],
    ['empty output', '', split('', '', false)],
    ['whitespace only', ' \n ', split('', '', false)],
    ['only a close tag', '</think>', split('', '', true)],
    ['opening and close tag, empty', '<think></think>', split('', '', true)],
    ['stray whitespace in both parts', '\n\n  a b \n </think> \n c d \n\n', split('a b', 'c d', true)],
    ['unicode whitespace is trimmed like String.trim', '\u3000思考\u00a0</think>\u2028答え\ufeff', split('思考', '答え', true)],
    ['second think block is answer text', 'a</think>b<think>c</think>d', split('a', 'b<think>c</think>d', true)],
    ['opening tag not at the start is text', 'a <think> b', split('a <think> b', '', false)],
    ['double opening tag: second is text', '<think><think>x</think>y', split('<think>x', 'y', true)],
    ['partial open tag then text', '<thinking> x', split('<thinking> x', '', false)],
    ['close tag without slash is text', 'a <think>', split('a <think>', '', false)],
    ['answer contains less-than', 'a</think>x < y and </thi', split('a', 'x < y and </thi', true)],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => expect(splitReasoning(input)).toEqual(expected));
  }

  describe('startsInThinking: false', () => {
    const opts: ReasoningOptions = { startsInThinking: false };
    const falseCases: [string, string, ReasoningSplit][] = [
      ['plain answer', '  The answer is 4. \n', split(null, 'The answer is 4.', false)],
      ['empty', '', split(null, '', false)],
      ['leading think block', '\n<think>\nhmm\n</think>\n\n42', split('hmm', '42', true)],
      ['leading think block still open', '<think>hmm', split('hmm', '', false)],
      ['empty think block', '<think>\n\n</think>\n\n42', split('', '42', true)],
      ['close tag without opening is answer text', 'a</think>b', split(null, 'a</think>b', false)],
      ['think block not at the start is answer text', 'Sure. <think>x</think> 4', split(null, 'Sure. <think>x</think> 4', false)],
      ['partial opening tag only', '<thi', split(null, '<thi', false)],
    ];
    for (const [name, input, expected] of falseCases) {
      it(name, () => expect(splitReasoning(input, opts)).toEqual(expected));
    }
  });
});

const same = (a: ReasoningSplit, b: ReasoningSplit) =>
  a.thinking === b.thinking && a.answer === b.answer && a.thinkingClosed === b.thinkingClosed;

/**
 * Feeds `parts` to a stream, checking the documented invariants after every push; returns the
 * concatenated deltas. Checks are plain comparisons (expect only on failure) to keep thousands of
 * cases fast.
 */
function feed(parts: readonly string[], options: ReasoningOptions, label: string) {
  const stream = new ReasoningStream(options);
  let thinking = '';
  let answer = '';
  let closedCount = 0;
  let text = '';
  const fail = (what: string, detail: unknown) =>
    expect.fail(`${label}: ${what} after ${JSON.stringify(text)} (parts ${JSON.stringify(parts)}): ${JSON.stringify(detail)}`);
  const check = () => {
    const snap = stream.snapshot();
    const ref = splitReasoning(text, options);
    if (!same(snap, ref)) fail('snapshot differs from splitReasoning', { snap, ref });
    if ((stream.thinking ?? '') !== thinking || stream.answer !== answer) fail('getters differ from deltas', { thinking, answer });
    if (stream.thinking === null && (thinking !== '' || snap.thinking !== null)) fail('null thinking mismatch', snap);
    if (stream.thinking !== null && snap.thinking === null) fail('null thinking mismatch', snap);
    if (stream.thinkingClosed !== snap.thinkingClosed) fail('thinkingClosed mismatch', snap);
    if (closedCount !== (snap.thinkingClosed ? 1 : 0)) fail('closed delta count', closedCount);
    // Deltas never get ahead of the split, and what is held back is only whitespace plus a partial tag.
    for (const [shown, full] of [
      [thinking, snap.thinking ?? ''],
      [answer, snap.answer],
    ] as const) {
      if (!full.startsWith(shown)) fail('deltas are not a prefix of the snapshot', { shown, full });
      const held = full.slice(shown.length).trimStart();
      if (!(held.length < '</think>'.length && ('</think>'.startsWith(held) || '<think>'.startsWith(held)))) {
        fail('holds back more than whitespace and a partial tag', { shown, full });
      }
    }
  };
  check();
  for (const part of parts) {
    text += part;
    const d = stream.push(part);
    thinking += d.thinking;
    answer += d.answer;
    if (d.closed) closedCount++;
    check();
  }
  const d = stream.finish();
  thinking += d.thinking;
  answer += d.answer;
  if (d.closed) closedCount++;
  const final = splitReasoning(text, options);
  if (!same(stream.snapshot(), final)) fail('final snapshot', stream.snapshot());
  if (thinking !== (final.thinking ?? '') || answer !== final.answer) fail('final deltas differ from splitReasoning', { thinking, answer, final });
  if (stream.thinking !== final.thinking || stream.answer !== final.answer) fail('final getters', final);
  if (closedCount !== (final.thinkingClosed ? 1 : 0)) fail('closed delta count', closedCount);
  return { thinking, answer, stream };
}

describe('ReasoningStream', () => {
  it('emits thinking, closes, then emits the answer', () => {
    const s = new ReasoningStream();
    expect(s.thinking).toBe('');
    expect(s.push('Okay, ')).toEqual({ thinking: 'Okay,', answer: '', closed: false });
    expect(s.push('so 2+2=4.\n</thi')).toEqual({ thinking: ' so 2+2=4.', answer: '', closed: false });
    expect(s.push('nk>\n\n**4**')).toEqual({ thinking: '', answer: '**4**', closed: true });
    expect(s.push('\n')).toEqual({ thinking: '', answer: '', closed: false });
    expect(s.finish()).toEqual({ thinking: '', answer: '', closed: false });
    expect(s.snapshot()).toEqual(split('Okay, so 2+2=4.', '**4**', true));
  });

  it('releases a ruled-out partial tag as text', () => {
    const s = new ReasoningStream();
    s.push('a <');
    expect(s.thinking).toBe('a');
    expect(s.snapshot().thinking).toBe('a <');
    expect(s.push('b')).toEqual({ thinking: ' <b', answer: '', closed: false });
  });

  it('releases a dangling partial tag on finish', () => {
    const s = new ReasoningStream();
    s.push('cut off </th');
    expect(s.thinking).toBe('cut off');
    expect(s.finish()).toEqual({ thinking: ' </th', answer: '', closed: false });
    expect(s.thinking).toBe('cut off </th');
  });

  it('holds trailing whitespace until text follows in the same part', () => {
    const s = new ReasoningStream();
    expect(s.push('a\n\n').thinking).toBe('a');
    expect(s.push('\nb').thinking).toBe('\n\n\nb');
    expect(s.push('  </think>  ').thinking).toBe('');
    expect(s.thinking).toBe('a\n\n\nb');
  });

  it('handles a leading <think> split across deltas', () => {
    const { thinking, answer } = feed(['\n', '<', 'th', 'ink', '>', '\nhm', 'm</', 'think>', 'x'], {}, 'split open');
    expect([thinking, answer]).toEqual(['hmm', 'x']);
  });

  it('with startsInThinking false, thinking appears only after a leading <think>', () => {
    const s = new ReasoningStream({ startsInThinking: false });
    expect(s.thinking).toBeNull();
    s.push(' <thi');
    expect(s.thinking).toBeNull();
    expect(s.snapshot()).toEqual(split(null, '<thi', false));
    s.push('nk>');
    expect(s.thinking).toBe('');
    s.push('a</think>b');
    expect(s.snapshot()).toEqual(split('a', 'b', true));
  });

  it('with startsInThinking false, plain text is the answer', () => {
    const s = new ReasoningStream({ startsInThinking: false });
    expect(s.push('The <b>answer</b>')).toEqual({ thinking: '', answer: 'The <b>answer</b>', closed: false });
    expect(s.thinking).toBeNull();
    expect(s.finish()).toEqual({ thinking: '', answer: '', closed: false });
  });

  it('rejects push after finish; finish is idempotent', () => {
    const s = new ReasoningStream();
    s.push('x');
    s.finish();
    expect(s.finish()).toEqual({ thinking: '', answer: '', closed: false });
    expect(() => s.push('y')).toThrow();
  });

  it('does O(delta) work: a 32k-token stream with tag-like noise stays fast', () => {
    const tokens = ['Let', ' me', ' check', ' x', ' <', ' y', '\n\n', '</', 'th', 'is', '>', ' ok', '.'];
    const s = new ReasoningStream();
    const start = performance.now();
    let n = 0;
    for (let i = 0; i < 200_000; i++) n += s.push(tokens[i % tokens.length] as string).thinking.length;
    s.push('</think>\n\n\\boxed{1}');
    const elapsed = performance.now() - start;
    expect(n).toBeGreaterThan(100_000);
    expect(s.snapshot().answer).toBe('\\boxed{1}');
    // Quadratic re-scanning of 200k pushes would take minutes; linear takes well under a second.
    expect(elapsed).toBeLessThan(5_000);
  });

  const explicit: string[] = [
    'Okay, so I need to find x.\n\nWait, maybe.\n</think>\n\nThe answer is $\\boxed{4}$.\n',
    '\n</think>\n\nAnswer',
    '<think>\n</think>\n\n',
    '<<think>></think>>',
    '<</think>x',
    '<<</</th</think>',
    'a</think>b</think>c',
    '  \u00a0 <think>  </think>  ',
    'x\u2028</think>\u2029y',
    'emoji 😀 <thi😀nk> </think> 😀',
    '<think',
    '<',
    '</',
    ' </think',
  ];
  for (const options of [{}, { startsInThinking: false }] as ReasoningOptions[]) {
    const mode = `startsInThinking=${String(options.startsInThinking ?? true)}`;
    it(`matches splitReasoning for every split of explicit cases (${mode})`, () => {
      for (const text of explicit) {
        feed([text], options, `whole ${JSON.stringify(text)}`);
        feed([...text], options, `chars ${JSON.stringify(text)}`);
        for (let a = 0; a <= text.length; a++) {
          for (let b = a; b <= text.length; b++) {
            feed([text.slice(0, a), text.slice(a, b), text.slice(b)], options, `${JSON.stringify(text)} @${a},${b}`);
          }
        }
      }
    });
  }

  const pieces = [
    'word', ' so', 'x = 2', '思考', 'ñ', 'e\u0301', '😀', '$\\frac{1}{2}$', '<b>', 'a<b', '>', '/', 'think', 'think>',
    ' ', '  ', '\n', '\n\n', '\t', '\r\n', '\u00a0', '\u3000', '\u2028', '\ufeff',
    '<think>', '</think>', '<think>', '</think>', '<', '</', '</th', '</thi', '</think', '<th', '<think', '<thinking>', '</ think>', '<<', '</</think>',
  ];
  function generate(rng: Random): string {
    let s = '';
    const n = rng.int(25);
    for (let i = 0; i < n; i++) s += rng.pick(pieces);
    return s;
  }
  function randomSplit(rng: Random, text: string): string[] {
    const cuts = new Set<number>();
    const k = rng.int(Math.min(text.length, 12) + 1);
    for (let i = 0; i < k; i++) cuts.add(rng.int(text.length + 1));
    if (rng.int(10) === 0) for (let i = 0; i <= text.length; i++) cuts.add(i); // one char at a time
    const sorted = [...cuts].sort((x, y) => x - y);
    const parts: string[] = [];
    let prev = 0;
    for (const c of sorted) {
      parts.push(text.slice(prev, c)); // empty deltas are allowed and exercised
      prev = c;
    }
    parts.push(text.slice(prev));
    return parts;
  }

  for (const options of [{}, { startsInThinking: false }] as ReasoningOptions[]) {
    const mode = `startsInThinking=${String(options.startsInThinking ?? true)}`;
    it(`property: random outputs at random split points agree with splitReasoning (${mode})`, () => {
      const seed = 0x5eed;
      const rng = seeded(seed);
      for (let c = 0; c < 2000; c++) {
        const text = generate(rng);
        const whole = feed([text], options, `seed ${seed} case ${c} whole`);
        for (let s = 0; s < 3; s++) {
          const got = feed(randomSplit(rng, text), options, `seed ${seed} case ${c} split ${s}`);
          // Split points never change what is emitted.
          expect([got.thinking, got.answer]).toEqual([whole.thinking, whole.answer]);
        }
      }
    });
  }
});
