/*
 * Runs one consensus reply: waves of sampled paths through an engine that decodes a wave as one
 * batch, the vote after every path, and the policy deciding when to stop and how many paths to start.
 */
import type { ChatTurn, PathEnd, PathsStats, SamplingOptions, StopReason } from '../../workers/protocol';
import type { PathsHandlers } from '../engine/client';
import { findFinalAnswer } from '../reasoning/answer';
import { ReasoningStream } from '../reasoning/parse';
import { nextStep, type PolicyStop } from './policy';
import { MAX_PATHS, type ConsensusPath, type ConsensusRecord, type ConsensusSettings, type PathStatus } from './types';
import { chosenPathOf, isFinished, surestPath, tallyVotes } from './vote';

/** What a consensus needs from an engine: one call samples one path per seed, together. */
export interface PathsEngine {
  generatePaths(turns: ChatTurn[], options: SamplingOptions, seeds: number[], handlers: PathsHandlers): Promise<PathsStats>;
  interrupt(): Promise<void>;
}

export interface ConsensusRun {
  engine: PathsEngine;
  turns: ChatTurn[];
  /** The reply's sampling options; each path gets its own seed from `options.seed` (or a random one). */
  options: SamplingOptions;
  settings: ConsensusSettings;
  /** Paths the device runs at once (pathCapacity). */
  capacity: number;
  /** Told every change; the record handed over is a fresh object each time (the caller paces redraws). */
  onChange(record: ConsensusRecord): void;
  /** True once the user asked to stop. */
  stopped(): boolean;
}

export interface ConsensusOutcome {
  record: ConsensusRecord;
  /** The engine's failure, when one ended the sampling; the record keeps what finished before. */
  error: unknown;
}

// A path whose server connection broke failed; it did not stop by choice.
const STATUS: Record<StopReason, PathStatus> = { eos: 'done', length: 'length', interrupted: 'stopped', dropped: 'error' };

/** Distinct, well-spread seeds, reproducible from a set seed (Knuth's multiplicative constant). */
export function pathSeed(base: number, path: number): number {
  return (base + Math.imul(path, 2654435761)) >>> 0;
}

/**
 * How many paths fit on the device at once: the tokens of context that fit across a batch, shared by
 * rows that each need room for the prompt and a whole reply. Unknown memory (a custom model) gets 4,
 * a batch small enough for any GPU that runs the model at all; the worker splits further if a batch
 * would exceed the device's largest buffer.
 */
export function pathCapacity(context: number | null, promptTokens: number, maxNewTokens: number): number {
  if (context === null) return 4;
  return Math.max(1, Math.min(MAX_PATHS, Math.floor(context / Math.max(1, promptTokens + maxNewTokens))));
}

function emptyPath(seed: number): ConsensusPath {
  return { content: '', thinking: null, answer: '', thinkingClosed: false, status: 'streaming', generatedTokens: 0, confidence: null, final: null, seed };
}

/**
 * The path the message shows: the winner's most confident path; without a winner, the most confident
 * finished path with an answer, else the first finished, else the longest. Null with no paths.
 */
export function shownPathOf(record: Pick<ConsensusRecord, 'vote' | 'paths'>): number | null {
  const { vote, paths } = record;
  const won = vote ? chosenPathOf(vote, paths) : null;
  if (won !== null) return won;
  const finished = paths.flatMap((p, i) => (isFinished(p) ? [i] : []));
  const answered = finished.filter((i) => paths[i]!.final !== null);
  if (answered.length > 0) return surestPath(paths, answered);
  if (finished.length > 0) return finished[0]!;
  if (paths.length === 0) return null;
  return paths.reduce((best, p, i) => (p.generatedTokens > paths[best]!.generatedTokens ? i : best), 0);
}

/** Samples paths until the policy stops, the user stops, every path is spent, or the engine fails. */
export async function sampleConsensus(run: ConsensusRun): Promise<ConsensusOutcome> {
  const { engine, settings } = run;
  const base = run.options.seed ?? Math.floor(Math.random() * 2 ** 32);
  const paths: ConsensusPath[] = [];
  let vote = tallyVotes(paths, settings.weighting);
  let certainty: number | null = null;
  let stop: ConsensusRecord['stop'] = null;
  let error: unknown = null;
  const snapshot = (): ConsensusRecord => ({ settings, paths: paths.map((p) => ({ ...p })), vote, stop, certainty, chosenPath: null });

  while (stop === null) {
    const step = nextStep({ settings, paths, vote, capacity: run.capacity });
    certainty = step.certainty;
    if (step.stop) {
      stop = step.stop;
      break;
    }
    // Nothing runs between waves, so the policy always starts at least one path while it goes on.
    const from = paths.length;
    const seeds = Array.from({ length: Math.max(1, step.wave) }, (_, i) => pathSeed(base, from + i));
    const streams = seeds.map(() => new ReasoningStream());
    paths.push(...seeds.map(emptyPath));
    run.onChange(snapshot());
    let policyStop: PolicyStop | null = null;
    const settle = (i: number) => {
      const stream = streams[i]!;
      const path = paths[from + i]!;
      Object.assign(path, stream.snapshot());
    };
    try {
      await engine.generatePaths(run.turns, run.options, seeds, {
        onDelta(i, text, generatedTokens) {
          const path = paths[from + i]!;
          path.content += text;
          path.generatedTokens = generatedTokens;
          streams[i]!.push(text);
          settle(i);
          run.onChange(snapshot());
        },
        onDone(i, end: PathEnd) {
          streams[i]!.finish();
          settle(i);
          const path = paths[from + i]!;
          path.status = STATUS[end.reason];
          path.generatedTokens = end.generatedTokens;
          path.confidence = end.confidence;
          path.final = findFinalAnswer(path)?.latex ?? null;
          vote = tallyVotes(paths, settings.weighting);
          if (policyStop === null && !run.stopped()) {
            const next = nextStep({ settings, paths, vote, capacity: run.capacity });
            certainty = next.certainty;
            // Decided or settled while other paths still run: their answers can no longer matter.
            if (next.stop && next.stop !== 'max-paths') {
              policyStop = next.stop;
              void engine.interrupt();
            }
          }
          run.onChange(snapshot());
        },
      });
    } catch (failure) {
      error = failure;
      for (const p of paths) if (p.status === 'streaming' || p.status === 'waiting') p.status = 'error';
      stop = 'error';
      break;
    }
    if (policyStop) stop = policyStop;
    else if (run.stopped()) stop = 'stopped';
  }
  vote = tallyVotes(paths, settings.weighting);
  const record = snapshot();
  return { record: { ...record, chosenPath: shownPathOf(record) }, error };
}
