/**
 * The browser side of weight-store.ts, run from source in a dedicated module worker (as the app's
 * weight code runs in its worker): each step writes or reads the benchmark file one way and reports
 * its time. The app's steps call the real workers/weights code; the raw ones do what transformers.js
 * does with its browser cache.
 */
import { ensureStored } from '../../workers/weights/download';
import { deleteFile, fileKey } from '../../workers/weights/store';
import { storeFetch } from '../../workers/weights/store-fetch';

export type Step = 'app-write' | 'raw-write' | 'plain-fetch' | 'app-read' | 'raw-read' | 'clear';

/** The file on the hub, as the app's manifest lists it. */
export interface BenchFile {
  url: string;
  repo: string;
  revision: string;
  path: string;
  size: number;
  sha256: string;
}

export interface StepArgs {
  step: Step;
  file: BenchFile;
  /** `[offset, byte]` pairs a read must return. */
  samples: Array<[number, number]>;
}

/** transformers.js's `env.cacheKey`, the Cache Storage name it opens. */
const CACHE = 'transformers-cache';

const key = (file: BenchFile) => fileKey(file.repo, file.revision, file.path);

function check(buffer: ArrayBuffer, file: BenchFile, samples: StepArgs['samples']): void {
  if (buffer.byteLength !== file.size) throw new Error(`read ${buffer.byteLength} bytes of ${file.size}`);
  const view = new Uint8Array(buffer);
  for (const [offset, byte] of samples) {
    if (view[offset] !== byte) throw new Error(`byte ${offset} is ${view[offset]}, expected ${byte}`);
  }
}

async function ok(response: Promise<Response>): Promise<Response> {
  const r = await response;
  if (!r.ok) throw new Error(`HTTP ${r.status} for ${r.url}`);
  return r;
}

const STEPS: Record<Step, (file: BenchFile, samples: StepArgs['samples']) => Promise<void>> = {
  /** The app's download: streamed into 16 MiB IndexedDB chunks, hashed per chunk and whole. */
  'app-write': async (file) => {
    const stored = await ensureStored({ ...file, key: key(file) }, () => {});
    if (!stored.complete || stored.size !== file.size) throw new Error(`ensureStored left ${stored.storedChunks} chunks, incomplete`);
  },
  /** The response's body streamed into Cache Storage; put resolves once the body is stored. */
  'raw-write': async (file) => {
    const response = await ok(fetch(file.url));
    await (await caches.open(CACHE)).put(file.url, response);
  },
  /** The same bytes read to the end and dropped: what the hub and the network stack can deliver. */
  'plain-fetch': async (file) => {
    const reader = (await ok(fetch(file.url, { cache: 'no-store' }))).body?.getReader();
    if (!reader) throw new Error('the response has no body');
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
    if (bytes !== file.size) throw new Error(`fetched ${bytes} bytes of ${file.size}`);
  },
  /** transformers.js's `env.fetch` in the app, read as it reads a model file. */
  'app-read': async (file, samples) => check(await (await ok(storeFetch(file.url))).arrayBuffer(), file, samples),
  'raw-read': async (file, samples) => {
    const response = await (await caches.open(CACHE)).match(file.url);
    if (!response) throw new Error('the file is not in Cache Storage');
    check(await response.arrayBuffer(), file, samples);
  },
  clear: async (file) => {
    await deleteFile(key(file));
    await caches.delete(CACHE);
  },
};

/** Runs one step; its seconds. */
async function storeStep({ step, file, samples }: StepArgs): Promise<number> {
  const t0 = performance.now();
  try {
    await STEPS[step](file, samples);
    return (performance.now() - t0) / 1000;
  } finally {
    // Chromium runs with --js-flags=--expose-gc (source-page.ts): drop this step's buffers before the next one.
    (globalThis as { gc?: () => void }).gc?.();
  }
}

(globalThis as { storeStep?: typeof storeStep }).storeStep = storeStep;
