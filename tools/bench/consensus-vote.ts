/**
 * consensus-vote: how often a consensus reply boxes the right answer, and how many paths it spends,
 * adaptive against fixed-8, on the real engine.
 *
 * The app's own Generator (workers/generation.ts: batched paths, per-path seeds, the T=0.6 / top-p
 * 0.95 sampler, path confidence) with transformers.js on onnxruntime-node (CPU) runs the noisy
 * solver fixtures (`tiny-r1-noisy*`: one token boxes A, B or C at set odds, A being right), driven
 * by the app's own `sampleConsensus` (policy, vote, early stops). Each question is asked once per
 * mode with the same base seed, so a mode's first paths are the other modes' first paths (path i's
 * seed and sampler stream do not depend on its batch): the modes are compared on shared samples.
 *
 * Correct: the vote has a winner (a majority; ties and no answer count as wrong) and it is the
 * solver's answer by `sameAnswer`. Accuracy is a fraction (0–1). Samples: paths started per
 * question (spent, whether or not they finished). Waves: generatePaths calls per question.
 *
 * Settings (environment): BENCH_CONSENSUS_QUESTIONS=200 (per set: the hard fixture alone, then the
 * mix)  BENCH_CONSENSUS_SEED=1 (other values draw other samples)
 */
import { resolve } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, type PreTrainedModel } from '@huggingface/transformers';
import { DEFAULT_SETTINGS, userPrompt } from '../../src/chat/conversation.ts';
import { sampleConsensus, type PathsEngine } from '../../src/consensus/sample.ts';
import type { ConsensusRecord, ConsensusSettings } from '../../src/consensus/types.ts';
import { sameAnswer } from '../../src/reasoning/answer.ts';
import { fixtureInfo, generateFixtures, NOISY_ANSWER, NOISY_CHOICES, NOISY_EASY_CHOICES, NOISY_MEDIUM_CHOICES, NOISY_TEMPERATURE } from '../fixture/generate.ts';
import { Generator } from '../../workers/generation.ts';
import type { ChatTurn, SamplingOptions } from '../../workers/protocol.ts';
import type { Benchmark, Log } from './types.ts';

const ROOT = resolve('.cache/hub');
/** Paths the engine runs at once: 8, so a fixed-8 reply is a single batch. */
const CAPACITY = 8;
const MAX_PATHS = 8;

type Odds = readonly { text: string; probability: number }[];
const SOLVERS = [
  { repo: 'tiny-r1-noisy-easy', odds: NOISY_EASY_CHOICES },
  { repo: 'tiny-r1-noisy-medium', odds: NOISY_MEDIUM_CHOICES },
  { repo: 'tiny-r1-noisy', odds: NOISY_CHOICES },
] as const satisfies readonly { repo: string; odds: Odds }[];
type Repo = (typeof SOLVERS)[number]['repo'];
/** The issue's distribution (0.5 / 0.3 / 0.2): the unsuffixed figures. */
const HARD: Repo = 'tiny-r1-noisy';

const MODES = [
  { key: 'adaptive', settings: { maxPaths: MAX_PATHS, mode: 'adaptive', weighting: 'count' } },
  { key: 'fixed8', settings: { maxPaths: MAX_PATHS, mode: 'fixed', weighting: 'count' } },
  { key: 'fixed8_confidence', settings: { maxPaths: MAX_PATHS, mode: 'fixed', weighting: 'confidence' } },
] as const satisfies readonly { key: string; settings: ConsensusSettings }[];
type ModeKey = (typeof MODES)[number]['key'];

/** What one mode did over one question set. */
interface Tally {
  questions: number;
  correct: number;
  samples: number;
  waves: number;
  ms: number;
  stops: Map<string, number>;
  outcomes: Map<string, number>;
  /** Questions whose first path alone boxed the right answer: the single-answer baseline. */
  firstPathCorrect: number;
  /** Correct answers per fixture (the mix's breakdown). */
  correctBy: Map<Repo, { correct: number; questions: number }>;
  /** Finished paths per boxed answer, and their confidence: the sampled odds, and what confidence weighting sees. */
  answers: Map<string, { paths: number; confidence: number }>;
}

const newTally = (): Tally => ({ questions: 0, correct: 0, samples: 0, waves: 0, ms: 0, stops: new Map(), outcomes: new Map(), firstPathCorrect: 0, correctBy: new Map(), answers: new Map() });
const bump = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);

/** The Generator as consensus sees an engine, counting the waves (generatePaths calls) it is asked for. */
function pathsEngine(gen: Generator, onWave: () => void): PathsEngine {
  return {
    generatePaths(turns, options, seeds, handlers) {
      onWave();
      return gen.generatePaths(
        { turns, options, seeds },
        {
          started: (n) => handlers.onStarted?.(n),
          delta: (path, text, tokens) => handlers.onDelta(path, text, tokens),
          done: (path, end) => handlers.onDone(path, end),
        },
      );
    },
    async interrupt() {
      gen.interrupt();
    },
  };
}

