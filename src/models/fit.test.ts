import { describe, expect, it } from 'vitest';
import { CATALOG } from './catalog';
import { contextLine, fitModel, type DeviceFacts } from './fit';

const small = CATALOG.find((m) => m.id === 'r1-qwen-1.5b')!;
const large = CATALOG.find((m) => m.id === 'r1-qwen-7b')!;
const GB = 1_000_000_000;
const GiB = 2 ** 30;

const gpu = (over: Partial<DeviceFacts['capability']> = {}, availableStorage: number | null = 50 * GB): DeviceFacts => ({
  capability: { webgpu: true, shaderF16: true, maxBufferSize: 4 * GiB, maxStorageBufferBindingSize: 2 * GiB, deviceMemory: null, ...over },
  availableStorage,
});
const noGpu: DeviceFacts = {
  capability: { webgpu: false, shaderF16: false, maxBufferSize: null, maxStorageBufferBindingSize: null, deviceMemory: null },
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
    expect(fitModel(large, noGpu, 'auto').reasons.join(' ')).toMatch(/At 5\.1 GB of weights it is too large for the CPU backend/);
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
    expect(auto).toMatchObject({ ok: true, device: 'wasm', dtype: 'q8' });
    expect(auto.notes.join(' ')).toMatch(/Not on this GPU: .*one buffer.*expect only a few tokens per second/);
  });

  it('runs on the CPU without WebGPU and says it will be slow; an explicit WebGPU choice explains itself', () => {
    const fit = fitModel(small, noGpu, 'auto');
    expect(fit).toMatchObject({ ok: true, device: 'wasm', dtype: 'q8' });
    expect(fit.notes.join(' ')).toMatch(/few tokens per second/);
    expect(fitModel(small, noGpu, 'webgpu').reasons).toContain('This browser offers no WebGPU adapter.');
  });

  it('refuses the CPU backend for weights beyond what WebAssembly can address', () => {
    const big = { ...small, sizes: { q4: 3.5 * GB } };
    expect(fitModel(big, noGpu, 'auto').reasons).toEqual([
      'At 3.5 GB of weights it is too large for the CPU backend: with room for 2k tokens it needs about 3.9 GB, more than what WebAssembly can hold (about 3.2 GB of its 4 GB).',
    ]);
    // ORT's heap holds the weights once (an inline file goes in as external data): 2.9 GB leaves no room for 2k tokens.
    expect(fitModel({ ...small, sizes: { q4: 2.9 * GB } }, noGpu, 'auto').ok).toBe(false);
    expect(fitModel({ ...small, sizes: { q4: 2.7 * GB } }, noGpu, 'auto').ok).toBe(true);
  });

  it('says how much context fits: the 1.5B on the CPU backend', () => {
    const fit = fitModel(small, noGpu, 'auto');
    // q8 (1.85 GB, the fastest on WASM) with a float32 cache copied each step: 8k tokens.
    expect(fit.dtype).toBe('q8');
    expect(fit.memory?.context).toBe(8192);
    expect(contextLine(fit)).toEqual({
      head: 'Fits about 8k tokens of thinking here.',
      detail: 'Estimate: 2.9 GB for weights, KV cache and logits, within what WebAssembly can hold (about 3.2 GB of its 4 GB).',
    });
  });

  it('says how much context fits on a GPU with 1 GiB buffers and no memory figure: only the buffer limits bound it', () => {
    const swiftshader = gpu({ shaderF16: false, maxBufferSize: GiB, maxStorageBufferBindingSize: GiB });
    const fit = fitModel(small, swiftshader, 'auto');
    expect(fit).toMatchObject({ ok: true, device: 'webgpu', dtype: 'q4', memory: { context: 32_768, limit: 'model' } });
    expect(contextLine(fit)).toEqual({
      head: 'Fits the full 32k tokens of thinking here.',
      detail: 'Estimate: 6.0 GB for weights, KV cache and logits; the browser does not say how much memory this device has, so only the GPU’s buffer limits were checked.',
    });
    // The 7B's embedding alone is over 1 GiB.
    expect(fitModel(large, gpu({ maxBufferSize: GiB, maxStorageBufferBindingSize: GiB }), 'auto').reasons.join(' ')).toMatch(/largest weight \(about 1.1 GB\)/);
  });

  it('says how much context fits on a GPU with 4 GiB buffers where the browser reports 8 GB', () => {
    const roomy = gpu({ deviceMemory: 8 });
    expect(contextLine(fitModel(small, roomy, 'auto'))?.head).toBe('Fits the full 32k tokens of thinking here.');
    const fit = fitModel(large, roomy, 'auto');
    expect(fit).toMatchObject({ ok: true, memory: { context: 16_384, limit: 'memory' } });
    expect(contextLine(fit)).toEqual({
      head: 'Fits about 16k tokens of thinking here.',
      detail:
        'Estimate: 6.4 GB for weights, KV cache and logits, within what this device can likely spare (about 6.4 GB: ¾ of the 8 GB of memory the browser reports; it cannot see a GPU’s own memory).',
    });
  });

  it('refuses a model when not even 2k tokens fit the memory the browser reports, and says why', () => {
    const fit = fitModel(large, gpu({ deviceMemory: 4 }), 'auto');
    expect(fit.ok).toBe(false);
    expect(fit.reasons).toEqual([
      'With room for 2k tokens it needs about 5.5 GB, more than what this device can likely spare (about 3.2 GB: ¾ of the 4 GB of memory the browser reports; it cannot see a GPU’s own memory).',
    ]);
    expect(contextLine(fit)).toBeNull();
    // 2 GB of RAM bounds the CPU backend too, so the 1.5B has nowhere to go.
    const tiny = fitModel(small, gpu({ deviceMemory: 2 }), 'auto');
    expect(tiny).toMatchObject({ ok: false, device: 'webgpu' });
    expect(tiny.reasons.join(' ')).toMatch(/With room for 2k tokens it needs about 1.8 GB, more than what this device can likely spare \(about 1.6 GB: ¾ of the 2 GB/);
  });

  it('does not fall back to the CPU when the problem is space', () => {
    expect(fitModel(small, gpu({}, 1 * GB), 'auto')).toMatchObject({ ok: false, device: 'webgpu' });
  });
});
