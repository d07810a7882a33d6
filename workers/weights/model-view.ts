import { ExplainedError } from '../errors';
import type { Dtype, ModelSource } from '../protocol';
import { generationConfig, parseGenaiConfig, transformersConfig, type GenaiModel } from './genai-config';
import { DTYPE_SUFFIX, externalChunkName, isExternalData, type ModelManifest } from './manifest';
import { ELEM_FLOAT16, graphInputTypes, graphOpTypes } from './onnx-graph-info';
import { assertDataFits, listExternalTensors, planParts, rewriteExternalData, type DataPart, type ExternalTensor } from './onnx-external';
import { blobSource, externalizeInline } from './onnx-inline';
import { chunkDigest, matchesDigest } from './digest';
import { getDerived, getFile, putDerived, readFile, type StoredFile } from './store';
import { serveModel, type ServedEntry } from './store-fetch';

/**
 * 2 GB, under 2 GiB: ONNX Runtime Web passes external-data offsets through 32-bit values, and Chromium
 * cannot read stored chunks back as one Blob above 2 GiB (measured: 2.3 GB fails, each ≤ 2 GB part works).
 */
export const DEFAULT_PART_BYTES = 2_000_000_000;

/** What transformers.js is told to load once the store serves the model. */
export interface Served {
  /** The dtype whose file name transformers.js asks for (a GenAI graph is served as `onnx/model.onnx`, fp32's name). */
  dtype: Dtype;
  /** External-data files beside the graph, for use_external_data_format. */
  dataChunks: number;
  /**
   * 'group-query' when the graph's attention is GroupQueryAttention, which can update a KV cache in
   * place; 'other' for graphs that concatenate (or that are too large to inspect cheaply).
   */
  attention: 'group-query' | 'other';
}

/** A graph with data files beside it is read to learn its attention op up to this size. */
const INSPECT_GRAPH_BYTES = 64 * 1024 * 1024;

const attentionIn = (graph: Uint8Array): Served['attention'] => (graphOpTypes(graph).has('GroupQueryAttention') ? 'group-query' : 'other');

const encoder = new TextEncoder();
const json = (value: object) => encoder.encode(JSON.stringify(value, null, 2));

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const dirName = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));

async function stored(manifest: ModelManifest, path: string): Promise<StoredFile> {
  const plan = manifest.files.find((f) => f.path === path);
  const file = plan ? await getFile(plan.key) : undefined;
  if (!file?.complete) throw new ExplainedError('not-found', `${path} is missing from the stored model. Delete the model under Storage and download it again.`);
  return file;
}

async function bytesOf(file: StoredFile): Promise<Uint8Array> {
  return new Uint8Array(await (await readFile(file)).arrayBuffer());
}

const isGraph = (path: string) => path.endsWith('.onnx');

/**
 * The data files a graph's external tensors name, from the plan: each must be there and big enough
 * for what the graph reads from it.
 */
async function dataSources(manifest: ModelManifest, graph: StoredFile, tensors: readonly ExternalTensor[]): Promise<Map<string, StoredFile>> {
  const folder = dirName(graph.path);
  const sources = new Map<string, StoredFile>();
  for (const location of [...new Set(tensors.map((t) => t.location))].sort()) {
    const path = folder ? `${folder}/${location}` : location;
    if (!manifest.files.some((f) => f.path === path)) {
      throw new ExplainedError(
        'unsupported',
        `The model graph ${graph.path} reads its weights from ${location}, which the repository does not have. The export is incomplete; choose another one.`,
      );
    }
    const file = await stored(manifest, path);
    assertDataFits(tensors, { name: location, size: file.size });
    sources.set(location, file);
  }
  return sources;
}

/**
 * Serves `graph`'s external data, read from `sources`, as <= `partBytes` parts named for
 * transformers.js, and the graph rewritten to read them under `graphPath`. Returns the part count.
 */
