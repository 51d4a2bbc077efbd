#!/usr/bin/env node
// Installs PowerShell 7.6.9 as a .NET tool into .cache/pwsh when missing, and prints the pwsh path.
// GPUP_PWSH (a path to any pwsh) wins over the cache; nothing is installed then.
// Import: `import { pwshPath, ensurePwsh } from './setup-pwsh.mjs'`.
//   pwshPath() -> string | null   (no install; for tests that skip or fail without PowerShell)
//   ensurePwsh() -> string        (installs with `dotnet tool install` when missing)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PWSH_VERSION = '7.6.9';
const TOOL_DIR = path.join(ROOT, '.cache', 'pwsh');
const EXE = process.platform === 'win32' ? 'pwsh.exe' : 'pwsh';

function versionOf(exe) {
  const r = spawnSync(exe, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return r.status === 0 ? r.stdout.trim() : null;
}

export function pwshPath() {
  if (process.env.GPUP_PWSH) return process.env.GPUP_PWSH;
  const p = path.join(TOOL_DIR, EXE);
  return existsSync(p) ? p : null;
}

export function ensurePwsh() {
  if (process.env.GPUP_PWSH) {
    if (!existsSync(process.env.GPUP_PWSH)) throw new Error(`GPUP_PWSH=${process.env.GPUP_PWSH} does not exist`);
    return process.env.GPUP_PWSH;
  }
  const p = path.join(TOOL_DIR, EXE);
  if (existsSync(p) && versionOf(p) === PWSH_VERSION) return p;
  mkdirSync(TOOL_DIR, { recursive: true });
  const args = existsSync(p)
    ? ['tool', 'update', 'PowerShell', '--version', PWSH_VERSION, '--tool-path', TOOL_DIR]
    : ['tool', 'install', 'PowerShell', '--version', PWSH_VERSION, '--tool-path', TOOL_DIR];
  process.stderr.write(`[setup-pwsh] dotnet ${args.join(' ')}\n`);
  try {
    execFileSync('dotnet', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' } });
  } catch (e) {
    throw new Error(`dotnet tool install failed (is the .NET SDK 8+ installed?): ${e.message}`);
  }
  const v = versionOf(p);
  if (v !== PWSH_VERSION) throw new Error(`pwsh at ${p} reports version ${v}, wanted ${PWSH_VERSION}`);
  return p;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensurePwsh());
  } catch (e) {
    console.error(`[setup-pwsh] ${e.message}`);
    process.exit(1);
  }
}
