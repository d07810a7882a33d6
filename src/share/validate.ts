// Strict, hand-written validation of untrusted transcript JSON: exact keys, types, lengths and
// version. No recursion over foreign structure (the shape is known), so depth cannot hurt here.

import {
  LIMITS,
  ShareLinkError,
  TRANSCRIPT_FORMAT,
  TRANSCRIPT_VERSION,
  type AssistantTurn,
  type ReplyStatus,
  type Transcript,
  type TranscriptConsensus,
  type TranscriptModel,
  type TranscriptPath,
  type TranscriptSettings,
  type TranscriptStats,
  type TranscriptTurn,
  type TranscriptVersion,
  type TranscriptVote,
  type TranscriptVoteGroup,
} from './transcript.ts';

type Obj = Record<string, unknown>;

const invalid = (path: string, what: string): ShareLinkError =>
  new ShareLinkError('invalid', `This is not a valid Ponder transcript: ${path} ${what}.`);

/** `optional` names fields that may be absent (and are then left out of what the reader builds). */
function object(value: unknown, path: string, keys: readonly string[], optional: readonly string[] = []): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(path, 'must be an object');
  const o = value as Obj;
  for (const key of Object.keys(o)) if (!keys.includes(key) && !optional.includes(key)) throw invalid(path, `has an unexpected field "${key.slice(0, 40)}"`);
  for (const key of keys) if (!Object.hasOwn(o, key)) throw invalid(path, `lacks the field "${key}"`);
  return o;
}

function list(value: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw invalid(path, 'must be a list');
  if (value.length > max) throw invalid(path, `has more than ${max} entries`);
  return value;
}

function choice<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw invalid(path, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** A position in a list of `length` things. */
function index(value: unknown, path: string, length: number): number {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) >= length) throw invalid(path, `must point at one of the ${length} entries`);
  return value as number;
}

function string(value: unknown, path: string, max: number, pattern?: RegExp): string {
  if (typeof value !== 'string') throw invalid(path, 'must be text');
  if (value.length > max) throw invalid(path, `is longer than ${max} characters`);
  if (pattern && !pattern.test(value)) throw invalid(path, 'has characters that are not allowed');
  return value;
}

function number(value: unknown, path: string, { max = Number.MAX_SAFE_INTEGER, integer = false } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) throw invalid(path, `must be a number from 0 to ${max}`);
  if (integer && !Number.isInteger(value)) throw invalid(path, 'must be a whole number');
  return value;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw invalid(path, 'must be true or false');
  return value;
}

function nullable<T>(value: unknown, read: (v: unknown) => T): T | null {
  return value === null ? null : read(value);
}

const IDENT = /^[A-Za-z0-9_.-]+$/;
const REPO = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)?$/;
const MAX_TOKENS = 10_000_000;
const MAX_MS = 1e12; // ~31 years: any real duration
const MAX_EPOCH = 8.64e15; // the largest valid Date

function model(value: unknown, path: string): TranscriptModel {
  const o = object(value, path, ['repo', 'dtype', 'device']);
  return {
    repo: string(o.repo, `${path}.repo`, LIMITS.idChars, REPO),
    dtype: string(o.dtype, `${path}.dtype`, 32, IDENT),
    device: string(o.device, `${path}.device`, 32, IDENT),
  };
}

function settings(value: unknown, path: string): TranscriptSettings {
  const o = object(value, path, ['temperature', 'topP', 'maxNewTokens', 'mathDirective', 'seed', 'thinkingBudget']);
  return {
    temperature: number(o.temperature, `${path}.temperature`, { max: 10 }),
    topP: number(o.topP, `${path}.topP`, { max: 1 }),
    maxNewTokens: number(o.maxNewTokens, `${path}.maxNewTokens`, { max: MAX_TOKENS, integer: true }),
    mathDirective: boolean(o.mathDirective, `${path}.mathDirective`),
    seed: nullable(o.seed, (v) => number(v, `${path}.seed`, { integer: true })),
    thinkingBudget: nullable(o.thinkingBudget, (v) => number(v, `${path}.thinkingBudget`, { max: MAX_TOKENS, integer: true })),
  };
}

function stats(value: unknown, path: string): TranscriptStats {
  const o = object(value, path, ['promptTokens', 'generatedTokens', 'timeToFirstTokenMs', 'tokensPerSecond', 'totalMs']);
  return {
    promptTokens: number(o.promptTokens, `${path}.promptTokens`, { max: MAX_TOKENS, integer: true }),
    generatedTokens: number(o.generatedTokens, `${path}.generatedTokens`, { max: MAX_TOKENS, integer: true }),
    timeToFirstTokenMs: number(o.timeToFirstTokenMs, `${path}.timeToFirstTokenMs`, { max: MAX_MS }),
    tokensPerSecond: number(o.tokensPerSecond, `${path}.tokensPerSecond`, { max: 1e9 }),
    totalMs: number(o.totalMs, `${path}.totalMs`, { max: MAX_MS }),
  };
}

