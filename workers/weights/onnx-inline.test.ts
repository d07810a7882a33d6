// externalizeInline on real ONNX files: the repo's own fixture exports (fp32 and 4-bit MatMulNBits,
// weights inline as transformers.js repos publish them) and a hand-built graph with every kind of
// tensor. The rewritten graph, with the untouched file mounted as its external data, must compute
// exactly what the inline file computes in onnxruntime-node, and the walk must skip the weights.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureInfo, generateFixtures } from '../../tools/fixture/fixtures.ts';
import { DataType, GraphBuilder, encodeModel, onnx, valueInfo } from '../../tools/fixture/onnx-builder';
import { fillUniform } from '../../tools/fixture/prng';
import { ExplainedError } from '../errors';
import { listExternalTensors } from './onnx-external';
import { externalizeInline, type ByteSource } from './onnx-inline';

const INFO = fixtureInfo('tiny-r1');
const SELF = 'model.onnx';

/** A ByteSource over `bytes` that counts what is read. */
function counted(bytes: Uint8Array): ByteSource & { bytesRead: number } {
  const source = {
    size: bytes.length,
    bytesRead: 0,
    read: async (start: number, end: number) => {
      source.bytesRead += end - start;
      return bytes.slice(start, end);
    },
  };
  return source;
}

const decode = (model: Uint8Array) => onnx.ModelProto.decode(model);

/** Every output of one run, as plain arrays, for exact comparison. */
async function outputs(model: Uint8Array, feeds: Record<string, ort.Tensor>, data?: Uint8Array): Promise<Record<string, number[]>> {
  const session = await ort.InferenceSession.create(model, data ? { externalData: [{ path: SELF, data }] } : {});
  try {
    const out = await session.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([name, t]) => [name, Array.from(t.data as Float32Array)]));
  } finally {
    await session.release();
  }
}

