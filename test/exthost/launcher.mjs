#!/usr/bin/env node
// Stand-in for the VS Code executable that @vscode/test-electron's runTests() spawns
// (`vscodeExecutablePath`). runTests calls it with the usual desktop arguments:
//   [launchArgs...] --no-sandbox ... --extensionTestsPath=<index.js> --extensionDevelopmentPath=<dir>
//   --extensions-dir=<dir> --user-data-dir=<dir>
// It serves the same workbench from code-server 4.139.1 (VS Code 1.139.1) with the smoke-test driver
// enabled, opens the URL payload (extensionDevelopmentPath / extensionTestsPath / extensionEnvironment)
// in Chromium via playwright-core, waits for the workbench to call window.codeAutomationExit(code)
// when the suite's run() settles, prints the suite's results and exits with that code.
// Recipe: /work/shared/docs/e2e.md "Extension-host tests".
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ensureVscode } from '../../scripts/setup-vscode.mjs';
import { ROOT, startCodeServer, freePort } from '../../scripts/lib/code-server.mjs';
import { printResults } from './results.mjs';

const opts = { positional: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (!a.startsWith('--')) {
    opts.positional.push(a);
    continue;
  }
  const eq = a.indexOf('=');
  const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
  const takesValue = ['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir'].includes(key);
  const value = eq > 0 ? a.slice(eq + 1) : takesValue ? argv[++i] : true;
  if (key === 'extensionDevelopmentPath') (opts.dev ??= []).push(path.resolve(value));
  else opts[key] = value;
}
if (!opts.dev || !opts.extensionTestsPath) {
  console.error('launcher: --extensionDevelopmentPath and --extensionTestsPath are required');
  process.exit(2);
}

const userDataDir = path.resolve(opts['user-data-dir'] ?? path.join(ROOT, '.cache', 'exthost-run', 'ud'));
const runDir = path.dirname(userDataDir);
const dirs = {
  runDir,
  userDataDir,
  extensionsDir: path.resolve(opts['extensions-dir'] ?? path.join(runDir, 'exts')),
  workspace: path.resolve(opts.positional[0] ?? path.join(runDir, 'workspace')),
  config: path.join(runDir, 'config.yaml'),
  log: path.join(runDir, 'server.log'),
};
for (const d of [dirs.userDataDir, dirs.extensionsDir, dirs.workspace]) mkdirSync(d, { recursive: true });
if (!existsSync(dirs.config)) writeFileSync(dirs.config, 'auth: none\ncert: false\n');
const consoleLog = path.join(runDir, 'browser-console.log');
rmSync(consoleLog, { force: true });

const timeoutMs = Number(process.env.GPUP_EXTHOST_TIMEOUT_MS ?? 300_000);
const vs = ensureVscode();
let server;
let context;
let exitCode = 1;
let finished = false;

async function cleanup() {
  await context?.close().catch(() => {});
  await server?.stop().catch(() => {});
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    console.error(`launcher: ${sig}, stopping`);
    await cleanup();
    process.exit(130);
  });
}

try {
  const port = await freePort();
  server = await startCodeServer(vs, dirs, { port, smokeTestDriver: true });
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  // Environment the tests see (GPUP_*: results file, grep, ...), passed like desktop's extensionTestsEnv.
  const extEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('GPUP_')));
  const payload = [
    ...opts.dev.map((d) => ['extensionDevelopmentPath', remote(d)]),
    ['extensionTestsPath', remote(path.resolve(opts.extensionTestsPath))],
    ['extensionEnvironment', JSON.stringify(extEnv)],
  ];
  const url = `${server.url}?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const profile = path.join(runDir, 'chromium-profile');
  rmSync(profile, { recursive: true, force: true });
  context = await chromium.launchPersistentContext(profile, {
    executablePath: vs.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => appendFileSync(consoleLog, `[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => appendFileSync(consoleLog, `[pageerror] ${e.stack ?? e}\n`));
  const done = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code))));
  const t0 = Date.now();
  await page.goto(url);
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => {
      console.error(`launcher: the suite did not finish within ${timeoutMs} ms (browser console: ${consoleLog})`);
      resolve(1);
    }, timeoutMs);
  });
  exitCode = await Promise.race([done, timeout]);
  clearTimeout(timer);
  finished = true;
  console.error(`launcher: workbench reported exit code ${exitCode} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
} catch (e) {
  console.error(`launcher: ${e.stack ?? e}\nserver log: ${dirs.log}`);
  exitCode = 1;
}
await cleanup();

const resultsFile = process.env.GPUP_EXTHOST_RESULTS;
if (resultsFile) {
  const ok = printResults(resultsFile, 'extension host (code-server)');
  if (!ok && exitCode === 0) exitCode = 1; // no results file: nothing ran, which is a failure
}
if (!finished) exitCode ||= 1;
process.exit(exitCode);
