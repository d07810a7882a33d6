// runInHeap on the app's ORT-web WASM build (in Node, tools/fixture/ort-web-node.ts) and the real
// GroupQueryAttention fixture: what ORT allocates comes back as ORT's own run returns it, a present
// bound to a heap buffer is written there, and a run ORT refuses says why and leaves the session usable.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENAI_FIXTURE, generateFixtures } from '../../tools/fixture/fixtures.ts';
import { GENAI_MODEL_DIR } from '../../tools/fixture/genai-files.ts';
import { ortWeb, ortWebSession } from '../../tools/fixture/ort-web-node.ts';
import type { OrtSession, OrtTensor, OrtTensorClass } from '../static-kv.ts';
import { heapKvStorage } from './heap-kv-storage.ts';
import type { OrtWasm } from './ort-wasm.ts';
import { runInHeap } from './heap-run.ts';

const { numLayers, numKvHeads, headDim } = GENAI_FIXTURE.size;
let root = '';
let session: ortWeb.InferenceSession;
let wasm: OrtWasm;
const handle = () => (session as unknown as { handler: { sessionId: number } }).handler.sessionId;

const int64 = (values: number[]) => new ortWeb.Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);
const names = (kind: 'key' | 'value') => Array.from({ length: numLayers }, (_, l) => `past_key_values.${l}.${kind}`);
const PAST = [...names('key'), ...names('value')];

/** One token after an empty cache, as ORT's own run takes it. */
function firstStep(): Record<string, OrtTensor> {
  const feeds: Record<string, OrtTensor> = { input_ids: int64([7]), attention_mask: int64([1]) };
  for (const name of PAST) feeds[name] = new ortWeb.Tensor('float32', new Float32Array(0), [1, numKvHeads, 0, headDim]);
  return feeds;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ponder-heap-run-'));
  await generateFixtures(root, { only: [GENAI_FIXTURE.repo] });
  ({ session, wasm } = await ortWebSession(join(root, GENAI_FIXTURE.id, GENAI_MODEL_DIR)));
});

afterAll(async () => {
  await session?.release();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('runInHeap', () => {
  it('returns the outputs ORT allocates exactly as ORT\'s own run does', async () => {
    const fetches = Object.fromEntries(session.outputNames.map((n) => [n, null]));
    const mine = await runInHeap(wasm, handle(), firstStep(), fetches);
    const theirs = await session.run(firstStep() as Record<string, ortWeb.Tensor>);
    for (const name of session.outputNames) {
      expect(mine[name]?.dims, name).toEqual(theirs[name]?.dims);
      expect(mine[name]?.type, name).toBe(theirs[name]?.type);
      expect(Array.from(mine[name]?.data as Float32Array), name).toEqual(Array.from(theirs[name]?.data as Float32Array));
    }
  });

  it('writes a present bound to a heap buffer there: the new position of each head, as ORT\'s own present holds it', async () => {
    const storage = heapKvStorage(wasm, ortWeb.Tensor as unknown as OrtTensorClass);
    const capacity = 8;
    const buffers = Object.fromEntries(PAST.map((name) => [name, storage.allocate('float32', [1, numKvHeads, capacity, headDim])]));
    const fetches: Record<string, OrtTensor | null> = { logits: null };
    for (const name of PAST) fetches[name.replace('past_key_values', 'present')] = buffers[name] as OrtTensor;
    const out = await storage.run(session as unknown as OrtSession, { ...firstStep(), ...buffers }, fetches);
    const theirs = await session.run(firstStep() as Record<string, ortWeb.Tensor>);
    expect(Array.from(out.logits?.data as Float32Array)).toEqual(Array.from(theirs.logits?.data as Float32Array));
    for (const name of PAST) {
      const present = name.replace('past_key_values', 'present');
      expect(out[present]).toBe(buffers[name]);
      const mine = buffers[name]?.data as Float32Array;
      const row = theirs[present]?.data as Float32Array;
      for (let h = 0; h < numKvHeads; h++) {
        expect(Array.from(mine.subarray(h * capacity * headDim, (h * capacity + 1) * headDim)), `${present} head ${h}`).toEqual(Array.from(row.subarray(h * headDim, (h + 1) * headDim)));
        // Only position 0 was written; the rest of the head is as allocated.
        expect(mine.subarray((h * capacity + 1) * headDim, (h + 1) * capacity * headDim).every((v) => v === 0)).toBe(true);
      }
      expect(row.some((v) => v !== 0)).toBe(true);
    }
    for (const tensor of Object.values(buffers)) storage.release(tensor);
  });

  it('a run ORT refuses says why, and the session runs again afterwards', async () => {
    const fetches = { logits: null };
    await expect(runInHeap(wasm, handle(), { ...firstStep(), no_such_input: int64([1]) }, fetches)).rejects.toThrow(/ONNX Runtime failed to run the model: .*no_such_input/i);
    await expect(runInHeap(wasm, handle(), { ...firstStep(), input_ids: new ortWeb.Tensor('string', ['x'], [1, 1]) }, fetches)).rejects.toThrow(/type string are not supported/);
    const again = await runInHeap(wasm, handle(), firstStep(), fetches);
    expect(again.logits?.dims).toEqual([1, 1, GENAI_FIXTURE.size.vocabSize]);
  });
});
