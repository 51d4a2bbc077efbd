import * as vscode from 'vscode';
import { type Connection, type ParsedConnections, parseConnections } from './connectionConfig';
import { readTrustedSetting } from './trust';

/** Setting keys (names.md "Connection settings"). */
export const SECTION = 'gpuPartitions';
export const CLUSTERS_KEY = 'clusters';
export const CLUSTERS_SETTING = `${SECTION}.${CLUSTERS_KEY}`;
export const POWERSHELL_PATH_SETTING = `${SECTION}.powershell.path`;
export const POWERSHELL_TIMEOUT_SETTING = `${SECTION}.powershell.timeoutSeconds`;
export const CONFIRM_POWER_CYCLE_SETTING = `${SECTION}.confirmBeforePowerCycle`;

/**
 * Reads the configured connections. The setting has `application` scope, so only the user's
 * global value counts; `inspect` is used so that a value some workspace file carries anyway is
 * never read (a workspace must not choose where administrator credentials go).
 */
export function readConnections(): ParsedConnections {
  return parseConnections(readTrustedSetting<unknown>(CLUSTERS_KEY, []));
}

/** The raw global array, kept as-is so that entries this version cannot parse are not lost on write. */
function rawGlobalEntries(): unknown[] {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>(CLUSTERS_KEY);
  const value = inspected?.globalValue;
  return Array.isArray(value) ? [...value] : [];
}

export async function addConnection(connection: Connection): Promise<void> {
  const entries = rawGlobalEntries();
  entries.push({ ...connection });
  await vscode.workspace.getConfiguration(SECTION).update(CLUSTERS_KEY, entries, vscode.ConfigurationTarget.Global);
}

/** Removes every entry with that name (case-insensitive, as names are unique that way). */
export async function removeConnection(name: string): Promise<boolean> {
  const entries = rawGlobalEntries();
  const kept = entries.filter((e) => !(e && typeof e === 'object' && typeof (e as { name?: unknown }).name === 'string'
    && (e as { name: string }).name.trim().toLowerCase() === name.trim().toLowerCase()));
  if (kept.length === entries.length) return false;
  await vscode.workspace.getConfiguration(SECTION).update(CLUSTERS_KEY, kept, vscode.ConfigurationTarget.Global);
  return true;
}

export interface PowerShellSettings {
  /** Empty: `pwsh`, then `powershell.exe` on Windows. */
  path: string;
  timeoutSeconds: number;
}

export function readPowerShellSettings(): PowerShellSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  // `machine` scope, restricted setting: the user/machine value only, never a workspace's (issue 7).
  const path = readTrustedSetting<string>('powershell.path', '');
  const timeout = config.get<number>('powershell.timeoutSeconds', 300);
  return { path: typeof path === 'string' ? path.trim() : '', timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : 300 };
}

export function confirmBeforePowerCycle(): boolean {
  // A workspace must not switch the confirmation off (restricted setting, issue 7): user value only.
  return readTrustedSetting<boolean>('confirmBeforePowerCycle', true) !== false;
}
