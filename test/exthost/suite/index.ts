// Entry point that VS Code's extension host loads through `--extensionTestsPath` (the contract of
// @vscode/test-electron): it exports run(), which runs mocha over the bundled *.test.js files next
// to it. Console output of the extension host does not reach the terminal when the host is
// code-server, so the results also go to a JSON file named by GPUP_EXTHOST_RESULTS (passed through
// extensionEnvironment / extensionTestsEnv); the launcher and runTests.mjs print it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface ExthostResults {
  passes: number;
  failures: number;
  pending: number;
  durationMs: number;
  tests: { title: string; state: 'passed' | 'failed' | 'pending'; durationMs?: number; error?: string }[];
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.GPUP_EXTHOST_GREP;
  if (grep) mocha.grep(grep);
  const dir = __dirname;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(dir, f));
  }
  const results: ExthostResults = { passes: 0, failures: 0, pending: 0, durationMs: 0, tests: [] };
  const started = Date.now();
  const out = process.env.GPUP_EXTHOST_RESULTS;
  const write = () => {
    results.durationMs = Date.now() - started;
    if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
  };
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        write();
        if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
        else resolve();
      });
      runner.on('pass', (t) => {
        results.passes++;
        results.tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration });
      });
      runner.on('fail', (t, err: Error) => {
        results.failures++;
        results.tests.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack ?? err) });
      });
      runner.on('pending', (t) => {
        results.pending++;
        results.tests.push({ title: t.fullTitle(), state: 'pending' });
      });
    } catch (e) {
      results.failures++;
      results.tests.push({ title: 'loading the suite', state: 'failed', error: String((e as Error).stack ?? e) });
      write();
      reject(e);
    }
  });
}
