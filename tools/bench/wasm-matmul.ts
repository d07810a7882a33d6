/**
 * wasm-matmul: what one linear layer costs in onnxruntime-web's WebAssembly build, per dtype, for a
 * decoding step (M = 1) and a prefill chunk (M = 256). One 1024 x 4096 layer, one thread, in Node
 * (the same WebAssembly kernels the browser runs; no page, so nothing else competes):
 *   fp32  MatMul
 *   q8    DynamicQuantizeLinear + MatMulInteger (onnx-community's model_quantized.onnx)
 *   q4    MatMulNBits, 4-bit blocks of 32 (model_q4.onnx), accuracy level 0 and 4
 * It is why the app asks for q8 before q4 on WASM (src/models/catalog.ts dtypePreference).
 */
import * as ort from 'onnxruntime-web';
import { matMulNBits } from '../fixture/matmul-nbits.ts';
import { DataType, encodeModel, GraphBuilder, valueInfo } from '../fixture/onnx-builder.ts';
import { median } from './decode-overhead.ts';
import type { Benchmark } from './types.ts';

const K = 1024;
const N = 4096;
type Kind = 'fp32' | 'q8' | 'q4' | 'q4_acc4';

function graph(kind: Kind): Uint8Array {
  const g = new GraphBuilder();
  const weights = () => Float32Array.from({ length: K * N }, (_, i) => Math.sin(i) * 0.02);
  let y: string;
  if (kind === 'fp32') {
    g.float('W', DataType.FLOAT, [K, N], weights());
    y = g.op('MatMul', ['x', 'W']);
  } else if (kind === 'q8') {
    g.initializer('Wq', DataType.UINT8, [K, N], Uint8Array.from({ length: K * N }, (_, i) => (i * 7) & 255));
    g.initializer('Wzp', DataType.UINT8, [], Uint8Array.of(128));
    g.float('Ws', DataType.FLOAT, [], Float32Array.of(0.001));
    const [xq = '', xs = '', xzp = ''] = g.node('DynamicQuantizeLinear', ['x'], {}, { outputs: 3 });
    const product = g.op('Cast', [g.op('MatMulInteger', [xq, 'Wq', xzp, 'Wzp'])], { to: DataType.FLOAT });
    y = g.op('Mul', [g.op('Mul', [product, xs]), 'Ws']);
  } else {
    y = matMulNBits(g, 'x', 'W', weights, K, N, { blockSize: 32, nodeName: 'linear', ...(kind === 'q4_acc4' ? { accuracyLevel: 4 } : {}) });
  }
  g.node('Identity', [y], {}, { outputs: ['y'] });
  return encodeModel(g, {
    opset: 17,
    inputs: [valueInfo('x', DataType.FLOAT, ['M', K])],
    outputs: [valueInfo('y', DataType.FLOAT, ['M', N])],
    graphName: 'linear',
    extraOpsets: [{ domain: 'com.microsoft', version: 1 }],
  });
}

export default {
  name: 'wasm-matmul',
  async run(log) {
    ort.env.wasm.numThreads = 1;
    const figures: Record<string, number> = {};
    for (const kind of ['fp32', 'q8', 'q4', 'q4_acc4'] as const) {
      const session = await ort.InferenceSession.create(graph(kind), { executionProviders: ['wasm'] });
      for (const M of [1, 256]) {
        const x = new ort.Tensor('float32', new Float32Array(M * K).fill(0.1), [M, K]);
        await session.run({ x });
        const times: number[] = [];
        for (let i = 0; i < (M === 1 ? 30 : 6); i++) {
          const t0 = performance.now();
          await session.run({ x });
          times.push(performance.now() - t0);
        }
        figures[`wasm_matmul_ms_${kind}_m${M}`] = Number(median(times).toFixed(2));
        log(`${kind.padEnd(7)} M=${String(M).padEnd(3)} ${median(times).toFixed(2)} ms per call (median of ${times.length})`);
      }
      await session.release();
    }
    figures.wasm_matmul_decode_q4_over_q8 = Number((figures.wasm_matmul_ms_q4_m1! / figures.wasm_matmul_ms_q8_m1!).toFixed(2));
    return figures;
  },
} satisfies Benchmark;
