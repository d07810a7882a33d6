import { afterEach, describe, expect, it, vi } from 'vitest';
import { DataType, GraphBuilder, encodeModel, valueInfo } from '../../tools/fixture/onnx-builder';
import { fillUniform } from '../../tools/fixture/prng';
import type { ModelManifest } from './manifest';
import { listExternalTensors } from './onnx-external';
import type { Derived, StoredFile } from './store';
import type { ServedEntry } from './store-fetch';

// serveStored on a transformers.js repo whose graph holds its weights inline, with the weight store
// kept in memory (as download.test.ts keeps it) and every read of a stored file counted.
const db = vi.hoisted(() => ({ files: new Map<string, StoredFile>(), bytes: new Map<string, Uint8Array>(), derived: new Map<string, Derived>(), reads: 0 }));
vi.mock('./store', async (importActual) => {
  const actual = await importActual<typeof import('./store')>();
  return {
    ...actual,
    getFile: async (key: string) => structuredClone(db.files.get(key)),
    readFile: async (file: StoredFile) => {
      db.reads++;
      return new Blob([db.bytes.get(file.key) as Uint8Array<ArrayBuffer>]);
    },
    getDerived: async (key: string) => structuredClone(db.derived.get(key)),
    putDerived: async (key: string, value: Derived) => void db.derived.set(key, structuredClone(value)),
  };
});
const served = vi.hoisted(() => ({ entries: new Map<string, ServedEntry>() }));
vi.mock('./store-fetch', () => ({ serveModel: (_: unknown, entries: Map<string, ServedEntry>) => void (served.entries = entries) }));

const { serveStored } = await import('./model-view');

const REPO = 'org/inline';
const PATH = 'onnx/model_q4.onnx';
const KEY = `${REPO}@main/${PATH}`;

/** Three 64 x 64 float weights (16 KiB each) and a 64-byte bias, all inline. */
function inlineModel(): Uint8Array {
  const g = new GraphBuilder();
  let h = 'x';
  for (let i = 0; i < 3; i++) h = g.op('MatMul', [h, g.f32(`w${i}`, [64, 64], fillUniform(new Float32Array(64 * 64), `w${i}`, 0.1))]);
  g.node('Add', [h, g.f32('bias', [64], fillUniform(new Float32Array(64), 'bias', 1))], {}, { outputs: ['y'] });
  return encodeModel(g, { opset: 14, graphName: 'inline', inputs: [valueInfo('x', DataType.FLOAT, [1, 64])], outputs: [valueInfo('y', DataType.FLOAT, [1, 64])] });
}

function store(bytes: Uint8Array, chunkDigests = ['xxh64:0000000000000001']): void {
  db.bytes.set(KEY, bytes);
  db.files.set(KEY, {
    key: KEY, repo: REPO, revision: 'main', path: PATH, size: bytes.length, etag: null, sha256: null,
    chunkSize: 1 << 20, storedChunks: 1, chunkDigests, hashState: null, complete: true, updatedAt: 0,
  });
}

const manifest: ModelManifest = {
  layout: 'transformers.js',
  folder: '',
  dtype: 'q4',
  externalDataChunks: 0,
  files: [{ url: `https://hub.test/${REPO}/resolve/main/${PATH}`, key: KEY, repo: REPO, revision: 'main', path: PATH, size: null }],
};
const source = { host: 'https://hub.test', repo: REPO, revision: 'main', dtypes: ['q4' as const], device: 'wasm' as const };

afterEach(() => {
  db.files.clear();
  db.bytes.clear();
  db.derived.clear();
  db.reads = 0;
});

describe('serveStored, a graph with its weights inline', () => {
  it('serves a small graph whose weights are the stored file itself, as external data', async () => {
    const model = inlineModel();
    store(model);
    expect(await serveStored(source, manifest)).toEqual({ dtype: 'q4', dataChunks: 1, attention: 'other' });
    const graph = served.entries.get(PATH);
    const data = served.entries.get(`${PATH}_data`);
    expect(graph?.kind).toBe('bytes');
    const bytes = graph?.kind === 'bytes' ? graph.bytes : new Uint8Array();
    expect(bytes.length).toBeLessThan(model.length / 4);
    expect(listExternalTensors(bytes).map((t) => t.name)).toEqual(['w0', 'w1', 'w2']);
    expect(data).toMatchObject({ kind: 'range', start: expect.any(Number), end: expect.any(Number) });
    if (data?.kind === 'range') expect(data.file.key).toBe(KEY);
  });

  it('walks the file once: later loads take the kept graph, until the stored chunks change', async () => {
    store(inlineModel());
    await serveStored(source, manifest);
    const first = served.entries.get(PATH);
    expect(db.reads).toBe(1);
    await serveStored(source, manifest);
    expect(db.reads).toBe(1);
    expect(served.entries.get(PATH)).toEqual(first);
    // The file stored again (other chunks): walked again.
    store(inlineModel(), ['xxh64:0000000000000002']);
    await serveStored(source, manifest);
    expect(db.reads).toBe(2);
  });

  it('walks the file again when the kept graph is damaged', async () => {
    store(inlineModel());
    await serveStored(source, manifest);
    const kept = db.derived.get(KEY)!;
    kept.bytes[10]! ^= 0x01;
    await serveStored(source, manifest);
    expect(db.reads).toBe(2);
    const graph = served.entries.get(PATH);
    expect(graph?.kind === 'bytes' && listExternalTensors(graph.bytes).length).toBe(3);
  });
});
