#!/usr/bin/env node
// `npm start`: build + package the .vsix, install Node 24 / code-server / Chromium check into .cache
// when missing, start a fresh code-server on 127.0.0.1 with the extension installed and the demo
// cluster configured, print the URL. Ctrl-C (SIGINT) or SIGTERM stops everything it started.
// Options: --port N (or PORT=N; default 8080), --no-package (reuse dist/*.vsix as is).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureVscode } from './setup-vscode.mjs';
import { ROOT, VSIX, installVsix, prepareRunDir, startCodeServer, demoSettings } from './lib/code-server.mjs';

function argValue(name) {
  const i = process.argv.indexOf(name);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(name + '='));
  return eq ? eq.slice(name.length + 1) : undefined;
}

const port = Number(argValue('--port') ?? process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`invalid port: ${argValue('--port') ?? process.env.PORT}`);
  process.exit(2);
}

const t0 = Date.now();
const step = (m) => console.error(`[start] ${m} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

if (!process.argv.includes('--no-package')) {
  step('building and packaging the extension');
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

step('checking Node 24 and code-server in .cache');
const vs = ensureVscode({ browser: false });

const dirs = prepareRunDir(path.join(ROOT, '.cache', `run-${port}`), { settings: demoSettings() });
step(`installing ${path.relative(ROOT, VSIX)}`);
installVsix(vs, dirs);

step(`starting code-server on 127.0.0.1:${port}`);
let server;
try {
  server = await startCodeServer(vs, dirs, { port, echo: process.argv.includes('--verbose') });
} catch (e) {
  console.error(`[start] ${e.message}; log: ${dirs.log}`);
  process.exit(1);
}

let stopping = false;
async function shutdown(sig) {
  if (stopping) return;
  stopping = true;
  console.error(`\n[start] ${sig}: stopping code-server`);
  await server.stop();
  process.exit(0);
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
server.exited.then((code) => {
  if (!stopping) {
    console.error(`[start] code-server exited (${code}); log: ${dirs.log}`);
    process.exit(1);
  }
});

const url = `${server.url}?folder=${encodeURIComponent(dirs.workspace)}`;
step('ready');
console.log(`\nVS Code with Azure Local GPU Partitions: ${url}`);
console.log('Open the "GPU Partitions" view in the activity bar; the "demo" connection shows the simulated cluster azl-demo.');
console.log(`Server log: ${dirs.log}   Stop: Ctrl-C\n`);
