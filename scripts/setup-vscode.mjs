#!/usr/bin/env node
// Installs what a browser VS Code needs into the git-ignored .cache folder, once:
//   .cache/node24        Node 24 from the npm package node-<platform>-<arch> (code-server 4.139.1 requires Node 24)
//   .cache/code-server   code-server 4.139.1 (= VS Code 1.139.1), built against .cache/node24's headers
//   Chromium             Debian's /usr/bin/chromium (apt-get when missing and root), never a browser download
// A stamp file per ingredient makes a second run a no-op. Recipe: /work/shared/docs/e2e.md.
// Usage: node scripts/setup-vscode.mjs [--json]   (prints the paths)
// Import: `import { ensureVscode } from './setup-vscode.mjs'` -> { node, nodeDir, codeServerEntry, chromium, tmpDir }
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = path.join(ROOT, '.cache');
export const NODE24_VERSION = process.env.GPUP_NODE24_VERSION || '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
const NODE_DIR = path.join(CACHE, 'node24');
const CS_DIR = path.join(CACHE, 'code-server');
const APT_PACKAGES = ['build-essential', 'pkg-config', 'python3', 'libkrb5-dev'];

function log(msg) {
  process.stderr.write(`[setup-vscode] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status ?? r.signal}`);
  }
}

function readStamp(file) {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Node 24: the running node when it already is 24.x, else the npm package node-<platform>-<arch>. */
function ensureNode24() {
  if (process.versions.node.split('.')[0] === '24') {
    return { node: process.execPath, nodeDir: path.resolve(path.dirname(process.execPath), '..') };
  }
  const node = path.join(NODE_DIR, 'bin', 'node');
  const stamp = path.join(NODE_DIR, '.stamp');
  if (existsSync(node) && readStamp(stamp) === NODE24_VERSION) {
    return { node, nodeDir: NODE_DIR };
  }
  const pkg = `node-${process.platform}-${process.arch}@${NODE24_VERSION}`;
  log(`installing Node ${NODE24_VERSION} from npm package ${pkg} into ${path.relative(ROOT, NODE_DIR)}`);
  rmSync(NODE_DIR, { recursive: true, force: true });
  mkdirSync(NODE_DIR, { recursive: true });
  const out = execFileSync('npm', ['pack', pkg, '--silent', '--pack-destination', NODE_DIR], { encoding: 'utf8' }).trim();
  const tgz = path.join(NODE_DIR, out.split('\n').pop());
  run('tar', ['-xzf', tgz, '-C', NODE_DIR, '--strip-components=1']);
  rmSync(tgz, { force: true });
  const v = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  if (v !== `v${NODE24_VERSION}`) throw new Error(`unexpected node version ${v} in ${NODE_DIR}`);
  writeFileSync(stamp, NODE24_VERSION + '\n');
  return { node, nodeDir: NODE_DIR };
}

function dpkgInstalled(pkg) {
  return spawnSync('dpkg', ['-s', pkg], { stdio: 'ignore' }).status === 0;
}

/** apt-get install when a Debian package is missing; tells what to do when we cannot (not root / not Debian). */
function ensureApt(pkgs) {
  if (!existsSync('/usr/bin/dpkg')) return; // not Debian: the user provides compilers/browser
  const missing = pkgs.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')} (run: sudo apt-get install -y ${missing.join(' ')})`);
  }
  log(`apt-get install -y ${missing.join(' ')}`);
  run('apt-get', ['update', '-q']);
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function ensureCodeServer({ node, nodeDir }) {
  const entry = path.join(CS_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const stamp = path.join(CS_DIR, '.stamp');
  const want = `${CODE_SERVER_VERSION} node${NODE24_VERSION}`;
  if (existsSync(entry) && readStamp(stamp) === want) return entry;
  ensureApt(APT_PACKAGES);
  log(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(ROOT, CS_DIR)} (about 75 s)`);
  const t0 = Date.now();
  rmSync(CS_DIR, { recursive: true, force: true });
  mkdirSync(CS_DIR, { recursive: true });
  writeFileSync(path.join(CS_DIR, 'package.json'), JSON.stringify({ name: 'gpup-code-server-cache', private: true }, null, 2));
  // code-server's postinstall insists on Node 24, and node-gyp must find headers locally (offline):
  // node24/bin first on PATH and npm_config_nodedir (e2e.md "Ingredients").
  const env = {
    ...process.env,
    PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`,
    npm_config_nodedir: nodeDir,
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
  run('npm', ['install', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], { cwd: CS_DIR, env });
  if (!existsSync(entry)) throw new Error(`code-server entry missing after install: ${entry}`);
  writeFileSync(stamp, want + '\n');
  log(`code-server installed in ${Math.round((Date.now() - t0) / 1000)} s`);
  return entry;
}

/** Debian's Chromium; GPUP_CHROMIUM overrides (e.g. another Chromium/Chrome on a developer machine). */
export function ensureChromium() {
  if (process.env.GPUP_CHROMIUM) return process.env.GPUP_CHROMIUM;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  ensureApt(['chromium']);
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new Error('Chromium not found: install it (Debian: apt-get install chromium) or set GPUP_CHROMIUM');
}

/** Paths without installing anything (null when not there yet). */
export function vscodePaths() {
  const node = process.versions.node.startsWith('24.') ? process.execPath : path.join(NODE_DIR, 'bin', 'node');
  const codeServerEntry = path.join(CS_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  return { node, codeServerEntry, tmpDir: path.join(CACHE, 'tmp') };
}

export function ensureVscode({ browser = true } = {}) {
  const n = ensureNode24();
  const codeServerEntry = ensureCodeServer(n);
  const chromium = browser ? ensureChromium() : null;
  const tmpDir = path.join(CACHE, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  return { node: n.node, nodeDir: n.nodeDir, codeServerEntry, chromium, tmpDir };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const r = ensureVscode();
    if (process.argv.includes('--json')) console.log(JSON.stringify(r, null, 2));
    else for (const [k, v] of Object.entries(r)) console.log(`${k}: ${v}`);
  } catch (e) {
    console.error(`[setup-vscode] ${e.message}`);
    process.exit(1);
  }
}
