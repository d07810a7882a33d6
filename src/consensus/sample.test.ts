import { describe, expect, it } from 'vitest';
import type { SamplingOptions } from '../../workers/protocol';
import { pathCapacity, pathSeed, sampleConsensus, shownPathOf, type PathsEngine } from './sample';
import { boxedReply, scriptedPathsEngine } from './testing/paths-engine';
import type { ConsensusRecord, ConsensusSettings } from './types';

const TURNS = [{ role: 'user' as const, content: 'What is 2 + 3?' }];
const OPTIONS: SamplingOptions = { temperature: 0.6, topP: 0.95, maxNewTokens: 1000, seed: 42 };
const ADAPTIVE: ConsensusSettings = { maxPaths: 8, mode: 'adaptive', weighting: 'count' };

function run(engine: PathsEngine, settings: ConsensusSettings, capacity = 16, stopped = () => false) {
  const changes: ConsensusRecord[] = [];
  const done = sampleConsensus({ engine, turns: TURNS, options: OPTIONS, settings, capacity, onChange: (r) => changes.push(r), stopped });
  return { done, changes };
}

describe('sampleConsensus', () => {
  it('stops adaptively once four paths agree, and shows the most confident of them', async () => {
    const { engine, calls } = scriptedPathsEngine(() => boxedReply('5'));
    const { done, changes } = run(engine, ADAPTIVE);
    const { record, error } = await done;
    expect(error).toBeNull();
    expect(calls.map((c) => c.seeds.length)).toEqual([4]);
    expect(record.stop).toBe('decided');
    expect(record.certainty).toBeCloseTo(1 - 1 / 32, 10);
    expect(record.vote).toMatchObject({ outcome: 'majority', finished: 4, winner: 0 });
    expect(record.vote?.groups).toEqual([expect.objectContaining({ answer: '5', paths: [0, 1, 2, 3], share: 1 })]);
    const confidences = record.paths.map((p) => p.confidence ?? -1);
    expect(record.chosenPath).toBe(confidences.indexOf(Math.max(...confidences)));
    expect(record.paths.every((p) => p.status === 'done' && p.final === '5' && p.thinking === 'Let me think.')).toBe(true);
    // Paths stream: some change showed a path part-way.
    expect(changes.some((c) => c.paths.some((p) => p.status === 'streaming' && p.content.length > 0))).toBe(true);
  });

  it('samples in further waves while the vote is open, each path with its own seed, reproducibly', async () => {
    const answers = ['5', '7', '5', '5', '7', '5', '5', '5'];
    const { engine, calls } = scriptedPathsEngine((_, path) => boxedReply(answers[path]!));
    const { record } = await run(engine, ADAPTIVE).done;
    const seeds = calls.flatMap((c) => c.seeds);
    expect(calls.length).toBeGreaterThan(1);
    expect(new Set(seeds).size).toBe(seeds.length);
    expect(seeds).toEqual(seeds.map((_, i) => pathSeed(42, i)));
    expect(record.paths.map((p) => p.seed)).toEqual(seeds);
    expect(record.vote?.groups[0]).toMatchObject({ answer: '5' });
    expect(['decided', 'settled', 'max-paths']).toContain(record.stop);
    // The same seed gives the same seeds again.
    const again = scriptedPathsEngine((_, path) => boxedReply(answers[path]!));
    await run(again.engine, ADAPTIVE).done;
    expect(again.calls.flatMap((c) => c.seeds)).toEqual(seeds);
  });

  it('fixed k samples all k in waves the device can hold', async () => {
    const { engine, calls } = scriptedPathsEngine((_, path) => boxedReply(path % 3 === 0 ? '1' : '2'));
    const { record } = await run(engine, { ...ADAPTIVE, mode: 'fixed', maxPaths: 6 }, 4).done;
    expect(calls[0]?.seeds.length).toBe(4);
    // Settled may end it before the sixth path: 2 is then ahead by more than the paths left.
    expect(record.paths.length).toBeGreaterThanOrEqual(5);
    expect(record.vote?.groups.map((g) => g.answer)).toEqual(['2', '1']);
  });

  it('Stop ends every path, and the vote covers those that finished', async () => {
    let stop = false;
    const { engine } = scriptedPathsEngine((_, path) => (path < 2 ? boxedReply('5') : `${'long thinking '.repeat(50)}`));
    const { record } = await sampleConsensus({
      engine,
      turns: TURNS,
      options: OPTIONS,
      settings: ADAPTIVE,
      capacity: 16,
      // The user presses Stop once two paths have finished.
      onChange(r) {
        if (!stop && r.paths.filter((p) => p.status === 'done').length === 2) {
          stop = true;
          void engine.interrupt();
        }
      },
      stopped: () => stop,
    });
    expect(record.stop).toBe('stopped');
    expect(record.paths.map((p) => p.status)).toEqual(['done', 'done', 'stopped', 'stopped']);
    expect(record.vote).toMatchObject({ finished: 2, outcome: 'majority' });
    expect(record.vote?.groups[0]).toMatchObject({ answer: '5', paths: [0, 1] });
  });

  it('keeps what finished when the engine fails', async () => {
    const { engine } = scriptedPathsEngine(() => boxedReply('5'), 0);
    const { record, error } = await run(engine, ADAPTIVE).done;
    expect(String(error)).toContain('scripted failure');
    expect(record.stop).toBe('error');
    expect(record.paths.every((p) => p.status === 'error')).toBe(true);
    expect(record.paths.every((p) => p.content.length > 0)).toBe(true);
  });

  it('without a winner the shown path is the surest answered one, and a tie says so', async () => {
    const { engine } = scriptedPathsEngine((_, path) => boxedReply(path % 2 === 0 ? 'A' : 'B'));
    const { record } = await run(engine, { ...ADAPTIVE, mode: 'fixed', maxPaths: 2 }).done;
    expect(record.vote?.outcome).toBe('tie');
    expect(record.stop).toBe('max-paths');
    expect(record.chosenPath).toBe(shownPathOf(record));
    const surest = record.paths[0]!.confidence! >= record.paths[1]!.confidence! ? 0 : 1;
    expect(record.chosenPath).toBe(surest);
  });
});

describe('pathCapacity', () => {
  it('shares the fitted context among rows that each hold the prompt and a whole reply', () => {
    expect(pathCapacity(32_768, 1000, 3000)).toBe(8);
    expect(pathCapacity(32_768, 1000, 31_000)).toBe(1);
    expect(pathCapacity(1_000_000, 10, 100)).toBe(16);
    expect(pathCapacity(null, 10, 100)).toBe(4);
  });
});
