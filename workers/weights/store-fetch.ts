import { keyFromUrl } from './manifest';
import { getFile, readFile } from './store';

/**
 * transformers.js's `env.fetch`: serves model files from the weight store, so loading a stored
 * model makes no network request. Files are put into the store beforehand by the loader, which
 * owns progress, resume and errors; anything else (optional files the library probes for) passes
 * through so a 404 still reads as "absent".
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
  return fetch(input, init);
}
