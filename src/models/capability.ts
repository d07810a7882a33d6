export interface Capability {
  webgpu: boolean;
  adapter: string | null;
  shaderF16: boolean;
  maxBufferSize: number | null;
  maxStorageBufferBindingSize: number | null;
  /**
   * `navigator.deviceMemory`: the device's RAM in GB, rounded down to a power of two and capped (8 in
   * Chromium for years, 16 seen in Chromium 156), so a lower bound; null where the browser does not say (Firefox, Safari). It says
   * nothing about a discrete GPU's own memory, and no browser reports free GPU memory.
   */
  deviceMemory: number | null;
  reason: string | null;
}

/** What the browser says about its RAM (Chromium only; a lower bound). */
export function reportedDeviceMemory(): number | null {
  const value = (globalThis.navigator as { deviceMemory?: unknown } | undefined)?.deviceMemory;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

const NO_GPU = { webgpu: false, adapter: null, shaderF16: false, maxBufferSize: null, maxStorageBufferBindingSize: null } as const;

/** What this browser's WebGPU offers, read once on the first screen. */
export async function detectCapability(): Promise<Capability> {
  const deviceMemory = reportedDeviceMemory();
  if (!('gpu' in navigator) || !navigator.gpu) {
    return { ...NO_GPU, deviceMemory, reason: 'This browser does not expose WebGPU.' };
  }
  try {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) {
      return { ...NO_GPU, deviceMemory, reason: 'WebGPU is present but no GPU adapter is available.' };
    }
    const { vendor, architecture, description } = adapter.info;
    return {
      webgpu: true,
      adapter: [description, vendor, architecture].filter(Boolean).join(' · ') || 'Unnamed adapter',
      shaderF16: adapter.features.has('shader-f16'),
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      deviceMemory,
      reason: null,
    };
  } catch (error) {
    return { ...NO_GPU, deviceMemory, reason: `WebGPU failed to start: ${String(error)}` };
  }
}
