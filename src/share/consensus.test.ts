// Consensus replies through every share path: transcript, link (and its size rule), validation,
// Markdown, HTML and import.

import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../chat/chat-store';
import { blankMessage } from '../chat/conversation';
import type { ConsensusPath, ConsensusRecord } from '../consensus/types';
import { decodeTranscript, encodeTranscript } from './codec.ts';
import { toChatMessages, toTranscript } from './convert.ts';
import { toHtml } from './html.ts';
import { importTranscript } from './import.ts';
import { encodeForLink, pathCount, withoutPathText } from './link.ts';
import { toMarkdown } from './markdown.ts';
import { PAYLOAD_TEXT } from './testing/payloads.ts';
import { ShareLinkError, type Transcript, type TranscriptConsensus, type TranscriptVote } from './transcript.ts';
import { validateTranscript } from './validate.ts';

const path = (final: string, over: Partial<ConsensusPath> = {}): ConsensusPath => ({
  content: `Think ${final}.</think>So $\\boxed{${final}}$.`, thinking: `Think ${final}.`, answer: `So $\\boxed{${final}}$.`, thinkingClosed: true,
  status: 'done', generatedTokens: 100, confidence: 10, final, seed: final.length, ...over,
});

function record(paths: ConsensusPath[] = [path('5'), path('5', { seed: 7, confidence: 12 }), path('6', { seed: 9 }), path('x', { status: 'streaming', final: null, confidence: null })]): ConsensusRecord {
  return {
    settings: { maxPaths: 8, mode: 'adaptive', weighting: 'count' },
    paths,
    vote: { outcome: 'majority', groups: [{ answer: '5', paths: [0, 1], weight: 2, share: 2 / 3 }, { answer: '6', paths: [2], weight: 1, share: 1 / 3 }], winner: 0, finished: 3, unanswered: 0, weighting: 'count' },
    stop: 'decided',
    certainty: 0.93,
    chosenPath: 1,
  };
}

function chat(consensus: ConsensusRecord = record()): ChatMessage[] {
  const chosen = consensus.paths[consensus.chosenPath ?? 0]!;
  const reply: ChatMessage = {
    ...blankMessage('assistant', chosen.content),
    thinking: chosen.thinking, answer: chosen.answer, thinkingClosed: true, status: 'done', generatedTokens: 400,
    settings: { temperature: 0.6, topP: 0.95, maxNewTokens: 8192, mathDirective: true, seed: null, thinkingBudget: null, consensus: consensus.settings },
    consensus,
  };
  return [blankMessage('user', 'What is 2 + 3?'), reply];
}

const share = (messages = chat(), includeThinking = true) => toTranscript(messages, { includeThinking, exchange: null, now: 1.7e12 });
const consensusOf = (t: Transcript) => (t.messages[1]?.role === 'assistant' ? t.messages[1].consensus : undefined);