function serveParts(graph: Uint8Array, sources: ReadonlyMap<string, StoredFile>, graphPath: string, partBytes: number, entries: Map<string, ServedEntry>): number {
  const tensors = listExternalTensors(graph);
  const parts: DataPart[] = [];
  for (const location of [...sources.keys()].sort()) {
    parts.push(...planParts(tensors.filter((t) => t.location === location), partBytes, (i) => externalChunkName(baseName(graphPath), parts.length + i)));
  }
  entries.set(graphPath, { kind: 'bytes', bytes: rewriteExternalData(graph, parts) });
  for (const part of parts) {
    const file = sources.get(part.source);
    if (file) entries.set(`${dirName(graphPath)}/${part.name}`, { kind: 'range', file, start: part.start, end: part.end });
  }
  return parts.length;
}

/** A stored graph and its data files served as <= `partBytes` parts; returns the graph's bytes and the part count. */
async function splitData(manifest: ModelManifest, graph: StoredFile, graphPath: string, partBytes: number, entries: Map<string, ServedEntry>) {
  const bytes = await bytesOf(graph);
  const sources = await dataSources(manifest, graph, listExternalTensors(bytes));
  return { bytes, dataChunks: serveParts(bytes, sources, graphPath, partBytes, entries) };
}

/**
 * The small graph a stored inline file is served as: made once (a walk of the file's headers, some
 * hundred reads) and kept beside the file, for as long as the file holds the same chunks.
 */
async function externalGraphOf(graph: StoredFile): Promise<Uint8Array> {
  const of = `${graph.size}:${graph.chunkDigests.join(',')}`;
  const kept = await getDerived(graph.key);
  if (kept?.of === of && (await matchesDigest(kept.bytes, kept.digest))) return kept.bytes;
  const bytes = await externalizeInline(blobSource(await readFile(graph)), baseName(graph.path));
  // Not kept (a full disk, say) only costs the next load the walk again.
  await putDerived(graph.key, { of, bytes, digest: await chunkDigest(bytes) }).catch(() => {});
  return bytes;
}

/**
 * A graph with its weights inline, served as a small graph whose initializers are external data in
 * the stored file itself (see onnx-inline.ts): ORT then never holds the whole file in its heap.
 */
async function splitInline(graph: StoredFile, graphPath: string, partBytes: number, entries: Map<string, ServedEntry>) {
  const bytes = await externalGraphOf(graph);
  return { bytes, dataChunks: serveParts(bytes, new Map([[baseName(graph.path), graph]]), graphPath, partBytes, entries) };
}

/**
 * A transformers.js layout: a graph with inline weights is served with them as external data; one
 * with data files as stored, unless a data file is too large to hand over whole.
 */
async function serveTransformersJs(manifest: ModelManifest, partBytes: number): Promise<Served> {
  const graphPath = `onnx/model${DTYPE_SUFFIX[manifest.dtype]}.onnx`;
  const graph = await stored(manifest, graphPath);
  const entries = new Map<string, ServedEntry>();
  const data = manifest.files.filter((f) => f.path.startsWith(`${graphPath}_data`));
  let served: { bytes: Uint8Array | null; dataChunks: number } = { bytes: null, dataChunks: manifest.externalDataChunks };
  if (data.length === 0) served = await splitInline(graph, graphPath, partBytes, entries);
  else if (data.some((f) => (f.size ?? 0) > partBytes)) served = await splitData(manifest, graph, graphPath, partBytes, entries);
  serveModel(manifest, entries);
  const inspectable = served.bytes ?? (graph.size <= INSPECT_GRAPH_BYTES ? await bytesOf(graph) : null);
  return { dtype: manifest.dtype, dataChunks: served.dataChunks, attention: inspectable ? attentionIn(inspectable) : 'other' };
}

