import { formatBytes } from '../../src/util/format';
import { ExplainedError } from '../errors';
import { concat, encoder, lengthDelimited, malformed, readFields, text, WIRE_LEN, WIRE_VARINT, type Field } from './protobuf';

// ONNX Runtime Web takes external data as in-memory files whose offsets and lengths pass through
// 32-bit values, so one 5 GB `model.onnx.data` is handed over as several parts of at most 2 GB.
// This module lists the tensors of a ModelProto that live in external data, plans tensor-aligned
// parts of one data file, and rewrites each tensor's `location`/`offset` to point into its part.
//
// A minimal protobuf walker instead of a protobuf library keeps the worker bundle small. Only the
// messages on the path to a tensor are re-encoded; every other byte is copied as it was.
// Covered: graph initializers and sparse initializers, tensors in node attributes (Constant's
// `value`, `tensors`, sparse tensors) and subgraphs (If/Loop/Scan bodies), in the main graph and in
// model-local functions. Not covered: TrainingInfoProto graphs (training only).

/** One tensor whose bytes are in an external file. */
export interface ExternalTensor {
  /** The tensor's name, or where it sits (`node/attribute`) when it has none. */
  name: string;
  location: string;
  offset: number;
  length: number;
}

/** A byte range `[start, end)` of data file `source`, to be handed to ONNX Runtime as file `name`. */
export interface DataPart {
  name: string;
  source: string;
  start: number;
  end: number;
}

/** Part starts are page-aligned, so each tensor keeps its offset's alignment in its part. */
export const PART_ALIGNMENT = 4096;

// Field numbers from onnx.proto (checked against onnx-proto's generated encoders).
type Kind = 'model' | 'function' | 'graph' | 'node' | 'attribute' | 'sparse' | 'tensor';
const CHILDREN: Record<Exclude<Kind, 'tensor'>, Readonly<Record<number, Kind>>> = {
  model: { 7: 'graph', 25: 'function' }, // ModelProto.graph, functions
  function: { 7: 'node' }, // FunctionProto.node
  graph: { 1: 'node', 5: 'tensor', 15: 'sparse' }, // GraphProto.node, initializer, sparse_initializer
  node: { 5: 'attribute' }, // NodeProto.attribute
  attribute: { 5: 'tensor', 6: 'graph', 10: 'tensor', 11: 'graph', 22: 'sparse', 23: 'sparse' }, // t, g, tensors, graphs, sparse_tensor(s)
  sparse: { 1: 'tensor', 2: 'tensor' }, // SparseTensorProto.values, indices
};
/** The string field that names a message, for `ExternalTensor.name` of unnamed tensors. */
const NAME_FIELD: Partial<Record<Kind, number>> = { function: 1, graph: 2, node: 3, attribute: 1 };
const TENSOR_NAME = 8;
export const TENSOR_EXTERNAL_DATA = 13;
export const TENSOR_DATA_LOCATION = 14;
export const DATA_LOCATION_EXTERNAL = 1;
const ENTRY_KEY = 1;
const ENTRY_VALUE = 2;

/** Called with each tensor message; returns replacement bytes, or null to keep it as it is. */
type TensorVisitor = (tensor: Uint8Array, where: string) => Uint8Array | null;

/** Walks the messages that can hold tensors; returns the re-encoded message, or null if unchanged. */
function walk(bytes: Uint8Array, kind: Kind, where: string, visit: TensorVisitor): Uint8Array | null {
  if (kind === 'tensor') return visit(bytes, where);
  const fields = readFields(bytes);
  const nameField = NAME_FIELD[kind];
  const named = fields.find((f) => f.number === nameField && f.wire === WIRE_LEN);
  const here = named ? `${where}${where ? '/' : ''}${text(bytes, named)}` : where;
  const children = CHILDREN[kind];
  let changed = false;
  const pieces = fields.map((f) => {
    const child = children[f.number];
    const replaced = child && f.wire === WIRE_LEN ? walk(bytes.subarray(f.valueStart, f.end), child, here, visit) : null;
    if (!replaced) return bytes.subarray(f.start, f.end);
    changed = true;
    return lengthDelimited(f.number, replaced);
  });
  return changed ? concat(pieces) : null;
}

interface TensorFields {
  name: string;
  external: boolean;
  /** external_data entries: key, value and the field holding them. */
  entries: Array<{ key: string; value: string; field: Field }>;
}

function readTensor(bytes: Uint8Array): TensorFields & { fields: Field[] } {
  const fields = readFields(bytes);
  const tensor: TensorFields & { fields: Field[] } = { name: '', external: false, entries: [], fields };
  for (const f of fields) {
    if (f.number === TENSOR_NAME && f.wire === WIRE_LEN) tensor.name = text(bytes, f);
    else if (f.number === TENSOR_DATA_LOCATION && f.wire === WIRE_VARINT) tensor.external = f.varint === DATA_LOCATION_EXTERNAL;
    else if (f.number === TENSOR_EXTERNAL_DATA && f.wire === WIRE_LEN) {
      const entry = bytes.subarray(f.valueStart, f.end);
      let key = '';
      let value = '';
      for (const e of readFields(entry)) {
        if (e.number === ENTRY_KEY && e.wire === WIRE_LEN) key = text(entry, e);
        else if (e.number === ENTRY_VALUE && e.wire === WIRE_LEN) value = text(entry, e);
      }
      tensor.entries.push({ key, value, field: f });
    }
  }
  return tensor;
}

