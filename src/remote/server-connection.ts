/*
 * What the "Connect a server" form and a reload's reconnect share: the check made before connecting,
 * and what this browser remembers of the last server (its engine, address and model, to prefill the
 * form and to reconnect after a reload while it was connected) with each server's API key under its
 * origin. The key is sent only to that origin and never leaves localStorage otherwise.
 */
import { normalizeBaseUrl, PRESETS, type EngineId } from './presets';
import { listModels, RemoteError } from './remote-engine';
import { readSetting, writeSetting } from '../util/local-setting';

const LAST_SERVER_KEY = 'ponder.server';
const API_KEY_PREFIX = 'ponder.apiKey:';

/** A server and the model replies come from. */
export interface ServerTarget {
  preset: EngineId;
  baseUrl: string;
  model: string;
}

export interface SavedServer extends ServerTarget {
  /** Connected when the page was left: a reload connects again. */
  connected: boolean;
}

export interface Problem {
  message: string;
  detail?: string;
}

export function problemOf(error: unknown): Problem {
  if (error instanceof RemoteError) return { message: error.message, ...(error.failure.detail ? { detail: error.failure.detail } : {}) };
  return { message: 'Talking to the server failed unexpectedly.', detail: String(error) };
}

/**
 * One request before connecting, so an address, CORS or key problem shows at once rather than on the
 * first question; null when chatting can go ahead. A server without a model list (HTTP 404 and the
 * like) may still chat: only what stops chatting too is a problem.
 */
export async function probeServer(server: ServerTarget, apiKey: string): Promise<Problem | null> {
  try {
    await listModels({ baseUrl: server.baseUrl, engine: server.preset, ...(apiKey ? { apiKey } : {}) });
    return null;
  } catch (error) {
    const blocks = !(error instanceof RemoteError) || error.kind === 'unreachable' || error.kind === 'mixed-content' || error.kind === 'auth';
    return blocks ? problemOf(error) : null;
  }
}

/** The origin a key belongs to, or null for an address that is not a URL. */
export function originOf(baseUrl: string): string | null {
  try {
    return new URL(normalizeBaseUrl(baseUrl)).origin;
  } catch {
    return null;
  }
}

/** The API key stored for this address's origin ('' for none). */
export function storedKey(baseUrl: string): string {
  const origin = originOf(baseUrl);
  return origin ? (readSetting(API_KEY_PREFIX + origin) ?? '') : '';
}

export function lastServer(): SavedServer | null {
  try {
    const value = JSON.parse(readSetting(LAST_SERVER_KEY) ?? 'null') as Partial<SavedServer> | null;
    if (value && typeof value.preset === 'string' && value.preset in PRESETS && typeof value.baseUrl === 'string' && typeof value.model === 'string') {
      return { preset: value.preset, baseUrl: value.baseUrl, model: value.model, connected: value.connected === true };
    }
  } catch {
    // A damaged setting: nothing is remembered.
  }
  return null;
}

/** Remembers the server the person connected to, and its key under the server's origin (none removes it). */
export function saveServer(server: ServerTarget, apiKey: string): void {
  const origin = originOf(server.baseUrl);
  if (origin) writeSetting(API_KEY_PREFIX + origin, apiKey || null);
  writeSetting(LAST_SERVER_KEY, JSON.stringify({ preset: server.preset, baseUrl: server.baseUrl, model: server.model, connected: true } satisfies SavedServer));
}

/** Marks the last server connected or not; the form keeps its fields either way. */
export function setConnected(connected: boolean): void {
  const last = lastServer();
  if (last && last.connected !== connected) writeSetting(LAST_SERVER_KEY, JSON.stringify({ ...last, connected }));
}
