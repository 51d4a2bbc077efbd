#!/usr/bin/env node
// The extension-host test runner: one suite (test/exthost/suite), one runner (@vscode/test-electron's
// runTests), two hosts:
//   default                     code-server in Chromium, through vscodeExecutablePath = code-server-launcher.sh
//   GPUP_VSCODE_HOST=desktop    VS Code desktop downloaded by @vscode/test-electron (where that is reachable;
//                               GPUP_VSCODE_VERSION picks the version, default 'stable')
// Steps: build the extension (esbuild), bundle the suite into out/exthost, write fresh user settings
// with the demo connection, run, print pass/fail counts, exit non-zero when a test fails.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { runTests } from '@vscode/test-electron';
import { ROOT, prepareRunDir, demoSettings } from '../../scripts/lib/code-server.mjs';
import { ensureVscode } from '../../scripts/setup-vscode.mjs';
import { printResults } from './results.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(ROOT, 'out', 'exthost');
const desktop = process.env.GPUP_VSCODE_HOST === 'desktop';

const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
if (b.status !== 0) process.exit(b.status ?? 1);

rmSync(outDir, { recursive: true, force: true });
const suiteDir = path.join(here, 'suite');
const entries = ['index.ts', ...readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts'))].map((f) => path.join(suiteDir, f));
await esbuild.build({
  entryPoints: entries,
  outdir: outDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  // vscode is provided by the host; mocha is loaded from this repo's node_modules at run time.
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});

const runDir = path.join(ROOT, '.cache', 'exthost-run');
const dirs = prepareRunDir(runDir, { settings: demoSettings() });
const resultsFile = path.join(runDir, 'results.json');
const extensionTestsEnv = { GPUP_EXTHOST_RESULTS: resultsFile };

const options = {
  extensionDevelopmentPath: ROOT,
  extensionTestsPath: path.join(outDir, 'index.js'),
  extensionTestsEnv,
  launchArgs: [dirs.workspace, `--user-data-dir=${dirs.userDataDir}`, `--extensions-dir=${dirs.extensionsDir}`],
};
if (desktop) {
  options.version = process.env.GPUP_VSCODE_VERSION || 'stable';
} else {
  ensureVscode(); // install before the launcher runs, so its own time is test time only
  options.vscodeExecutablePath = path.join(here, 'code-server-launcher.sh');
}

let code = 0;
try {
  await runTests(options);
} catch (e) {
  code = typeof e?.code === 'number' && e.code !== 0 ? e.code : 1;
  if (!e?.code) console.error(`runTests: ${e?.message ?? e}`);
}
// The launcher prints the results itself; desktop VS Code does not.
if (desktop && !printResults(resultsFile, 'VS Code desktop')) code ||= 1;
process.exit(code);
