import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { simStatePath } from '../connections/backendFactory';
import type { Connection } from '../connections/connectionConfig';
import { readConnections, removeConnection } from '../connections/connections';
import type { TreeNode } from '../tree/presentation';
import { type CommandServices, selectedNodes } from './services';

/**
 * `gpuPartitions.removeCluster`: forgets connections (from the clicked/selected rows, or picked
 * from a list), after a modal confirmation. Nothing on the hosts changes. A simulated connection's
 * default state file is deleted with it, so adding it again starts from its scenario; a state file
 * the user named in `stateFile` is theirs and is kept.
 */
export async function removeCluster(services: CommandServices, node?: TreeNode, nodes?: TreeNode[]): Promise<void> {
  const t = vscode.l10n.t;
  const configured = readConnections().connections;
  let names = selectedNodes(node, nodes)
    .filter((n) => n.nodeType === 'cluster' || (n.nodeType === 'error' && (n.scope === 'connection' || n.scope === 'setting' || n.scope === 'refresh')))
    .map((n) => (n.nodeType === 'cluster' ? n.connection.name : n.connection))
    .filter((n): n is string => !!n);
  if (names.length === 0) {
    if (configured.length === 0) {
      void vscode.window.showInformationMessage(t('No cluster is configured.'));
      return;
    }
    const picked = await vscode.window.showQuickPick(
      configured.map((c) => ({ label: c.name, description: describe(c, t), name: c.name })),
      { title: t('Remove cluster'), placeHolder: t('Connections to remove from the GPU Partitions view'), canPickMany: true, ignoreFocusOut: true },
    );
    if (!picked || picked.length === 0) return;
    names = picked.map((p) => p.name);
  }
  names = [...new Set(names)];

  const remove = t('Remove');
  const message = names.length === 1 ? t('Remove the connection "{0}"?', names[0]) : t('Remove {0} connections: {1}?', names.length, names.join(', '));
  const answer = await vscode.window.showWarningMessage(
    message,
    { modal: true, detail: t('Only the entry in your settings is removed; nothing changes on the servers. A simulated cluster loses its simulated state.') },
    remove,
  );
  if (answer !== remove) return;

  for (const name of names) {
    const connection = configured.find((c) => c.name.toLowerCase() === name.toLowerCase());
    await removeConnection(name);
    // Drop the backend now (it flushes a pending simulator save) before deleting that state file.
    services.reloadConnections();
    if (connection?.kind === 'sim' && !connection.stateFile) {
      const file = simStatePath(connection, services.context.globalStorageUri.fsPath);
      fs.rmSync(file, { force: true });
    }
    services.channel.info(`Removed connection "${name}".`);
  }
}

function describe(c: Connection, t: typeof vscode.l10n.t): string {
  return c.kind === 'sim' ? t('simulated: {0}', c.scenario ?? 'demo') : `${c.kind} · ${c.computerName}`;
}
