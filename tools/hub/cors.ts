/** CORS: the app runs on another 127.0.0.1 port, so every response is readable cross-origin. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const EXPOSED_HEADERS = [
  'Content-Length',
  'Content-Range',
  'ETag',
  'X-Linked-Etag',
  'X-Linked-Size',
  'Accept-Ranges',
  'X-Error-Code',
  'X-Error-Message',
].join(', ');

const ALLOWED_HEADERS = ['Range', 'If-None-Match', 'If-Range', 'Content-Type'];

/** Headers every response carries. */
export function applyCors(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
}

/** Answers an OPTIONS preflight: allows our methods and whatever headers the browser asks for. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  const asked = (req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  const allowed = [...ALLOWED_HEADERS];
  for (const h of asked) {
    if (!allowed.some((a) => a.toLowerCase() === h.toLowerCase())) allowed.push(h);
  }
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, DELETE, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', allowed.join(', '));
  res.setHeader('Access-Control-Max-Age', '600');
  if (req.headers['access-control-request-private-network'] === 'true') {
    res.setHeader('Access-Control-Allow-Private-Network', 'true');
  }
  res.writeHead(204, { 'Content-Length': 0 });
  res.end();
}
