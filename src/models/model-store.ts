import { create } from 'zustand';
import type { Device, Dtype, FileProgress, LoadedInfo, LoadPhase, WorkerFailure } from '../../workers/protocol';
import { InferenceError } from '../engine/client';
import { PRESETS } from '../remote/presets';
import { RemoteEngine } from '../remote/remote-engine';
import { lastServer, probeServer, setConnected, storedKey, type Problem, type ServerTarget } from '../remote/server-connection';
import { learnContext, type ServerContext } from '../remote/server-limits';
import { inference, inferenceWithThreads } from '../engine/instance';
import { parseThreadChoice, resolveThreads, threadSupport, type ThreadChoice } from '../engine/threads';
import { readSetting, writeSetting } from '../util/local-setting';
import { detectCapability, type Capability } from './capability';
import { DEFAULT_HOST, dtypePreference } from './catalog';

export type DeviceChoice = 'auto' | Device;

export interface ModelTarget {
  name: string;
  repo: string;
  revision: string;
  /** Folder inside the repo (ONNX Runtime GenAI builds); absent for the repo's root. */
  folder?: string;
  /** Backend chosen by the device-fit check (e.g. the CPU where the GPU is too small); else from the setting. */
  device?: Device;
  /** Weights chosen by the fit check (the first preferred that fits this device); else the preference order. */
  dtype?: Dtype;
}

export type LoadState =
  | { status: 'idle' }
  | { status: 'loading'; target: ModelTarget; device: Device; phase: LoadPhase; files: FileProgress[]; startedAt: number; updatedAt: number }
  | { status: 'ready'; target: ModelTarget; info: LoadedInfo }
  | { status: 'error'; target: ModelTarget; device: Device; failure: WorkerFailure }
  /** A connected inference server; its API key stays out of this state (see `remoteEngine`). */
  | { status: 'remote'; server: RemoteServer };

export interface RemoteServer extends ServerTarget {
  /** The context the server reported for the model when connecting; null where it says nothing usable (no cap). */
  context: ServerContext | null;
}

/** Reconnecting after a reload to the server the page was connected to, or why that failed. */
export type ServerResume = { status: 'connecting'; server: ServerTarget } | ({ status: 'failed'; server: ServerTarget } & Problem);

/** What a saved reply from a server records: the model's name and the engine, never the URL or the key. */
export function remoteModelTag(server: ServerTarget): { repo: string; dtype: string; device: string } {
  // Transcript validation admits `name` or `org/name` of [A-Za-z0-9_.-] (src/share/validate.ts):
  // Ollama's `deepseek-r1:32b` is kept readable as `deepseek-r1-32b`.
  const parts = server.model.split('/').filter(Boolean);
  const clean = (text: string) => text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
  const repo = (parts.length > 1 ? `${clean(parts.slice(0, -1).join('-'))}/${clean(parts.at(-1) ?? '')}` : clean(server.model)).slice(0, 200);
  return { repo, dtype: server.preset, device: 'server' };
}

/** The connected server's context, where it reported one. */
export function serverContext(state: { load: LoadState }): ServerContext | null {
  return state.load.status === 'remote' ? state.load.server.context : null;
}

/** The engine a connected server replies through, or null when none is connected. */
let remote: RemoteEngine | null = null;
export function remoteEngine(): RemoteEngine | null {
  return remote;
}

interface ModelStore {
  capability: Capability | null;
  host: string;
  deviceChoice: DeviceChoice;
  /** WebAssembly threads: 'auto' (from the cores) or a count the person chose. */
  threadChoice: ThreadChoice;
  load: LoadState;
  resume: ServerResume | null;
  detect(): Promise<void>;
  setHost(host: string): void;
  setDeviceChoice(choice: DeviceChoice): void;
  /** Applies from the next model load (the runtime fixes its thread count when it starts). */
  setThreadChoice(choice: ThreadChoice): void;
  loadModel(target: ModelTarget): Promise<void>;
  retry(): Promise<void>;
  dismiss(): void;
  /** Frees the model's memory and returns to the first screen; stored weights stay. */
  unloadModel(): Promise<void>;
  /**
   * Replies come from this server until `unloadModel` (or a local model); the key lives in the engine
   * only, not in this state. The server's context for the model is asked first.
   */
  connectServer(server: ServerTarget, apiKey: string): Promise<void>;
  /** After a reload while connected: connects to the remembered server again, with its stored key. */
  resumeServer(): Promise<void>;
}

const HOST_KEY = 'ponder.modelHost';
const DEVICE_KEY = 'ponder.device';
const THREADS_KEY = 'ponder.threads';


