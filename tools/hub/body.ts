/** Sending a response body, shaped by a body fault (drop, slow, wrongLength, corrupt) when one matches. */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeHead, type Exchange } from './exchange.ts';
import { bodyFaultApplies } from './faults.ts';
import type { Fault } from './types.ts';

/** Bytes in memory, or an inclusive byte range of a file. */
export type BodySource = { data: Buffer } | { file: string; start: number; end: number };

const DEFAULT_EXTRA_BYTES = 1024;
/** Slow bodies are sent in this many slices per second. */
const SLOW_TICKS_PER_SECOND = 20;

async function* chunks(source: BodySource): AsyncGenerator<Buffer> {
  if ('data' in source) {
    yield source.data;
    return;
  }
  if (source.end < source.start) return;
  const stream = createReadStream(source.file, { start: source.start, end: source.end, highWaterMark: 64 * 1024 });
  for await (const chunk of stream) yield chunk as Buffer;
}

/** Writes with backpressure; false when the response closed first. */
async function write(res: ServerResponse, chunk: Buffer, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted || res.destroyed) return false;
  if (res.write(chunk)) return true;
  try {
    await once(res, 'drain', { signal });
    return true;
  } catch {
    return false;
  }
}

/** Ends the connection after what was written has been flushed: the client sees a body cut short. */
function cutConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket || socket.destroyed) return;
  socket.end(() => socket.destroy());
}

/**
 * Writes status, headers (plus Content-Length) and the body of `length` bytes. A matching body fault is
 * taken from the exchange's fault list (HEAD responses have no body, so none applies to them).
 */
export async function sendBody(
  ex: Exchange,
  status: number,
  headers: OutgoingHttpHeaders,
  source: BodySource,
  length: number,
): Promise<void> {
  const { req, res, entry, signal } = ex;
  const isHead = req.method === 'HEAD';
  const fault: Fault | undefined = isHead
    ? undefined
    : ex.faults.take(ex.path, (f) => bodyFaultApplies(f, length));
  entry.fault = fault?.kind ?? null;

  let contentLength = length;
  if (fault?.kind === 'wrongLength') {
    contentLength = Math.max(0, length + (fault.extraBytes ?? DEFAULT_EXTRA_BYTES));
  }
  const closeAfter = fault?.kind === 'wrongLength' || fault?.kind === 'drop';
  writeHead(ex, status, { ...headers, 'Content-Length': contentLength, ...(closeAfter ? { Connection: 'close' } : {}) });
  if (isHead) {
    res.end();
    return;
  }

  const limit = fault?.kind === 'drop' ? fault.afterBytes : Infinity;
  const flipAt = fault?.kind === 'corrupt' ? Math.floor(length / 2) : -1;
  const bytesPerSecond = fault?.kind === 'slow' ? fault.bytesPerSecond : 0;
  const slice = bytesPerSecond > 0 ? Math.max(1, Math.ceil(bytesPerSecond / SLOW_TICKS_PER_SECOND)) : Infinity;
  if (fault?.kind === 'slow' || fault?.kind === 'drop') res.flushHeaders();

  const started = performance.now();
  let offset = 0;
  try {
    for await (const raw of chunks(source)) {
      let chunk = offset + raw.length > limit ? raw.subarray(0, limit - offset) : raw;
      if (flipAt >= offset && flipAt < offset + chunk.length) {
        chunk = Buffer.from(chunk);
        chunk[flipAt - offset] = (chunk[flipAt - offset] ?? 0) ^ 0xff;
      }
      for (let i = 0; i < chunk.length; i += slice) {
        const piece = chunk.subarray(i, i + slice);
        if (bytesPerSecond > 0) {
          const wait = started + (offset * 1000) / bytesPerSecond - performance.now();
          if (wait > 0) await sleep(wait, undefined, { signal });
        }
        if (!(await write(res, piece, signal))) return;
        offset += piece.length;
        entry.bytesSent = offset;
      }
      if (offset >= limit) break;
    }
  } catch (err) {
    if (signal.aborted) return;
    throw err;
  }

  if (fault?.kind === 'drop') cutConnection(res);
  else res.end();
}
