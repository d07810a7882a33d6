import { describe, expect, it } from 'vitest';
import { CATALOG } from './catalog';
import { fitModel, type DeviceFacts } from './fit';

const small = CATALOG.find((m) => m.id === 'r1-qwen-1.5b')!;
const large = CATALOG.find((m) => m.id === 'r1-qwen-7b')!;
const GB = 1_000_000_000;
const GiB = 2 ** 30;

const gpu = (over: Partial<DeviceFacts['capability']> = {}, availableStorage: number | null = 50 * GB): DeviceFacts => ({
  capability: { webgpu: true, shaderF16: true, maxBufferSize: 4 * GiB, maxStorageBufferBindingSize: 2 * GiB, ...over },
  availableStorage,
});
const noGpu: DeviceFacts = {
  capability: { webgpu: false, shaderF16: false, maxBufferSize: null, maxStorageBufferBindingSize: null },
  availableStorage: 50 * GB,
};

describe('fitModel', () => {
  it('picks q4f16 on a GPU with shader-f16 and q4 without it', () => {
    expect(fitModel(small, gpu(), 'auto')).toMatchObject({ ok: true, device: 'webgpu', dtype: 'q4f16', download: 1_370_000_000, reasons: [] });
    const noF16 = fitModel(small, gpu({ shaderF16: false }), 'auto');
    expect(noF16).toMatchObject({ ok: true, device: 'webgpu', dtype: 'q4' });
    expect(noF16.notes.join(' ')).toMatch(/lacks shader-f16/);
  });

  it('says the 7B needs shader-f16 when the GPU lacks it, and that the CPU cannot hold it', () => {
    const fit = fitModel(large, gpu({ shaderF16: false }), 'auto');
    expect(fit.ok).toBe(false);
    expect(fit.reasons.join(' ')).toMatch(/need the WebGPU shader-f16 feature/);
    expect(fitModel(large, noGpu, 'auto').reasons.join(' ')).toMatch(/no weights for the CPU backend \(only q4f16\)/);
  });

  it('names the space needed and the space available, counting what is already stored', () => {
    const fit = fitModel(large, gpu({}, 3.2 * GB), 'auto');
    expect(fit.ok).toBe(false);
    expect(fit.reasons).toContain('It needs 5.1 GB free, 3.2 GB available.');
    expect(fitModel(large, gpu({}, 3.2 * GB), 'auto', 2 * GB)).toMatchObject({ ok: true, download: 3.1 * GB });
    expect(fitModel(large, gpu({}, null), 'auto').ok).toBe(true);
  });

  it('refuses a GPU whose buffers cannot hold the largest weight, and falls back to a CPU that can', () => {
    const tiny = gpu({ shaderF16: false, maxStorageBufferBindingSize: 128 * 2 ** 20 });
    expect(fitModel(small, tiny, 'webgpu').reasons.join(' ')).toMatch(/bigger than this GPU allows in one buffer \(134 MB\)/);
    const auto = fitModel(small, tiny, 'auto');
    expect(auto).toMatchObject({ ok: true, device: 'wasm', dtype: 'q4' });
    expect(auto.notes.join(' ')).toMatch(/Not on this GPU: .*one buffer.*expect only a few tokens per second/);
  });

  it('runs on the CPU without WebGPU and says it will be slow; an explicit WebGPU choice explains itself', () => {
    const fit = fitModel(small, noGpu, 'auto');
    expect(fit).toMatchObject({ ok: true, device: 'wasm', dtype: 'q4' });
    expect(fit.notes.join(' ')).toMatch(/few tokens per second/);
    expect(fitModel(small, noGpu, 'webgpu').reasons).toContain('This browser offers no WebGPU adapter.');
  });

  it('refuses the CPU backend for weights beyond what WebAssembly can address', () => {
    const big = { ...small, sizes: { q4: 3.5 * GB } };
    expect(fitModel(big, noGpu, 'auto').reasons.join(' ')).toMatch(/At 3.5 GB it is too large for the CPU backend/);
  });

  it('does not fall back to the CPU when the problem is space', () => {
    expect(fitModel(small, gpu({}, 1 * GB), 'auto')).toMatchObject({ ok: false, device: 'webgpu' });
  });
});
