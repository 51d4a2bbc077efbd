import * as vscode from 'vscode';
import type { OperationResult } from '../model/types';
import type { TreeNode } from '../tree/presentation';
import { runOperation } from '../webviews/operations';
import { toWorkflowServices } from '../webviews/pickers';
import type { CommandServices } from './services';

/**
 * `gpuPartitions.removeOrphan` on an orphaned adapter row (its InstancePath names a GPU that is not
 * on the server, domain doc §1.3, §5 [S2, S4, S6]): unassigns that VM's partition through the
 * backend, like "Unassign partition". A VM that holds its partition is turned off and on again, and
 * the runner asks first; for a VM that is off (nothing is power-cycled) this asks, since the adapter
 * and its settings are removed.
 */
export async function removeOrphan(services: CommandServices, node?: TreeNode): Promise<OperationResult | undefined> {
  if (!node || node.nodeType !== 'partition' || node.state === 'free' || node.placement !== 'orphaned') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Select an orphaned GPU partition adapter in the GPU Partitions view.'));
    return undefined;
  }
  const entry = node.state === 'held' ? node.held : node.pending;
  if (node.state === 'pending') {
    const remove = vscode.l10n.t('Remove adapter');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove the orphaned GPU partition adapter of {0}?', entry.vm),
      {
        modal: true,
        detail: vscode.l10n.t('Its instance path names a GPU that is not on {0}:\n{1}\nThe VM stays off; assign a new partition afterwards if it needs one.', node.server.name, entry.adapter.instancePath ?? ''),
      },
      remove,
    );
    if (answer !== remove) return undefined;
  }
  return runOperation(toWorkflowServices(services), node.connection, { kind: 'unassign', server: node.server.name, vms: [entry.vm] });
}
