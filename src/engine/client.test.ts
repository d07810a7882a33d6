import { describe, expect, it } from 'vitest';
import type { WorkerEvent, WorkerRequest } from '../../workers/protocol';
import { InferenceClient, InferenceError, type WorkerPort } from './client';

/** The worker side of a real MessageChannel, scripted per test; the client under test is real. */
function channel(reply: (request: WorkerRequest, send: (e: WorkerEvent) => void) => void) {
  const { port1, port2 } = new MessageChannel();
  const errorListeners: Array<(e: Event) => void> = [];
  port2.onmessage = (event: MessageEvent<WorkerRequest>) => reply(event.data, (e) => port2.postMessage(e));
  const port: WorkerPort = {
    postMessage: (m) => port1.postMessage(m),
    addEventListener: ((type: string, listener: (e: MessageEvent | Event) => void) => {
      if (type === 'message') port1.addEventListener('message', listener as (e: MessageEvent) => void);
      else errorListeners.push(listener);
    }) as WorkerPort['addEventListener'],
  };
  port1.start();
  return { port, crash: () => errorListeners.forEach((l) => l(new Event('error'))), close: () => port1.close() };
}

describe('InferenceClient', () => {
  it('routes progress to the right load and resolves with the loaded info', async () => {
    const ch = channel((req, send) => {
      if (req.type !== 'load') return;
      send({ type: 'progress', id: req.id, phase: 'download', files: [{ path: 'a', loaded: 1, total: 2 }] });
      send({ type: 'progress', id: 'someone-else', phase: 'download', files: [] });
      send({ type: 'loaded', id: req.id, info: { device: 'wasm', dtype: 'q4', files: [], loadMs: 5, adapter: null, threads: 1, kvCache: 'per-step' } });
    });
    const client = new InferenceClient(ch.port);
    const phases: string[] = [];
    const info = await client.load({ host: 'h', repo: 'o/r', revision: 'main', dtypes: ['q4'], device: 'wasm' }, (phase, files) =>
      phases.push(`${phase}:${files.length}`),
    );
    expect(info.dtype).toBe('q4');
    expect(phases).toEqual(['download:1']);
    ch.close();
  });

  it('streams deltas in order and resolves with the stop reason', async () => {
    const ch = channel((req, send) => {
      if (req.type !== 'generate') return;
      send({ type: 'started', id: req.id, promptTokens: 7 });
      for (const [i, text] of ['Hel', 'lo', '!'].entries()) send({ type: 'delta', id: req.id, text, generatedTokens: i + 1, tokensPerSecond: 10 });
      send({ type: 'done', id: req.id, reason: 'eos', stats: { promptTokens: 7, generatedTokens: 3, timeToFirstTokenMs: 1, tokensPerSecond: 10, totalMs: 2 } });
    });
    const client = new InferenceClient(ch.port);
    let text = '';
    let prompt = 0;
    const result = await client.generate([{ role: 'user', content: 'hi' }], { temperature: 0, topP: 1, maxNewTokens: 3 }, {
      onStarted: (n) => (prompt = n),
      onDelta: (t) => (text += t),
    });
    expect({ text, prompt, reason: result.reason }).toEqual({ text: 'Hello!', prompt: 7, reason: 'eos' });
    ch.close();
  });

  it('rejects with the worker’s explained failure', async () => {
    const ch = channel((req, send) =>
      send({ type: 'error', id: req.id, error: { code: 'not-found', message: 'No such repository.', detail: '404' } }),
    );
    const client = new InferenceClient(ch.port);
    const error = await client.unload().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferenceError);
    expect((error as InferenceError).failure).toEqual({ code: 'not-found', message: 'No such repository.', detail: '404' });
    ch.close();
  });

  it('fails every pending request when the worker crashes instead of hanging', async () => {
    const ch = channel(() => {});
    const client = new InferenceClient(ch.port);
    const pending = [client.unload(), client.interrupt()].map((p) => p.catch((e: InferenceError) => e.failure.code));
    ch.crash();
    expect(await Promise.all(pending)).toEqual(['internal', 'internal']);
    ch.close();
  });

  it('ignores malformed messages', async () => {
    const ch = channel((req, send) => {
      (send as (e: unknown) => void)({ nonsense: true });
      (send as (e: unknown) => void)({ type: 'bogus', id: req.id });
      send({ type: 'ok', id: req.id });
    });
    const client = new InferenceClient(ch.port);
    await expect(client.unload()).resolves.toBeUndefined();
    ch.close();
  });
});
