/**
 * QuickPicks the commands use when they have no tree context (command palette): connection,
 * server, VMs (many), GPUs (many), partition count. Each returns undefined when the user cancels.
 * They are steps of one workflow, so they stay open when focus moves (ignoreFocusOut: a webview or a
 * notification taking focus must not throw away the picks made so far); Escape cancels.
 */
import * as vscode from 'vscode';
import type { CommandServices } from '../commands/services';
import { gpuName } from '../model/gpuIdentity';
import { vmHasPartition } from '../model/partitions';
import type { Inventory, Server, Vm } from '../model/types';
import { formatBytes } from '../model/vram';
import { gpuShortLabel, type Localizer, statusLabel, vmStateLabel } from './viewModels';
import type { WorkflowServices } from './services';

const l10n: Localizer = { t: (message, args) => (args ? vscode.l10n.t(message, args) : vscode.l10n.t(message)) };

export function toWorkflowServices(cs: CommandServices): WorkflowServices {
  return { extensionUri: cs.context.extensionUri, store: cs.store, busy: cs.busy, log: cs.channel, outputSink: cs.outputSink };
}

export async function pickConnection(services: WorkflowServices): Promise<string | undefined> {
  const all = services.store.connections();
  if (all.length === 0) {
    const open = vscode.l10n.t('Open Demo Cluster');
    const add = vscode.l10n.t('Add Cluster');
    const a = await vscode.window.showInformationMessage(vscode.l10n.t('No cluster is configured yet.'), open, add);
    if (a === open) await vscode.commands.executeCommand('gpuPartitions.openDemo');
    if (a === add) await vscode.commands.executeCommand('gpuPartitions.addCluster');
    return undefined;
  }
  if (all.length === 1) return all[0].name;
  const pick = await vscode.window.showQuickPick(
    all.map((c) => ({ label: c.name, description: c.kind === 'sim' ? vscode.l10n.t('simulated ({0})', c.scenario ?? 'demo') : c.computerName })),
    { title: vscode.l10n.t('Choose the cluster'), placeHolder: vscode.l10n.t('Connection'), ignoreFocusOut: true },
  );
  return pick?.label;
}

export async function loadInventory(services: WorkflowServices, connection: string): Promise<Inventory | undefined> {
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading {0}…', connection) }, () => services.store.ensureLoaded(connection));
  const snap = services.store.snapshot(connection);
  if (!snap?.inventory) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} could not be read: {1}', connection, snap?.error ?? ''));
    return undefined;
  }
  return snap.inventory;
}

export async function pickServer(inventory: Inventory, title: string, prefer?: (s: Server) => boolean): Promise<Server | undefined> {
  const servers = inventory.servers.filter((s) => !s.error);
  if (servers.length === 1) return servers[0];
  const items = [...servers]
    .sort((a, b) => Number(prefer?.(b) ?? 0) - Number(prefer?.(a) ?? 0))
    .map((s) => ({
      label: s.name,
      description: vscode.l10n.t('{0} GPU(s), {1} VM(s), {2} with a partition', s.gpus.length, s.vms.length, s.vms.filter(vmHasPartition).length),
      server: s,
    }));
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Choose the server'), ignoreFocusOut: true });
  return pick?.server;
}

export async function pickVms(server: Server, title: string, filter: (vm: Vm) => boolean): Promise<string[] | undefined> {
  const vms = server.vms.filter(filter);
  if (vms.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No virtual machine on {0} fits.', server.name));
    return undefined;
  }
  const picks = await vscode.window.showQuickPick(
    vms.map((vm) => ({ label: vm.name, description: vmStateLabel(l10n, vm.state) })),
    { title, canPickMany: true, placeHolder: vscode.l10n.t('Choose virtual machines'), ignoreFocusOut: true },
  );
  return picks && picks.length > 0 ? picks.map((p) => p.label) : undefined;
}

export async function pickGpus(inventory: Inventory, title: string): Promise<{ server: string; gpu: string }[] | undefined> {
  const items = inventory.servers.flatMap((s) =>
    s.gpus
      .filter((g) => g.partitionable)
      .map((g) => ({
        label: `${s.name}: ${gpuShortLabel(g)}`,
        description: `${statusLabel(l10n, g.assignedStatus)} · ${vscode.l10n.t('{0} partitions', g.partitionable!.partitionCount)} · ${formatBytes(g.partitionable!.totalVRAM)}`,
        picked: true,
        ref: { server: s.name, gpu: gpuName(g) },
      })),
  );
  const picks = await vscode.window.showQuickPick(items, { title, canPickMany: true, placeHolder: vscode.l10n.t('Choose GPUs'), ignoreFocusOut: true });
  return picks && picks.length > 0 ? picks.map((p) => p.ref) : undefined;
}

export async function pickCount(valid: readonly number[], current: number | undefined): Promise<number | undefined> {
  const pick = await vscode.window.showQuickPick(
    valid.map((c) => ({ label: String(c), description: c === current ? vscode.l10n.t('current') : undefined, count: c })),
    { title: vscode.l10n.t('Number of partitions'), placeHolder: vscode.l10n.t('Choose the partition count'), ignoreFocusOut: true },
  );
  return pick?.count;
}
