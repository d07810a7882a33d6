import type { Device, Dtype } from '../../workers/protocol';
import { formatBytes } from '../util/format';
import type { Capability } from './capability';
import { dtypePreference, largestTensor, type CatalogModel } from './catalog';
import { fitContext, formatContext, memoryBudget, type ContextFit } from './memory-fit';
import type { DeviceChoice } from './model-store';

/** What the first screen knows about this device before anything is downloaded. */
export interface DeviceFacts {
  capability: Pick<Capability, 'webgpu' | 'shaderF16' | 'maxBufferSize' | 'maxStorageBufferBindingSize' | 'deviceMemory'>;
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
  /** The context that fits by the memory estimate (memory-fit.ts), or null where none was made. */
  memory: ContextFit | null;
  /** Why it cannot run here, one plain sentence each. */
  reasons: string[];
  /** What the user should know although it runs (slow CPU backend, larger weights). */
  notes: string[];
}

/** What bounds the estimate, with its number, honestly named: "what WebAssembly can hold (about 3.2 GB of its 4 GB)". */
function budgetPhrase(memory: ContextFit): string {
  const { budget } = memory;
  const about = formatBytes(budget.total ?? 0);
  if (budget.basis === 'wasm') return `what WebAssembly can hold (about ${about} of its 4 GB)`;
  const gpu = budget.device === 'webgpu' ? '; it cannot see a GPU’s own memory' : '';
  return `what this device can likely spare (about ${about}: ¾ of the ${budget.deviceMemory} GB of memory the browser reports${gpu})`;
}

/** Why not even the smallest context fits, one sentence. */
function memoryReason(memory: ContextFit): string {
  const { estimate, budget } = memory;
  const tokens = formatContext(estimate.context);
  if (memory.limit === 'buffer') {
    return `Its KV cache for ${tokens} tokens needs ${formatBytes(Math.max(estimate.largestKvTensor, estimate.logits))} in one buffer, more than this GPU allows (${formatBytes(budget.maxBuffer)}).`;
  }
  const needs = `room for ${tokens} tokens it needs about ${formatBytes(estimate.total)}, more than ${budgetPhrase(memory)}.`;
  return budget.basis === 'wasm'
    ? `At ${formatBytes(estimate.weights)} of weights it is too large for the CPU backend: with ${needs}`
    : `With ${needs}`;
}

/**
 * The card's line on context: how many tokens of thinking fit here (`head`), and what that estimate
 * rests on (`detail`). Null where the model does not fit (the reasons say why).
 */
export function contextLine(fit: Fit): { head: string; detail: string } | null {
  const memory = fit.memory;
  if (!fit.ok || !memory || memory.context === null) return null;
  const tokens = formatContext(memory.context);
  const head = memory.limit === 'model' ? `Fits the full ${tokens} tokens of thinking here.` : `Fits about ${tokens} tokens of thinking here.`;
  const estimate = `Estimate: ${formatBytes(memory.estimate.total)} for weights, KV cache and logits`;
  const detail =
    memory.budget.total === null
      ? `${estimate}; the browser does not say how much memory this device has, so only the GPU’s buffer limits were checked.`
      : `${estimate}, within ${budgetPhrase(memory)}.`;
  return { head, detail };
}

function fitOn(model: CatalogModel, facts: DeviceFacts, device: Device, storedBytes: number): Fit {
  const { capability } = facts;
  const reasons: string[] = [];
  const notes: string[] = [];
  const runs = device === 'wasm' || capability.webgpu;
  const shipped = dtypePreference(device, capability.shaderF16).filter((d) => model.sizes[d] !== undefined);
  // The first of the preferred weights that fits this device's memory; else the first shipped, whose
  // estimate then says why it does not fit.
  const budget = memoryBudget(device, capability);
  const dtype = (runs ? shipped.find((d) => fitContext(model, d, budget).context !== null) : undefined) ?? shipped[0] ?? null;
  const size = dtype ? (model.sizes[dtype] ?? 0) : 0;
  const download = Math.max(0, size - storedBytes);
  const memory = dtype && runs ? fitContext(model, dtype, budget) : null;

  if (!runs) reasons.push('This browser offers no WebGPU adapter.');
  if (!dtype) {
    const shipped = Object.keys(model.sizes).join(', ');
    reasons.push(
      device === 'webgpu' && !capability.shaderF16 && model.sizes.q4f16 !== undefined
        ? `Its weights (${shipped}) need the WebGPU shader-f16 feature, which this GPU lacks.`
        : `It has no weights for the ${device === 'webgpu' ? 'GPU' : 'CPU'} backend (only ${shipped}).`,
    );
  }
  if (dtype && device === 'webgpu' && capability.webgpu) {
    const { maxBuffer } = memoryBudget(device, capability);
    const largest = largestTensor(model, dtype);
    if (capability.maxBufferSize !== null || capability.maxStorageBufferBindingSize !== null) {
      if (largest > maxBuffer) reasons.push(`Its largest weight (about ${formatBytes(largest)}) is bigger than this GPU allows in one buffer (${formatBytes(maxBuffer)}).`);
    }
    if (dtype === 'q4' && model.sizes.q4f16 !== undefined) {
      notes.push('This GPU lacks shader-f16, so the larger q4 weights (32-bit activations) are used.');
    }
  }
  if (memory && memory.context === null) reasons.push(memoryReason(memory));
  if (dtype && device === 'wasm' && memory?.context !== null) {
    notes.push('Runs on the CPU (WebAssembly): it works, but expect only a few tokens per second.');
  }
  if (dtype && facts.availableStorage !== null && download > facts.availableStorage) {
    reasons.push(`It needs ${formatBytes(download)} free, ${formatBytes(facts.availableStorage)} available.`);
  }
  return { ok: reasons.length === 0, device, dtype, download, memory, reasons, notes };
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
