import {
  DEFAULT_CONSENSUS,
  MAX_PATHS,
  MIN_PATHS,
  type ConsensusPath,
  type ConsensusRecord,
  type ConsensusSettings,
  type ConsensusStop,
  type PathStatus,
  type VoteGroup,
  type VoteOutcome,
  type VoteResult,
  type VoteWeighting,
} from '../consensus/types';
import { DEFAULT_SETTINGS, type ChatMessage, type ChatSettings, type Conversation } from './conversation';

/**
 * Stored conversations carry a schema number. Version 0 is the shape written before the number
 * existed (no settings, messages without versions); each step upgrades one version, so old data
 * always has a path forward. A record that cannot be read is reported, never allowed to wipe the rest.
 *
 * Consensus (several voting paths per reply) needed no new version: records without it read as null.
 */
export const CURRENT_SCHEMA = 1;

export interface StoredConversation extends Conversation {
  schema: number;
}

export class UnreadableRecordError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UnreadableRecordError';
  }
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
/** An index into a list of `n`, or (with n + 1) a count of at most n of its items. */
const below = (n: number) => (v: unknown): v is number => count(v) && v < n;
const fraction = (v: unknown): v is number => finite(v) && v >= 0 && v <= 1;
const pathCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= MIN_PATHS && (v as number) <= MAX_PATHS;
/** A type guard for one of a union's values; the Record makes the compiler insist on every value. */
const oneOf = <T extends string>(all: Record<T, true>) => (v: unknown): v is T => typeof v === 'string' && Object.hasOwn(all, v);

const isMode = oneOf<ConsensusSettings['mode']>({ adaptive: true, fixed: true });
const isWeighting = oneOf<VoteWeighting>({ count: true, confidence: true });
const isPathStatus = oneOf<PathStatus>({ waiting: true, streaming: true, done: true, stopped: true, length: true, error: true });
const isOutcome = oneOf<VoteOutcome>({ majority: true, tie: true, 'no-answer': true, 'too-few': true });
const isStop = oneOf<ConsensusStop>({ decided: true, settled: true, 'max-paths': true, stopped: true, error: true });

function readMessage(raw: unknown, index: number): ChatMessage {
  if (!isObject(raw)) throw new UnreadableRecordError(`message ${index} is not an object`);
  const { id, role, content } = raw;
  if (typeof id !== 'string' || (role !== 'user' && role !== 'assistant') || typeof content !== 'string') {
    throw new UnreadableRecordError(`message ${index} lacks an id, role or content`);
  }
  const num = (k: string, d: number) => (typeof raw[k] === 'number' ? (raw[k] as number) : d);
  return {
    id,
    role,
    content,
    thinking: typeof raw.thinking === 'string' ? raw.thinking : null,
    answer: typeof raw.answer === 'string' ? raw.answer : role === 'user' ? content : '',
    thinkingClosed: raw.thinkingClosed === true,
    status: (typeof raw.status === 'string' ? raw.status : 'done') as ChatMessage['status'],
    startedAt: num('startedAt', 0),
    updatedAt: num('updatedAt', num('startedAt', 0)),
    thinkingMs: typeof raw.thinkingMs === 'number' ? raw.thinkingMs : null,
    thinkingTokens: typeof raw.thinkingTokens === 'number' ? raw.thinkingTokens : null,
    generatedTokens: num('generatedTokens', 0),
    tokensPerSecond: num('tokensPerSecond', 0),
    stats: isObject(raw.stats) ? (raw.stats as unknown as ChatMessage['stats']) : null,
    error: isObject(raw.error) ? (raw.error as unknown as ChatMessage['error']) : null,
    model: isObject(raw.model) ? (raw.model as unknown as ChatMessage['model']) : null,
    settings: isObject(raw.settings) ? readSettings(raw.settings) : null,
    versions: Array.isArray(raw.versions) ? raw.versions.map((v, i) => ({ ...readMessage(v, i), versions: [] })) : [],
    attempt: num('attempt', 1),
    consensus: readConsensus(raw.consensus),
  };
}

function readSettings(raw: unknown): ChatSettings {
  if (!isObject(raw)) return { ...DEFAULT_SETTINGS };
  const pick = <K extends keyof ChatSettings>(k: K, ok: (v: unknown) => boolean): ChatSettings[K] =>
    (ok(raw[k]) ? raw[k] : DEFAULT_SETTINGS[k]) as ChatSettings[K];
  const optional = (v: unknown) => v === null || finite(v);
  return {
    temperature: pick('temperature', finite),
    topP: pick('topP', finite),
    maxNewTokens: pick('maxNewTokens', finite),
    mathDirective: pick('mathDirective', (v) => typeof v === 'boolean'),
    seed: pick('seed', optional),
    thinkingBudget: pick('thinkingBudget', optional),
    consensus: readConsensusSettings(raw.consensus),
  };
}

