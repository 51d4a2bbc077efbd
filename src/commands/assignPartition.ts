import * as vscode from 'vscode';
import { vmHasPartition } from '../model/partitions';
import type { TreeNode } from '../tree/presentation';
import { AssignPanel } from '../webviews/assign/panel';
import { loadInventory, pickConnection, pickServer, pickVms, toWorkflowServices } from '../webviews/pickers';
import { type CommandServices, connectionOf, selectedNodes } from './services';

/**
 * `gpuPartitions.assignPartition`: opens the Assign partition form with the VMs preselected.
 * - From VM nodes (one or several selected): that server, those VMs ticked; the form then asks
 *   only for the options (VRAM, GPU, offline action) and one click assigns them all.
 * - From a server or its "Virtual machines" group: that server.
 * - From the palette: QuickPicks for connection, server and VMs (many), then the form.
 * Selected VMs on another server than the clicked one are left out, with a message (an assign
 * runs on one server, as in WAC).
 */
export async function assignPartition(services: CommandServices, node?: TreeNode, nodes?: TreeNode[]): Promise<AssignPanel | undefined> {
  const ws = toWorkflowServices(services);
  const targets = selectedNodes(node, nodes);
  if (targets.length === 0) {
    const connection = await pickConnection(ws);
    if (!connection) return undefined;
    const inventory = await loadInventory(ws, connection);
    if (!inventory) return undefined;
    const server = await pickServer(inventory, vscode.l10n.t('Assign GPU partition: server'), (s) => s.vms.some((v) => !vmHasPartition(v)));
    if (!server) return undefined;
    const vms = await pickVms(server, vscode.l10n.t('Assign GPU partition: virtual machines'), (v) => !vmHasPartition(v));
    if (!vms) return undefined;
    return AssignPanel.show(ws, connection, server.name, vms);
  }
  const first = targets[0];
  const connection = connectionOf(first);
  if (!connection) return undefined;
  const server = 'server' in first && first.server && typeof first.server === 'object' ? first.server.name : undefined;
  const vmNodes = targets.filter((n): n is Extract<TreeNode, { nodeType: 'vm' }> => n.nodeType === 'vm' && n.connection === connection);
  const here = vmNodes.filter((n) => n.server.name === server);
  if (here.length < vmNodes.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('A partition is assigned on one server at a time: only the VMs on {0} are selected.', server ?? ''));
  }
  return AssignPanel.show(ws, connection, server, here.map((n) => n.vm.name));
}
