/**
 * Workspace trust, the pure half (issue 7, "Workspace trust and settings"); src/connections/trust.ts
 * binds it to `vscode`. Opening a folder must never be enough to run someone else's code with the
 * user's administrator credentials, so in an untrusted workspace no backend of a real connection is
 * ever built: nothing starts PowerShell. The simulator runs in process and stays available.
 * No `vscode` import, so the gate is unit-tested without an extension host.
 */
import type { Backend } from '../model/backend';
import type { Connection } from './connectionConfig';

/** The settings that decide what runs or where (package.json restrictedConfigurations). */
export const RESTRICTED_SETTINGS = ['gpuPartitions.powershell.path', 'gpuPartitions.clusters', 'gpuPartitions.confirmBeforePowerCycle'] as const;

/** The command the "Trust this workspace to connect" node runs (VS Code's Manage Workspace Trust). */
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

export class UntrustedWorkspaceError extends Error {
  constructor(readonly connection: string) {
    super(`Connection "${connection}" is not read in an untrusted workspace: trust this workspace to connect (the simulator still works).`);
    this.name = 'UntrustedWorkspaceError';
  }
}

/** Real connections (PowerShell, credentials) need a trusted workspace; simulated ones do not. */
export function needsTrust(connection: Connection): boolean {
  return connection.kind !== 'sim';
}

/**
 * Wraps a backend factory: while `isTrusted()` is false, a real connection's backend is refused
 * (UntrustedWorkspaceError) before the inner factory runs, so no process is started.
 */
export function gateBackendFactory<F extends (connection: Connection) => Backend>(factory: F, isTrusted: () => boolean): (connection: Connection) => Backend {
  return (connection) => {
    if (needsTrust(connection) && !isTrusted()) throw new UntrustedWorkspaceError(connection.name);
    return factory(connection);
  };
}

/** The settings value a trusted reader takes: the user's (global) value, else the default; never a workspace's. */
export function trustedValue<T>(inspected: { globalValue?: T; defaultValue?: T } | undefined, fallback: T): T {
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}

/** The row shown under a real connection in an untrusted workspace (plain data; trust.ts maps it to a TreeItem). */
export interface TrustRowView {
  id: string;
  label: string;
  tooltip: string;
  contextValue: string;
  icon: string;
  command: string;
}

export function trustRowView(connection: string, t: (message: string, ...args: Array<string | number | boolean>) => string): TrustRowView {
  return {
    id: `gpuPartitions/trust/${connection.toLowerCase()}`,
    label: t('Trust this workspace to connect'),
    tooltip: t('This workspace is not trusted, so "{0}" is not read and no PowerShell runs. Trust the workspace to connect; simulated connections work meanwhile.', connection),
    contextValue: 'gpuPartitions.trust',
    icon: 'workspace-untrusted',
    command: MANAGE_TRUST_COMMAND,
  };
}
