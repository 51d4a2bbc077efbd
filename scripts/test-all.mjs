#!/usr/bin/env node
// `npm test`: every suite in order (typecheck, unit, powershell, exthost, e2e), each through its own
// npm script, with its output streamed and its pass/fail counts collected; a summary table at the
// end; exit 1 when any suite fails. All suites run even after a failure, so one run shows everything
// (`--bail` stops at the first failure). `--only unit,e2e` runs a subset.
// With CI=true a missing PowerShell is a failure; elsewhere the powershell suite is skipped with a note.
import { spawn } from 'node:child_process';
import { readdirSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pwshPath } from './setup-pwsh.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');
const bail = process.argv.includes('--bail');
const onlyArg = process.argv.find((a, i, all) => all[i - 1] === '--only' || a.startsWith('--only='));
const only = onlyArg ? onlyArg.replace(/^--only=/, '').split(',') : null;

function hasTests(dir) {
  const abs = path.join(ROOT, dir);
  if (!existsSync(abs)) return false;
  const walk = (d) => readdirSync(d).some((f) => {
    const p = path.join(d, f);
    return statSync(p).isDirectory() ? walk(p) : f.endsWith('.test.ts');
  });
  return walk(abs);
}

const suites = [
  { name: 'typecheck', script: 'typecheck' },
  // Production dependencies alive (npm registry) and used (issue 7); CI has the registry.
  { name: 'deps', script: 'check:deps' },
  { name: 'unit', script: 'test:unit', dir: 'test/unit' },
  {
    name: 'powershell',
    script: 'test:ps',
    dir: 'test/powershell',
    precheck: () => {
      if (pwshPath()) return null;
      const msg = 'PowerShell not found (run `node scripts/setup-pwsh.mjs` or set GPUP_PWSH)';
      return CI ? { fail: msg } : { skip: msg };
    },
  },
  { name: 'exthost', script: 'test:exthost', dir: 'test/exthost/suite' },
  { name: 'e2e', script: 'test:e2e', dir: 'test/e2e' },
];

/** Runs `npm run <script>`, echoing output, and returns { code, out }. */
function runScript(script, env) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
}

// Sums mocha spec summaries ("N passing", "N failing", "N pending"); the exthost launcher prints the same lines.
function counts(out) {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const sum = (word) => [...plain.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
  return { passing: sum('passing'), failing: sum('failing'), pending: sum('pending'), tsErrors: (plain.match(/error TS\d+/g) ?? []).length };
}

const results = [];
const t0 = Date.now();
for (const s of suites) {
  if (only && !only.includes(s.name)) continue;
  const started = Date.now();
  console.log(`\n━━━ ${s.name} (npm run ${s.script}) ━━━`);
  let r;
  if (s.dir && !hasTests(s.dir)) {
    r = { status: CI && s.name !== 'powershell' ? 'FAIL' : 'skipped', note: `no tests in ${s.dir}` };
  } else {
    const pre = s.precheck?.();
    if (pre?.fail) r = { status: 'FAIL', note: pre.fail };
    else if (pre?.skip) r = { status: 'skipped', note: pre.skip };
    else {
      const { code, out } = await runScript(s.script, {});
      const c = counts(out);
      const failed = code !== 0 || c.failing > 0;
      const note = s.name === 'typecheck' ? (c.tsErrors ? `${c.tsErrors} type errors` : 'no type errors') : s.name === 'deps' ? (code === 0 ? 'none deprecated, none unused' : 'see above') : `${c.passing} passing, ${c.failing} failing${c.pending ? `, ${c.pending} pending` : ''}`;
      r = { status: failed ? 'FAIL' : 'ok', note: failed && code !== 0 && c.failing === 0 && s.name !== 'typecheck' && s.name !== 'deps' ? `${note} (exit code ${code})` : note };
    }
  }
  r.name = s.name;
  r.seconds = Math.round((Date.now() - started) / 1000);
  results.push(r);
  if (r.status !== 'ok') console.log(`\n${s.name}: ${r.status}: ${r.note}`);
  if (bail && r.status === 'FAIL') break;
}

console.log('\n━━━ summary ━━━');
for (const r of results) console.log(`  ${r.status.padEnd(8)} ${r.name.padEnd(11)} ${r.note.padEnd(44)} ${r.seconds}s`);
const failed = results.filter((r) => r.status === 'FAIL');
console.log(`  total ${Math.round((Date.now() - t0) / 1000)}s; ${failed.length ? `FAILED: ${failed.map((r) => r.name).join(', ')}` : 'all suites passed'}`);
process.exit(failed.length ? 1 : 0);
