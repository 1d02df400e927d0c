import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ROOT } from './processes.js';

const HEADER = '# Benchmark results\n\nWritten by `npm run bench` (tests/bench/run.ts), newest first.\n\n';

/** Puts a run's report at the top of bench/RESULTS.md, so the newest run is read first and regressions show. */
export function recordResults(report: string) {
  mkdirSync(`${ROOT}bench`, { recursive: true });
  const file = `${ROOT}bench/RESULTS.md`;
  const previous = existsSync(file) ? readFileSync(file, 'utf8').replace(HEADER, '') : '';
  writeFileSync(file, HEADER + report + '\n' + previous);
}