const STATUSES: readonly ReplyStatus[] = ['done', 'stopped', 'length', 'error'];
const WEIGHTINGS: readonly TranscriptVote['weighting'][] = ['count', 'confidence'];
const OUTCOMES: readonly TranscriptVote['outcome'][] = ['majority', 'tie', 'no-answer', 'too-few'];
const STOPS: readonly NonNullable<TranscriptConsensus['stop']>[] = ['decided', 'settled', 'max-paths', 'stopped', 'error'];
const MODES: readonly TranscriptConsensus['settings']['mode'][] = ['adaptive', 'fixed'];
/** Far above any DeepConf confidence (a mean of negative log-probabilities) or sum of them over 16 paths. */
const MAX_WEIGHT = 1e9;

function consensusPath(value: unknown, path: string): TranscriptPath {
  const o = object(value, path, ['thinking', 'thinkingClosed', 'answer', 'status', 'generatedTokens', 'confidence', 'final', 'seed']);
  return {
    thinking: nullable(o.thinking, (v) => string(v, `${path}.thinking`, LIMITS.textChars)),
    thinkingClosed: boolean(o.thinkingClosed, `${path}.thinkingClosed`),
    answer: string(o.answer, `${path}.answer`, LIMITS.textChars),
    status: choice(o.status, `${path}.status`, STATUSES),
    generatedTokens: number(o.generatedTokens, `${path}.generatedTokens`, { max: MAX_TOKENS, integer: true }),
    confidence: nullable(o.confidence, (v) => number(v, `${path}.confidence`, { max: MAX_WEIGHT })),
    final: nullable(o.final, (v) => string(v, `${path}.final`, LIMITS.finalChars)),
    seed: number(o.seed, `${path}.seed`, { integer: true }),
  };
}

function voteGroup(value: unknown, path: string, paths: number): TranscriptVoteGroup {
  const o = object(value, path, ['answer', 'paths', 'weight', 'share']);
  const members = list(o.paths, `${path}.paths`, paths).map((p, i) => index(p, `${path}.paths[${i}]`, paths));
  if (new Set(members).size !== members.length) throw invalid(`${path}.paths`, 'names a path twice');
  return {
    answer: string(o.answer, `${path}.answer`, LIMITS.finalChars),
    paths: members,
    weight: number(o.weight, `${path}.weight`, { max: MAX_WEIGHT }),
    share: number(o.share, `${path}.share`, { max: 1 }),
  };
}

function vote(value: unknown, path: string, paths: number): TranscriptVote {
  const o = object(value, path, ['outcome', 'groups', 'winner', 'finished', 'unanswered', 'weighting']);
  const groups = list(o.groups, `${path}.groups`, paths).map((g, i) => voteGroup(g, `${path}.groups[${i}]`, paths));
  return {
    outcome: choice(o.outcome, `${path}.outcome`, OUTCOMES),
    groups,
    winner: nullable(o.winner, (v) => index(v, `${path}.winner`, groups.length)),
    finished: number(o.finished, `${path}.finished`, { max: paths, integer: true }),
    unanswered: number(o.unanswered, `${path}.unanswered`, { max: paths, integer: true }),
    weighting: choice(o.weighting, `${path}.weighting`, WEIGHTINGS),
  };
}

function consensus(value: unknown, path: string): TranscriptConsensus {
  const o = object(value, path, ['settings', 'paths', 'vote', 'stop', 'certainty', 'chosenPath']);
  const s = object(o.settings, `${path}.settings`, ['maxPaths', 'mode', 'weighting']);
  const maxPaths = number(s.maxPaths, `${path}.settings.maxPaths`, { max: LIMITS.paths, integer: true });
  if (maxPaths < 2) throw invalid(`${path}.settings.maxPaths`, 'must be at least 2');
  const paths = list(o.paths, `${path}.paths`, LIMITS.paths).map((p, i) => consensusPath(p, `${path}.paths[${i}]`));
  return {
    settings: { maxPaths, mode: choice(s.mode, `${path}.settings.mode`, MODES), weighting: choice(s.weighting, `${path}.settings.weighting`, WEIGHTINGS) },
    paths,
    vote: nullable(o.vote, (v) => vote(v, `${path}.vote`, paths.length)),
    stop: nullable(o.stop, (v) => choice(v, `${path}.stop`, STOPS)),
    certainty: nullable(o.certainty, (v) => number(v, `${path}.certainty`, { max: 1 })),
    chosenPath: nullable(o.chosenPath, (v) => index(v, `${path}.chosenPath`, paths.length)),
  };
}

