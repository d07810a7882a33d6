import type onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { DataType, GraphBuilder, encodeModel, onnx, valueInfo, type ExternalPlacement } from '../../tools/fixture/onnx-builder';
import { fillUniform } from '../../tools/fixture/prng';
import { ExplainedError } from '../errors';
import {
  PART_ALIGNMENT,
  assertDataFits,
  listExternalTensors,
  planParts,
  rewriteExternalData,
  type DataPart,
  type ExternalTensor,
} from './onnx-external';

const HIDDEN = 32;
const LAYERS = 5;
const DATA = 'model.onnx.data';
type ITensorProto = onnxProto.onnx.ITensorProto;
type IGraphProto = onnxProto.onnx.IGraphProto;

const partName = (i: number): string => `${DATA}.part${i}`;

/** A data file written like ONNX's external-data writer: each tensor at the next multiple of `align`. */
class DataFile {
  private readonly pieces: Uint8Array[] = [];
  size = 0;
  readonly placed: ExternalPlacement[] = [];
  constructor(private readonly align: number) {}

  place = (_name: string, bytes: Uint8Array): ExternalPlacement => {
    const offset = Math.ceil(this.size / this.align) * this.align;
    this.pieces.push(new Uint8Array(offset - this.size), bytes);
    this.size = offset + bytes.byteLength;
    const p = { location: DATA, offset, length: bytes.byteLength };
    this.placed.push(p);
    return p;
  };

  bytes(): Uint8Array {
    return Uint8Array.from(Buffer.concat(this.pieces));
  }
}

/**
 * y = LAYERS × (MatMul + Add) on x[1, HIDDEN], then + a Constant node's tensor,
 * with every initializer and the Constant's tensor in one external data file.
 */
function buildModel(data: DataFile): Uint8Array {
  const g = new GraphBuilder();
  let h = 'x';
  for (let i = 0; i < LAYERS; i++) {
    const w = g.f32(`layers.${i}.weight`, [HIDDEN, HIDDEN], fillUniform(new Float32Array(HIDDEN * HIDDEN), `w${i}`, 0.3));
    const b = g.f32(`layers.${i}.bias`, [HIDDEN], fillUniform(new Float32Array(HIDDEN), `b${i}`, 0.1));
    h = g.op('Add', [g.op('MatMul', [h, w]), b]);
  }
  const constant = fillUniform(new Float32Array(HIDDEN), 'const', 1);
  const constBytes = new Uint8Array(constant.buffer);
  g.nodes.push({
    name: 'offset_const',
    opType: 'Constant',
    output: ['offset'],
    attribute: [
      {
        name: 'value',
        type: onnx.AttributeProto.AttributeType.TENSOR,
        t: {
          dataType: DataType.FLOAT,
          dims: [HIDDEN],
          dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
          externalData: Object.entries(data.place('', constBytes)).map(([key, value]) => ({ key, value: String(value) })),
        },
      },
    ],
  });
  g.node('Add', [h, 'offset'], {}, { outputs: ['y'] });
  return encodeModel(g, {
    opset: 14,
    graphName: 'chain',
    inputs: [valueInfo('x', DataType.FLOAT, [1, HIDDEN])],
    outputs: [valueInfo('y', DataType.FLOAT, [1, HIDDEN])],
    external: { minBytes: 0, place: data.place },
  });
}

function tensor(name: string, offset: number, length: number, location = DATA): ExternalTensor {
  return { name, location, offset, length };
}

/** The graph's JSON with every external_data entry removed, for "everything else is equal". */
function withoutExternalData(model: Uint8Array): unknown {
  return JSON.parse(
    JSON.stringify(onnx.ModelProto.toObject(onnx.ModelProto.decode(model), { longs: String, bytes: String })),
    (key, value: unknown) => (key === 'externalData' ? undefined : value),
  );
}

