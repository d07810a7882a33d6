// Share links built by hand around arbitrary JSON (test-only), as a hostile sender could make them:
// the same layout as codec.ts (gzip member without its 10-byte header, base64url, "1." prefix).

import { toBase64Url } from '../base64url.ts';

export async function gzip(data: string | Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function linkForJson(json: string | Uint8Array): Promise<string> {
  return `1.${toBase64Url((await gzip(json)).subarray(10))}`;
}
