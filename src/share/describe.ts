// Words about a transcript shared by its Markdown, HTML and on-screen forms.

import { thinkingHeader, type ThinkingStatusInput } from '../render/thinkingStatus.ts';
import type { AssistantTurn, Transcript } from './transcript.ts';

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