function entries(t: ITensorProto): Record<string, string> {
  return Object.fromEntries((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
}

async function run(model: Uint8Array, files: Array<{ path: string; data: Uint8Array }>): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, { externalData: files });
  try {
    const x = new ort.Tensor('float32', fillUniform(new Float32Array(HIDDEN), 'x', 1), [1, HIDDEN]);
    const { y } = await session.run({ x });
    return y?.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('listExternalTensors', () => {
  it('lists initializers and Constant-node tensors with their location, offset and length', () => {
    const data = new DataFile(64);
    const model = buildModel(data);
    const listed = listExternalTensors(model);
    expect(listed).toHaveLength(2 * LAYERS + 1);
    expect(listed.map((t) => t.name)).toContain('layers.3.weight');
    expect(listed.map((t) => t.name)).toContain('chain/offset_const/value');
    expect(listed.map(({ location, offset, length }) => ({ location, offset, length })).sort((a, b) => a.offset - b.offset)).toEqual(data.placed);
  });

  it('finds tensors in subgraphs, attribute tensor lists and sparse initializers, not inline ones', () => {
    const ext = (name: string, offset: number): ITensorProto => ({
      name,
      dataType: DataType.FLOAT,
      dims: [4],
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: 'w.bin' },
        { key: 'length', value: '16' },
        ...(offset ? [{ key: 'offset', value: String(offset) }] : []),
      ],
    });
    const A = onnx.AttributeProto.AttributeType;
    const model = onnx.ModelProto.encode({
      irVersion: 7,
      graph: {
        name: 'main',
        initializer: [{ name: 'inline', dataType: DataType.FLOAT, dims: [1], floatData: [1] }],
        sparseInitializer: [{ values: ext('sparse.values', 16), indices: { name: 'sparse.indices', dataType: DataType.INT64, dims: [1], int64Data: [0] }, dims: [4] }],
        node: [
          {
            name: 'if',
            opType: 'If',
            attribute: [
              { name: 'then_branch', type: A.GRAPH, g: { name: 'then', initializer: [ext('then.w', 32)] } },
              { name: 'else_branch', type: A.GRAPH, g: { name: 'else', node: [{ name: 'c', opType: 'Constant', attribute: [{ name: 'value', type: A.TENSOR, t: ext('', 48) }] }] } },
            ],
          },
          { name: 'list', opType: 'Custom', attribute: [{ name: 'ts', type: A.TENSORS, tensors: [ext('a', 64), ext('b', 0)] }] },
        ],
      },
    }).finish();
    expect(listExternalTensors(model)).toEqual([
      tensor('then.w', 32, 16, 'w.bin'),
      tensor('main/if/else_branch/else/c/value', 48, 16, 'w.bin'),
      tensor('a', 64, 16, 'w.bin'),
      tensor('b', 0, 16, 'w.bin'),
      tensor('sparse.values', 16, 16, 'w.bin'),
    ]);
  });

  it('rejects bytes that are not a protobuf message', () => {
    expect(() => listExternalTensors(Uint8Array.of(0x3a, 0xff, 0xff, 0x7f))).toThrow(ExplainedError);
  });
});

describe('planParts', () => {
  const MiB = 1 << 20;

  it('cuts only between tensors, each part within the limit, names in order', () => {
    const tensors = [tensor('c', 6 * MiB, 3 * MiB), tensor('a', 0, 3 * MiB), tensor('b', 3 * MiB, 3 * MiB), tensor('d', 9 * MiB, MiB)];
    const parts = planParts(tensors, 7 * MiB, partName);
    expect(parts).toEqual([
      { name: partName(0), source: DATA, start: 0, end: 6 * MiB },
      { name: partName(1), source: DATA, start: 6 * MiB, end: 10 * MiB },
    ]);
    for (const t of tensors) {
      expect(parts.filter((p) => p.start <= t.offset && t.offset + t.length <= p.end)).toHaveLength(1);
    }
  });

  it('starts each part at an aligned offset so tensors keep their alignment', () => {
    // Packed tensors (no padding): a part starting mid-page begins at the page below it.
    const tensors = [tensor('a', 0, 5000), tensor('b', 5000, 5000), tensor('c', 10_000, 5000)];
    const parts = planParts(tensors, 10_000, partName);
    expect(parts.map((p) => [p.start, p.end])).toEqual([
      [0, 10_000],
      [8192, 15_000],
    ]);
    for (const p of parts) expect(p.start % PART_ALIGNMENT).toBe(0);
    expect(planParts(tensors, 10_000, partName, 1).map((p) => [p.start, p.end])).toEqual([
      [0, 10_000],
      [10_000, 15_000],
    ]);
  });

  it('names the tensor that is larger than a part can be', () => {
    const tensors = [tensor('small', 0, 100), tensor('model.embed_tokens.weight', 4096, 3e9)];
    expect(() => planParts(tensors, 2e9, partName)).toThrow(/"model\.embed_tokens\.weight" is 3\.0 GB, larger than the 2\.0 GB/);
    expect(() => planParts(tensors, 2e9, partName)).toThrow(ExplainedError);
  });

  it('plans one data file at a time', () => {
    expect(() => planParts([tensor('a', 0, 1), tensor('b', 0, 1, 'other.data')], 10, partName)).toThrow(/one data file/);
  });
});