describe('consensus in transcripts', () => {
  it('carries the record as version 2, a path still running shared as stopped; plain chats stay version 1', () => {
    const t = share();
    expect(t.version).toBe(2);
    expect(validateTranscript(t)).toEqual(t);
    expect(consensusOf(t)).toMatchObject({ stop: 'decided', certainty: 0.93, chosenPath: 1, vote: { winner: 0 } });
    expect(consensusOf(t)?.paths.map((p) => p.status)).toEqual(['done', 'done', 'done', 'stopped']);
    expect(JSON.stringify(t)).not.toMatch(/"content"/);
    const plain = share([blankMessage('user', 'Q'), { ...chat()[1]!, consensus: null }]);
    expect(plain.version).toBe(1);
    expect(JSON.stringify(plain)).not.toMatch(/consensus|pathsOmitted/);
  });

  it('leaves the paths’ thinking out with the reply’s', () => {
    expect(consensusOf(share(chat(), false))?.paths.every((p) => p.thinking === null)).toBe(true);
  });

  it('round-trips conversation → transcript → link → conversation, keeping the record', async () => {
    const [, back] = toChatMessages(await decodeTranscript(await encodeTranscript(share())));
    const expected = record();
    expected.paths[3]!.status = 'stopped';
    expect(back?.consensus).toEqual(expected);
    expect(back?.settings?.consensus).toEqual(expected.settings);
  });

  it('drops the paths’ text, not their votes, when the link would be too long, and says so', async () => {
    // Thinking that compresses badly, as different chains of thought do.
    const noise = (i: number) => Array.from({ length: 2000 }, (_, j) => ((j * 7919 + i * 104729) % 100_003).toString(36)).join(' ');
    const long = record(record().paths.map((p, i) => ({ ...p, thinking: noise(i) })));
    const t = share(chat(long));
    const full = await encodeTranscript(t);
    const { transcript, encoded } = await encodeForLink(t, full.length - 1);
    expect(transcript.pathsOmitted).toBe(true);
    expect(encoded.length).toBeLessThan(full.length / 2);
    expect(pathCount(transcript)).toBe(4);
    const decoded = await decodeTranscript(encoded);
    expect(decoded).toEqual(withoutPathText(t));
    expect(consensusOf(decoded)?.paths.map((p) => [p.final, p.status, p.generatedTokens, p.confidence])).toEqual(consensusOf(t)?.paths.map((p) => [p.final, p.status, p.generatedTokens, p.confidence]));
    // Imported, the chosen path gets its text back from the reply; the others keep their votes.
    const [, back] = toChatMessages(decoded);
    expect(back?.consensus?.paths[1]).toMatchObject({ thinking: long.paths[1]!.thinking, answer: long.paths[1]!.answer });
    expect(back?.consensus?.paths[0]).toMatchObject({ thinking: null, answer: '', content: '', final: '5' });
    expect(toMarkdown(decoded)).toContain('The reasoning of 4 paths was left out to keep the link short');
    // Short enough already, or nothing to drop: the link holds the transcript as it is.
    expect((await encodeForLink(t, full.length)).transcript).toBe(t);
    const plain = share([blankMessage('user', 'Q'.repeat(1000))]);
    expect((await encodeForLink(plain, 10)).transcript).toBe(plain);
  });

  it('import keeps the consensus record', async () => {
    let imported: ChatMessage[] = [];
    await importTranscript(share(), { isBusy: () => false, importConversation: (c) => void (imported = c.messages) });
    expect(imported[1]?.consensus?.paths).toHaveLength(4);
    expect(imported[1]?.consensus?.vote?.groups[0]?.paths).toEqual([0, 1]);
  });
});

