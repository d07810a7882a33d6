import { create } from 'zustand';
import { deleteStoredModel, listStoredModels, type StoredModel } from '../../workers/weights/inventory';
import { formatBytes } from '../util/format';

// IndexedDB is shared with the worker, so the storage screen reads and deletes stored models
// directly (same modules, no ONNX Runtime); per-file Web Locks keep it from racing a download.

export interface Estimate {
  usage: number;
  quota: number;
}

interface StorageState {
  open: boolean;
  models: StoredModel[];
  estimate: Estimate | null;
  /** Whether the browser promised not to evict this site's data; null until asked. */
  persisted: boolean | null;
  busy: boolean;
  /** The last action's outcome or failure, one sentence. */
  notice: { kind: 'ok' | 'error'; text: string } | null;
  openScreen(): void;
  close(): void;
  refresh(): Promise<void>;
  remove(id: string): Promise<void>;
  removeAll(): Promise<void>;
  requestPersistence(): Promise<boolean | null>;
}

async function estimate(): Promise<Estimate | null> {
  try {
    const { usage, quota } = (await navigator.storage?.estimate()) ?? {};
    return usage === undefined || quota === undefined ? null : { usage, quota };
  } catch {
    return null;
  }
}

async function persisted(): Promise<boolean | null> {
  try {
    return (await navigator.storage?.persisted?.()) ?? null;
  } catch {
    return null;
  }
}

export const useStorageStore = create<StorageState>()((set, get) => {
  /** Deletes, then reports how much the browser says was freed (estimate before and after). */
  async function deleting(ids: string[], what: string): Promise<void> {
    set({ busy: true, notice: null });
    const before = await estimate();
    try {
      for (const id of ids) await deleteStoredModel(id);
      const after = await estimate();
      const freed = before && after ? Math.max(0, before.usage - after.usage) : null;
      set({ notice: { kind: 'ok', text: `Deleted ${what}${freed !== null ? `; ${formatBytes(freed)} freed` : ''}.` } });
    } catch (error) {
      set({ notice: { kind: 'error', text: `Could not delete ${what}: ${error instanceof Error ? error.message : String(error)}` } });
    } finally {
      set({ busy: false });
      await get().refresh();
    }
  }

  return {
    open: false,
    models: [],
    estimate: null,
    persisted: null,
    busy: false,
    notice: null,

    openScreen() {
      set({ open: true, notice: null });
      void get().refresh();
    },

    close() {
      set({ open: false });
    },

    async refresh() {
      try {
        const [models, est, kept] = await Promise.all([listStoredModels(), estimate(), persisted()]);
        set({ models, estimate: est, persisted: kept });
      } catch (error) {
        set({ notice: { kind: 'error', text: `Could not read the model storage: ${String(error)}. Reload the page and try again.` } });
      }
    },

    remove(id) {
      return deleting([id], id.replace(/@main$/, ''));
    },

    removeAll() {
      return deleting(
        get().models.map((m) => m.id),
        'all stored models',
      );
    },

    // StorageManager.persist() exists only on window, so the page asks before a large download.
    async requestPersistence() {
      let granted: boolean | null;
      try {
        granted = (await navigator.storage?.persist?.()) ?? null;
      } catch {
        granted = null;
      }
      set({ persisted: granted });
      return granted;
    },
  };
});
