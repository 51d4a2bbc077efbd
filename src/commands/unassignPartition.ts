import * as vscode from 'vscode';
import { vmHasPartition } from '../model/partitions';
import type { TreeNode } from '../tree/presentation';
import { UnassignPanel } from '../webviews/unassign/panel';
import { loadInventory, pickConnection, pickServer, pickVms, toWorkflowServices } from '../webviews/pickers';
import { type CommandServices, connectionOf, selectedNodes } from './services';

/** The VM a node stands for: a VM row, or the VM of a held/pending partition row. */
function vmOf(n: TreeNode): { server: string; vm: string } | undefined {
  if (n.nodeType === 'vm') return { server: n.server.name, vm: n.vm.name };
  if (n.nodeType === 'partition' && n.state === 'held') return { server: n.server.name, vm: n.held.vm };
  if (n.nodeType === 'partition' && n.state === 'pending') return { server: n.server.name, vm: n.pending.vm };
  return undefined;
}

/**
 * `gpuPartitions.unassignPartition`: opens the Unassign partition form.
 * - From VM rows or partition rows (one or several): that server, those VMs ticked.
 * - From the palette: QuickPicks for connection, server and VMs with a partition, then the form.
 */
export async function unassignPartition(services: CommandServices, node?: TreeNode, nodes?: TreeNode[]): Promise<UnassignPanel | undefined> {
  const ws = toWorkflowServices(services);
  const targets = selectedNodes(node, nodes);
  if (targets.length === 0) {
    const connection = await pickConnection(ws);
    if (!connection) return undefined;
    const inventory = await loadInventory(ws, connection);
    if (!inventory) return undefined;
    const server = await pickServer(inventory, vscode.l10n.t('Unassign GPU partition: server'), (s) => s.vms.some(vmHasPartition));
    if (!server) return undefined;
    const vms = await pickVms(server, vscode.l10n.t('Unassign GPU partition: virtual machines'), vmHasPartition);
    if (!vms) return undefined;
    return UnassignPanel.show(ws, connection, server.name, vms);
  }
  const connection = connectionOf(targets[0]);
  if (!connection) return undefined;
  const refs = targets.map(vmOf).filter((r): r is { server: string; vm: string } => !!r);
  const server = refs[0]?.server ?? ('server' in targets[0] && targets[0].server && typeof targets[0].server === 'object' ? targets[0].server.name : undefined);
  const here = refs.filter((r) => r.server === server);
  if (here.length < refs.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('A partition is unassigned on one server at a time: only the VMs on {0} are selected.', server ?? ''));
  }
  return UnassignPanel.show(ws, connection, server, [...new Set(here.map((r) => r.vm))]);
}
