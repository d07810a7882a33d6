export interface Capability {
  webgpu: boolean;
  adapter: string | null;
  shaderF16: boolean;
  maxBufferSize: number | null;
  maxStorageBufferBindingSize: number | null;
  reason: string | null;
}

/** What this browser's WebGPU offers, read once on the first screen. */
export async function detectCapability(): Promise<Capability> {
  if (!('gpu' in navigator) || !navigator.gpu) {
    return { webgpu: false, adapter: null, shaderF16: false, maxBufferSize: null, maxStorageBufferBindingSize: null, reason: 'This browser does not expose WebGPU.' };
  }
  try {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) {
      return { webgpu: false, adapter: null, shaderF16: false, maxBufferSize: null, maxStorageBufferBindingSize: null, reason: 'WebGPU is present but no GPU adapter is available.' };
    }
    const { vendor, architecture, description } = adapter.info;
    return {
      webgpu: true,
      adapter: [description, vendor, architecture].filter(Boolean).join(' · ') || 'Unnamed adapter',
      shaderF16: adapter.features.has('shader-f16'),
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      reason: null,
    };
  } catch (error) {
    return { webgpu: false, adapter: null, shaderF16: false, maxBufferSize: null, maxStorageBufferBindingSize: null, reason: `WebGPU failed to start: ${String(error)}` };
  }
}
