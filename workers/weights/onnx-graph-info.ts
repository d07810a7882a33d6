import { readFields, text, WIRE_LEN, WIRE_VARINT } from './protobuf';

/** ONNX TensorProto.DataType values the loader tells apart. */
export const ELEM_FLOAT = 1;
export const ELEM_FLOAT16 = 10;

/** The length-delimited field `number` of a message, as its own bytes. */
function sub(bytes: Uint8Array, number: number): Uint8Array[] {
  return readFields(bytes)
    .filter((f) => f.number === number && f.wire === WIRE_LEN)
    .map((f) => bytes.subarray(f.valueStart, f.end));
}

/**
 * The element type of each tensor input of the model's main graph (ModelProto.graph 7 → GraphProto.input
 * 11 → ValueInfoProto name 1, type 2 → TypeProto.tensor_type 1 → elem_type 1). The KV inputs' type tells
 * whether an export computes in float16 (needs `shader-f16` on WebGPU) or float32.
 */
export function graphInputTypes(model: Uint8Array): Map<string, number> {
  const types = new Map<string, number>();
  for (const graph of sub(model, 7)) {
    for (const input of sub(graph, 11)) {
      const nameField = readFields(input).find((f) => f.number === 1 && f.wire === WIRE_LEN);
      const elem = sub(input, 2)
        .flatMap((type) => sub(type, 1))
        .flatMap((tensor) => readFields(tensor).filter((f) => f.number === 1 && f.wire === WIRE_VARINT))[0];
      if (nameField && elem) types.set(text(input, nameField), elem.varint);
    }
  }
  return types;
}

/** The operator types of the main graph's nodes (GraphProto.node 1 → NodeProto.op_type 4). */
export function graphOpTypes(model: Uint8Array): Set<string> {
  const ops = new Set<string>();
  for (const graph of sub(model, 7)) {
    for (const node of sub(graph, 1)) {
      const op = readFields(node).find((f) => f.number === 4 && f.wire === WIRE_LEN);
      if (op) ops.add(text(node, op));
    }
  }
  return ops;
}