export function resolveDevice(choice: DeviceChoice, capability: Capability | null): Device {
  if (choice !== 'auto') return choice;
  return capability?.webgpu ? 'webgpu' : 'wasm';
}

/**
 * `?part-bytes=N` in the page's URL: hand external data to ONNX Runtime in parts of N bytes instead of
 * 2 GB, so tests send KB-sized fixtures down the same split path a 5 GB model takes.
 */
function partBytesForTests(): { partBytes?: number } {
  const n = Number(new URLSearchParams(globalThis.location?.search ?? '').get('part-bytes'));
  return Number.isSafeInteger(n) && n > 0 ? { partBytes: n } : {};
}

function failureOf(error: unknown): WorkerFailure {
  if (error instanceof InferenceError) return error.failure;
  return { code: 'internal', message: 'Loading failed unexpectedly.', detail: String(error) };
}

export const useModelStore = create<ModelStore>()((set, get) => ({
  capability: null,
  host: readSetting(HOST_KEY) ?? DEFAULT_HOST,
  deviceChoice: (readSetting(DEVICE_KEY) as DeviceChoice | null) ?? 'auto',
  threadChoice: parseThreadChoice(readSetting(THREADS_KEY)),
  load: { status: 'idle' },
  resume: null,

  async detect() {
    set({ capability: await detectCapability() });
  },

  setHost(host) {
    writeSetting(HOST_KEY, host);
    set({ host });
  },

  setDeviceChoice(deviceChoice) {
    writeSetting(DEVICE_KEY, deviceChoice);
    set({ deviceChoice });
  },

  setThreadChoice(threadChoice) {
    writeSetting(THREADS_KEY, String(threadChoice));
    set({ threadChoice });
  },

  async loadModel(target) {
    const { host, deviceChoice, threadChoice, capability } = get();
    const device = target.device ?? resolveDevice(deviceChoice, capability);
    const threads = resolveThreads(threadChoice, threadSupport());
    remote = null; // a local model replaces a connected server
    setConnected(false);
    set({ resume: null, load: { status: 'loading', target, device, phase: 'resolve', files: [], startedAt: Date.now(), updatedAt: Date.now() } });
    try {
      const info = await inferenceWithThreads(threads).load(
        {
          host,
          repo: target.repo,
          revision: target.revision,
          device,
          dtypes: target.dtype ? [target.dtype] : dtypePreference(device, capability?.shaderF16 ?? false),
          threads,
          ...(target.folder ? { folder: target.folder } : {}),
          ...partBytesForTests(),
        },
        (phase, files) => {
          const current = get().load;
          if (current.status === 'loading') set({ load: { ...current, phase, files, updatedAt: Date.now() } });
        },
      );
      set({ load: { status: 'ready', target, info } });
    } catch (error) {
      set({ load: { status: 'error', target, device, failure: failureOf(error) } });
    }
  },

  async retry() {
    const current = get().load;
    // From an error, or from a model whose GPU device was lost: load the same model again.
    if (current.status === 'error' || current.status === 'ready') await get().loadModel(current.target);
  },

  dismiss() {
    set({ load: { status: 'idle' } });
  },

  async unloadModel() {
    const wasRemote = get().load.status === 'remote';
    set({ load: { status: 'idle' } });
    if (wasRemote) {
      const engine = remote;
      remote = null;
      setConnected(false);
      await engine?.interrupt();
      return;
    }
    await inference().unload();
  },

  async connectServer(target, apiKey) {
    if (!PRESETS[target.preset]) return;
    if (get().load.status === 'ready') await inference().unload();
    const config = { baseUrl: target.baseUrl, engine: target.preset, model: target.model, ...(apiKey ? { apiKey } : {}) };
    const context = await learnContext(config);
    remote = new RemoteEngine(config);
    setConnected(true);
    set({ resume: null, load: { status: 'remote', server: { preset: target.preset, baseUrl: target.baseUrl, model: target.model, context } } });
  },

  async resumeServer() {
    const saved = lastServer();
    if (!saved?.connected || get().load.status !== 'idle' || get().resume?.status === 'connecting') return;
    const server: ServerTarget = { preset: saved.preset, baseUrl: saved.baseUrl, model: saved.model };
    const apiKey = storedKey(server.baseUrl);
    set({ resume: { status: 'connecting', server } });
    const problem = await probeServer(server, apiKey);
    // The person may have loaded a model meanwhile, which ends the reconnect.
    if (get().resume?.server !== server) return;
    if (problem) set({ resume: { status: 'failed', server, ...problem } });
    else await get().connectServer(server, apiKey);
  },
}));

// A reload while connected comes back connected (the first screen says so when the server is gone).
void useModelStore.getState().resumeServer();
