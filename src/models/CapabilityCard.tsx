import { useStorageStore } from '../storage/storage-store';
import { formatBytes } from '../util/format';
import { resolveDevice, useModelStore } from './model-store';

export function CapabilityCard() {
  const capability = useModelStore((s) => s.capability);
  const deviceChoice = useModelStore((s) => s.deviceChoice);
  const estimate = useStorageStore((s) => s.estimate);
  if (!capability) {
    return (
      <section className="capability" aria-busy="true">
        <p className="muted">Checking what this browser can do…</p>
      </section>
    );
  }
  const device = resolveDevice(deviceChoice, capability);
  return (
    <section className="capability" aria-label="This device" data-testid="capability">
      <dl>
        <dt>WebGPU</dt>
        <dd data-testid="webgpu-status">{capability.webgpu ? 'Available' : 'Not available'}</dd>
        {capability.adapter && (
          <>
            <dt>Adapter</dt>
            <dd data-testid="adapter-name">{capability.adapter}</dd>
          </>
        )}
        <dt>shader-f16</dt>
        <dd data-testid="shader-f16">{capability.shaderF16 ? 'Yes' : 'No'}</dd>
        {capability.maxBufferSize !== null && (
          <>
            <dt>Largest GPU buffer</dt>
            <dd>{formatBytes(capability.maxBufferSize)}</dd>
          </>
        )}
        {capability.maxStorageBufferBindingSize !== null && (
          <>
            <dt>Largest GPU binding</dt>
            <dd>{formatBytes(capability.maxStorageBufferBindingSize)}</dd>
          </>
        )}
        {capability.deviceMemory !== null && (
          <>
            <dt>Memory</dt>
            <dd data-testid="device-memory">At least {capability.deviceMemory} GB, as the browser reports it</dd>
          </>
        )}
        {estimate && (
          <>
            <dt>Storage available</dt>
            <dd data-testid="storage-available">{formatBytes(Math.max(0, estimate.quota - estimate.usage))}</dd>
          </>
        )}
        <dt>Will run on</dt>
        <dd data-testid="chosen-device">
          {device === 'webgpu'
            ? `WebGPU, ${capability.shaderF16 ? 'q4f16 weights' : 'q4 weights (no shader-f16)'}`
            : 'WASM on the CPU: works everywhere, but expect a few tokens per second'}
        </dd>
      </dl>
      {capability.reason && <p className="muted">{capability.reason}</p>}
    </section>
  );
}