/** Like the other settings: a bad field takes its default; anything but an object means a single answer. */
function readConsensusSettings(raw: unknown): ConsensusSettings | null {
  if (!isObject(raw)) return null;
  return {
    maxPaths: pathCount(raw.maxPaths) ? raw.maxPaths : DEFAULT_CONSENSUS.maxPaths,
    mode: isMode(raw.mode) ? raw.mode : DEFAULT_CONSENSUS.mode,
    weighting: isWeighting(raw.weighting) ? raw.weighting : DEFAULT_CONSENSUS.weighting,
  };
}

/** Thrown inside the consensus reader only; readConsensus turns it into "no consensus". */
class MalformedConsensus extends Error {}

function need<T>(value: unknown, ok: (v: unknown) => v is T): T {
  if (!ok(value)) throw new MalformedConsensus();
  return value;
}

const nullOr =
  <T>(ok: (v: unknown) => v is T) =>
  (v: unknown): v is T | null =>
    v === null || ok(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';

function readPath(raw: unknown): ConsensusPath {
  if (!isObject(raw)) throw new MalformedConsensus();
  return {
    content: need(raw.content, isString),
    thinking: need(raw.thinking, nullOr(isString)),
    answer: need(raw.answer, isString),
    thinkingClosed: need(raw.thinkingClosed, isBoolean),
    status: need(raw.status, isPathStatus),
    generatedTokens: need(raw.generatedTokens, count),
    confidence: need(raw.confidence, nullOr(finite)),
    final: need(raw.final, nullOr(isString)),
    seed: need(raw.seed, finite),
  };
}

function readGroup(raw: unknown, paths: number): VoteGroup {
  if (!isObject(raw)) throw new MalformedConsensus();
  const members = need(raw.paths, Array.isArray) as unknown[];
  return {
    answer: need(raw.answer, isString),
    paths: members.map((p) => need(p, below(paths))),
    weight: need(raw.weight, (v): v is number => finite(v) && v >= 0),
    share: need(raw.share, fraction),
  };
}

function readVote(raw: unknown, paths: number): VoteResult | null {
  if (raw === null) return null;
  if (!isObject(raw)) throw new MalformedConsensus();
  const groups = need(raw.groups, Array.isArray) as unknown[];
  if (groups.length > paths) throw new MalformedConsensus();
  return {
    outcome: need(raw.outcome, isOutcome),
    groups: groups.map((g) => readGroup(g, paths)),
    winner: need(raw.winner, nullOr(below(groups.length))),
    finished: need(raw.finished, below(paths + 1)),
    unanswered: need(raw.unanswered, below(paths + 1)),
    weighting: need(raw.weighting, isWeighting),
  };
}

/**
 * A consensus record's paths, vote and choice are read whole or not at all: the vote and the chosen path point into the paths by
 * index, so a half-read record could point at the wrong reasoning. When it is malformed only the
 * record goes (null): the message keeps its own content, the chosen path's answer, which is what the
 * person saw. Throwing instead would hide the whole conversation for the sake of its extra paths.
 */
function readConsensus(raw: unknown): ConsensusRecord | null {
  if (!isObject(raw)) return null;
  try {
    const settings = readConsensusSettings(raw.settings);
    const list = need(raw.paths, Array.isArray) as unknown[];
    if (settings === null || list.length > MAX_PATHS) throw new MalformedConsensus();
    const paths = list.map(readPath);
    return {
      settings,
      paths,
      vote: readVote(raw.vote, paths.length),
      stop: need(raw.stop, nullOr(isStop)),
      certainty: need(raw.certainty, nullOr(fraction)),
      chosenPath: need(raw.chosenPath, nullOr(below(paths.length))),
    };
  } catch (error) {
    if (error instanceof MalformedConsensus) return null;
    throw error;
  }
}

/** v0 → v1: settings appear (the defaults of the time), replies gain a list of versions. */
function fromV0(raw: Json): Json {
  return { ...raw, schema: 1, settings: raw.settings ?? { ...DEFAULT_SETTINGS }, messages: raw.messages };
}

const MIGRATIONS: Record<number, (raw: Json) => Json> = { 0: fromV0 };

export function migrateConversation(raw: unknown): StoredConversation {
  if (!isObject(raw)) throw new UnreadableRecordError('the record is not an object');
  let record = raw;
  let version = typeof record.schema === 'number' ? record.schema : 0;
  if (version > CURRENT_SCHEMA) {
    throw new UnreadableRecordError(`it was written by a newer version of Ponder (schema ${version})`);
  }
  while (version < CURRENT_SCHEMA) {
    const step = MIGRATIONS[version];
    if (!step) throw new UnreadableRecordError(`no upgrade from schema ${version}`);
    record = step(record);
    version += 1;
  }
  const { id, title, createdAt, updatedAt, messages } = record;
  if (typeof id !== 'string' || !Array.isArray(messages)) throw new UnreadableRecordError('it lacks an id or messages');
  return {
    schema: CURRENT_SCHEMA,
    id,
    title: typeof title === 'string' ? title : '',
    createdAt: typeof createdAt === 'number' ? createdAt : 0,
    updatedAt: typeof updatedAt === 'number' ? updatedAt : 0,
    settings: readSettings(record.settings),
    messages: messages.map(readMessage),
  };
}
