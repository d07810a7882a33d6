import { describe, expect, it } from 'vitest';
import { nextChunk, WASM_MAX_BUFFER_BYTES } from '../../workers/prefill-chunks';
import type { Capability } from './capability';
import { CATALOG, largestTensor } from './catalog';
import { estimateMemory, fitContext, kvBytesPerToken, kvUpdateFor, loadedContext, memoryBudget } from './memory-fit';
import type { LoadState } from './model-store';

const small = CATALOG.find((m) => m.id === 'r1-qwen-1.5b')!;
const large = CATALOG.find((m) => m.id === 'r1-qwen-7b')!;
const GiB = 2 ** 30;
const MiB = 2 ** 20;

type Limits = Pick<Capability, 'maxBufferSize' | 'maxStorageBufferBindingSize' | 'deviceMemory'>;
const CPU_ONLY: Limits = { maxBufferSize: null, maxStorageBufferBindingSize: null, deviceMemory: null };
/** SwiftShader's adapter, as in this project's tests: 1 GiB buffers, no memory figure (Firefox, Safari). */
const GPU_1GIB: Limits = { maxBufferSize: GiB, maxStorageBufferBindingSize: GiB, deviceMemory: null };
/** A desktop GPU in Chromium: 4 GiB buffers (2 GiB bindings), and deviceMemory at its cap of 8. */
const GPU_4GIB_8GB: Limits = { maxBufferSize: 4 * GiB, maxStorageBufferBindingSize: 2 * GiB, deviceMemory: 8 };

describe('model facts', () => {
  it('has the KV geometry of the published configs: 28 KB a token for the 1.5B in fp16, 56 KB for the 7B', () => {
    expect(kvBytesPerToken(small.architecture, 'q4f16')).toBe(28 * 1024);
    expect(kvBytesPerToken(small.architecture, 'q4')).toBe(56 * 1024); // q4 exports keep an fp32 cache
    expect(kvBytesPerToken(large.architecture, 'q4f16')).toBe(56 * 1024);
    expect(kvBytesPerToken(small.architecture, 'q4f16') * 16_384).toBe(469_762_048); // 470 MB at 16k
  });

  it('derives the largest weight (the embedding) from the same facts', () => {
    expect(largestTensor(small, 'q4f16')).toBe(151_936 * 1536 * 2);
    expect(largestTensor(small, 'q4')).toBe(151_936 * 1536 * 4);
    expect(largestTensor(large, 'q4f16')).toBe(152_064 * 3584 * 2);
  });
});

describe('memory estimate', () => {
  it('adds the weights, the KV cache twice (old and new during a step) and one prefill chunk of logits', () => {
    const e = estimateMemory(small, 'q4f16', 16_384, GiB, 'per-step');
    expect(e).toEqual({
      context: 16_384,
      weights: 1_370_000_000,
      kvCache: 469_762_048,
      kvCopies: 2,
      chunk: 512,
      logits: 512 * 151_936 * 4,
      largestKvTensor: 2 * 16_384 * 128 * 2,
      total: 1_370_000_000 + 2 * 469_762_048 + 512 * 151_936 * 4,
    });
  });

  it('counts the cache once where the worker updates it in place: GroupQueryAttention, on either backend', () => {
    expect(kvUpdateFor(large)).toBe('in-place');
    expect(kvUpdateFor(small)).toBe('per-step'); // onnx-community's export concatenates
    expect(estimateMemory(large, 'q4f16', 16_384, 2 * GiB, 'in-place').total).toBe(5_100_000_000 + 16_384 * 57_344 + 512 * 152_064 * 4);
  });

  it('sizes the logits chunk as the worker does, from the same limits', () => {
    for (const maxBufferBytes of [WASM_MAX_BUFFER_BYTES, GiB, 64 * MiB]) {
      const expected = nextChunk({ maxBufferBytes, vocabSize: 151_936, numHeads: 12 }, 0, 8192);
      expect(estimateMemory(small, 'q4', 8192, maxBufferBytes, 'per-step').chunk).toBe(expected);
    }
    expect(estimateMemory(small, 'q4', 8192, WASM_MAX_BUFFER_BYTES, 'per-step').chunk).toBe(220);
  });
});

