import { ExplainedError } from '../errors';

// The few protobuf primitives the ONNX graph readers need (varints, length-delimited fields), so the
// worker bundle carries no protobuf library.

export const WIRE_VARINT = 0;
const WIRE_I64 = 1;
export const WIRE_LEN = 2;
const WIRE_I32 = 5;

export interface Field {
  number: number;
  wire: number;
  /** Start of the tag. */
  start: number;
  /** Start of the value (after the length prefix for length-delimited fields). */
  valueStart: number;
  end: number;
  /** The varint's value (wire type 0 only). */
  varint: number;
}

export function malformed(what: string): ExplainedError {
  return new ExplainedError('unsupported', 'The model graph file is damaged or is not an ONNX model.', what);
}

function readVarint(bytes: Uint8Array, pos: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = pos; i < bytes.length && i < pos + 10; i++) {
    const b = bytes[i] as number;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return [value, i + 1];
  }
  throw malformed(`bad varint at byte ${pos}`);
}

export function writeVarint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/**
 * The field whose tag starts at `pos`. Its `end` may lie past the bytes given, so a header read from
 * the start of a field says how long the field is without its value being in memory.
 */
export function readField(bytes: Uint8Array, pos: number): Field {
  const [tag, afterTag] = readVarint(bytes, pos);
  const wire = tag % 8;
  const number = Math.floor(tag / 8);
  let valueStart = afterTag;
  let end: number;
  let varint = 0;
  if (wire === WIRE_VARINT) [varint, end] = readVarint(bytes, afterTag);
  else if (wire === WIRE_I64) end = afterTag + 8;
  else if (wire === WIRE_I32) end = afterTag + 4;
  else if (wire === WIRE_LEN) {
    const [length, afterLength] = readVarint(bytes, afterTag);
    valueStart = afterLength;
    end = afterLength + length;
  } else throw malformed(`unsupported wire type ${wire} at byte ${pos}`);
  return { number, wire, start: pos, valueStart, end, varint };
}

export function readFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const field = readField(bytes, pos);
    if (field.end > bytes.length) throw malformed(`field ${field.number} runs past the end at byte ${pos}`);
    fields.push(field);
    pos = field.end;
  }
  return fields;
}

const decoder = new TextDecoder();
export const encoder = new TextEncoder();

export function text(bytes: Uint8Array, f: Field): string {
  return decoder.decode(bytes.subarray(f.valueStart, f.end));
}

export function concat(pieces: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function lengthDelimited(number: number, value: Uint8Array): Uint8Array {
  return concat([Uint8Array.from([...writeVarint(number * 8 + WIRE_LEN), ...writeVarint(value.length)]), value]);
}

