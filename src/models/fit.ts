import type { Device, Dtype } from '../../workers/protocol';
import { formatBytes } from '../util/format';
import type { Capability } from './capability';
import { dtypePreference, type CatalogModel } from './catalog';
import type { DeviceChoice } from './model-store';

/** What the first screen knows about this device before anything is downloaded. */
export interface DeviceFacts {
  capability: Pick<Capability, 'webgpu' | 'shaderF16' | 'maxBufferSize' | 'maxStorageBufferBindingSize'>;
  /** Bytes this site may still store (quota − usage), or null where the browser will not say. */
  availableStorage: number | null;
}

export interface Fit {
  /** True when the model can be downloaded and run here as chosen. */
  ok: boolean;
  device: Device;
  dtype: Dtype | null;
  /** Bytes still to download (what is already stored is not counted again). */
  download: number;
  /** Why it cannot run here, one plain sentence each. */
  reasons: string[];
  /** What the user should know although it runs (slow CPU backend, larger weights). */
  notes: string[];
}

// WebAssembly (wasm32) addresses 4 GiB, and ONNX Runtime holds the weights and its working memory
// there, so models much above 3 GB cannot run on the CPU backend.
export const WASM_MAX_MODEL_BYTES = 3_000_000_000;

function fitOn(model: CatalogModel, facts: DeviceFacts, device: Device, storedBytes: number): Fit {
  const { capability } = facts;
  const reasons: string[] = [];
  const notes: string[] = [];
  const dtype = dtypePreference(device, capability.shaderF16).find((d) => model.sizes[d] !== undefined) ?? null;
  const size = dtype ? (model.sizes[dtype] ?? 0) : 0;
  const download = Math.max(0, size - storedBytes);

  if (device === 'webgpu' && !capability.webgpu) reasons.push('This browser offers no WebGPU adapter.');
  if (!dtype) {
    const shipped = Object.keys(model.sizes).join(', ');
    reasons.push(
      device === 'webgpu' && !capability.shaderF16 && model.sizes.q4f16 !== undefined
        ? `Its weights (${shipped}) need the WebGPU shader-f16 feature, which this GPU lacks.`
        : `It has no weights for the ${device === 'webgpu' ? 'GPU' : 'CPU'} backend (only ${shipped}).`,
    );
  }
  if (dtype && device === 'webgpu' && capability.webgpu) {
    const limits = [capability.maxBufferSize, capability.maxStorageBufferBindingSize].filter((n): n is number => n !== null);
    const limit = limits.length > 0 ? Math.min(...limits) : null;
    const largest = model.largestTensor[dtype];
    if (limit !== null && largest !== undefined && largest > limit) {
      reasons.push(`Its largest weight (about ${formatBytes(largest)}) is bigger than this GPU allows in one buffer (${formatBytes(limit)}).`);
    }
    if (dtype === 'q4' && model.sizes.q4f16 !== undefined) {
      notes.push('This GPU lacks shader-f16, so the larger q4 weights (32-bit activations) are used.');
    }
  }
  if (dtype && device === 'wasm') {
    if (size > WASM_MAX_MODEL_BYTES) {
      reasons.push(`At ${formatBytes(size)} it is too large for the CPU backend, which can address about 4 GB in all.`);
    } else {
      notes.push('Runs on the CPU (WebAssembly): it works, but expect only a few tokens per second.');
    }
  }
  if (dtype && facts.availableStorage !== null && download > facts.availableStorage) {
    reasons.push(`It needs ${formatBytes(download)} free, ${formatBytes(facts.availableStorage)} available.`);
  }
  return { ok: reasons.length === 0, device, dtype, download, reasons, notes };
}

/**
 * Whether a catalog model can run here, on which backend, with which weights, and if not, why.
 * "Automatic" prefers WebGPU and falls back to the CPU only where the CPU can actually run it.
 */
export function fitModel(model: CatalogModel, facts: DeviceFacts, choice: DeviceChoice, storedBytes = 0): Fit {
  if (choice !== 'auto') return fitOn(model, facts, choice, storedBytes);
  if (!facts.capability.webgpu) return fitOn(model, facts, 'wasm', storedBytes);
  const gpu = fitOn(model, facts, 'webgpu', storedBytes);
  if (gpu.ok) return gpu;
  const cpu = fitOn(model, facts, 'wasm', storedBytes);
  if (cpu.ok && !gpu.reasons.some((r) => r.startsWith('It needs'))) {
    return { ...cpu, notes: [`Not on this GPU: ${gpu.reasons.join(' ')}`, ...cpu.notes] };
  }
  return gpu;
}
