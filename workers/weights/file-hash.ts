import { chunkDigest } from './digest';
import { Sha256, type Sha256State } from './sha256';

/**
 * A download's whole-file hash, fed chunk by chunk, with each chunk's own digest. In a browser it
 * runs in a worker of its own, so hashing (the costliest step of storing a chunk) runs beside the
 * thread that reads the body and writes IndexedDB instead of between its reads; where there are no
 * workers (Node, unit tests) it runs inline.
 */
export interface FileHash {
  /**
   * Hashes a chunk (its bytes in one or more pieces) and resolves with the state after it and its
   * digest. The pieces' buffers may be transferred away: whatever else reads them (the chunk's Blob)
   * must have taken its copy before, and each piece must own its whole buffer.
   */
  update(pieces: readonly Uint8Array[]): Promise<ChunkHashed>;
  /** Finishes the hash: lowercase hex. */
  hex(): Promise<string>;
  close(): void;
}

/** The whole-file hash's state after a chunk, and the chunk's digest (digest.ts). */
export interface ChunkHashed {
  state: Sha256State;
  digest: string;
}

export type FileHashRequest = { kind: 'start'; state: Sha256State } | { kind: 'update'; pieces: readonly Uint8Array[] } | { kind: 'hex' };
export type FileHashReply = ({ kind: 'state' } & ChunkHashed) | { kind: 'hex'; hex: string } | { kind: 'error'; message: string };

/** Continues `from` (a new hash, or one rebuilt from stored chunks); `from` is not to be used afterwards. */
export function startFileHash(from: Sha256): FileHash {
  if (typeof Worker === 'undefined') {
    return { update: async (pieces) => ({ digest: await chunkDigest(pieces), state: from.update(pieces).save() }), hex: async () => from.hex(), close: () => {} };
  }
  return new WorkerFileHash(from.save());
}

class WorkerFileHash implements FileHash {
  private readonly worker = new Worker(new URL('./file-hash.worker.ts', import.meta.url), { type: 'module', name: 'ponder-file-hash' });
  /** One reply comes per request, in order. */
  private readonly waiting: Array<{ resolve: (reply: FileHashReply) => void; reject: (error: Error) => void }> = [];
  private failure: Error | null = null;

  constructor(state: Sha256State) {
    this.worker.onmessage = ({ data }: MessageEvent<FileHashReply>) => {
      if (data.kind === 'error') this.fail(data.message);
      else this.waiting.shift()?.resolve(data);
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail(event.message || 'it did not start');
    };
    this.worker.postMessage({ kind: 'start', state } satisfies FileHashRequest);
  }

  private fail(reason: string): void {
    this.failure ??= new Error(`Hashing the download failed: ${reason}`);
    for (const { reject } of this.waiting.splice(0)) reject(this.failure);
    this.worker.terminate();
  }

  private request(message: FileHashRequest, transfer: Transferable[] = []): Promise<FileHashReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(message, transfer);
    });
  }

  async update(pieces: readonly Uint8Array[]): Promise<ChunkHashed> {
    const reply = await this.request({ kind: 'update', pieces }, [...new Set(pieces.map((p) => p.buffer as ArrayBuffer))]);
    if (reply.kind !== 'state') throw new Error(`The hash worker answered ${reply.kind} to an update`);
    return { state: reply.state, digest: reply.digest };
  }

  async hex(): Promise<string> {
    const reply = await this.request({ kind: 'hex' });
    if (reply.kind !== 'hex') throw new Error(`The hash worker answered ${reply.kind} to a digest`);
    return reply.hex;
  }

  close(): void {
    this.worker.terminate();
  }
}
