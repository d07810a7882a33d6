// Link safety for untrusted model output. Allow-list, not block-list: only absolute http(s) and
// mailto URLs become links. Everything else (javascript:, data:, vbscript:, file:, blob:, relative
// and protocol-relative paths that would resolve against the app's own origin) is shown as text.

import { decodeEntities } from './entities.ts';

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * The normalized URL to put in `href`, or null when the destination must not become a link.
 * The check runs on what the browser would navigate to: character references decoded, then the
 * WHATWG URL parser, which strips the control characters, tabs and newlines that hide a scheme.
 */
export function safeHref(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(decodeEntities(raw).trim());
  } catch {
    return null; // relative or malformed
  }
  return ALLOWED_PROTOCOLS.has(url.protocol) ? url.href : null;
}
