import { DynamicCache, Tensor } from '@huggingface/transformers';

type KvData = Float32Array | Uint16Array;

async function dataOf(tensor: Tensor): Promise<KvData> {
  // A GPU cache tensor is read back once: a row change happens a few times per consensus, not per step.
  const ort = tensor.ort_tensor as unknown as { getData(): Promise<KvData> };
  return tensor.location === 'gpu-buffer' ? ort.getData() : (tensor.data as KvData);
}

/**
 * A cache whose batch rows are `rows` of `cache` (indices into its batch, repeats allowed): k copies
 * of a one-row prompt cache start k paths, and dropping finished rows keeps the rest. Entries are
 * [batch, heads, tokens, head size]; the new ones are CPU tensors, which ORT uploads on the next pass.
 * Source tensors on the GPU are disposed unless `keep` still needs them.
 */
export async function selectRows(cache: DynamicCache, rows: readonly number[], keep: ReadonlySet<Tensor> = new Set()): Promise<DynamicCache> {
  const entries: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(cache)) {
    if (!(tensor instanceof Tensor)) continue;
    const [batch = 1, ...rest] = tensor.dims;
    const rowSize = rest.reduce((a, b) => a * b, 1);
    const data = await dataOf(tensor);
    if (data.length !== batch * rowSize) throw new Error(`Cache entry ${name} holds ${data.length} values, not ${batch} rows of ${rowSize}.`);
    const out = new (data.constructor as new (n: number) => KvData)(rows.length * rowSize);
    rows.forEach((row, i) => out.set(data.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize));
    entries[name] = new Tensor(tensor.type as 'float32', out as Float32Array, [rows.length, ...rest]);
    if (tensor.location === 'gpu-buffer' && !keep.has(tensor)) await tensor.dispose();
  }
  return new DynamicCache(entries);
}
