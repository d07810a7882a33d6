// Incremental SHA-256 for whole model files. SubtleCrypto only digests whole buffers, but a model file
// arrives as a stream across several requests (and page loads), so it is hashed as bytes arrive and
// its state is saved with each stored chunk, letting a resumed download continue it. hash-wasm's
// WebAssembly SHA-256 runs ~3× the pure-JS one it replaced (which held downloads to ~50 MB/s).
import { createSHA256, type IHasher } from 'hash-wasm';

/**
 * A saved hash: hash-wasm's state bytes (116 for SHA-256), prefixed with an id of its WebAssembly
 * build, so a state from another build is refused rather than misread.
 */
export type Sha256State = Uint8Array;

export class Sha256 {
  private constructor(private readonly hasher: IHasher) {}

  static async create(): Promise<Sha256> {
    return new Sha256((await createSHA256()).init());
  }

  /**
   * Continues a saved hash; null for a state this build cannot continue (the pure-JS hash's
   * `{h, length, pending}`, another hash-wasm build's bytes): the caller hashes the bytes again.
   */
  static async load(state: unknown): Promise<Sha256 | null> {
    if (!(state instanceof Uint8Array)) return null;
    const hasher = await createSHA256();
    try {
      hasher.load(state);
    } catch {
      return null;
    }
    return new Sha256(hasher);
  }

  /** Hashes `data` next; its bytes may come in pieces. */
  update(data: Uint8Array | readonly Uint8Array[]): this {
    for (const piece of data instanceof Uint8Array ? [data] : data) this.hasher.update(piece);
    return this;
  }

  /** The state to persist; `Sha256.load(state)` continues exactly where this one is. */
  save(): Sha256State {
    return this.hasher.save();
  }

  /** Finishes the hash (the object must not be updated afterwards) and returns lowercase hex. */
  hex(): string {
    return this.hasher.digest('hex');
  }
}

/** The sha256 a hub response or listing names, if it is one: LFS ETags are the quoted hex digest. */
export function sha256FromEtag(etag: string | null | undefined): string | null {
  const m = etag ? /^(?:W\/)?"?([0-9a-f]{64})"?$/i.exec(etag.trim()) : null;
  return m?.[1] ? m[1].toLowerCase() : null;
}
