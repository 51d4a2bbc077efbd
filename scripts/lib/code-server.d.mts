// Types for scripts/lib/code-server.mjs (used from the TypeScript e2e harness).
import type { ChildProcess } from 'node:child_process';
import type { VscodePaths } from '../setup-vscode.mjs';

export const ROOT: string;
export const VSIX: string;
export const QUIET_SETTINGS: Record<string, unknown>;
export const DEMO_CLUSTERS: { name: string; kind: string; scenario?: string }[];
export function demoSettings(extra?: Record<string, unknown>): Record<string, unknown>;
export function freePort(): Promise<number>;
export interface RunDirs {
  runDir: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  config: string;
  log: string;
}
export function prepareRunDir(runDir: string, opts?: { settings?: Record<string, unknown>; fresh?: boolean }): RunDirs;
export function installVsix(vs: VscodePaths, dirs: RunDirs, vsix?: string): string;
export interface CodeServer {
  url: string;
  port: number;
  proc: ChildProcess;
  stop(): Promise<void>;
  exited: Promise<number | string>;
}
export function startCodeServer(
  vs: VscodePaths,
  dirs: RunDirs,
  opts?: { port?: number; smokeTestDriver?: boolean; echo?: boolean; extraArgs?: string[]; env?: Record<string, string>; timeoutMs?: number; workspaceTrust?: boolean },
): Promise<CodeServer>;
