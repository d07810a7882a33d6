// Transcript <-> the text after `#share=`: JSON, gzip, base64url. The fragment never reaches a
// server, so a shared transcript goes only where the person sends the link.
//
// The link carries a gzip member without its fixed 10-byte header. Gzip rather than raw deflate
// because its trailer (CRC-32 and length) catches a corrupted or truncated link, which raw deflate
// could decode into a silently different text; the header holds only a timestamp and an OS byte,
// so dropping it saves space and leaves no byte of the link unchecked.

import { fromBase64Url, toBase64Url } from './base64url.ts';
import { LIMITS, ShareLinkError, type Transcript } from './transcript.ts';
import { validateTranscript } from './validate.ts';

/** Names this encoding inside the link, so a later one can be told apart. */
const PREFIX = '1.';
const GZIP_HEADER = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
/** Small input slices bound what one step of decompression can expand to (deflate peaks at ~1032:1). */
const SLICE = 1024;

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function slices(bytes: Uint8Array): ReadableStream<BufferSource> {
  let offset = 0;
  return new ReadableStream<BufferSource>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + SLICE));
      offset += SLICE;
    },
  });
}

/** Inflates, giving up as soon as the output passes `cap`: a tiny link cannot fill memory. */
async function gunzipCapped(bytes: Uint8Array, cap: number): Promise<Uint8Array> {
  const reader = slices(bytes).pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      throw new ShareLinkError('too-large', `This link unpacks to more than ${cap / 1024 / 1024} MB, larger than any transcript Ponder writes.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export async function encodeTranscript(t: Transcript): Promise<string> {
  const packed = await gzip(new TextEncoder().encode(JSON.stringify(t)));
  return PREFIX + toBase64Url(packed.subarray(GZIP_HEADER.length));
}

const corrupted = () =>
  new ShareLinkError('corrupted', 'This link is damaged or incomplete: part of it was probably lost when it was copied. Ask for the link again, or for the file.');

/** Decodes the text after `#share=`. Rejects only with ShareLinkError. */
export async function decodeTranscript(s: string): Promise<Transcript> {
  try {
    return await decode(s);
  } catch (error) {
    // Anything unforeseen still reaches the user as a reason, never as a crash.
    throw error instanceof ShareLinkError ? error : corrupted();
  }
}

async function decode(s: unknown): Promise<Transcript> {
  if (typeof s !== 'string' || s.length === 0) throw new ShareLinkError('malformed', 'This share link is empty.');
  if (s.length > LIMITS.linkChars) throw new ShareLinkError('too-large', 'This share link is longer than browsers allow; ask for the file instead.');
  const dot = s.indexOf('.');
  const version = dot > 0 ? s.slice(0, dot + 1) : '';
  if (version !== PREFIX) {
    throw /^\d+\.$/.test(version)
      ? new ShareLinkError('version', 'This link was made by a newer version of Ponder; update Ponder to open it.')
      : new ShareLinkError('malformed', 'This is not a Ponder share link.');
  }
  const body = fromBase64Url(s.slice(PREFIX.length));
  if (body === null || body.length === 0) throw new ShareLinkError('malformed', 'This share link has characters a Ponder link never contains; it may have been edited or cut.');
  const withHeader = new Uint8Array(GZIP_HEADER.length + body.length);
  withHeader.set(GZIP_HEADER);
  withHeader.set(body, GZIP_HEADER.length);

  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(await gunzipCapped(withHeader, LIMITS.jsonBytes));
  } catch (error) {
    throw error instanceof ShareLinkError ? error : corrupted();
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw corrupted();
  }
  return validateTranscript(value);
}