function isRight(answer: string | null | undefined): boolean {
  return answer !== null && answer !== undefined && sameAnswer(answer, NOISY_ANSWER);
}

/** Right when the vote elected a winner and it is the solver's answer; ties and no answer are wrong. */
function votedRight(record: ConsensusRecord): boolean {
  const vote = record.vote;
  if (!vote || vote.outcome !== 'majority' || vote.winner === null) return false;
  return isRight(vote.groups[vote.winner]?.answer);
}

/**
 * Exact fixed-k accuracy for a solver's odds: the chance that the right answer (the first) strictly
 * outnumbers every other among k independent draws. The engine's fixed-8 figure should come close.
 */
export function fixedKAccuracy(odds: Odds, k: number): number {
  const p = odds.map((o) => o.probability);
  let total = 0;
  const walk = (i: number, left: number, counts: number[], logProb: number, coef: number) => {
    if (i === p.length - 1) {
      const all = [...counts, left];
      const prob = coef * Math.exp(logProb + left * Math.log(p[i]!));
      if (all.slice(1).every((c) => all[0]! > c)) total += prob;
      return;
    }
    let c = 1; // C(left, n), built up as n grows
    for (let n = 0; n <= left; n++) {
      walk(i + 1, left - n, [...counts, n], logProb + n * Math.log(p[i]!), coef * c);
      c = (c * (left - n)) / (n + 1);
    }
  };
  walk(0, k, [], 0, 1);
  return total;
}

async function loadGenerator(repo: Repo): Promise<{ gen: Generator; model: PreTrainedModel }> {
  const info = fixtureInfo(repo);
  const tokenizer = await AutoTokenizer.from_pretrained(info.id);
  const model = await AutoModelForCausalLM.from_pretrained(info.id, { dtype: 'fp32' });
  // Buffers roomy enough that a batch of CAPACITY rows is never split.
  return { gen: new Generator(tokenizer, model, { maxBufferBytes: 2 ** 30, vocabSize: info.size.vocabSize, numHeads: info.size.numHeads }), model };
}

/** Question q as the app sends it (its math directive appended); the fixtures answer any text alike. */
const question = (q: number): ChatTurn[] => [{ role: 'user', content: userPrompt(`Question ${q}: which of A, B or C is right?`, DEFAULT_SETTINGS) }];

async function runSet(
  label: string,
  questions: number,
  solverOf: (q: number) => Repo,
  gens: ReadonlyMap<Repo, Generator>,
  seedBase: number,
  log: Log,
): Promise<Map<ModeKey, Tally>> {
  const tallies = new Map<ModeKey, Tally>(MODES.map((m) => [m.key, newTally()]));
  /** Questions adaptive and fixed-8 (count) got differently right: only a 'decided' stop can cause one. */
  let disagreements = 0;
  for (let q = 0; q < questions; q++) {
    const repo = solverOf(q);
    const gen = gens.get(repo);
    if (!gen) throw new Error(`no generator for ${repo}`);
    // The app's sampling defaults; the base seed fixes every path's seed (pathSeed(base, i)).
    const options: SamplingOptions = {
      temperature: DEFAULT_SETTINGS.temperature,
      topP: DEFAULT_SETTINGS.topP,
      maxNewTokens: DEFAULT_SETTINGS.maxNewTokens,
      seed: (seedBase * 100_003 + q) >>> 0,
    };
    // Interleaved per question, so drift on the shared machine touches every mode alike.
    const rightBy = new Map<ModeKey, boolean>();
    for (const { key, settings } of MODES) {
      let waves = 0;
      const t0 = performance.now();
      const { record, error } = await sampleConsensus({
        engine: pathsEngine(gen, () => (waves += 1)),
        turns: question(q),
        options,
        settings,
        capacity: CAPACITY,
        onChange() {},
        stopped: () => false,
      });
      if (error) throw error instanceof Error ? error : new Error(String(error));
      const t = tallies.get(key)!;
      const right = votedRight(record);
      rightBy.set(key, right);
      t.ms += performance.now() - t0;
      t.questions += 1;
      t.correct += right ? 1 : 0;
      t.samples += record.paths.length;
      t.waves += waves;
      bump(t.stops, record.stop ?? 'none');
      bump(t.outcomes, record.vote?.outcome ?? 'none');
      t.firstPathCorrect += isRight(record.paths[0]?.final) ? 1 : 0;
      const by = t.correctBy.get(repo) ?? { correct: 0, questions: 0 };
      t.correctBy.set(repo, { correct: by.correct + (right ? 1 : 0), questions: by.questions + 1 });
      for (const p of record.paths) {
        if (p.final === null || (p.status !== 'done' && p.status !== 'length')) continue;
        const a = t.answers.get(p.final) ?? { paths: 0, confidence: 0 };
        t.answers.set(p.final, { paths: a.paths + 1, confidence: a.confidence + (p.confidence ?? 0) });
      }
    }
    if (rightBy.get('adaptive') !== rightBy.get('fixed8')) disagreements += 1;
  }
  for (const { key } of MODES) {
    const t = tallies.get(key)!;
    const hist = (m: Map<string, number>) => [...m].map(([k, n]) => `${k} ${n}`).join(', ');
    const per = [...t.correctBy].map(([repo, c]) => `${repo} ${(c.correct / c.questions).toFixed(3)} of ${c.questions}`).join('; ');
    log(
      `${label} ${key}: accuracy ${(t.correct / t.questions).toFixed(3)} (${t.correct}/${t.questions}), ` +
        `samples ${(t.samples / t.questions).toFixed(2)}, waves ${(t.waves / t.questions).toFixed(2)}, ` +
        `${(t.ms / 1000).toFixed(1)} s (${(t.ms / t.questions).toFixed(0)} ms/question); stops: ${hist(t.stops)}; votes: ${hist(t.outcomes)}`,
    );
    if (t.correctBy.size > 1) log(`${label} ${key} by solver: ${per}`);
  }
  const fixed = tallies.get('fixed8')!;
  log(`${label} adaptive and fixed8 differ in correctness on ${disagreements} of ${questions} questions (adaptive's paths are fixed8's first ones)`);
  log(`${label} one path alone (each question's first path): accuracy ${(fixed.firstPathCorrect / fixed.questions).toFixed(3)}`);
  const voters = [...fixed.answers.values()].reduce((s, a) => s + a.paths, 0);
  const answers = [...fixed.answers].sort(([x], [y]) => x.localeCompare(y));
  log(
    `${label} fixed8 paths' answers: ${answers.map(([k, a]) => `${k} ${(a.paths / voters).toFixed(3)} (mean confidence ${(a.confidence / a.paths).toFixed(4)})`).join(', ')} of ${voters} finished paths`,
  );
  return tallies;
}

