import type { FileProgress, ModelSource } from '../protocol';
import { checkBeside } from './chunk-check';
import { ensureModel } from './ensure-model';
import { getManifest, storedRecords } from './inventory';
import type { ModelManifest } from './manifest';
import type { Served } from './model-view';
import { servingFailed } from './store-fetch';

/**
 * ensureModel, then `load` (transformers.js reading what the store serves), for a model already
 * stored with its chunks checked in a worker beside the load rather than before it: on a reload that
 * check reads every chunk back (2-3 s for the 1.5B), while the load spends most of its time in ONNX
 * Runtime building the session on this thread. When a chunk turns out damaged, whatever the load
 * made is discarded, and the model is ensured again the usual way (every chunk checked, the damaged
 * ones fetched again) and loaded once more. The check, not the load, decides: transformers.js 4.3.1
 * never settles a load whose external-data read fails (utils/model-loader.js getModelDataFiles awaits
 * the read inside a `new Promise(async …)` executor, so its rejection is lost); storeFetch says when
 * it failed one (servingFailed).
 */
export async function loadChecked<T>(
  source: ModelSource,
  onProgress: (files: FileProgress[]) => void,
  load: (served: Served) => Promise<T>,
  discard: (value: T) => Promise<unknown>,
): Promise<{ manifest: ModelManifest; value: T }> {
  const known = await getManifest(source);
  const files = (known && (await storedRecords(known))) ?? [];
  if (files.length > 0) {
    const intact = checkBeside(files);
    try {
      const { manifest, served } = await ensureModel(source, onProgress, files.map((f) => f.key));
      const loading = load(served);
      loading.catch(() => {}); // settled below, or discarded
      if (await intact) return { manifest, value: await loading };
      // This load read damaged bytes. Let it end (and drop what it made) before loading again, so two
      // models never share the memory; a load the store failed to serve will never end by itself.
      await Promise.race([loading.then(discard, () => {}), servingFailed()]);
    } catch (error) {
      if (await intact) throw error;
    }
  }
  const { manifest, served } = await ensureModel(source, onProgress);
  return { manifest, value: await load(served) };
}