describe('assertDataFits', () => {
  it('names the file and both sizes when the graph reads past its end', () => {
    const tensors = [tensor('a', 0, 1e9), tensor('b', 1e9, 3.1e9)];
    expect(() => assertDataFits(tensors, { name: DATA, size: 4.1e9 })).not.toThrow();
    expect(() => assertDataFits(tensors, { name: DATA, size: 1.2e9 })).toThrow(
      'model.onnx.data is 1.2 GB but the graph needs 4.1 GB: the download is incomplete or it belongs to another export.',
    );
    expect(() => assertDataFits(tensors, { name: 'other.data', size: 0 })).not.toThrow();
  });
});

describe('rewriteExternalData', () => {
  it('points every tensor into its part and changes nothing else', () => {
    const data = new DataFile(PART_ALIGNMENT);
    const model = buildModel(data);
    const parts = planParts(listExternalTensors(model), 3 * PART_ALIGNMENT, partName);
    expect(parts.length).toBeGreaterThan(2);
    const rewritten = rewriteExternalData(model, parts);

    const before = onnx.ModelProto.decode(model).graph;
    const after = onnx.ModelProto.decode(rewritten).graph;
    const tensorsOf = (graph: IGraphProto | null | undefined): ITensorProto[] => [
      ...(graph?.initializer ?? []),
      ...(graph?.node ?? []).flatMap((n) => (n.attribute ?? []).flatMap((a) => (a.t ? [a.t] : []))),
    ];
    const [was, now] = [tensorsOf(before), tensorsOf(after)];
    expect(now).toHaveLength(2 * LAYERS + 1);
    now.forEach((t, i) => {
      const old = entries(was[i] ?? {});
      const offset = Number(old.offset);
      const part = parts.find((p) => p.start <= offset && offset + Number(old.length) <= p.end) as DataPart;
      expect(entries(t)).toEqual({ location: part.name, offset: String(offset - part.start), length: old.length });
    });
    expect(withoutExternalData(rewritten)).toEqual(withoutExternalData(model));
  });

  it('keeps the bytes identical when nothing moves, and leaves other files alone', () => {
    const data = new DataFile(64);
    const model = buildModel(data);
    const whole: DataPart = { name: DATA, source: DATA, start: 0, end: data.size };
    expect(rewriteExternalData(model, [whole])).toEqual(new Uint8Array(model));
    expect(rewriteExternalData(model, [whole])).not.toBe(model);
    expect(rewriteExternalData(model, [{ ...whole, source: 'other.data', name: 'x' }])).toBe(model);
  });

  it('adds the offset entry when the tensor had none', () => {
    const model = onnx.ModelProto.encode({
      graph: { initializer: [{ name: 'w', dataLocation: 1, externalData: [{ key: 'location', value: DATA }, { key: 'length', value: '8' }] }] },
    }).finish();
    const moved = rewriteExternalData(model, [{ name: 'p1', source: DATA, start: 0, end: 8 }]);
    expect(entries(onnx.ModelProto.decode(moved).graph?.initializer?.[0] ?? {})).toEqual({ location: 'p1', length: '8', offset: '0' });
  });

  it.each([
    ['page-aligned', PART_ALIGNMENT],
    ['packed', 1],
  ])('a split %s model runs in ONNX Runtime with the same outputs as the single file', async (_label, align) => {
    const data = new DataFile(align);
    const model = buildModel(data);
    const bytes = data.bytes();
    const tensors = listExternalTensors(model);
    assertDataFits(tensors, { name: DATA, size: bytes.length });
    const parts = planParts(tensors, 2 * HIDDEN * HIDDEN * 4 + 300, partName);
    expect(parts.length).toBeGreaterThan(2);
    const split = rewriteExternalData(model, parts);

    const expected = await run(model, [{ path: DATA, data: bytes }]);
    const actual = await run(split, parts.map((p) => ({ path: p.name, data: bytes.subarray(p.start, p.end) })));
    expect(Array.from(actual)).toEqual(Array.from(expected));
    expect(expected.some((v) => v !== 0)).toBe(true);
  });
});
