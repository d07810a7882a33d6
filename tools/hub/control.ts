/**
 * Test control over HTTP, for a hub in another process:
 * `POST /__control/faults` (JSON fault rule), `GET|DELETE /__control/faults`,
 * `GET|DELETE /__control/requests`. Control requests are not logged and never faulted.
 */
import type { IncomingMessage } from 'node:http';
import { sendEmpty, sendHubError, sendJson, type Exchange } from './exchange.ts';
import { parseFaultRule } from './faults.ts';
import type { Hub } from './types.ts';

const MAX_BODY = 64 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const parts: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new TypeError('body too large');
    parts.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(parts).toString('utf8')) as unknown;
}

export async function handleControl(
  ex: Exchange,
  hub: Pick<Hub, 'addFault' | 'clearFaults' | 'requests' | 'clearRequests'>,
  listFaults: () => unknown,
  what: string,
): Promise<void> {
  const method = ex.req.method;
  if (what === 'faults') {
    if (method === 'POST') {
      let rule;
      try {
        rule = parseFaultRule(await readJson(ex.req));
      } catch (err) {
        return sendHubError(ex, 400, `Bad fault: ${(err as Error).message}`);
      }
      hub.addFault(rule);
      return sendJson(ex, 201, { ok: true, faults: listFaults() });
    }
    if (method === 'DELETE') {
      hub.clearFaults();
      return sendEmpty(ex, 204);
    }
    if (method === 'GET') return sendJson(ex, 200, listFaults());
  } else if (what === 'requests') {
    if (method === 'DELETE') {
      hub.clearRequests();
      return sendEmpty(ex, 204);
    }
    if (method === 'GET') return sendJson(ex, 200, hub.requests);
  } else {
    return sendHubError(ex, 404, 'Unknown control endpoint');
  }
  return sendHubError(ex, 405, `Method ${method ?? ''} not allowed`);
}
