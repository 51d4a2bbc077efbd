/**
 * Prerequisite-check report page <-> extension (issue 8). Shared by both sides (no vscode, no zod):
 * the extension runs src/model/checks.ts, localises every text and posts the report; the page only
 * renders it and asks for copy / export / run again.
 */
import { IpcCommand, IpcNotification } from '../ipc';

export const scope = 'checks';
export const viewType = 'gpuPartitions.checks';

export type Status = 'pass' | 'warn' | 'fail';

/** One result row, already localised. */
export interface CheckRow {
  status: Status;
  /** "AZL-N01/render-01", "azl-demo". */
  scope: string;
  evidence: string;
  /** What to do when no command fixes it, or what to know before running the fix. */
  hint?: string;
  /** The exact PowerShell that fixes it (one command per line). */
  fix?: string;
}

/** All results of one check (one prerequisite), worst status first. */
export interface CheckGroup {
  id: string;
  title: string;
  /** Worst status of the rows. */
  status: Status;
  /** Domain doc section and sources the check rests on. */
  source: string;
  rows: CheckRow[];
}

export interface ChecksState {
  /** The connection and server checked (the page keeps them to be restored after a reload). */
  connection: string;
  server?: string;
  /** "azl-demo", or "azl-demo / AZL-N01" for a server. */
  subject: string;
  /** Localised "Read at …". */
  readAt?: string;
  summary: { pass: number; warn: number; fail: number };
  /** Localised "1 failed, 2 warnings, 17 passed." */
  summaryText: string;
  groups: CheckGroup[];
  /** Set while the inventory is read again. */
  running: boolean;
  /** Set when the inventory could not be read. */
  error?: string;
  strings: Record<ChecksString, string>;
}

export type ChecksString =
  | 'title'
  | 'runAgain'
  | 'export'
  | 'copy'
  | 'copied'
  | 'fix'
  | 'source'
  | 'pass'
  | 'warn'
  | 'fail'
  | 'running'
  | 'expandAll'
  | 'collapseAll';

/** What the page keeps to restore after a reload. */
export interface ChecksPersisted {
  connection?: string;
  server?: string;
}

export const ready = new IpcCommand<Record<string, never>>(scope, 'ready');
/** Copies a fix command (the text shown on the page). */
export const copyFix = new IpcCommand<{ text: string }>(scope, 'copyFix');
export const exportMarkdown = new IpcCommand<Record<string, never>>(scope, 'exportMarkdown');
export const runAgain = new IpcCommand<Record<string, never>>(scope, 'runAgain');

export const stateChanged = new IpcNotification<ChecksState>(scope, 'state');
