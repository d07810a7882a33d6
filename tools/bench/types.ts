/** Progress and details for people; the bench's last stdout line stays the figures' JSON. */
export type Log = (line: string) => void;

/** One benchmark module: `export default { name, run } satisfies Benchmark`. */
export interface Benchmark {
  /** Short id, used to pick benchmarks on the command line (`npm run bench -- <name>`). */
  name: string;
  /** Measures and returns figures by name. Figure names are global: prefix them to stay unique. */
  run(log: Log): Promise<Record<string, number>>;
}