/** The figures of one question set, each name with `suffix`. */
function figuresOf(tallies: Map<ModeKey, Tally>, suffix: string): Record<string, number> {
  const t = (k: ModeKey) => tallies.get(k)!;
  const accuracy = (k: ModeKey) => t(k).correct / t(k).questions;
  const samples = (k: ModeKey) => t(k).samples / t(k).questions;
  return {
    [`consensus_majority_accuracy_adaptive${suffix}`]: accuracy('adaptive'),
    [`consensus_majority_accuracy_fixed8${suffix}`]: accuracy('fixed8'),
    [`consensus_majority_accuracy_fixed8_confidence${suffix}`]: accuracy('fixed8_confidence'),
    [`consensus_samples_mean_adaptive${suffix}`]: samples('adaptive'),
    [`consensus_samples_mean_fixed8${suffix}`]: samples('fixed8'),
    [`consensus_samples_ratio_adaptive_vs_fixed8${suffix}`]: samples('adaptive') / samples('fixed8'),
    [`consensus_waves_mean_adaptive${suffix}`]: t('adaptive').waves / t('adaptive').questions,
  };
}

async function run(log: Log): Promise<Record<string, number>> {
  const questions = Number(process.env.BENCH_CONSENSUS_QUESTIONS ?? 200);
  const seedBase = Number(process.env.BENCH_CONSENSUS_SEED ?? 1);
  await generateFixtures(ROOT, { only: SOLVERS.map((s) => s.repo) });
  env.localModelPath = ROOT;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  const loaded = await Promise.all(SOLVERS.map(async (s) => [s.repo, await loadGenerator(s.repo)] as const));
  const gens = new Map(loaded.map(([repo, { gen }]) => [repo, gen]));
  log(`${questions} questions per set, T ${DEFAULT_SETTINGS.temperature} (the fixtures' odds hold at ${NOISY_TEMPERATURE}), top-p ${DEFAULT_SETTINGS.topP}, max ${MAX_PATHS} paths, ${CAPACITY} rows at once; accuracy is a fraction 0–1`);
  for (const s of SOLVERS) {
    log(`${s.repo} odds ${s.odds.map((o) => `${o.text} ${o.probability}`).join(' / ')}: one path right ${s.odds[0].probability}, exact fixed-8 majority right ${fixedKAccuracy(s.odds, MAX_PATHS).toFixed(3)}`);
  }
  try {
    const hard = await runSet('hard', questions, () => HARD, gens, seedBase, log);
    // Evenly spread: question q asks solver q mod 3 (easy, medium, hard).
    const mix = await runSet('mix', questions, (q) => SOLVERS[q % SOLVERS.length]!.repo, gens, seedBase, log);
    return { ...figuresOf(hard, ''), ...figuresOf(mix, '_mix') };
  } finally {
    for (const [, { model }] of loaded) await model.dispose();
  }
}

export default { name: 'consensus-vote', run } satisfies Benchmark;
