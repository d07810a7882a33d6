import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseRange } from './range.ts';
import { startHub, type Hub, type HubRequest } from './server.ts';

const ORG = 'test-org';
const REPO = 'tiny-model';
const MODEL_SIZE = 100_000;
const SLOW_SIZE = 20 * 1024;

/** Deterministic, non-repeating-looking bytes. */
function pattern(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const model = pattern(MODEL_SIZE, 1);
const slowFile = pattern(SLOW_SIZE, 2);
const config = Buffer.from(JSON.stringify({ model_type: 'qwen2', architectures: ['Qwen2ForCausalLM'] }));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let root: string;
let hub: Hub;
const fileUrl = (path: string, rev = 'main') => `${hub.url}/${ORG}/${REPO}/resolve/${rev}/${path}`;
const modelUrl = () => fileUrl('onnx/model.onnx');

async function bytes(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ponder-hub-'));
  const repo = join(root, ORG, REPO);
  await mkdir(join(repo, 'onnx'), { recursive: true });
  await writeFile(join(repo, 'config.json'), config);
  await writeFile(join(repo, 'onnx', 'model.onnx'), model);
  await writeFile(join(repo, 'slow.bin'), slowFile);
  await writeFile(join(repo, 'empty.txt'), '');
  hub = await startHub({ root });
});

afterEach(() => {
  hub.clearFaults();
  hub.clearRequests();
});

afterAll(async () => {
  await hub.close();
  await rm(root, { recursive: true, force: true });
});

