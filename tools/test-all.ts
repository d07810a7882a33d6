// The one test command: typecheck, lint, unit tests and end-to-end tests, then one summary line
// `N passed, N failed` counting every test (typecheck and lint count as one each).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

interface Tally {
  passed: number;
  failed: number;
}

const tally: Tally = { passed: 0, failed: 0 };
mkdirSync('test-results', { recursive: true });

function run(label: string, command: string, args: string[]): boolean {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  return result.status === 0;
}

function check(label: string, command: string, args: string[]): void {
  const ok = run(label, command, args);
  tally[ok ? 'passed' : 'failed'] += 1;
}

function vitest(label: string, config: string, report: string): void {
  const ok = run(label, 'npx', ['vitest', 'run', '--config', config, '--reporter=default', `--reporter=json`, `--outputFile.json=${report}`]);
  try {
    const json = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTestSuites: number; success: boolean };
    tally.passed += json.numPassedTests;
    tally.failed += json.numFailedTests;
    // A suite that failed to load reports no failed tests; count it so it cannot pass silently.
    if (!json.success && json.numFailedTests === 0) tally.failed += 1;
  } catch {
    tally.failed += ok ? 0 : 1;
  }
}

check('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
check('lint', 'npx', ['eslint', '.']);
vitest('unit tests', 'vitest.config.ts', 'test-results/unit.json');
if (!process.argv.includes('--unit-only')) vitest('end-to-end tests', 'vitest.e2e.config.ts', 'test-results/e2e.json');

console.log(`\n${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed > 0 ? 1 : 0);
