/**
 * The header a server's API key travels in. Callers build the request's URL from the same
 * connection as the key, so a key goes only to the server it belongs to.
 */
export function authHeaders(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
}