/** The dtype a GenAI graph computes in: float16 KV and activations or float32, 4-bit weights or not. */
export function genaiDtype(graph: Uint8Array): Dtype {
  const fp16 = [...graphInputTypes(graph)].some(([name, type]) => name.startsWith('past_key_values') && type === ELEM_FLOAT16);
  const nbits = graphOpTypes(graph).has('MatMulNBits');
  if (nbits) return fp16 ? 'q4f16' : 'q4';
  return fp16 ? 'fp16' : 'fp32';
}

/**
 * Checks a stored GenAI graph before its data is downloaded: what it computes in, and whether this
 * device can run that. Returns the dtype to record in the plan.
 */
export async function checkGenaiGraph(source: ModelSource, manifest: ModelManifest): Promise<Dtype> {
  const graph = manifest.files.find((f) => isGraph(f.path));
  if (!graph) throw new ExplainedError('unsupported', `${source.repo} has no .onnx model file in its folder.`);
  const dtype = genaiDtype(await bytesOf(await stored(manifest, graph.path)));
  if (!source.dtypes.includes(dtype)) {
    const f16 = dtype === 'q4f16' || dtype === 'fp16';
    throw new ExplainedError(
      'unsupported',
      f16 && source.device === 'webgpu'
        ? `${baseName(graph.path)} computes in float16, and this GPU lacks WebGPU's shader-f16 feature. Choose an export built with float32 activations, or another model.`
        : f16
          ? `${baseName(graph.path)} computes in float16, which Ponder runs on WebGPU only. Choose the WebGPU backend, or another export.`
          : `${baseName(graph.path)} is ${dtype}, which this device cannot run (it wants ${source.dtypes.join(' or ')}).`,
    );
  }
  return dtype;
}

/**
 * A GenAI folder served as the transformers.js layout that transformers.js expects: `config.json` and
 * `generation_config.json` made from genai_config.json, the tokenizer files at the repo's root, the
 * graph as `onnx/model.onnx` with its one large `model.onnx.data` split into parts it can read.
 */
async function serveGenai(manifest: ModelManifest, partBytes: number): Promise<Served> {
  const folder = manifest.folder ?? '';
  const at = (name: string) => (folder ? `${folder}/${name}` : name);
  const configFile = await stored(manifest, at('genai_config.json'));
  let config: GenaiModel;
  try {
    config = parseGenaiConfig(JSON.parse(new TextDecoder().decode(await bytesOf(configFile))), at('genai_config.json'));
  } catch (error) {
    if (error instanceof ExplainedError) throw error;
    throw new ExplainedError('unsupported', `${at('genai_config.json')} is not valid JSON.`, String(error));
  }
  const graphPath = at(config.filename);
  if (!manifest.files.some((f) => f.path === graphPath)) {
    throw new ExplainedError('unsupported', `${at('genai_config.json')} names the model file ${config.filename}, which the folder does not have.`);
  }
  const entries = new Map<string, ServedEntry>();
  const { bytes, dataChunks } = await splitData(manifest, await stored(manifest, graphPath), 'onnx/model.onnx', partBytes, entries);
  // The folder's other files (tokenizer, chat template, configs) where transformers.js looks: the root.
  for (const f of manifest.files) {
    const name = f.path.slice(folder ? folder.length + 1 : 0);
    if (!isGraph(name) && !isExternalData(name)) entries.set(name, { kind: 'stored', key: f.key });
  }
  entries.set('config.json', { kind: 'bytes', bytes: json(transformersConfig(config, dataChunks)) });
  if (!entries.has('generation_config.json')) entries.set('generation_config.json', { kind: 'bytes', bytes: json(generationConfig(config)) });
  serveModel(manifest, entries);
  return { dtype: 'fp32', dataChunks, attention: attentionIn(bytes) };
}

/** Makes the stored model loadable by transformers.js through storeFetch, and says how to ask for it. */
export function serveStored(source: ModelSource, manifest: ModelManifest): Promise<Served> {
  const partBytes = source.partBytes ?? DEFAULT_PART_BYTES;
  return manifest.layout === 'genai' ? serveGenai(manifest, partBytes) : serveTransformersJs(manifest, partBytes);
}
