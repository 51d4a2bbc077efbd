import * as vscode from 'vscode';
import { type Connection, connectionNameProblem } from '../connections/connectionConfig';
import { addConnection, readConnections } from '../connections/connections';
import { SCENARIOS } from '../sim';
import type { CommandServices } from './services';

interface KindPick extends vscode.QuickPickItem {
  connectionKind?: 'cluster' | 'server' | 'sim';
  scenario?: string;
}

/**
 * `gpuPartitions.addCluster`: name, kind (cluster, server, or a simulated scenario), computer name
 * and optional user name, written to the user's `gpuPartitions.clusters`. No password is asked
 * here: credentials are kept in SecretStorage, never in settings.
 */
export async function addCluster(services: CommandServices): Promise<Connection | undefined> {
  const t = vscode.l10n.t;
  const existing = readConnections().connections;
  const name = await vscode.window.showInputBox({
    title: t('Add cluster (1/3): name'),
    prompt: t('A name for this connection, shown in the GPU Partitions view.'),
    placeHolder: t('for example azl-prod'),
    ignoreFocusOut: true,
    validateInput: (value) => {
      const problem = connectionNameProblem(value, existing);
      if (problem === 'empty') return t('Enter a name.');
      if (problem === 'duplicate') return t('A connection named "{0}" already exists.', value.trim());
      return undefined;
    },
  });
  if (name === undefined) return undefined;

  const items: KindPick[] = [
    { connectionKind: 'cluster', label: `$(server-environment) ${t('Failover cluster')}`, detail: t('An Azure Local or Windows Server failover cluster: every node is read through the cluster name.') },
    { connectionKind: 'server', label: `$(server) ${t('Single server')}`, detail: t('One Hyper-V host that is not part of a cluster.') },
    { label: t('Simulator (changes nothing real)'), kind: vscode.QuickPickItemKind.Separator },
    ...SCENARIOS.map((scenario): KindPick => ({ connectionKind: 'sim', scenario, label: `$(beaker) ${t('Simulated: {0}', scenario)}`, detail: scenarioDetail(scenario, t) })),
  ];
  const kind = await vscode.window.showQuickPick(items, {
    title: t('Add cluster (2/3): kind'),
    placeHolder: t('What does "{0}" connect to?', name.trim()),
    ignoreFocusOut: true,
  });
  if (!kind?.connectionKind) return undefined;

  let connection: Connection;
  if (kind.connectionKind === 'sim') {
    connection = { name: name.trim(), kind: 'sim', scenario: kind.scenario ?? 'demo' };
  } else {
    const computerName = await vscode.window.showInputBox({
      title: t('Add cluster (3/3): computer name'),
      prompt: kind.connectionKind === 'cluster' ? t('Cluster name (DNS name) to connect to with PowerShell remoting.') : t('Server name (DNS name or IP address) to connect to with PowerShell remoting.'),
      placeHolder: kind.connectionKind === 'cluster' ? 'azl-cluster.contoso.com' : 'hv01.contoso.com',
      ignoreFocusOut: true,
      validateInput: (value) => (!value.trim() ? t('Enter a computer name.') : /\s/.test(value.trim()) ? t('A computer name has no spaces.') : undefined),
    });
    if (computerName === undefined) return undefined;
    const userName = await vscode.window.showInputBox({
      title: t('Add cluster (3/3): user name (optional)'),
      prompt: t('User name for PowerShell remoting, for example CONTOSO\\admin. Leave empty to use your current Windows identity.'),
      ignoreFocusOut: true,
    });
    if (userName === undefined) return undefined;
    connection = { name: name.trim(), kind: kind.connectionKind, computerName: computerName.trim() };
    if (userName.trim()) connection.userName = userName.trim();
  }
  await addConnection(connection);
  services.reloadConnections();
  services.channel.info(`Added connection "${connection.name}" (${connection.kind}).`);
  await vscode.commands.executeCommand('gpuPartitions.clusters.focus');
  return connection;
}

function scenarioDetail(scenario: string, t: typeof vscode.l10n.t): string | undefined {
  switch (scenario) {
    case 'demo':
      return t('Four servers with two NVIDIA A2 each, all partitioned, nothing assigned yet.');
    case 'mixed':
      return t('Like demo, but one server differs and a running VM holds a partition: every warning can fire.');
    case 'not-ready':
      return t('GPUs that are not partitioned and broken prerequisites.');
    case 'large':
      return t('Sixteen servers, four GPUs and 32 VMs each.');
    default:
      return undefined;
  }
}
