// base64url without padding (RFC 4648 §5): safe in a URL fragment without escaping.

const CHUNK = 0x8000; // String.fromCharCode takes its bytes as arguments; keep the call small

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The bytes, or null when `text` is not canonical base64url. Canonical means re-encoding gives the
 * same text, so no two links (for instance differing only in a last character's unused bits) carry
 * the same bytes: an edited link never silently decodes.
 */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return toBase64Url(bytes) === text ? bytes : null;
}
