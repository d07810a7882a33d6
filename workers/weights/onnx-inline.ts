import { DATA_LOCATION_EXTERNAL, externalEntry, TENSOR_DATA_LOCATION, TENSOR_EXTERNAL_DATA } from './onnx-external';
import { concat, lengthDelimited, malformed, readField, WIRE_LEN, type Field } from './protobuf';

// A model file that holds its weights inline costs ONNX Runtime Web the file twice over: the whole
// file is copied into the WASM heap, and then every initializer is copied out of it into a tensor,
// so the heap holds ~2x the file while the session is created (the 1.92 GB q4 1.5B fails there with
// `std::bad_alloc`; the 1.36 GB q4f16 peaks at 3.6x its size in RSS). Served instead as a small graph
// whose large initializers are external data pointing back into the same stored file, ORT copies
// each tensor straight from the mounted bytes into its heap tensor, or on WebGPU into its GPU buffer
// (ort-wasm's external-data loader: `HEAPU8.set(data.subarray(offset, offset + length), dst)` or
// `jsepUploadExternalBuffer`), and the file itself never enters the heap.
//
// The file is read here through small ranges: the graph's nodes and each tensor's header, never the
// weights themselves, so this costs tens of megabytes of reads for a gigabyte-sized file.

/** Random access to a file's bytes. */
export interface ByteSource {
  size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

/** A ByteSource over a Blob (a stored file, read back only where asked). */
export function blobSource(blob: Blob): ByteSource {
  return { size: blob.size, read: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()) };
}

/** Tensors with less raw data than this stay inline: scalars and shapes are not worth a lookup. */
const MIN_EXTERNAL_BYTES = 1024;
/** Bytes read at once: a node or a tensor header is far smaller; a tensor's data is skipped. */
const READ_SPAN = 64 * 1024;
/** The longest field header: a 5-byte tag and a 10-byte length. */
const HEADER_BYTES = 15;

// Field numbers from onnx.proto.
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const TENSOR_RAW_DATA = 9;

/** Reads ahead in READ_SPAN windows, so the many small reads of a walk cost few real reads. */
class Reader {
  private start = 0;
  private bytes: Uint8Array = new Uint8Array(0);
  constructor(private readonly source: ByteSource) {}

  async range(start: number, end: number): Promise<Uint8Array> {
    if (start >= this.start && end <= this.start + this.bytes.length) return this.bytes.subarray(start - this.start, end - this.start);
    const bytes = await this.source.read(start, Math.min(this.source.size, Math.max(end, start + READ_SPAN)));
    if (bytes.length < end - start) throw malformed(`the file ends before byte ${end}`);
    // The window moves only once its bytes are here, so a read that overlaps this one sees one window.
    this.start = start;
    this.bytes = bytes;
    return bytes.subarray(0, end - start);
  }

  /** The field at `pos` of a message that ends at `limit`, with positions in the file. */
  async field(pos: number, limit: number): Promise<Field> {
    const header = await this.range(pos, Math.min(limit, pos + HEADER_BYTES));
    const f = readField(header, 0);
    const field = { ...f, start: pos, valueStart: pos + f.valueStart, end: pos + f.end };
    if (field.end > limit) throw malformed(`field ${field.number} runs past the end of its message at byte ${pos}`);
    return field;
  }
}

/** TensorProto.data_location = EXTERNAL: tag (14 << 3 | varint) and the value. */
const LOCATION_EXTERNAL = Uint8Array.of((TENSOR_DATA_LOCATION << 3) | 0, DATA_LOCATION_EXTERNAL);

/** An initializer with its raw data replaced by a reference to where that data sits in the file. */
async function tensor(reader: Reader, start: number, end: number, location: string): Promise<Uint8Array | null> {
  const fields: Field[] = [];
  for (let pos = start; pos < end; ) {
    const f = await reader.field(pos, end);
    fields.push(f);
    pos = f.end;
  }
  const raw = fields.find((f) => f.number === TENSOR_RAW_DATA && f.wire === WIRE_LEN);
  const external = fields.some((f) => f.number === TENSOR_DATA_LOCATION || f.number === TENSOR_EXTERNAL_DATA);
  if (!raw || external || raw.end - raw.valueStart < MIN_EXTERNAL_BYTES) return null;
  // One field after another: a field before a window's start moves the window back for the next.
  const kept: Uint8Array[] = [];
  for (const f of fields) if (f !== raw) kept.push((await reader.range(f.start, f.end)).slice());
  return concat([
    ...kept,
    externalEntry('location', location),
    externalEntry('offset', String(raw.valueStart)),
    externalEntry('length', String(raw.end - raw.valueStart)),
    LOCATION_EXTERNAL,
  ]);
}

/**
 * Copies message `[start, end)` field by field, handing the fields `rewrite` knows to it (null keeps
 * one as it is): only the path from the model to its initializers is re-encoded.
 */
async function message(
  reader: Reader,
  start: number,
  end: number,
  rewrite: (f: Field) => Promise<Uint8Array | null> | null,
): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  for (let pos = start; pos < end; ) {
    const f = await reader.field(pos, end);
    const replaced = f.wire === WIRE_LEN ? await rewrite(f) : null;
    pieces.push(replaced ? lengthDelimited(f.number, replaced) : (await reader.range(f.start, f.end)).slice());
    pos = f.end;
  }
  return concat(pieces);
}

/**
 * The ModelProto in `source` with every main-graph initializer of at least MIN_EXTERNAL_BYTES of raw
 * data turned into external data in file `location` at its offset in `source`: serve `source` itself
 * as that file. Everything else (nodes, small tensors, Constant nodes, functions) is copied as it was.
 */
export async function externalizeInline(source: ByteSource, location: string): Promise<Uint8Array> {
  const reader = new Reader(source);
  return message(reader, 0, source.size, (f) =>
    f.number !== MODEL_GRAPH
      ? null
      : message(reader, f.valueStart, f.end, (g) => (g.number === GRAPH_INITIALIZER ? tensor(reader, g.valueStart, g.end, location) : null)),
  );
}
