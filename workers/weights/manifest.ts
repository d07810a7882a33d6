import type { Dtype, ModelSource } from '../protocol';
import { ExplainedError, httpFailure } from '../errors';
import { fileKey } from './store';
import type { RemoteFile } from './download';

// transformers.js names ONNX files by dtype suffix (DEFAULT_DTYPE_SUFFIX_MAPPING in 4.3.1).
export const DTYPE_SUFFIX: Record<Dtype, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
};

const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
// Optional files transformers.js reads when a repo has them (the storeFetch answers 404 for others).
const OPTIONAL = ['generation_config.json', 'chat_template.jinja', 'chat_template.json'];

/**
 * How a repo lays a model out: transformers.js's (config.json, onnx/model{suffix}.onnx, `_data` chunks)
 * or ONNX Runtime GenAI's (a folder with genai_config.json, model.onnx and one model.onnx.data).
 */
export type Layout = 'transformers.js' | 'genai';

export interface ModelManifest {
  /** Absent in plans stored before GenAI support: those are transformers.js layouts. */
  layout?: Layout;
  /** Folder inside the repo that holds the model ('' for the repo's root). */
  folder?: string;
  /** For GenAI folders, known once the graph is stored (its KV inputs say float16 or float32). */
  dtype: Dtype;
  files: RemoteFile[];
  /** Number of `.onnx_data` chunks beside the graph, for transformers.js's use_external_data_format. */
  externalDataChunks: number;
}

export interface Sibling {
  rfilename: string;
  size?: number;
  lfs?: { sha256?: string; size?: number };
}

/** The part of a repo's `config.json` the hub repeats in its listing. */
export interface ListedConfig {
  architectures?: unknown;
  model_type?: unknown;
}

export interface RepoListing {
  siblings: Sibling[];
  config?: ListedConfig;
}

export function resolveUrl(host: string, repo: string, revision: string, path: string): string {
  return `${host.replace(/\/+$/, '')}/${repo}/resolve/${encodeURIComponent(revision)}/${path}`;
}

/** Reads `{repo}@{revision}/{path}` back out of a hub URL, or null for other URLs. */
export function keyFromUrl(url: string): string | null {
  const m = /\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(new URL(url).pathname);
  if (!m?.[1] || !m[2] || !m[3]) return null;
  return fileKey(decodeURIComponent(m[1]), decodeURIComponent(m[2]), decodeURIComponent(m[3]));
}

/** External-data chunk `i` of `graph` as transformers.js 4.3.1 names it: `<graph>_data`, `<graph>_data_1`, ... */
export function externalChunkName(graph: string, i: number): string {
  return `${graph}_data${i === 0 ? '' : `_${i}`}`;
}

export function dataChunkNames(graph: string, siblings: ReadonlySet<string>): string[] {
  const names: string[] = [];
  for (let i = 0; siblings.has(externalChunkName(graph, i)); i++) names.push(externalChunkName(graph, i));
  return names;
}

/** Lists the dtypes a repo ships ONNX graphs for, in the order transformers.js names them. */
export function availableDtypes(siblings: ReadonlySet<string>): Dtype[] {
  return (Object.keys(DTYPE_SUFFIX) as Dtype[]).filter((d) => siblings.has(`onnx/model${DTYPE_SUFFIX[d]}.onnx`));
}

/**
 * Refuses repos whose config names a model that is not a causal LM (an encoder, a classifier...):
 * those can have ONNX files and a tokenizer and still never generate text.
 */
function checkCausalLm(repo: string, config: ListedConfig | undefined): void {
  const architectures = Array.isArray(config?.architectures) ? config.architectures.filter((a): a is string => typeof a === 'string') : [];
  if (architectures.length === 0 || architectures.some((a) => a.endsWith('ForCausalLM'))) return;
  const type = typeof config?.model_type === 'string' ? `a ${config.model_type} model (${architectures.join(', ')})` : architectures.join(', ');
  throw new ExplainedError(
    'unsupported',
    `${repo} is ${type}, not a text-generation (causal language) model, so Ponder cannot chat with it. Choose an ONNX export of a model whose architecture ends in ForCausalLM.`,
  );
}

/** A listing's sizes and hashes by path, and the plan entry for one of its files. */
function listed(source: ModelSource, listing: Sibling[]) {
  const sizes = new Map(listing.map((s) => [s.rfilename, s.size ?? s.lfs?.size ?? null]));
  const hashes = new Map(listing.map((s) => [s.rfilename, s.lfs?.sha256?.toLowerCase() ?? null]));
  const file = (path: string): RemoteFile => ({
    url: resolveUrl(source.host, source.repo, source.revision, path),
    key: fileKey(source.repo, source.revision, path),
    repo: source.repo,
    revision: source.revision,
    path,
    size: sizes.get(path) ?? null,
    sha256: hashes.get(path) ?? null,
  });
  return { names: new Set(sizes.keys()), file };
}

/** '' for the root, else the folder without leading or trailing slashes. */
export function normalizeFolder(folder: string | undefined): string {
  return (folder ?? '').trim().replace(/^\/+|\/+$/g, '');
}

const GENAI_CONFIG = 'genai_config.json';

/** An external-data file: GenAI's `model.onnx.data` (any `.data`), transformers.js's `.onnx_data` chunks. */
export function isExternalData(path: string): boolean {
  return /(\.data|\.onnx_data(_\d+)?)$/.test(path);
}
const GENAI_TOKENIZER = ['tokenizer.json', 'tokenizer_config.json'];
const GENAI_OPTIONAL = ['special_tokens_map.json', 'chat_template.jinja', 'generation_config.json'];