describe('context that fits', () => {
  it('on WASM: the weights count once in the 3 GiB left of the 4 GiB address space; the 1.5B fits 8k in q8 or q4, 16k in q4f16', () => {
    const budget = memoryBudget('wasm', CPU_ONLY);
    expect(budget).toMatchObject({ total: 3 * GiB, basis: 'wasm', maxBuffer: WASM_MAX_BUFFER_BYTES });
    // q4 (1.97 GB, float32 cache of 56 KB a token, copied each step): 8k is 3.04 GB, 16k would be 3.9.
    const q4 = fitContext(small, 'q4', budget);
    expect(q4).toMatchObject({ context: 8192, limit: 'memory' });
    expect(q4.estimate.total).toBe(1_970_000_000 + 2 * 8192 * 57_344 + q4.estimate.chunk * 151_936 * 4);
    expect(fitContext(small, 'q8', budget)).toMatchObject({ context: 8192, limit: 'memory' });
    expect(fitContext(small, 'q4f16', budget)).toMatchObject({ context: 16_384, limit: 'memory' });
    // Where the browser reports 2 GB of RAM, that is the bound, and not even 2k fits.
    expect(memoryBudget('wasm', { ...CPU_ONLY, deviceMemory: 2 })).toMatchObject({ total: 1.5 * GiB, basis: 'device-memory' });
    expect(fitContext(small, 'q4', memoryBudget('wasm', { ...CPU_ONLY, deviceMemory: 2 })).context).toBeNull();
  });

  it('on a 1 GiB-buffer GPU that reports no memory: the whole 32k, bounded only per buffer', () => {
    const budget = memoryBudget('webgpu', GPU_1GIB);
    expect(budget).toMatchObject({ total: null, basis: 'none', maxBuffer: GiB });
    expect(fitContext(small, 'q4f16', budget)).toMatchObject({ context: 32_768, limit: 'model' });
    expect(fitContext(small, 'q4', budget)).toMatchObject({ context: 32_768, limit: 'model' });
    expect(fitContext(small, 'q4f16', budget).estimate.total).toBe(3_560_213_120);
  });

  it('on a 4 GiB-buffer GPU where the browser reports 8 GB: 32k for the 1.5B, 16k for the 7B', () => {
    const budget = memoryBudget('webgpu', GPU_4GIB_8GB);
    expect(budget).toMatchObject({ total: 6 * GiB, basis: 'device-memory', maxBuffer: 2 * GiB });
    expect(fitContext(small, 'q4f16', budget)).toMatchObject({ context: 32_768, limit: 'model' });
    const seven = fitContext(large, 'q4f16', budget);
    expect(seven).toMatchObject({ context: 16_384, limit: 'memory' });
    expect(seven.estimate.total).toBe(6_350_951_168);
    // Were its cache copied every step, 8k.
    expect(fitContext(large, 'q4f16', budget, 'per-step').context).toBe(8192);
    expect(fitContext(large, 'q4f16', memoryBudget('webgpu', { ...GPU_4GIB_8GB, deviceMemory: 4 })).context).toBeNull();
  });

  it('stops where one layer of the KV cache outgrows a GPU buffer', () => {
    // A layer's keys for the 1.5B in fp16: 2 heads × C × 128 × 2 bytes = 8 MiB at 16k, 16 MiB at 32k.
    const fit = fitContext(small, 'q4f16', memoryBudget('webgpu', { maxBufferSize: 8 * MiB, maxStorageBufferBindingSize: null, deviceMemory: null }));
    expect(fit).toMatchObject({ context: 16_384, limit: 'buffer' });
  });

  it('never states more than the model’s own context', () => {
    expect(fitContext({ ...small, contextLength: 4096 }, 'q4f16', memoryBudget('webgpu', GPU_1GIB))).toMatchObject({ context: 4096, limit: 'model' });
  });
});

describe('loaded model', () => {
  const capability: Capability = { webgpu: false, adapter: null, shaderF16: false, ...CPU_ONLY, reason: null };
  const ready = (
    target: { repo: string; revision: string; folder?: string },
    device: 'wasm' | 'webgpu',
    dtype: 'q4' | 'q4f16',
    kvCache: 'in-place' | 'per-step' = 'per-step',
  ): LoadState => ({
    status: 'ready',
    target: { name: target.repo, ...target },
    info: { device, dtype, files: [], loadMs: 1, adapter: null, threads: 1, kvCache },
  });

  it('fits the catalog model it is, on the device and with the weights it loaded', () => {
    expect(loadedContext({ load: ready(small, 'wasm', 'q4f16'), capability })).toBe(16_384);
    const gpu = { ...capability, webgpu: true, shaderF16: true, ...GPU_4GIB_8GB };
    // The worker reports how it keeps the cache: in place, 16k; copied every step, 8k.
    expect(loadedContext({ load: ready(large, 'webgpu', 'q4f16', 'in-place'), capability: gpu })).toBe(16_384);
    expect(loadedContext({ load: ready(large, 'webgpu', 'q4f16', 'per-step'), capability: gpu })).toBe(8192);
  });

  it('knows nothing of a custom model, another folder of the same repo, or no model', () => {
    expect(loadedContext({ load: ready({ repo: 'someone/other-ONNX', revision: 'main' }, 'wasm', 'q4'), capability })).toBeNull();
    const fourteen = { repo: large.repo, revision: 'main', folder: 'deepseek-r1-distill-qwen-14B/gpu/gpu-int4-rtn-block-32' };
    expect(loadedContext({ load: ready(fourteen, 'webgpu', 'q4f16'), capability })).toBeNull();
    expect(loadedContext({ load: { status: 'idle' }, capability })).toBeNull();
    expect(loadedContext({ load: ready(small, 'wasm', 'q4'), capability: null })).toBeNull();
  });
});
