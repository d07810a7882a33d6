// What the form and a reload's reconnect share: the remembered server and keys (over an in-memory
// localStorage, as Node has none), and the check before connecting, against tools/engines' stand-in.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEngineServer, type EngineServer } from '../../tools/engines/server.ts';
import { lastServer, probeServer, saveServer, setConnected, storedKey } from './server-connection';

const M32 = 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B';

beforeEach(() => {
  const items = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  });
});

let server: EngineServer | null = null;
afterEach(async () => {
  vi.unstubAllGlobals();
  await server?.close();
  server = null;
});

describe('the remembered server', () => {
  it('is connected once saved, until marked otherwise; the form keeps its fields', () => {
    expect(lastServer()).toBeNull();
    saveServer({ preset: 'vllm', baseUrl: 'http://gpu.lan:8000', model: M32 }, 'sk-1');
    expect(lastServer()).toEqual({ preset: 'vllm', baseUrl: 'http://gpu.lan:8000', model: M32, connected: true });
    setConnected(false);
    expect(lastServer()).toEqual({ preset: 'vllm', baseUrl: 'http://gpu.lan:8000', model: M32, connected: false });
    setConnected(true);
    expect(lastServer()?.connected).toBe(true);
  });

  it('keeps each key under its server`s origin only, and an empty key removes it', () => {
    saveServer({ preset: 'vllm', baseUrl: 'http://gpu.lan:8000', model: M32 }, 'sk-1');
    expect(storedKey('http://gpu.lan:8000/v1/')).toBe('sk-1');
    expect(storedKey('http://gpu.lan:9000')).toBe('');
    expect(storedKey('not a url')).toBe('');
    saveServer({ preset: 'vllm', baseUrl: 'http://gpu.lan:8000', model: M32 }, '');
    expect(storedKey('http://gpu.lan:8000')).toBe('');
  });

  it('forgets a damaged or unknown setting rather than failing', () => {
    localStorage.setItem('ponder.server', '{"preset": "vllm", "baseUrl": 3');
    expect(lastServer()).toBeNull();
    localStorage.setItem('ponder.server', JSON.stringify({ preset: 'tgi', baseUrl: 'http://x', model: 'm', connected: true }));
    expect(lastServer()).toBeNull();
    setConnected(false);
    expect(localStorage.getItem('ponder.server')).toContain('"tgi"');
  });
});

describe('the check before connecting', () => {
  it('passes a server that lists its models, and one without a model list (it may still chat)', async () => {
    server = await startEngineServer({ engine: 'vllm' });
    expect(await probeServer({ preset: 'vllm', baseUrl: server.url, model: M32 }, '')).toBeNull();
    expect(await probeServer({ preset: 'vllm', baseUrl: `${server.url}/elsewhere`, model: M32 }, '')).toBeNull();
  });

  it('names a wrong key and a server that is gone', async () => {
    server = await startEngineServer({ engine: 'vllm', apiKey: 'sk-right' });
    expect(await probeServer({ preset: 'vllm', baseUrl: server.url, model: M32 }, 'sk-wrong')).toMatchObject({ message: expect.stringMatching(/HTTP 401/) });
    const url = server.url;
    await server.close();
    server = null;
    expect(await probeServer({ preset: 'vllm', baseUrl: url, model: M32 }, '')).toMatchObject({ message: expect.stringMatching(/^Could not reach/) });
  });
});
