// Words about a transcript shared by its Markdown, HTML and on-screen forms.

import { thinkingHeader, type ThinkingStatusInput } from '../render/thinkingStatus.ts';
import type { AssistantTurn, Transcript, TranscriptConsensus, TranscriptPath } from './transcript.ts';

const DEVICE_NAMES: Record<string, string> = { webgpu: 'WebGPU', wasm: 'WASM', server: 'a server' };

/** Where a reply was computed, in words: "WebGPU", "WASM", "a server" (a shared tag may hold anything else). */
export const deviceName = (device: string) => DEVICE_NAMES[device] ?? device;

/** "tiny-r1 · q4 on WASM · 300.0 tok/s · 20 tokens · first token 0.1 s" */
export function replyFacts(m: AssistantTurn): string {
  const parts: string[] = [];
  if (m.model) parts.push(`${m.model.repo} · ${m.model.dtype} on ${deviceName(m.model.device)}`);
  if (m.stats) parts.push(`${m.stats.tokensPerSecond.toFixed(1)} tok/s`, `${m.stats.generatedTokens} tokens`, `first token ${(m.stats.timeToFirstTokenMs / 1000).toFixed(1)} s`);
  if (m.settings) parts.push(`temperature ${m.settings.temperature}, top-p ${m.settings.topP}${m.settings.seed === null ? '' : `, seed ${m.settings.seed}`}`);
  return parts.join(' · ');
}

export function sharedLine(t: Transcript): string {
  const date = new Date(t.sharedAt).toISOString().slice(0, 10);
  return `Shared from Ponder on ${date}${t.thinkingIncluded ? '' : ' · the model’s thinking was left out'}.`;
}

/** A finished reply's thinking, as the chat view's thinking block describes it. */
export function thinkingStatus(m: AssistantTurn): ThinkingStatusInput {
  return { closed: m.thinkingClosed, streaming: false, tokens: m.thinkingTokens ?? m.generatedTokens, seconds: (m.thinkingMs ?? 0) / 1000, cutOff: m.status === 'length' };
}

export const thinkingSummary = (m: AssistantTurn): string => thinkingHeader(thinkingStatus(m));

const number = new Intl.NumberFormat('en');
const percent = (share: number) => `${Math.round(share * 100)}%`;
const paths = (n: number) => `${n} ${n === 1 ? 'path' : 'paths'}`;

const STOP_WHY: Record<NonNullable<TranscriptConsensus['stop']>, string> = {
  decided: 'the leader was almost surely the most likely answer',
  settled: 'no remaining path could change the leader',
  'max-paths': 'every allowed path was sampled',
  stopped: 'sampling was stopped',
  error: 'the engine failed',
};

/** "Majority: 5 with 80% of the vote" · "Tie: 5 and 6" · ...; answers are LaTeX as the paths boxed them. */
export function voteHeadline(c: TranscriptConsensus): string {
  const { vote } = c;
  if (!vote) return 'No path finished, so nothing was voted on';
  const lead = vote.winner === null ? undefined : vote.groups[vote.winner];
  switch (vote.outcome) {
    case 'majority':
      return lead ? `Majority answer: ${lead.answer} with ${percent(lead.share)} of the vote` : 'Majority answer';
    case 'tie':
      return `Tie between ${vote.groups.filter((g) => g.weight === vote.groups[0]?.weight).map((g) => g.answer).join(' and ')}`;
    case 'no-answer':
      return 'No path boxed an answer';
    case 'too-few':
      return 'Fewer than two paths finished, so nothing was voted on';
  }
}

/** One line per answer: "5: 4 paths, 80%", then the finished paths without an answer. */
export function voteDistribution(c: TranscriptConsensus): string[] {
  if (!c.vote) return [];
  const lines = c.vote.groups.map((g) => `${g.answer}: ${paths(g.paths.length)}, ${percent(g.share)}`);
  if (c.vote.unanswered > 0) lines.push(`no answer: ${paths(c.vote.unanswered)}`);
  return lines;
}

/** "5 of up to 8 paths, 12,345 tokens, weighted by confidence · stopped: ... · certainty 97%" */
export function consensusFacts(c: TranscriptConsensus): string {
  const tokens = c.paths.reduce((n, p) => n + p.generatedTokens, 0);
  const parts = [`${c.paths.length} of up to ${paths(c.settings.maxPaths)} sampled, ${number.format(tokens)} tokens${c.settings.weighting === 'confidence' ? ', votes weighted by confidence' : ''}`];
  if (c.stop) parts.push(`stopped because ${STOP_WHY[c.stop]}`);
  if (c.certainty !== null) parts.push(`certainty ${percent(c.certainty)}`);
  return parts.join(' · ');
}

/** "Path 2 · chosen · answer 6 · done · 1,234 tokens · confidence 12.5" */
export function pathTitle(p: TranscriptPath, i: number, chosen: boolean): string {
  const parts = [`Path ${i + 1}`];
  if (chosen) parts.push('shown as the reply');
  parts.push(p.final === null ? 'no answer' : `answer ${p.final}`, p.status, `${number.format(p.generatedTokens)} tokens`);
  if (p.confidence !== null) parts.push(`confidence ${p.confidence.toFixed(1)}`);
  return parts.join(' · ');
}

/** Paths carry no timings of their own, so their thinking is described by whether it finished. */
export const pathThinkingSummary = (p: TranscriptPath) => (p.thinkingClosed ? 'Thinking' : 'Thinking (not finished)');

export const omittedNote = (n: number) => `The reasoning of ${paths(n)} was left out to keep the link short; their answers still count in the vote.`;
