/** The local model hub: an HTTP server with the Hugging Face hub's URL layout, faults and a request log. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { handleControl } from './control.ts';
import { answerPreflight, applyCors } from './cors.ts';
import { sendEmpty, sendHubError, sendJson, type Exchange } from './exchange.ts';
import { FaultList } from './faults.ts';
import { HashCache } from './hashes.ts';
import { handleModelInfo } from './model-info.ts';
import { handleResolve, handleStorage } from './resolve.ts';
import type { FaultRule, Hub, HubOptions, HubRequest } from './types.ts';

export type { Fault, FaultKind, FaultRule, Hub, HubOptions, HubRequest } from './types.ts';

type Route =
  | { kind: 'resolve'; org: string; repo: string; revision: string; file: string[] }
  | { kind: 'model'; org: string; repo: string; revision: string };

/** `/{org}/{repo}/resolve/{rev}/{path...}`, `/api/models/{org}/{repo}[/revision/{rev}]`. */
function route(segs: string[]): Route | null {
  const [a, b, c, d, e, f] = segs;
  if (a === 'api' && b === 'models' && c !== undefined && d !== undefined) {
    if (segs.length === 4) return { kind: 'model', org: c, repo: d, revision: 'main' };
    if (segs.length === 6 && e === 'revision' && f !== undefined) return { kind: 'model', org: c, repo: d, revision: f };
    return null;
  }
  if (segs.length >= 5 && a !== undefined && b !== undefined && c === 'resolve' && d !== undefined) {
    return { kind: 'resolve', org: a, repo: b, revision: d, file: segs.slice(4) };
  }
  return null;
}

function sendStatusFault(ex: Exchange, status: number): void {
  if (status === 404) return sendHubError(ex, 404, 'Entry not found', 'EntryNotFound');
  if (status === 204 || status === 304) return sendEmpty(ex, status);
  return sendHubError(ex, status, `Injected fault: HTTP ${status}`);
}

function formatUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

export async function startHub({ root, port = 0, host = '127.0.0.1', storageRedirect = false }: HubOptions): Promise<Hub> {
  const rootDir = resolvePath(root);
  const faults = new FaultList();
  const hashes = new HashCache();
  const requests: HubRequest[] = [];
  let nextId = 1;

  const hub: Pick<Hub, 'addFault' | 'clearFaults' | 'requests' | 'clearRequests'> = {
    addFault: (f: FaultRule) => faults.add(f),
    clearFaults: () => faults.clear(),
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    applyCors(res);
    res.on('error', () => {});
    const aborter = new AbortController();
    res.on('close', () => aborter.abort());

    const url = new URL(req.url ?? '/', 'http://hub.invalid');
    const method = req.method ?? 'GET';
    let segs: string[] | null;
    try {
      segs = url.pathname.split('/').slice(1).map(decodeURIComponent);
    } catch {
      segs = null;
    }
    const path = segs ? `/${segs.join('/')}` : url.pathname;
    const entry: HubRequest = { id: 0, method, path, range: req.headers.range ?? null, status: 0, bytesSent: 0, fault: null };
    const ex: Exchange = { req, res, entry, path, signal: aborter.signal, faults };

    if (segs?.[0] === '__control') return handleControl(ex, hub, () => faults.list(), segs[1] ?? '');

    entry.id = nextId++;
    requests.push(entry);
    if (method === 'OPTIONS') {
      entry.status = 204;
      return answerPreflight(req, res);
    }
    if (!segs) return sendHubError(ex, 400, 'Bad path encoding');
    if (segs[0] === '__storage' && segs.length >= 5 && (method === 'GET' || method === 'HEAD')) {
      return handleStorage(ex, rootDir, hashes, segs.slice(1));
    }
    const r = route(segs);
    if (!r) return sendHubError(ex, 404, 'Not found');
    if (method !== 'GET' && method !== 'HEAD') {
      return sendHubError(ex, 405, `Method ${method} not allowed`, undefined);
    }
    const statusFault = faults.take(path, (f) => f.kind === 'status');
    if (statusFault?.kind === 'status') {
      entry.fault = 'status';
      return sendStatusFault(ex, statusFault.status);
    }
    if (r.kind === 'model') return handleModelInfo(ex, rootDir, hashes, r.org, r.repo);
    return handleResolve(ex, rootDir, hashes, r.org, r.repo, r.revision, r.file, storageRedirect);
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        const ex = { req, res, entry: { status: 0, bytesSent: 0 } } as Exchange;
        sendJson(ex, 500, { error: `Hub error: ${(err as Error)?.message ?? String(err)}` });
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: formatUrl(host, actualPort),
    port: actualPort,
    ...hub,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}
