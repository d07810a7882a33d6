import { describe, expect, it } from 'vitest';
import { groupModels, type StoredManifest } from './inventory';
import type { StoredFile } from './store';

function file(repo: string, path: string, size: number, storedChunks: number, complete: boolean): StoredFile {
  return {
    key: `${repo}@main/${path}`,
    repo,
    revision: 'main',
    path,
    size,
    etag: null,
    sha256: null,
    chunkSize: 100,
    storedChunks,
    chunkDigests: [],
    hashState: null,
    complete,
    updatedAt: 1,
  };
}

function manifest(repo: string, paths: string[], lastUsedAt?: number): { manifest: StoredManifest } {
  return {
    manifest: {
      dtype: 'q4',
      externalDataChunks: 0,
      files: paths.map((path) => ({ url: '', key: `${repo}@main/${path}`, repo, revision: 'main', path, size: null })),
      ...(lastUsedAt ? { lastUsedAt } : {}),
    },
  };
}

describe('groupModels', () => {
  it('sums stored bytes per model, marks complete models, and sorts by last use', () => {
    const files = [
      file('a/x', 'config.json', 50, 1, true),
      file('a/x', 'onnx/model.onnx', 250, 3, true),
      file('b/y', 'config.json', 50, 1, true),
      file('b/y', 'onnx/model.onnx', 1000, 4, false),
      file('c/z', 'config.json', 50, 1, true),
      file('c/z', 'onnx/model.onnx', 250, 3, true),
    ];
    const models = groupModels(files, [
      manifest('a/x', ['config.json', 'onnx/model.onnx'], 10),
      manifest('c/z', ['config.json', 'onnx/model.onnx'], 20),
      // A plan whose files were since deleted does not invent a model.
      manifest('d/w', ['config.json'], 30),
    ]);
    expect(models.map((m) => [m.id, m.bytes, m.complete, m.lastUsedAt])).toEqual([
      ['c/z@main', 300, true, 20],
      ['a/x@main', 300, true, 10],
      ['b/y@main', 450, false, null],
    ]);
    expect(models[2]?.files.map((f) => [f.path, f.stored, f.complete])).toEqual([
      ['config.json', 50, true],
      ['onnx/model.onnx', 400, false],
    ]);
  });

  it('a model is complete only when every file of its plan is', () => {
    const files = [file('a/x', 'config.json', 50, 1, true)];
    expect(groupModels(files, [manifest('a/x', ['config.json', 'onnx/model.onnx'], 5)])[0]?.complete).toBe(false);
  });
});
