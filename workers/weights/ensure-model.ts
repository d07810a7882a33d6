import type { FileProgress, ModelSource } from '../protocol';
import { ensureStored } from './download';
import { allStored, getManifest, saveManifest } from './inventory';
import { fetchListing, isExternalData, planFiles, resolveUrl, type ModelManifest } from './manifest';
import { checkGenaiGraph, serveStored, type Served } from './model-view';
import { availableBytes, isQuotaError, spaceFailure } from './space';
import { progressRate } from './progress-rate';
import { getFile, storedBytes } from './store';

/** Download progress reaches the page at most this often (ms). */
const PROGRESS_MS = 100;

/** Bytes each file of the plan already has in the store. */
async function storedPerFile(manifest: ModelManifest): Promise<number[]> {
  const records = await Promise.all(manifest.files.map((f) => getFile(f.key)));
  return records.map((r) => (r ? storedBytes(r) : 0));
}

async function missingBytes(manifest: ModelManifest): Promise<number> {
  const stored = await storedPerFile(manifest);
  return manifest.files.reduce((sum, f, i) => sum + Math.max(0, (f.size ?? 0) - (stored[i] ?? 0)), 0);
}

/** A GenAI folder's external data: downloaded after its graph has been checked. */
const isGenaiData = (manifest: ModelManifest, path: string) => manifest.layout === 'genai' && isExternalData(path);

/**
 * Puts every file the model needs into the weight store (verified, damaged chunks repaired),
 * reporting per-file bytes, then has the store serve it to transformers.js. Files download one after
 * another so the first ones finish early and a failure names one file; a GenAI graph is checked
 * (can this device run what it computes in?) before its gigabytes of data are fetched.
 * `checkedBeside`: keys of stored files whose chunks are being checked elsewhere (load-checked.ts).
 */
export async function ensureModel(
  source: ModelSource,
  onProgress: (files: FileProgress[]) => void,
  checkedBeside: readonly string[] = [],
): Promise<{ manifest: ModelManifest; served: Served }> {
  const known = await getManifest(source);
  let manifest: ModelManifest;
  if (known && (await allStored(known))) {
    manifest = known;
  } else {
    const listing = await fetchListing(source);
    manifest = planFiles(source, listing.siblings, listing.config);
  }
  const stored = await storedPerFile(manifest);
  const progress: FileProgress[] = manifest.files.map((f, i) => ({ path: f.path, loaded: stored[i] ?? 0, total: f.size ?? 0 }));
  onProgress(progress);

  // Refuse early when the browser says the rest cannot fit, rather than after filling the disk.
  const missing = await missingBytes(manifest);
  const available = missing > 0 ? await availableBytes() : null;
  if (available !== null && missing > available) throw await spaceFailure(source.repo, missing);

  let checked = manifest.layout !== 'genai';
  for (const [i, remote] of manifest.files.entries()) {
    if (!checked && isGenaiData(manifest, remote.path)) {
      manifest = { ...manifest, dtype: await checkGenaiGraph(source, manifest) };
      checked = true;
    }
    // A stored plan may come from another host (a mirror): download from the host chosen now.
    const url = resolveUrl(source.host, remote.repo, remote.revision, remote.path);
    const rate = progressRate(() => onProgress(progress), PROGRESS_MS);
    try {
      await ensureStored(
        { ...remote, url },
        (loaded, total) => {
          progress[i] = { path: remote.path, loaded, total };
          rate.report();
        },
        checkedBeside.includes(remote.key),
      );
      rate.flush();
    } catch (error) {
      if (isQuotaError(error)) throw await spaceFailure(source.repo, await missingBytes(manifest), String(error));
      throw error;
    }
  }
  if (!checked) manifest = { ...manifest, dtype: await checkGenaiGraph(source, manifest) };
  // Recorded as complete only once the files proved loadable (a data file too short for its graph is not).
  const served = await serveStored(source, manifest);
  await saveManifest(source, manifest);
  return { manifest, served };
}
