// Random valid transcripts for property tests (test-only): Unicode from every plane, math, markup
// that must stay text, now and then a very long chain of thought, and now and then consensus replies
// (which make the transcript version 2), sometimes with their paths' text omitted as a short link has it.

import type { Random } from '../../reasoning/testing/random';
import { TRANSCRIPT_FORMAT, type AssistantTurn, type Transcript, type TranscriptConsensus, type TranscriptPath, type TranscriptTurn } from '../transcript.ts';

const PIECES = [
  'The sum is ', '$x^2 + y^2 = z^2$', '$$\\int_0^1 f(x)\\,dx$$', '\\boxed{42}', '\\frac{a}{b}', '\n\n', '```py\nprint(1)\n```',
  '<script>alert(1)</script>', '</style>', '&amp;', '"quoted"', "it's", '\\', '\u0000', '\u2028', 'naïve café', '中文推理',
  '🧠🤔', '👩🏽‍🔬', '𝔸𝕓𝕔', '\u{10FFFF}', '\uD800', '\uDFFF', 'مرحبا', '\t', ' ', 'wait, ',
];

function text(r: Random, maxPieces: number): string {
  let s = '';
  const n = r.int(maxPieces + 1);
  for (let i = 0; i < n; i++) {
    s += r.next() < 0.3 ? String.fromCodePoint(r.int(0x110000)) : r.pick(PIECES);
  }
  return s;
}

const maybe = <T>(r: Random, make: () => T): T | null => (r.next() < 0.3 ? null : make());
const count = (r: Random) => r.int(40_000);

const STATUSES = ['done', 'stopped', 'length', 'error'] as const;

function path(r: Random, omitted: boolean): TranscriptPath {
  return {
    thinking: omitted ? null : maybe(r, () => text(r, 60)),
    thinkingClosed: !omitted && r.next() < 0.8,
    answer: omitted ? '' : text(r, 30),
    status: r.pick(STATUSES),
    generatedTokens: count(r),
    confidence: maybe(r, () => r.next() * 20),
    final: maybe(r, () => text(r, 3)),
    seed: r.int(2 ** 31),
  };
}

/** A consistent vote over `n` paths: each path in at most one group, indices in range. */
function consensus(r: Random, omitted: boolean): TranscriptConsensus {
  const paths = Array.from({ length: 1 + r.int(16) }, () => path(r, omitted));
  const groups = paths.flatMap((_, i) => (r.next() < 0.5 ? [{ answer: text(r, 3), paths: [i], weight: r.next() * 10, share: r.next() }] : []));
  const weighting = r.pick(['count', 'confidence'] as const);
  return {
    settings: { maxPaths: Math.max(2, paths.length), mode: r.pick(['adaptive', 'fixed'] as const), weighting },
    paths,
    vote: maybe(r, () => ({
      outcome: r.pick(['majority', 'tie', 'no-answer', 'too-few'] as const),
      groups,
      winner: groups.length > 0 && r.next() < 0.7 ? r.int(groups.length) : null,
      finished: r.int(paths.length + 1),
      unanswered: r.int(paths.length + 1),
      weighting,
    })),
    stop: maybe(r, () => r.pick(['decided', 'settled', 'max-paths', 'stopped', 'error'] as const)),
    certainty: maybe(r, () => r.next()),
    chosenPath: maybe(r, () => r.int(paths.length)),
  };
}

function reply(r: Random, huge: boolean, omitted: boolean): AssistantTurn {
  const thinking = maybe(r, () => (huge ? text(r, 20).repeat(2000) + text(r, 50_000) : text(r, 200)));
  return {
    role: 'assistant',
    thinking,
    thinkingClosed: r.next() < 0.8,
    answer: text(r, 100),
    status: r.pick(STATUSES),
    error: maybe(r, () => text(r, 10).slice(0, 2000)),
    model: maybe(r, () => ({ repo: r.pick(['onnx-community/DeepSeek-R1-Distill-Qwen-1.5B-ONNX', 'ponder-test/tiny-r1', 'local']), dtype: r.pick(['q4', 'q4f16', 'fp32']), device: r.pick(['webgpu', 'wasm']) })),
    settings: maybe(r, () => ({
      temperature: r.next() * 2,
      topP: r.next(),
      maxNewTokens: 1 + r.int(32_768),
      mathDirective: r.next() < 0.5,
      seed: maybe(r, () => r.int(2 ** 31)),
      thinkingBudget: maybe(r, () => r.int(30_000)),
    })),
    startedAt: 1.7e12 + r.int(1e10),
    thinkingMs: maybe(r, () => r.next() * 1e6),
    thinkingTokens: maybe(r, () => count(r)),
    generatedTokens: count(r),
    stats: maybe(r, () => ({ promptTokens: count(r), generatedTokens: count(r), timeToFirstTokenMs: r.next() * 1e4, tokensPerSecond: r.next() * 500, totalMs: r.next() * 1e6 })),
    ...(r.next() < 0.25 && { consensus: consensus(r, omitted) }),
  };
}

export function randomTranscript(r: Random, { huge = false } = {}): Transcript {
  const messages: TranscriptTurn[] = [];
  const turns = r.int(6);
  const omitted = r.next() < 0.3;
  for (let i = 0; i < turns; i++) {
    messages.push({ role: 'user', text: text(r, 30) });
    messages.push(reply(r, huge && i === 0, omitted));
  }
  const withConsensus = messages.some((m) => m.role === 'assistant' && m.consensus);
  return {
    format: TRANSCRIPT_FORMAT,
    version: withConsensus ? 2 : 1,
    title: text(r, 8).slice(0, 200),
    sharedAt: 1.7e12 + r.int(1e10),
    thinkingIncluded: r.next() < 0.7,
    ...(withConsensus && omitted && { pathsOmitted: true as const }),
    messages,
  };
}
