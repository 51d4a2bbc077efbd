#!/usr/bin/env node
// `npm run check:deps` (issue 7, "Production dependencies are few and alive"): for every production
// dependency in package.json,
//   - alive: the registry says the installed version is not deprecated (`npm view NAME@VERSION
//     deprecated version --json`; a registry that does not answer is a failure, never a pass);
//   - used: something under src/ imports it (`from 'NAME'`, `'NAME/sub'`, `require('NAME')`, CSS
//     `@import 'NAME/...'`), since esbuild bundles only what is imported and an unused dependency is
//     noise in the audit.
// It needs the npm registry (CI has it). `npm audit` is not used: the registry here refuses it.
// Exit 0 when every dependency passes, 1 otherwise. Exports checkDeps() for the unit test.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `npm view SPEC deprecated version --json` -> { deprecated?: string, version?: string } or { error }. */
export function npmView(spec) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['view', spec, 'deprecated', 'version', '--json'], { encoding: 'utf8', timeout: 60_000, shell: process.platform === 'win32' });
  if (r.status !== 0) return { error: (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').slice(-3).join(' ') };
  const text = r.stdout.trim();
  if (!text) return { error: 'the registry returned nothing' };
  try {
    const v = JSON.parse(text);
    // One field asked: a string; several: an object; several versions matched: an array (take the last).
    const one = Array.isArray(v) ? v[v.length - 1] : v;
    return typeof one === 'string' ? { version: one } : { deprecated: one?.deprecated, version: one?.version };
  } catch {
    return { error: `unreadable answer: ${text.slice(0, 120)}` };
  }
}

function sourceFiles(dir) {
  const out = [];
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx|js|mjs|cjs|css)$/.test(f)) out.push(p);
  }
  return out;
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Files under srcDir that import `name` (or a subpath of it). */
export function importersOf(name, files) {
  const re = new RegExp(`['"]${escapeRe(name)}(/[^'"]*)?['"]`);
  return files.filter((f) => re.test(readFileSync(f, 'utf8')));
}

/**
 * Checks every production dependency. `view` is injectable (tests); `installedVersion` reads
 * node_modules so the version that ships is the one asked about.
 */
export function checkDeps({ root = ROOT, view = npmView } = {}) {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const deps = Object.keys(pkg.dependencies ?? {});
  const files = sourceFiles(path.join(root, 'src'));
  const results = [];
  for (const name of deps) {
    let version;
    try {
      version = JSON.parse(readFileSync(path.join(root, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')).version;
    } catch {
      version = undefined;
    }
    const problems = [];
    if (!version) problems.push('not installed (run npm ci)');
    const answer = view(`${name}@${version ?? pkg.dependencies[name]}`);
    if (answer.error) problems.push(`registry: ${answer.error}`);
    else if (!answer.version) problems.push('registry: no such version');
    else if (answer.deprecated) problems.push(`DEPRECATED: ${answer.deprecated}`);
    const users = importersOf(name, files).map((f) => path.relative(root, f));
    if (users.length === 0) problems.push('UNUSED: nothing under src/ imports it');
    results.push({ name, version, users, problems });
  }
  return { ok: results.every((r) => r.problems.length === 0), results };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { ok, results } = checkDeps();
  for (const r of results) {
    const where = r.users.length ? `used by ${r.users.length} file(s), e.g. ${r.users[0]}` : 'unused';
    console.log(`${r.problems.length ? 'FAIL' : 'ok  '} ${r.name}@${r.version ?? '?'}: ${r.problems.length ? r.problems.join('; ') : `not deprecated, ${where}`}`);
  }
  console.log(ok ? `${results.length} production dependencies: none deprecated, none unused.` : 'check:deps FAILED');
  process.exit(ok ? 0 : 1);
}
