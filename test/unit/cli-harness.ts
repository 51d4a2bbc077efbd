/**
 * Runs the built `gpup` (dist/cli.js) as a child process. The bundle is rebuilt once per test run
 * from src/cli/main.ts with the options of esbuild.mjs, so the tests never run a stale dist.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Mutating `gpup` commands append to an audit log ($GPUP_AUDIT_LOG, else ~/.gpup/audit.jsonl): every
 * test run (in-process and the child processes, which inherit the environment) writes to a temp
 * file instead, never into the home directory.
 */
if (!process.env.GPUP_AUDIT_LOG) process.env.GPUP_AUDIT_LOG = path.join(mkdtempSync(path.join(tmpdir(), 'gpup-audit-')), 'audit.jsonl');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

let built: Promise<void> | undefined;

/** Bundles src/cli/main.ts to dist/cli.js exactly as esbuild.mjs does for the CLI entry. */
export function buildCli(): Promise<void> {
  built ??= (async () => {
    const esbuild = await import('esbuild');
    await esbuild.build({
      absWorkingDir: ROOT,
      bundle: true,
      sourcemap: true,
      logLevel: 'warning',
      legalComments: 'none',
      entryPoints: { cli: 'src/cli/main.ts' },
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outdir: 'dist',
      banner: { js: '#!/usr/bin/env node' },
    });
  })();
  return built;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function gpup(...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30000 });
  if (r.error) {
    throw r.error;
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temp directory per test, removed afterwards. */
export function tempDir(): { dir: string; file: (name: string) => string; dispose: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'gpup-test-'));
  return { dir, file: (name) => path.join(dir, name), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Fails with the CLI's output when the exit code is not the expected one. */
export function expectCode(run: CliRun, code: number): CliRun {
  if (run.code !== code) {
    throw new Error(`expected exit ${code}, got ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
  }
  return run;
}
