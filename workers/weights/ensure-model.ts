import { createStore, get, set } from 'idb-keyval';
import type { FileProgress, ModelSource } from '../protocol';
import { ensureStored } from './download';
import { fetchListing, planFiles, resolveUrl, type ModelManifest } from './manifest';
import { getFile } from './store';

// The plan of a model that was fully stored is kept, so loading it again asks the network nothing.
const manifests = createStore('ponder-model-manifests', 'manifests');

function manifestKey(source: ModelSource): string {
  return `${source.repo}@${source.revision}:${source.dtypes.join(',')}`;
}

async function allStored(manifest: ModelManifest): Promise<boolean> {
  const records = await Promise.all(manifest.files.map((f) => getFile(f.key)));
  return records.every((r) => r?.complete);
}

/**
 * Puts every file the model needs into the weight store, reporting per-file bytes.
 * Files download one after another so the first ones finish early and a failure names one file.
 */
export async function ensureModel(
  source: ModelSource,
  onProgress: (files: FileProgress[]) => void,
): Promise<ModelManifest> {
  const known = await get<ModelManifest>(manifestKey(source), manifests);
  const manifest = known && (await allStored(known)) ? known : planFiles(source, await fetchListing(source));
  const progress: FileProgress[] = manifest.files.map((f) => ({ path: f.path, loaded: 0, total: f.size ?? 0 }));
  onProgress(progress);
  for (const [i, remote] of manifest.files.entries()) {
    // A stored plan may come from another host (a mirror): download from the host chosen now.
    const url = resolveUrl(source.host, remote.repo, remote.revision, remote.path);
    await ensureStored({ ...remote, url }, (loaded, total) => {
      progress[i] = { path: remote.path, loaded, total };
      onProgress(progress);
    });
  }
  if (known !== manifest) await set(manifestKey(source), manifest, manifests);
  return manifest;
}
