import * as vscode from 'vscode';
import type { HostConnection } from '../connections/connectionConfig';
import { readConnections } from '../connections/connections';
import type { CredentialStore } from '../connections/credentials';
import type { TreeNode } from '../tree/presentation';
import { type CommandServices, connectionOf } from './services';

/** What the credential commands need beyond the usual services. */
export type CredentialServices = CommandServices & { credentials: CredentialStore };

/**
 * The real connection a credential command acts on: the clicked row's connection, or one picked
 * from the real connections (a simulated connection has no credentials).
 */
export async function pickHostConnection(title: string, node?: TreeNode): Promise<HostConnection | undefined> {
  const t = vscode.l10n.t;
  const hosts = readConnections().connections.filter((c): c is HostConnection => c.kind !== 'sim');
  const clicked = node ? connectionOf(node) : undefined;
  if (clicked) {
    const found = hosts.find((c) => c.name.toLowerCase() === clicked.toLowerCase());
    if (found) return found;
  }
  if (hosts.length === 0) {
    void vscode.window.showInformationMessage(t('No cluster or server connection is configured; simulated connections need no credentials.'));
    return undefined;
  }
  if (hosts.length === 1 && !clicked) return hosts[0];
  const picked = await vscode.window.showQuickPick(
    hosts.map((c) => ({ label: c.name, description: `${c.kind} · ${c.computerName}`, connection: c })),
    { title, placeHolder: t('Connection'), ignoreFocusOut: true },
  );
  return picked?.connection;
}

/**
 * `gpuPartitions.setCredentials`: asks the user name and the password (password box) of a real
 * connection and keeps them in SecretStorage; the connection is read again with them.
 */
export async function setCredentials(services: CredentialServices, node?: TreeNode): Promise<boolean> {
  const t = vscode.l10n.t;
  const connection = await pickHostConnection(t('Set credentials'), node);
  if (!connection) return false;
  const credential = await services.credentials.ask(connection.name, connection.userName);
  if (!credential) return false;
  // The process of the connection was started with the old credentials' session: start afresh.
  services.store.resetBackends((c) => c.name.toLowerCase() === connection.name.toLowerCase());
  services.channel.info(`Credentials of "${connection.name}" were saved in SecretStorage (user ${credential.userName}).`);
  void vscode.window.showInformationMessage(t('Credentials for {0} are saved in the secret store.', connection.name));
  return true;
}
