import { DEFAULT_SETTINGS, type ChatMessage, type ChatSettings, type Conversation } from './conversation';

/**
 * Stored conversations carry a schema number. Version 0 is the shape written before the number
 * existed (no settings, messages without versions); each step upgrades one version, so old data
 * always has a path forward. A record that cannot be read is reported, never allowed to wipe the rest.
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
  };
}

function readSettings(raw: unknown): ChatSettings {
  if (!isObject(raw)) return { ...DEFAULT_SETTINGS };
  const pick = <K extends keyof ChatSettings>(k: K, ok: (v: unknown) => boolean): ChatSettings[K] =>
    (ok(raw[k]) ? raw[k] : DEFAULT_SETTINGS[k]) as ChatSettings[K];
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const optional = (v: unknown) => v === null || finite(v);
  return {
    temperature: pick('temperature', finite),
    topP: pick('topP', finite),
    maxNewTokens: pick('maxNewTokens', finite),
    mathDirective: pick('mathDirective', (v) => typeof v === 'boolean'),
    seed: pick('seed', optional),
    thinkingBudget: pick('thinkingBudget', optional),
  };
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