/** Folders of the repo that hold a GenAI model, for a message that says where to look. */
function genaiFolders(names: ReadonlySet<string>): string[] {
  return [...names].filter((n) => n.endsWith(`/${GENAI_CONFIG}`) || n === GENAI_CONFIG).map((n) => n.slice(0, -GENAI_CONFIG.length).replace(/\/$/, '') || '(the root)');
}

/**
 * A GenAI folder: its config and tokenizer first, then the graph, then the external data, so the graph
 * can be checked (float16 or not) before gigabytes of data are fetched. The graph is the folder's one
 * `.onnx` file; its data files are the folder's `.data` / `.onnx_data` files (the graph says which it
 * needs, checked once it is stored).
 */
function planGenai(source: ModelSource, listing: Sibling[], folder: string): ModelManifest {
  const { names, file } = listed(source, listing);
  const at = (name: string) => (folder ? `${folder}/${name}` : name);
  const inFolder = [...names].filter((n) => (folder ? n.startsWith(`${folder}/`) : true) && !n.slice(folder ? folder.length + 1 : 0).includes('/'));
  const where = folder ? `${source.repo}/${folder}` : source.repo;
  const missing = GENAI_TOKENIZER.filter((f) => !names.has(at(f)));
  if (missing.length > 0) throw new ExplainedError('unsupported', `${where} has a genai_config.json but lacks ${missing.join(', ')}, which Ponder needs for its tokenizer.`);
  const graphs = inFolder.filter((n) => n.endsWith('.onnx'));
  if (graphs.length !== 1) {
    throw new ExplainedError(
      'unsupported',
      graphs.length === 0 ? `${where} has a genai_config.json but no .onnx model file.` : `${where} holds several models (${graphs.join(', ')}); Ponder expects one per folder.`,
    );
  }
  const data = inFolder.filter(isExternalData).sort();
  const paths = [at(GENAI_CONFIG), ...GENAI_TOKENIZER.map(at), ...GENAI_OPTIONAL.map(at).filter((f) => names.has(f)), ...graphs, ...data];
  return { layout: 'genai', folder, dtype: source.dtypes[0] ?? 'q4', externalDataChunks: 0, files: paths.map(file) };
}

/** Chooses the files a causal LM needs from the host's repo listing, or explains why it cannot run. */
export function planFiles(source: ModelSource, listing: Sibling[], config?: ListedConfig): ModelManifest {
  const folder = normalizeFolder(source.folder);
  const names = new Set(listing.map((s) => s.rfilename));
  if (names.has(folder ? `${folder}/${GENAI_CONFIG}` : GENAI_CONFIG)) return planGenai(source, listing, folder);
  if (folder) {
    const found = genaiFolders(names);
    throw new ExplainedError(
      'unsupported',
      `${source.repo} has no ONNX Runtime GenAI model (genai_config.json) in the folder ${folder}.` +
        (found.length > 0 ? ` It has one in: ${found.join(', ')}.` : ' Leave the folder empty for a transformers.js export.'),
    );
  }
  return planTransformersJs(source, listing, config);
}

function planTransformersJs(source: ModelSource, listing: Sibling[], config?: ListedConfig): ModelManifest {
  checkCausalLm(source.repo, config);
  const { names, file } = listed(source, listing);
  const missing = REQUIRED.filter((f) => !names.has(f));
  if (missing.length > 0) {
    const found = genaiFolders(names);
    if (found.length > 0) {
      throw new ExplainedError(
        'unsupported',
        `${source.repo} holds ONNX Runtime GenAI models in folders, not a transformers.js export. Enter one of these as the folder: ${found.join(', ')}.`,
      );
    }
    throw new ExplainedError(
      'unsupported',
      `${source.repo} is not a text-generation model Ponder can run: it lacks ${missing.join(', ')}.`,
    );
  }
  const have = availableDtypes(names);
  const dtype = source.dtypes.find((d) => have.includes(d));
  if (!dtype) {
    throw new ExplainedError(
      'unsupported',
      have.length > 0
        ? `${source.repo} has no weights this device can run (wants ${source.dtypes.join(' or ')}, the repo has ${have.join(', ')}).`
        : `${source.repo} has no ONNX export (onnx/model*.onnx), so it cannot run in the browser.`,
    );
  }
  const graph = `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`;
  const data = dataChunkNames(graph, names);
  const paths = [...REQUIRED, ...OPTIONAL.filter((f) => names.has(f)), graph, ...data];
  return { layout: 'transformers.js', folder: '', dtype, externalDataChunks: data.length, files: paths.map(file) };
}

export async function fetchListing(source: ModelSource): Promise<RepoListing> {
  const base = source.host.replace(/\/+$/, '');
  const url = `${base}/api/models/${source.repo}/revision/${encodeURIComponent(source.revision)}?blobs=true`;
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store' });
  } catch (error) {
    throw new ExplainedError(
      'network',
      `Could not reach the model host ${base}. Check your connection (or the mirror address) and retry.`,
      String(error),
    );
  }
  if (!response.ok) throw httpFailure(response.status, url);
  const body = (await response.json()) as { siblings?: Sibling[]; config?: ListedConfig };
  if (!Array.isArray(body.siblings)) {
    throw new ExplainedError('unsupported', `The model host did not list the files of ${source.repo}.`, url);
  }
  return { siblings: body.siblings, ...(body.config ? { config: body.config } : {}) };
}
