/** The list of injected faults: validation, matching by path, self-clearing after `times`. */
import type { Fault, FaultRule } from './types.ts';

interface Entry {
  fault: Fault;
  match: string | undefined;
  /** Infinity when no `times` was given. */
  remaining: number;
}

function isCount(v: unknown, min: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min;
}

/** Checks an untrusted value (e.g. a JSON body) and returns a clean rule; throws TypeError if invalid. */
export function parseFaultRule(input: unknown): FaultRule {
  if (typeof input !== 'object' || input === null) throw new TypeError('fault must be an object');
  const o = input as Record<string, unknown>;
  const extra: { match?: string; times?: number } = {};
  if (o.match !== undefined) {
    if (typeof o.match !== 'string') throw new TypeError('fault.match must be a string');
    extra.match = o.match;
  }
  if (o.times !== undefined) {
    if (!isCount(o.times, 1)) throw new TypeError('fault.times must be an integer >= 1');
    extra.times = o.times;
  }
  switch (o.kind) {
    case 'status':
      if (!isCount(o.status, 200) || o.status > 599) throw new TypeError('fault.status must be an HTTP status 200-599');
      return { kind: 'status', status: o.status, ...extra };
    case 'drop':
      if (!isCount(o.afterBytes, 0)) throw new TypeError('fault.afterBytes must be an integer >= 0');
      return { kind: 'drop', afterBytes: o.afterBytes, ...extra };
    case 'slow':
      if (typeof o.bytesPerSecond !== 'number' || !(o.bytesPerSecond > 0) || !Number.isFinite(o.bytesPerSecond)) {
        throw new TypeError('fault.bytesPerSecond must be a positive number');
      }
      return { kind: 'slow', bytesPerSecond: o.bytesPerSecond, ...extra };
    case 'wrongLength':
      if (o.extraBytes !== undefined && (!Number.isInteger(o.extraBytes) || o.extraBytes === 0)) {
        throw new TypeError('fault.extraBytes must be a non-zero integer');
      }
      return o.extraBytes === undefined
        ? { kind: 'wrongLength', ...extra }
        : { kind: 'wrongLength', extraBytes: o.extraBytes as number, ...extra };
    case 'corrupt':
      return { kind: 'corrupt', ...extra };
    default:
      throw new TypeError(`unknown fault kind: ${String(o.kind)}`);
  }
}

/**
 * Whether a body-shaping fault can act on a body of `length` bytes (null: no body, e.g. HEAD/304).
 * A fault that could not act is not consumed, so `times` counts responses it really changed.
 */
export function bodyFaultApplies(fault: Fault, length: number | null): boolean {
  if (length === null) return false;
  switch (fault.kind) {
    case 'status':
      return false;
    case 'drop':
      return fault.afterBytes < length;
    case 'slow':
    case 'corrupt':
      return length > 0;
    case 'wrongLength':
      return true;
  }
}

export class FaultList {
  private entries: Entry[] = [];

  add(rule: FaultRule): void {
    const { match, times, ...fault } = parseFaultRule(rule);
    this.entries.push({ fault: fault as Fault, match, remaining: times ?? Infinity });
  }

  clear(): void {
    this.entries = [];
  }

  /** The active rules, with `times` showing what is left. */
  list(): FaultRule[] {
    return this.entries.map((e) => ({
      ...e.fault,
      ...(e.match === undefined ? {} : { match: e.match }),
      ...(e.remaining === Infinity ? {} : { times: e.remaining }),
    }));
  }

  /** First fault (in order added) matching `path` that `applies` accepts; consumes one of its `times`. */
  take(path: string, applies: (f: Fault) => boolean): Fault | undefined {
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (e.match !== undefined && !path.includes(e.match)) continue;
      if (!applies(e.fault)) continue;
      e.remaining -= 1;
      if (e.remaining <= 0) this.entries.splice(i, 1);
      return e.fault;
    }
    return undefined;
  }
}