describe('validation of consensus', () => {
  const t = share();
  /** Writes what the types forbid, as a hostile sender would. */
  const set = (o: object, key: string, value: unknown) => void Object.assign(o, { [key]: value });
  const edit = (change: (t: Transcript) => void, base: Transcript = t): unknown => {
    const copy = structuredClone(base);
    change(copy);
    return copy;
  };
  const c = (change: (c: TranscriptConsensus & { vote: TranscriptVote }) => void) => edit((x) => change(consensusOf(x) as TranscriptConsensus & { vote: TranscriptVote }));

  it.each([
    ['consensus in a version 1 transcript', edit((x) => set(x, 'version', 1))],
    ['pathsOmitted in a version 1 transcript', edit((x) => void Object.assign(x, { version: 1, pathsOmitted: true }), share([blankMessage('user', 'Q')]))],
    ['pathsOmitted false', edit((x) => set(x, 'pathsOmitted', false))],
    ['an extra field', c((x) => set(x, 'extra', 1))],
    ['17 paths', c((x) => set(x, 'paths', Array.from({ length: 17 }, () => x.paths[0])))],
    ['maxPaths 1', c((x) => set(x.settings, 'maxPaths', 1))],
    ['maxPaths 17', c((x) => set(x.settings, 'maxPaths', 17))],
    ['an unknown mode', c((x) => set(x.settings, 'mode', 'always'))],
    ['a path status "streaming"', c((x) => set(x.paths[0]!, 'status', 'streaming'))],
    ['a negative confidence', c((x) => set(x.paths[0]!, 'confidence', -1))],
    ['a fractional token count', c((x) => set(x.paths[0]!, 'generatedTokens', 1.5))],
    ['a seed as text', c((x) => set(x.paths[0]!, 'seed', '1'))],
    ['a huge final answer', c((x) => set(x.paths[0]!, 'final', 'x'.repeat(10_001)))],
    ['an unknown outcome', c((x) => set(x.vote, 'outcome', 'landslide'))],
    ['a group naming a missing path', c((x) => set(x.vote.groups[0]!, 'paths', [4]))],
    ['a group naming a path twice', c((x) => set(x.vote.groups[0]!, 'paths', [0, 0]))],
    ['a share over 1', c((x) => set(x.vote.groups[0]!, 'share', 1.01))],
    ['a NaN weight', c((x) => set(x.vote.groups[0]!, 'weight', NaN))],
    ['more groups than paths', c((x) => set(x.vote, 'groups', Array.from({ length: 5 }, () => x.vote.groups[1])))],
    ['a winner past the groups', c((x) => set(x.vote, 'winner', 2))],
    ['more finished than paths', c((x) => set(x.vote, 'finished', 5))],
    ['an unknown stop', c((x) => set(x, 'stop', 'bored'))],
    ['a certainty over 1', c((x) => set(x, 'certainty', 1.5))],
    ['a chosen path past the paths', c((x) => set(x, 'chosenPath', 4))],
    ['a chosen path of -0.5', c((x) => set(x, 'chosenPath', -0.5))],
  ])('rejects %s', (_name, value) => {
    expect(() => validateTranscript(value)).toThrow(ShareLinkError);
  });

  it('reads a version 1 transcript as one without consensus', () => {
    const v1 = share([blankMessage('user', 'Q'), { ...chat()[1]!, consensus: null }]);
    expect(validateTranscript(v1)).toEqual(v1);
  });
});

describe('consensus in exports', () => {
  it('Markdown: a Consensus section after the reply, then each path with its thinking in <details>', () => {
    const md = toMarkdown(share());
    const section = md.slice(md.indexOf('#### Consensus'));
    expect(md.indexOf('#### Consensus')).toBeGreaterThan(md.indexOf('So $\\boxed{5}$.'));
    expect(section).toContain('**Majority answer: 5 with 67% of the vote**');
    expect(section).toContain('- 5: 2 paths, 67%\n- 6: 1 path, 33%');
    expect(section).toContain('4 of up to 8 paths sampled, 400 tokens · stopped because the leader was almost surely the most likely answer · certainty 93%');
    expect(section).toContain('##### Path 2 · shown as the reply · answer 5 · done · 100 tokens · confidence 12.0\n\n*Its thinking and answer are the reply above.*');
    expect(section).toContain('##### Path 3 · answer 6 · done');
    expect(section).toContain('<details>\n<summary>Thinking</summary>\n\nThink 6.\n\n</details>');
  });

  it('HTML: the vote and folded paths, every payload in them escaped', () => {
    const hostile = record([path(PAYLOAD_TEXT, { thinking: PAYLOAD_TEXT, answer: PAYLOAD_TEXT }), path('5')]);
    hostile.vote!.groups = [{ answer: PAYLOAD_TEXT, paths: [0], weight: 1, share: 0.5 }, { answer: '5', paths: [1], weight: 1, share: 0.5 }];
    hostile.chosenPath = 1;
    const html = toHtml({ ...share(chat(hostile)), pathsOmitted: true }, '');
    const body = html.slice(html.indexOf('<body>'));
    expect(body).toContain('<section class="consensus" aria-label="Consensus">');
    expect(body).toMatch(/<details class="consensus-path"><summary>Path 1 · answer /);
    expect(body).toContain('The reasoning of 2 paths was left out to keep the link short');
    expect(html.match(/<script/gi) ?? []).toEqual([]);
    expect(body).not.toMatch(/<(img|svg|iframe|object|link|meta|base|style|a href="javascript)/i);
    expect(body).not.toMatch(/<[^>]*\son[a-z]+=/i);
    expect(body).not.toMatch(/<[^>]*\ssrc=|href="(javascript:|data:)/i);
    expect(body).toContain('Majority answer: &lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });
});
