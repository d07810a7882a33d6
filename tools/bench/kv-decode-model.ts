/**
 * The two KV-geometry models kv-decode.ts times (DeepSeek-R1-Distill-Qwen-1.5B's cache: 28 layers ×
 * 2 KV heads × head size 128, fp32; everything else small), written on demand, never committed:
 *  - MHA: the generator's `bench-r1` (transformers.js layout, Concat of past and new keys, as
 *    onnx-community's 1.5B export), resized, layer weights shared;
 *  - GQA: the same geometry in the ONNX Runtime GenAI layout (`genai-graph.ts`: GroupQueryAttention,
 *    4-bit MatMulNBits, fp32 activations and cache, a model folder with genai_config.json), the graph
 *    the app keeps an in-place cache for on WebGPU. That layout has no low-rank vocabulary and no
 *    shared layer weights, so its vocabulary is full width and each layer has its own (4-bit) weights.
 */
import type { FixtureInfo } from '../fixture/fixtures.ts';
import { genaiInfo, genaiGraphOptions, writeGenaiFixture } from '../fixture/genai-files.ts';
import type { GenaiGraphOptions } from '../fixture/genai-graph.ts';
import { BENCH_SIZE, describeVariant, parseSize, SCRIPTS, TOKENIZER, type ModelSizeOptions } from '../fixture/generate.ts';
import { DataType } from '../fixture/onnx-builder.ts';

/** The 1.5B's cache geometry (28 layers, 2 KV heads, head size 128); everything else small. */
export const KV_SIZE = 'hidden=256,layers=28,heads=2,kv_heads=2,head_dim=128,intermediate=512,vocab=4096,vocab_rank=32';
export const MHA_REPO = 'ponder-test/bench-r1';
/** The GQA variant's repo, beside the MHA one in the same hub root. */
const GQA_REPO_NAME = 'kv-r1-genai';
const SCRIPT = SCRIPTS.bench;

/** The GQA variant at a size spec (BENCH_KV_SIZE): full-width vocabulary, a weight set per layer. */
export function gqaInfo(sizeSpec: string): FixtureInfo {
  const size: ModelSizeOptions = { ...BENCH_SIZE, ...parseSize(sizeSpec) };
  delete size.vocabRank;
  delete size.shareLayerWeights;
  return genaiInfo(describeVariant({ repo: GQA_REPO_NAME, script: SCRIPT, size }));
}

/** Writes (unchanged files are left alone) the GQA variant's repo under `root`, in the GenAI layout. */
export const writeGqaModel = (root: string, info: FixtureInfo) => writeGenaiFixture(root, info, SCRIPT, TOKENIZER);

/** The graph options writeGqaModel builds from (fp32 activations), for a check that encodes the graph itself. */
export const gqaGraphOptions = (info: FixtureInfo): GenaiGraphOptions => genaiGraphOptions(info, SCRIPT, TOKENIZER, DataType.FLOAT);
