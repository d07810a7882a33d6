// The worker side of file-hash.ts: one download's whole-file hash and its chunks' digests, requests handled in order.
import type { FileHashReply, FileHashRequest } from './file-hash';
import { chunkDigest } from './digest';
import { Sha256 } from './sha256';

let hash: Sha256 | null = null;
let queue: Promise<void> = Promise.resolve();

const post = (reply: FileHashReply) => self.postMessage(reply);

async function handle(request: FileHashRequest): Promise<void> {
  if (request.kind === 'start') {
    hash = await Sha256.load(request.state);
    if (!hash) throw new Error('the hash state to continue was saved by another build');
    return;
  }
  if (!hash) throw new Error('no hash was started');
  if (request.kind === 'update') post({ kind: 'state', digest: await chunkDigest(request.pieces), state: hash.update(request.pieces).save() });
  else post({ kind: 'hex', hex: hash.hex() });
}

self.onmessage = ({ data }: MessageEvent<FileHashRequest>) => {
  queue = queue.then(() => handle(data)).catch((error: unknown) => post({ kind: 'error', message: String(error) }));
};