function externalOf(t: TensorFields, where: string): ExternalTensor | null {
  if (!t.external) return null;
  const name = t.name || where;
  const entry = (key: string): string | undefined => t.entries.find((e) => e.key === key)?.value;
  const location = entry('location');
  const offset = Number(entry('offset') ?? '0');
  const length = Number(entry('length'));
  if (!location) throw malformed(`tensor "${name}" is external but names no location`);
  if (entry('length') === undefined) {
    throw new ExplainedError(
      'unsupported',
      `The model's tensor "${name}" stores its external data without a length, so its data file cannot be split into parts.`,
    );
  }
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw malformed(`tensor "${name}" has a bad external offset or length`);
  }
  return { name, location, offset, length };
}

/** Every tensor of the model that keeps its bytes in an external file, in file order of the graph. */
export function listExternalTensors(model: Uint8Array): ExternalTensor[] {
  const found: ExternalTensor[] = [];
  walk(model, 'model', '', (tensor, where) => {
    const ext = externalOf(readTensor(tensor), where);
    if (ext) found.push(ext);
    return null;
  });
  return found;
}


/** Throws when the graph reads past the end of data file `file` (cut short, or from another export). */
export function assertDataFits(tensors: readonly ExternalTensor[], file: { name: string; size: number }): void {
  const needed = Math.max(0, ...tensors.filter((t) => t.location === file.name).map((t) => t.offset + t.length));
  if (needed > file.size) {
    throw new ExplainedError(
      'unsupported',
      `${file.name} is ${formatBytes(file.size)} but the graph needs ${formatBytes(needed)}: the download is incomplete or it belongs to another export.`,
      `${file.name}: ${file.size} bytes, graph reads up to byte ${needed}`,
    );
  }
}

/**
 * Splits one data file into parts of at most `maxPartBytes`, cut only between tensors. Each part
 * starts at a multiple of `alignment` at or below its first tensor, so offsets keep their alignment
 * (neighbouring parts may then share up to `alignment - 1` bytes). `names(i)` names part i.
 */
export function planParts(
  tensors: readonly ExternalTensor[],
  maxPartBytes: number,
  names: (index: number) => string,
  alignment = PART_ALIGNMENT,
): DataPart[] {
  const sources = new Set(tensors.map((t) => t.location));
  if (sources.size > 1) throw new Error(`planParts splits one data file at a time, got ${[...sources].join(', ')}`);
  const sorted = [...tensors].sort((a, b) => a.offset - b.offset || a.length - b.length);
  const parts: DataPart[] = [];
  let current: DataPart | null = null;
  for (const t of sorted) {
    const end = t.offset + t.length;
    if (current && Math.max(current.end, end) - current.start <= maxPartBytes) {
      current.end = Math.max(current.end, end);
      continue;
    }
    const start = Math.floor(t.offset / alignment) * alignment;
    if (end - start > maxPartBytes) {
      throw new ExplainedError(
        'unsupported',
        `The model's tensor "${t.name}" is ${formatBytes(t.length)}, larger than the ${formatBytes(maxPartBytes)} that ONNX Runtime Web can take in one piece.`,
        `${t.name}: ${t.length} bytes at offset ${t.offset} of ${t.location}, part limit ${maxPartBytes}`,
      );
    }
    current = { name: names(parts.length), source: t.location, start, end };
    parts.push(current);
  }
  return parts;
}

/** One TensorProto.external_data entry (`location`, `offset`, `length`) as its field's bytes. */
export function externalEntry(key: string, value: string): Uint8Array {
  return lengthDelimited(TENSOR_EXTERNAL_DATA, concat([lengthDelimited(ENTRY_KEY, encoder.encode(key)), lengthDelimited(ENTRY_VALUE, encoder.encode(value))]));
}

/**
 * The model with every external tensor of a split file pointing into its part: `location` becomes
 * the part's name and `offset` is relative to the part. Tensors of other files are left alone.
 */
export function rewriteExternalData(model: Uint8Array, parts: readonly DataPart[]): Uint8Array {
  const sources = new Set(parts.map((p) => p.source));
  const rewritten = walk(model, 'model', '', (bytes, where) => {
    const tensor = readTensor(bytes);
    const ext = externalOf(tensor, where);
    if (!ext || !sources.has(ext.location)) return null;
    const part = parts.find((p) => p.source === ext.location && p.start <= ext.offset && ext.offset + ext.length <= p.end);
    if (!part) throw new Error(`No part of ${ext.location} holds tensor "${ext.name}" (bytes ${ext.offset}..${ext.offset + ext.length})`);
    const replaced = new Map<Field, Uint8Array>();
    for (const e of tensor.entries) {
      if (e.key === 'location') replaced.set(e.field, externalEntry('location', part.name));
      if (e.key === 'offset') replaced.set(e.field, externalEntry('offset', String(ext.offset - part.start)));
    }
    const pieces = tensor.fields.map((f) => replaced.get(f) ?? bytes.subarray(f.start, f.end));
    if (!tensor.entries.some((e) => e.key === 'offset')) pieces.push(externalEntry('offset', String(ext.offset - part.start)));
    return concat(pieces);
  });
  return rewritten ?? model;
}
