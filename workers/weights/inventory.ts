import { createStore, del, get, keys, set } from 'idb-keyval';
import type { ModelSource } from '../protocol';
import { withFileLock } from './download';
import { normalizeFolder, type ModelManifest } from './manifest';
import { deleteFile, getFile, listFiles, storedBytes, type StoredFile } from './store';

// The plan of a model that was fully stored is kept, so loading it again asks the network nothing.
// IndexedDB is shared by the page and the worker, so the storage screen reads this module directly.
const manifests = createStore('ponder-model-manifests', 'manifests');

export interface StoredManifest extends ModelManifest {
  /** Absent on records written before last-used tracking. */
  lastUsedAt?: number;
}

function manifestKey(source: Pick<ModelSource, 'repo' | 'revision' | 'dtypes' | 'folder'>): string {
  // Repos without a folder keep the key plans were stored under before folders existed.
  const folder = normalizeFolder(source.folder);
  return `${source.repo}@${source.revision}${folder ? `/${folder}` : ''}:${source.dtypes.join(',')}`;
}

export function getManifest(source: ModelSource): Promise<StoredManifest | undefined> {
  return get<StoredManifest>(manifestKey(source), manifests);
}

export function saveManifest(source: ModelSource, manifest: ModelManifest): Promise<void> {
  return set(manifestKey(source), { ...manifest, lastUsedAt: Date.now() } satisfies StoredManifest, manifests);
}

/** The records of a plan's files when every one is stored complete, else null. */
export async function storedRecords(manifest: ModelManifest): Promise<StoredFile[] | null> {
  const records = await Promise.all(manifest.files.map((f) => getFile(f.key)));
  return records.every((r) => r?.complete) ? (records as StoredFile[]) : null;
}

export async function allStored(manifest: ModelManifest): Promise<boolean> {
  return (await storedRecords(manifest)) !== null;
}

export interface StoredModel {
  /** `repo@revision`, the unit the storage screen lists and deletes. */
  id: string;
  repo: string;
  revision: string;
  bytes: number;
  /** Every file of a stored plan is present and verified at download. */
  complete: boolean;
  lastUsedAt: number | null;
  files: Array<Pick<StoredFile, 'path' | 'size' | 'complete'> & { stored: number }>;
}

const modelId = (repo: string, revision: string) => `${repo}@${revision}`;

/** Groups what is stored by model; pure so it is tested without IndexedDB. */
export function groupModels(files: readonly StoredFile[], plans: ReadonlyArray<{ manifest: StoredManifest }>): StoredModel[] {
  const models = new Map<string, StoredModel>();
  for (const f of files) {
    const id = modelId(f.repo, f.revision);
    const model = models.get(id) ?? { id, repo: f.repo, revision: f.revision, bytes: 0, complete: false, lastUsedAt: null, files: [] };
    model.bytes += storedBytes(f);
    model.files.push({ path: f.path, size: f.size, complete: f.complete, stored: storedBytes(f) });
    models.set(id, model);
  }
  for (const { manifest } of plans) {
    const first = manifest.files[0];
    const model = first && models.get(modelId(first.repo, first.revision));
    if (!model) continue;
    const complete = manifest.files.every((mf) => model.files.some((f) => f.path === mf.path && f.complete));
    model.complete ||= complete;
    if (manifest.lastUsedAt) model.lastUsedAt = Math.max(model.lastUsedAt ?? 0, manifest.lastUsedAt);
  }
  return [...models.values()].sort((a, b) => (b.lastUsedAt ?? 0) - (a.lastUsedAt ?? 0) || a.id.localeCompare(b.id));
}

export async function listStoredModels(): Promise<StoredModel[]> {
  const [files, manifestKeys] = await Promise.all([listFiles(), keys<string>(manifests)]);
  const plans = await Promise.all(manifestKeys.map(async (k) => ({ manifest: (await get<StoredManifest>(k, manifests))! })));
  return groupModels(files, plans.filter((p) => p.manifest));
}

/**
 * Deletes every stored file of one model. A file another tab is downloading right now is locked;
 * deleting it then fails with a reason rather than pulling chunks from under the download.
 */
export async function deleteStoredModel(id: string): Promise<void> {
  const files = (await listFiles()).filter((f) => modelId(f.repo, f.revision) === id);
  for (const f of files) {
    const done = await withFileLock(f.key, async () => (await deleteFile(f.key), true), true);
    if (!done) throw new Error(`${f.path} is being downloaded right now (perhaps in another tab). Wait for it to finish, then delete.`);
  }
  for (const k of await keys<string>(manifests)) {
    // `repo@revision:dtypes`, or `repo@revision/folder:dtypes` for a model in a folder of the repo.
    if (k.startsWith(`${id}:`) || k.startsWith(`${id}/`)) await del(k, manifests);
  }
}