/** A prompt of 5 tokens with an empty cache, for the fixture's Qwen2 graph. */
function promptFeeds(): Record<string, ort.Tensor> {
  const { numLayers, numKvHeads, headDim } = INFO.size;
  const ids = BigInt64Array.from([1n, 5n, 9n, 2n, 7n]);
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', ids, [1, ids.length]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from(ids, (_, i) => BigInt(i)), [1, ids.length]),
  };
  for (let l = 0; l < numLayers; l++) {
    for (const kv of ['key', 'value']) feeds[`past_key_values.${l}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, numKvHeads, 0, headDim]);
  }
  return feeds;
}

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ponder-inline-'));
  await generateFixtures(root, { only: [INFO.repo] });
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('externalizeInline on the fixture exports', () => {
  for (const file of ['onnx/model.onnx', 'onnx/model_q4.onnx']) {
    it(`${file}: the same outputs from the small graph and the untouched file as its data`, async () => {
      const inline = new Uint8Array(await readFile(join(root, INFO.id, file)));
      const graph = await externalizeInline(counted(inline), SELF);
      const tensors = listExternalTensors(graph);
      expect(tensors.length).toBeGreaterThan(INFO.size.numLayers * 4);
      expect(new Set(tensors.map((t) => t.location))).toEqual(new Set([SELF]));
      // Each external tensor points at exactly the raw data the inline file held for it.
      const raw = new Map(decode(inline).graph?.initializer?.map((t) => [t.name ?? '', t.rawData ?? new Uint8Array()]) ?? []);
      for (const t of tensors) expect(Buffer.from(inline.subarray(t.offset, t.offset + t.length)).equals(Buffer.from(raw.get(t.name) ?? []))).toBe(true);
      // Nodes, inputs, outputs and the rest are as they were.
      const before = decode(inline);
      const after = decode(graph);
      expect(after.graph?.node).toEqual(before.graph?.node);
      expect(after.graph?.input).toEqual(before.graph?.input);
      expect(after.opsetImport).toEqual(before.opsetImport);
      expect(graph.length).toBeLessThan(inline.length / 4);

      const feeds = promptFeeds();
      const expected = await outputs(inline, feeds);
      expect(Object.keys(expected)).toContain('logits');
      expect(await outputs(graph, feeds, inline)).toEqual(expected);
    });
  }
});

/**
 * y = 4 x (MatMul by a 256 x 256 weight) on x[1, 256], plus a 16-float bias (64 bytes: stays inline),
 * plus a Constant node's tensor, plus a float_data initializer (no raw data).
 */
function handBuilt(): Uint8Array {
  const N = 256;
  const g = new GraphBuilder();
  let h = 'x';
  for (let i = 0; i < 4; i++) h = g.op('MatMul', [h, g.f32(`w${i}`, [N, N], fillUniform(new Float32Array(N * N), `w${i}`, 0.05))]);
  const head = g.op('MatMul', [h, g.f32('head', [N, 16], fillUniform(new Float32Array(N * 16), 'head', 0.05))]);
  const bias = g.op('Add', [head, g.f32('bias', [16], fillUniform(new Float32Array(16), 'bias', 1))]);
  g.initializers.push({ name: 'scale', dataType: DataType.FLOAT, dims: [16], floatData: Array.from(fillUniform(new Float32Array(16), 'scale', 1)) });
  const scaled = g.op('Mul', [bias, 'scale']);
  g.nodes.push({
    name: 'shift_const',
    opType: 'Constant',
    output: ['shift'],
    attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { dataType: DataType.FLOAT, dims: [16], rawData: new Uint8Array(fillUniform(new Float32Array(16), 'shift', 1).buffer) } }],
  });
  g.node('Add', [scaled, 'shift'], {}, { outputs: ['y'] });
  return encodeModel(g, { opset: 14, graphName: 'hand', inputs: [valueInfo('x', DataType.FLOAT, [1, N])], outputs: [valueInfo('y', DataType.FLOAT, [1, 16])] });
}

describe('externalizeInline on every kind of tensor', () => {
  const model = handBuilt();
  const feeds = { x: new ort.Tensor('float32', fillUniform(new Float32Array(256), 'x', 1), [1, 256]) };

  it('moves only large raw-data initializers, and reads little more than the headers', async () => {
    const source = counted(model);
    const graph = await externalizeInline(source, SELF);
    expect(listExternalTensors(graph).map((t) => t.name).sort()).toEqual(['head', 'w0', 'w1', 'w2', 'w3']);
    const after = decode(graph);
    const byName = new Map(after.graph?.initializer?.map((t) => [t.name, t]));
    expect(byName.get('bias')?.rawData?.length).toBe(64);
    expect(byName.get('scale')?.floatData).toHaveLength(16);
    expect(after.graph?.node?.find((n) => n.opType === 'Constant')?.attribute?.[0]?.t?.rawData?.length).toBe(64);
    // 1.06 MB of weights are skipped: what is read is the headers and the 64 KiB windows after them.
    expect(source.bytesRead).toBeLessThan(model.length / 2);
    expect(await outputs(graph, feeds, model)).toEqual(await outputs(model, feeds));
  });

  it('leaves a tensor that is already external as it was', async () => {
    const once = await externalizeInline(counted(model), SELF);
    const twice = await externalizeInline(counted(once), 'other.onnx');
    expect(Buffer.from(twice).equals(Buffer.from(once))).toBe(true);
  });

  it('explains a file cut short', async () => {
    const cut = model.subarray(0, model.length - 1000);
    await expect(externalizeInline(counted(cut), SELF)).rejects.toThrow(ExplainedError);
    await expect(externalizeInline(counted(cut), SELF)).rejects.toThrow(/damaged or is not an ONNX model/);
  });
});

describe('externalizeInline when tensor headers straddle its read windows', () => {
  it('copies every kept field exactly, whatever order the reads come back in', async () => {
    // 2,000 weights of 1.1-4 KB with 150-250-character names: many 64 KiB windows end inside a
    // tensor's header, so some of its fields are read again; the source answers reads in a random order.
    const g = new GraphBuilder();
    let h = 'x';
    for (let i = 0; i < 2000; i++) {
      const n = 280 + ((i * 7919) % 720);
      const w = g.f32(`layer_${i}_${'w'.repeat(150 + (i % 100))}`, [1, n], fillUniform(new Float32Array(n), `w${i}`, 0.1));
      h = g.op('Add', [h, g.op('ReduceSum', [w], { keepdims: 0 })]);
    }
    g.node('Identity', [h], {}, { outputs: ['y'] });
    const model = encodeModel(g, { opset: 13, graphName: 'straddle', inputs: [valueInfo('x', DataType.FLOAT, [])], outputs: [valueInfo('y', DataType.FLOAT, [])] });
    const shuffled: ByteSource = {
      size: model.length,
      read: (start, end) => new Promise((resolve) => setTimeout(() => resolve(model.slice(start, end)), Math.random() * 3)),
    };
    const graph = await externalizeInline(shuffled, SELF);
    const raw = new Map(decode(model).graph?.initializer?.map((t) => [t.name ?? '', t.rawData ?? new Uint8Array()]) ?? []);
    const tensors = listExternalTensors(graph);
    expect(tensors.map((t) => t.name).sort()).toEqual([...raw.keys()].sort());
    for (const t of tensors) expect(Buffer.from(model.subarray(t.offset, t.offset + t.length)).equals(Buffer.from(raw.get(t.name) ?? []))).toBe(true);
    expect(decode(graph).graph?.initializer?.map((t) => t.dims)).toEqual(decode(model).graph?.initializer?.map((t) => t.dims));
  });
});