describe('parseRange', () => {
  it('handles each form and the edges', () => {
    expect(parseRange(undefined, 10)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=2-5', 10)).toEqual({ kind: 'partial', start: 2, end: 5 });
    expect(parseRange('bytes=2-', 10)).toEqual({ kind: 'partial', start: 2, end: 9 });
    expect(parseRange('bytes=-3', 10)).toEqual({ kind: 'partial', start: 7, end: 9 });
    expect(parseRange('bytes=-30', 10)).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(parseRange('bytes=5-100', 10)).toEqual({ kind: 'partial', start: 5, end: 9 });
    expect(parseRange('bytes=10-', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=5-4', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-0', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-1,4-5', 10)).toEqual({ kind: 'full' });
    expect(parseRange('items=0-1', 10)).toEqual({ kind: 'full' });
  });
});

describe('resolve', () => {
  it('serves a full file with the hub headers and CORS', async () => {
    const res = await fetch(modelUrl());
    expect(res.status).toBe(200);
    const h = res.headers;
    const etag = `"${sha256(model)}"`;
    expect(h.get('content-length')).toBe(String(MODEL_SIZE));
    expect(h.get('content-type')).toBe('application/octet-stream');
    expect(h.get('accept-ranges')).toBe('bytes');
    expect(h.get('etag')).toBe(etag);
    expect(h.get('x-linked-etag')).toBe(etag);
    expect(h.get('x-linked-size')).toBe(String(MODEL_SIZE));
    expect(h.get('cache-control')).toBe('no-store');
    expect(h.get('access-control-allow-origin')).toBe('*');
    for (const name of ['Content-Length', 'Content-Range', 'ETag', 'X-Linked-Etag', 'X-Linked-Size', 'Accept-Ranges']) {
      expect(h.get('access-control-expose-headers')).toContain(name);
    }
    expect((await bytes(res)).equals(model)).toBe(true);
  });

  it('serves .json as application/json, accepts any revision', async () => {
    const res = await fetch(fileUrl('config.json', 'c0ffee'));
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual(JSON.parse(config.toString()));
  });

  it('serves an empty file', async () => {
    const res = await fetch(fileUrl('empty.txt'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('0');
    expect((await bytes(res)).length).toBe(0);
  });

  it('answers HEAD with the same headers and no body', async () => {
    const res = await fetch(modelUrl(), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(MODEL_SIZE));
    expect(res.headers.get('etag')).toBe(`"${sha256(model)}"`);
    expect(res.headers.get('x-linked-size')).toBe(String(MODEL_SIZE));
    expect((await bytes(res)).length).toBe(0);
    expect(hub.requests.at(-1)).toMatchObject({ method: 'HEAD', status: 200, bytesSent: 0 });
  });

  it.each([
    ['bytes=100-199', 100, 199],
    ['bytes=99000-', 99_000, MODEL_SIZE - 1],
    ['bytes=-500', MODEL_SIZE - 500, MODEL_SIZE - 1],
    ['bytes=0-0', 0, 0],
    ['bytes=99990-200000', 99_990, MODEL_SIZE - 1],
  ])('answers Range %s with 206', async (range, start, end) => {
    const res = await fetch(modelUrl(), { headers: { Range: range } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${MODEL_SIZE}`);
    expect(res.headers.get('content-length')).toBe(String(end - start + 1));
    expect(res.headers.get('x-linked-size')).toBe(String(MODEL_SIZE));
    expect((await bytes(res)).equals(model.subarray(start, end + 1))).toBe(true);
  });

  it('answers an unsatisfiable range with 416 and bytes */size', async () => {
    for (const range of [`bytes=${MODEL_SIZE}-`, 'bytes=500-400', 'bytes=-0']) {
      const res = await fetch(modelUrl(), { headers: { Range: range } });
      expect(res.status).toBe(416);
      expect(res.headers.get('content-range')).toBe(`bytes */${MODEL_SIZE}`);
      await res.arrayBuffer();
    }
  });

  it('supports If-None-Match (304) and ignores Range under a stale If-Range', async () => {
    const etag = `"${sha256(model)}"`;
    const notModified = await fetch(modelUrl(), { headers: { 'If-None-Match': etag } });
    expect(notModified.status).toBe(304);
    const fresh = await fetch(modelUrl(), { headers: { Range: 'bytes=0-9', 'If-Range': etag } });
    expect(fresh.status).toBe(206);
    await fresh.arrayBuffer();
    const stale = await fetch(modelUrl(), { headers: { Range: 'bytes=0-9', 'If-Range': '"old"' } });
    expect(stale.status).toBe(200);
    expect((await bytes(stale)).length).toBe(MODEL_SIZE);
  });

  it('404s a missing repo and a missing file with hub-like JSON', async () => {
    const noRepo = await fetch(`${hub.url}/${ORG}/nope/resolve/main/config.json`);
    expect(noRepo.status).toBe(404);
    expect(noRepo.headers.get('x-error-code')).toBe('RepoNotFound');
    expect(noRepo.headers.get('access-control-allow-origin')).toBe('*');
    expect(await noRepo.json()).toEqual({ error: 'Repository not found' });

    const noFile = await fetch(fileUrl('onnx/missing.onnx'));
    expect(noFile.status).toBe(404);
    expect(noFile.headers.get('x-error-code')).toBe('EntryNotFound');
    expect(await noFile.json()).toEqual({ error: 'Entry not found' });

    const folder = await fetch(fileUrl('onnx'));
    expect(folder.status).toBe(404);
    await folder.arrayBuffer();
  });

  it('does not escape the root', async () => {
    await writeFile(join(root, 'secret.txt'), 'secret');
    for (const path of ['..%2F..%2Fsecret.txt', '%2E%2E/%2E%2E/secret.txt', '..%5C..%5Csecret.txt']) {
      const res = await fetch(fileUrl(path));
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('secret');
    }
  });

  it('recomputes the ETag when a file is rewritten', async () => {
    const path = join(root, ORG, REPO, 'changing.bin');
    await writeFile(path, 'one');
    const first = await fetch(fileUrl('changing.bin'));
    expect(first.headers.get('etag')).toBe(`"${sha256(Buffer.from('one'))}"`);
    await first.arrayBuffer();
    await writeFile(path, 'two');
    const second = await fetch(fileUrl('changing.bin'));
    expect(second.headers.get('etag')).toBe(`"${sha256(Buffer.from('two'))}"`);
    expect(await second.text()).toBe('two');
    await rm(path);
  });
});

describe('api/models', () => {
  it('lists every file recursively with sizes', async () => {
    const res = await fetch(`${hub.url}/api/models/${ORG}/${REPO}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const info = (await res.json()) as {
      id: string;
      sha: string;
      siblings: { rfilename: string; size: number; lfs: { sha256: string } }[];
      config?: { model_type?: string };
    };
    expect(info.id).toBe(`${ORG}/${REPO}`);
    expect(info.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(info.config?.model_type).toBe('qwen2');
    const files = info.siblings.map(({ rfilename, size }) => ({ rfilename, size }));
    expect(files).toEqual([
      { rfilename: 'config.json', size: config.length },
      { rfilename: 'empty.txt', size: 0 },
      { rfilename: 'onnx/model.onnx', size: MODEL_SIZE },
      { rfilename: 'slow.bin', size: SLOW_SIZE },
    ]);
    expect(info.siblings.find((s) => s.rfilename === 'onnx/model.onnx')?.lfs.sha256).toBe(sha256(model));

    const atRevision = await fetch(`${hub.url}/api/models/${ORG}/${REPO}/revision/main`);
    expect(((await atRevision.json()) as { sha: string }).sha).toBe(info.sha);
  });

  it('404s a missing repo', async () => {
    const res = await fetch(`${hub.url}/api/models/${ORG}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Repository not found' });
  });
});

describe('CORS preflight', () => {
  it('allows GET/HEAD and echoes the requested headers', async () => {
    const res = await fetch(modelUrl(), {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://127.0.0.1:5173',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'range, x-ponder-probe',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const methods = res.headers.get('access-control-allow-methods') ?? '';
    expect(methods).toContain('GET');
    expect(methods).toContain('HEAD');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['range', 'if-none-match', 'content-type', 'x-ponder-probe']) expect(allowed).toContain(h);
  });
});

describe('faults', () => {
  it('status: answers with the status, limited by times, then clears itself', async () => {
    hub.addFault({ kind: 'status', status: 500, times: 2, match: 'model.onnx' });
    const other = await fetch(fileUrl('config.json'));
    expect(other.status).toBe(200);
    await other.arrayBuffer();
    for (let i = 0; i < 2; i++) {
      const res = await fetch(modelUrl());
      expect(res.status).toBe(500);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(await res.json()).toHaveProperty('error');
    }
    const after = await fetch(modelUrl());
    expect(after.status).toBe(200);
    expect((await bytes(after)).length).toBe(MODEL_SIZE);
    expect(hub.requests.filter((r) => r.fault === 'status').map((r) => r.status)).toEqual([500, 500]);
  });

  it('status: 404 and 503 on every path, on HEAD and the api too', async () => {
    hub.addFault({ kind: 'status', status: 404, times: 1 });
    const missing = await fetch(modelUrl(), { method: 'HEAD' });
    expect(missing.status).toBe(404);
    hub.addFault({ kind: 'status', status: 503 });
    expect((await fetch(`${hub.url}/api/models/${ORG}/${REPO}`)).status).toBe(503);
    expect((await fetch(fileUrl('config.json'))).status).toBe(503);
    hub.clearFaults();
    const ok = await fetch(fileUrl('config.json'));
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
  });

  it('drop: sends headers and N bytes then closes the connection; the body read rejects', async () => {
    hub.addFault({ kind: 'drop', afterBytes: 1000, times: 1 });
    const res = await fetch(modelUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(MODEL_SIZE));
    const reader = res.body!.getReader();
    let received = 0;
    const read = async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        received += value.length;
      }
    };
    await expect(read()).rejects.toThrow();
    expect(received).toBe(1000);
    expect(hub.requests.at(-1)).toMatchObject({ fault: 'drop', bytesSent: 1000, status: 200 });

    // Cleared after one use: the next download (a resume with Range) is whole.
    const resumed = await fetch(modelUrl(), { headers: { Range: 'bytes=1000-' } });
    expect(resumed.status).toBe(206);
    expect((await bytes(resumed)).equals(model.subarray(1000))).toBe(true);
  });

  it('drop after 0 bytes; HEAD and bodies shorter than afterBytes do not consume it', async () => {
    hub.addFault({ kind: 'drop', afterBytes: 0, match: 'model.onnx', times: 1 });
    const head = await fetch(modelUrl(), { method: 'HEAD' });
    expect(head.status).toBe(200);
    const res = await fetch(modelUrl());
    await expect(res.arrayBuffer()).rejects.toThrow();

    hub.addFault({ kind: 'drop', afterBytes: 5000, times: 1 });
    const probe = await fetch(modelUrl(), { headers: { Range: 'bytes=0-0' } });
    expect((await bytes(probe)).length).toBe(1);
    const full = await fetch(modelUrl());
    await expect(full.arrayBuffer()).rejects.toThrow();
    expect(hub.requests.map((r) => r.fault)).toEqual([null, 'drop', null, 'drop']);
  });

  it('slow: throttles the body (20 KB at 10 KB/s takes over a second)', async () => {
    hub.addFault({ kind: 'slow', bytesPerSecond: 10 * 1024, match: 'slow.bin' });
    const t0 = performance.now();
    const res = await fetch(fileUrl('slow.bin'));
    expect(res.status).toBe(200);
    const headersAt = performance.now() - t0;
    const reader = res.body!.getReader();
    let received = 0;
    let atHalfSecond = -1;
    const halfSecond = setTimeout(() => (atHalfSecond = received), 500);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
    }
    clearTimeout(halfSecond);
    const elapsed = performance.now() - t0;
    expect(headersAt).toBeLessThan(500);
    expect(received).toBe(SLOW_SIZE);
    expect(atHalfSecond).toBeGreaterThan(0);
    expect(atHalfSecond).toBeLessThan(SLOW_SIZE / 2);
    expect(elapsed).toBeGreaterThan(1000);
    expect(elapsed).toBeLessThan(10_000);
  });

  it('corrupt: flips bytes but keeps length and the true ETag', async () => {
    hub.addFault({ kind: 'corrupt', times: 1 });
    const res = await fetch(modelUrl());
    const body = await bytes(res);
    expect(body.length).toBe(MODEL_SIZE);
    expect(body.equals(model)).toBe(false);
    expect(res.headers.get('etag')).toBe(`"${sha256(model)}"`);
    expect(sha256(body)).not.toBe(sha256(model));
    const diffs = [...body.keys()].filter((i) => body[i] !== model[i]);
    expect(diffs).toEqual([MODEL_SIZE / 2]);
    expect(hub.requests.at(-1)).toMatchObject({ fault: 'corrupt', bytesSent: MODEL_SIZE });

    const clean = await fetch(modelUrl());
    expect((await bytes(clean)).equals(model)).toBe(true);
  });

  it('corrupt applies to a ranged response too', async () => {
    hub.addFault({ kind: 'corrupt', times: 1 });
    const res = await fetch(modelUrl(), { headers: { Range: 'bytes=0-99' } });
    const body = await bytes(res);
    expect(body.length).toBe(100);
    expect(body.equals(model.subarray(0, 100))).toBe(false);
  });

  it('wrongLength: claims more than it sends, then ends; the body read rejects', async () => {
    hub.addFault({ kind: 'wrongLength', times: 1 });
    const res = await fetch(modelUrl());
    expect(res.headers.get('content-length')).toBe(String(MODEL_SIZE + 1024));
    await expect(res.arrayBuffer()).rejects.toThrow();
    expect(hub.requests.at(-1)).toMatchObject({ fault: 'wrongLength', bytesSent: MODEL_SIZE });
  });

  it('wrongLength with negative extraBytes claims less: the client gets a short body', async () => {
    hub.addFault({ kind: 'wrongLength', extraBytes: -100, times: 1 });
    const res = await fetch(modelUrl());
    expect(res.headers.get('content-length')).toBe(String(MODEL_SIZE - 100));
    const body = await bytes(res);
    expect(body.length).toBe(MODEL_SIZE - 100);
    expect(res.headers.get('x-linked-size')).toBe(String(MODEL_SIZE));
  });

  it('rejects invalid faults', () => {
    expect(() => hub.addFault({ kind: 'drop', afterBytes: -1 })).toThrow(TypeError);
    expect(() => hub.addFault({ kind: 'slow', bytesPerSecond: 0 })).toThrow(TypeError);
    expect(() => hub.addFault({ kind: 'status', status: 500, times: 0 })).toThrow(TypeError);
    expect(() => hub.addFault({ kind: 'nope' } as never)).toThrow(TypeError);
  });
});

describe('request log', () => {
  it('records method, path, range, status, bytes sent', async () => {
    await (await fetch(modelUrl(), { method: 'HEAD' })).arrayBuffer();
    await (await fetch(modelUrl(), { headers: { Range: 'bytes=10-19' } })).arrayBuffer();
    await (await fetch(fileUrl('config.json'))).arrayBuffer();
    await (await fetch(fileUrl('missing.json'))).arrayBuffer();
    const path = `/${ORG}/${REPO}/resolve/main/onnx/model.onnx`;
    expect(hub.requests.map(({ id: _id, ...r }) => r)).toEqual<Omit<HubRequest, 'id'>[]>([
      { method: 'HEAD', path, range: null, status: 200, bytesSent: 0, fault: null },
      { method: 'GET', path, range: 'bytes=10-19', status: 206, bytesSent: 10, fault: null },
      { method: 'GET', path: `/${ORG}/${REPO}/resolve/main/config.json`, range: null, status: 200, bytesSent: config.length, fault: null },
      { method: 'GET', path: `/${ORG}/${REPO}/resolve/main/missing.json`, range: null, status: 404, bytesSent: 27, fault: null },
    ]);
    hub.clearRequests();
    expect(hub.requests).toEqual([]);
  });
});

describe('HTTP control', () => {
  it('adds, lists and clears faults; reads and clears the log; is not logged itself', async () => {
    const add = await fetch(`${hub.url}/__control/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'status', status: 503, match: 'config.json' }),
    });
    expect(add.status).toBe(201);
    await add.arrayBuffer();
    const list = await fetch(`${hub.url}/__control/faults`);
    expect(await list.json()).toEqual([{ kind: 'status', status: 503, match: 'config.json' }]);

    expect((await fetch(fileUrl('config.json'))).status).toBe(503);
    const cleared = await fetch(`${hub.url}/__control/faults`, { method: 'DELETE' });
    expect(cleared.status).toBe(204);
    const ok = await fetch(fileUrl('config.json'));
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();

    const log = (await (await fetch(`${hub.url}/__control/requests`)).json()) as HubRequest[];
    expect(log.map((r) => [r.method, r.path, r.status, r.fault])).toEqual([
      ['GET', `/${ORG}/${REPO}/resolve/main/config.json`, 503, 'status'],
      ['GET', `/${ORG}/${REPO}/resolve/main/config.json`, 200, null],
    ]);
    expect((await fetch(`${hub.url}/__control/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(hub.requests).toEqual([]);
  });

  it('rejects a bad fault with 400', async () => {
    const res = await fetch(`${hub.url}/__control/faults`, { method: 'POST', body: '{"kind":"drop"}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('afterBytes');
    const notJson = await fetch(`${hub.url}/__control/faults`, { method: 'POST', body: 'nope' });
    expect(notJson.status).toBe(400);
    await notJson.arrayBuffer();
  });
});

describe('close', () => {
  it('closes promptly with a hung slow download in flight', async () => {
    const own = await startHub({ root });
    own.addFault({ kind: 'slow', bytesPerSecond: 100 });
    const res = await fetch(`${own.url}/${ORG}/${REPO}/resolve/main/onnx/model.onnx`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    const t0 = performance.now();
    await own.close();
    expect(performance.now() - t0).toBeLessThan(2000);
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return;
      })(),
    ).rejects.toThrow();
    expect(own.requests[0]!.bytesSent).toBeLessThan(MODEL_SIZE);
    await expect(fetch(`${own.url}/api/models/${ORG}/${REPO}`)).rejects.toThrow();
    await own.close(); // idempotent
  });

  it('the CLI-style port option binds the given port', async () => {
    const probe = await startHub({ root });
    const port = probe.port;
    await probe.close();
    const fixed = await startHub({ root, port });
    expect(fixed.url).toBe(`http://127.0.0.1:${port}`);
    await fixed.close();
  });
});

describe('storage redirect (huggingface.co: weights 302 to a storage host on another origin)', () => {
  let redirecting: Hub;
  beforeAll(async () => {
    redirecting = await startHub({ root, storageRedirect: true });
  });
  afterAll(async () => {
    await redirecting.close();
  });

  it('redirects a weight file with the linked headers, and the storage origin serves it with ranges', async () => {
    const url = `${redirecting.url}/${ORG}/${REPO}/resolve/main/onnx/model.onnx`;
    const hop = await fetch(url, { redirect: 'manual' });
    expect(hop.status).toBe(302);
    expect(hop.headers.get('x-linked-etag')).toBe(`"${sha256(model)}"`);
    expect(hop.headers.get('x-linked-size')).toBe(String(MODEL_SIZE));
    expect(hop.headers.get('access-control-allow-origin')).toBe('*');
    const location = new URL(hop.headers.get('location') ?? '');
    expect(location.origin).toBe(`http://localhost:${redirecting.port}`);
    expect(location.pathname).toBe(`/__storage/${ORG}/${REPO}/main/onnx/model.onnx`);

    const followed = await fetch(url);
    expect(followed.url).toBe(location.href);
    expect(followed.headers.get('x-linked-etag')).toBeNull();
    expect(followed.headers.get('etag')).not.toBe(`"${sha256(model)}"`);
    expect((await bytes(followed)).equals(model)).toBe(true);
    const ranged = await fetch(url, { headers: { Range: 'bytes=10-19' } });
    expect(ranged.status).toBe(206);
    expect((await bytes(ranged)).equals(model.subarray(10, 20))).toBe(true);
  });

  it('serves other files directly, and weights too when the option is off', async () => {
    const config = await fetch(`${redirecting.url}/${ORG}/${REPO}/resolve/main/config.json`, { redirect: 'manual' });
    expect(config.status).toBe(200);
    expect((await fetch(modelUrl(), { redirect: 'manual' })).status).toBe(200);
  });
});
