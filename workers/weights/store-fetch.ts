import type { ModelManifest } from './manifest';
import { keyFromUrl } from './manifest';
import { getFile, readFile } from './store';

let active: { prefix: string; keys: ReadonlySet<string> } | null = null;

/**
 * Tells storeFetch which files the model being loaded has. transformers.js also probes for
 * optional files (chat templates, processor configs); for the active repo, any file not in the
 * plan was absent from the host's listing, so it is answered "not found" here instead of asking
 * the network, and a stored model loads with no request at all (offline included).
 */
export function serveOnly(manifest: ModelManifest): void {
  const first = manifest.files[0];
  active = first ? { prefix: `${first.repo}@${first.revision}/`, keys: new Set(manifest.files.map((f) => f.key)) } : null;
}

/**
 * transformers.js's `env.fetch`: serves model files from the weight store, so loading a stored
 * model makes no network request. Files are put into the store beforehand by the loader, which
 * owns progress, resume, integrity and errors; anything else passes through so a 404 still reads
 * as "absent".
 */
export async function storeFetch(input: string | URL, init?: RequestInit): Promise<Response> {
  const url = String(input);
  const key = /^https?:/.test(url) ? keyFromUrl(url) : null;
  const stored = key ? await getFile(key) : undefined;
  if (stored?.complete) {
    const blob = await readFile(stored);
    return new Response(blob, {
      status: 200,
      headers: { 'content-length': String(blob.size), 'content-type': 'application/octet-stream' },
    });
  }
  if (key && active && key.startsWith(active.prefix) && !active.keys.has(key)) {
    return new Response('{"error":"Entry not found"}', { status: 404, headers: { 'content-type': 'application/json' } });
  }
  return fetch(input, init);
}
