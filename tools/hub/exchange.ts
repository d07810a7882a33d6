/** One request being answered, and small helpers for bodiless and JSON responses. */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FaultList } from './faults.ts';
import type { HubRequest } from './types.ts';

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** This request's log entry (updated in place). */
  entry: HubRequest;
  /** Decoded path, used for fault matching. */
  path: string;
  /** Aborted when the response closes (finished, client gone, or hub closed). */
  signal: AbortSignal;
  faults: FaultList;
}

export function writeHead(ex: Exchange, status: number, headers: OutgoingHttpHeaders): void {
  ex.entry.status = status;
  ex.res.writeHead(status, headers);
}

/** A response with headers only (304, 416, 204, HEAD of an error...). */
export function sendEmpty(ex: Exchange, status: number, headers: OutgoingHttpHeaders = {}): void {
  writeHead(ex, status, { 'Content-Length': 0, ...headers });
  ex.res.end();
}

export function sendJson(ex: Exchange, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const data = Buffer.from(JSON.stringify(body));
  writeHead(ex, status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': data.length,
    'Cache-Control': 'no-store',
    ...headers,
  });
  if (ex.req.method === 'HEAD' || status === 204 || status === 304) {
    ex.res.end();
    return;
  }
  ex.entry.bytesSent = data.length;
  ex.res.end(data);
}

/** The hub's error shape: `{"error": message}` plus `X-Error-Code` / `X-Error-Message`. */
export function sendHubError(ex: Exchange, status: number, message: string, code?: string): void {
  sendJson(ex, status, { error: message }, {
    ...(code === undefined ? {} : { 'X-Error-Code': code }),
    'X-Error-Message': message,
  });
}
