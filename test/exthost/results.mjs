// Prints the JSON results the extension-host suite writes (test/exthost/suite/index.ts) in mocha's
// spec style, ending with the "N passing / N failing / N pending" lines scripts/test-all.mjs counts.
import { existsSync, readFileSync } from 'node:fs';

/** @returns true when a results file was found and printed */
export function printResults(file, hostName) {
  if (!existsSync(file)) {
    console.log(`\n  extension-host suite wrote no results (${file}): it did not run`);
    return false;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  console.log(`\n  extension-host tests in ${hostName}`);
  for (const t of r.tests) {
    const mark = t.state === 'passed' ? '✔' : t.state === 'failed' ? '✗' : '-';
    console.log(`    ${mark} ${t.title}${t.durationMs ? ` (${t.durationMs}ms)` : ''}`);
  }
  for (const t of r.tests.filter((t) => t.state === 'failed')) {
    console.log(`\n  FAILED: ${t.title}\n    ${String(t.error).split('\n').slice(0, 8).join('\n    ')}`);
  }
  console.log(`\n  ${r.passes} passing (${(r.durationMs / 1000).toFixed(1)}s)`);
  if (r.pending) console.log(`  ${r.pending} pending`);
  if (r.failures) console.log(`  ${r.failures} failing`);
  return true;
}
