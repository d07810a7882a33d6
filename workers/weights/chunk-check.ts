import { matchesDigest } from './digest';
import { chunkLength, getChunk, type StoredFile } from './store';

/** Stored chunk `index`'s bytes, or null when its length or digest is not what was recorded when it arrived. */
export async function intactChunk(file: StoredFile, index: number): Promise<Uint8Array | null> {
  const blob = await getChunk(file.key, index);
  if (blob?.size !== chunkLength(file, index)) return null;
  const bytes = new Uint8Array(await blob.arrayBuffer());
  return (await matchesDigest(bytes, file.chunkDigests[index])) ? bytes : null;
}

/** Indexes of stored chunks whose length or digest is not what was recorded when they arrived. */
export async function damagedChunks(file: StoredFile): Promise<number[]> {
  if (file.chunkDigests.length !== file.storedChunks) return Array.from({ length: file.storedChunks }, (_, i) => i);
  const bad: number[] = [];
  for (let i = 0; i < file.storedChunks; i++) {
    if (!(await intactChunk(file, i))) bad.push(i);
  }
  return bad;
}

/** Whether every stored chunk of `files` is as it arrived. */
export async function allIntact(files: readonly StoredFile[]): Promise<boolean> {
  for (const file of files) {
    if ((await damagedChunks(file)).length > 0) return false;
  }
  return true;
}

export type ChunkCheckRequest = { files: StoredFile[] };
export type ChunkCheckReply = { intact: boolean } | { error: string };

/**
 * allIntact in a worker of its own, so the check of a stored model (reading back every chunk: 2-3 s
 * for the 1.5B) runs beside its load instead of before it: ONNX Runtime builds the session on the
 * loading thread without yielding. Where there are no workers (Node, unit tests) it runs inline. A
 * check that cannot run resolves false: the caller then checks the usual way, before loading.
 */
export function checkBeside(files: readonly StoredFile[]): Promise<boolean> {
  if (typeof Worker === 'undefined') return allIntact(files).catch(() => false);
  const worker = new Worker(new URL('./chunk-check.worker.ts', import.meta.url), { type: 'module', name: 'ponder-chunk-check' });
  return new Promise<boolean>((resolve) => {
    worker.onmessage = ({ data }: MessageEvent<ChunkCheckReply>) => resolve('intact' in data && data.intact);
    worker.onerror = (event) => {
      event.preventDefault();
      resolve(false);
    };
    worker.postMessage({ files: [...files] } satisfies ChunkCheckRequest);
  }).finally(() => worker.terminate());
}