function assistant(value: unknown, path: string, version: TranscriptVersion): AssistantTurn {
  const o = object(
    value,
    path,
    ['role', 'thinking', 'thinkingClosed', 'answer', 'status', 'error', 'model', 'settings', 'startedAt', 'thinkingMs', 'thinkingTokens', 'generatedTokens', 'stats'],
    version >= 2 ? ['consensus'] : [],
  );
  return {
    role: 'assistant',
    thinking: nullable(o.thinking, (v) => string(v, `${path}.thinking`, LIMITS.textChars)),
    thinkingClosed: boolean(o.thinkingClosed, `${path}.thinkingClosed`),
    answer: string(o.answer, `${path}.answer`, LIMITS.textChars),
    status: choice(o.status, `${path}.status`, STATUSES),
    error: nullable(o.error, (v) => string(v, `${path}.error`, 2000)),
    model: nullable(o.model, (v) => model(v, `${path}.model`)),
    settings: nullable(o.settings, (v) => settings(v, `${path}.settings`)),
    startedAt: number(o.startedAt, `${path}.startedAt`, { max: MAX_EPOCH }),
    thinkingMs: nullable(o.thinkingMs, (v) => number(v, `${path}.thinkingMs`, { max: MAX_MS })),
    thinkingTokens: nullable(o.thinkingTokens, (v) => number(v, `${path}.thinkingTokens`, { max: MAX_TOKENS, integer: true })),
    generatedTokens: number(o.generatedTokens, `${path}.generatedTokens`, { max: MAX_TOKENS, integer: true }),
    stats: nullable(o.stats, (v) => stats(v, `${path}.stats`)),
    ...(Object.hasOwn(o, 'consensus') && { consensus: consensus(o.consensus, `${path}.consensus`) }),
  };
}

function turn(value: unknown, path: string, version: TranscriptVersion): TranscriptTurn {
  const role = typeof value === 'object' && value !== null ? (value as Obj).role : undefined;
  if (role === 'user') {
    const o = object(value, path, ['role', 'text']);
    return { role: 'user', text: string(o.text, `${path}.text`, LIMITS.textChars) };
  }
  if (role === 'assistant') return assistant(value, path, version);
  throw invalid(`${path}.role`, 'must be "user" or "assistant"');
}

/** Checks untrusted JSON and returns a transcript built only from the checked fields. */
export function validateTranscript(value: unknown): Transcript {
  // Format and version first, so a newer file says so rather than listing the fields it added.
  if (typeof value !== 'object' || value === null || (value as Obj).format !== TRANSCRIPT_FORMAT) {
    throw new ShareLinkError('invalid', 'This is not a Ponder transcript.');
  }
  const version = (value as Obj).version;
  if (version !== 1 && version !== 2) {
    throw typeof version === 'number' && Number.isInteger(version) && version > TRANSCRIPT_VERSION
      ? new ShareLinkError('version', `This transcript uses format version ${version}, made by a newer Ponder. This version reads up to version ${TRANSCRIPT_VERSION}: update Ponder to open it.`)
      : new ShareLinkError('version', `This transcript has an unknown format version; this Ponder reads versions 1 to ${TRANSCRIPT_VERSION}.`);
  }
  const o = object(value, 'the transcript', ['format', 'version', 'title', 'sharedAt', 'thinkingIncluded', 'messages'], version >= 2 ? ['pathsOmitted'] : []);
  if (Object.hasOwn(o, 'pathsOmitted') && o.pathsOmitted !== true) throw invalid('pathsOmitted', 'must be true when present');
  return {
    format: TRANSCRIPT_FORMAT,
    version,
    title: string(o.title, 'title', LIMITS.titleChars),
    sharedAt: number(o.sharedAt, 'sharedAt', { max: MAX_EPOCH }),
    thinkingIncluded: boolean(o.thinkingIncluded, 'thinkingIncluded'),
    ...(o.pathsOmitted === true && { pathsOmitted: true }),
    messages: list(o.messages, 'messages', LIMITS.messages).map((m: unknown, i) => turn(m, `messages[${i}]`, version)),
  };
}

/** Parses a JSON file's text; every failure is a ShareLinkError. */
export function parseTranscriptJson(text: string): Transcript {
  if (text.length > LIMITS.jsonBytes) throw new ShareLinkError('too-large', `This file is over ${LIMITS.jsonBytes / 1024 / 1024} MB, larger than any transcript Ponder writes.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ShareLinkError('malformed', 'This file is not JSON, so it is not a Ponder transcript.');
  }
  return validateTranscript(value);
}
