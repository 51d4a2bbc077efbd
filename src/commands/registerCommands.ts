/**
 * Every command of the extension, in one place (the vscode-containers registry shape, style.md).
 * Each handler lives in its own file and receives the CommandServices; with multi-select the tree
 * passes (clicked node, selected nodes).
 */
import * as vscode from 'vscode';
import type { TreeNode } from '../tree/presentation';
import { addCluster } from './addCluster';
import { openDemo } from './openDemo';
import { refresh } from './refresh';
import { removeCluster } from './removeCluster';
import type { CommandServices } from './services';
import { showOutput } from './showOutput';
import { registerWorkflowPanels } from '../webviews/register';
import { assignPartition } from './assignPartition';
import { configurePartitionCount } from './configurePartitionCount';
import { previewScript } from './previewScript';
import { showDetails } from './showDetails';
import { unassignPartition } from './unassignPartition';
import { setCredentials } from './setCredentials';
import { forgetCredentials } from './forgetCredentials';
import { checkPrerequisites } from './checkPrerequisites';
import { exportChecks } from './exportChecks';
import { showCapacity } from './showCapacity';
import { guestCheck } from './guestCheck';
import { exportHistory } from './exportHistory';
import { removeOrphan } from './removeOrphan';
import { registerHistoryView } from '../tree/historyProvider';

export function registerCommands(services: CommandServices): vscode.Disposable[] {
  // A failing command logs and tells the user once, instead of an unhandled rejection.
  const register = (id: string, handler: (...args: any[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        // Redacted: an error message may quote what a PowerShell run printed (issue 7, "Secrets").
        const message = services.credentials.redact(error instanceof Error ? error.message : String(error));
        services.channel.error(`${id}: ${message}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('GPU Partitions: {0}', message));
        return undefined;
      }
    });
  // The "Operation history" view and the audit log under global storage (issue 8).
  const history = registerHistoryView(services.context, services.channel, services.credentials.redactor);
  return [
    register('gpuPartitions.addCluster', () => addCluster(services)),
    register('gpuPartitions.removeCluster', (node?: TreeNode, nodes?: TreeNode[]) => removeCluster(services, node, nodes)),
    register('gpuPartitions.openDemo', () => openDemo(services)),
    register('gpuPartitions.refresh', (node?: TreeNode, nodes?: TreeNode[]) => refresh(services, node, nodes)),
    register('gpuPartitions.showOutput', () => showOutput(services)),
    // GPU-P workflows (forms in src/webviews); each returns its panel or document for the tests.
    register('gpuPartitions.configurePartitionCount', (node?: TreeNode, nodes?: TreeNode[]) => configurePartitionCount(services, node, nodes)),
    register('gpuPartitions.assignPartition', (node?: TreeNode, nodes?: TreeNode[]) => assignPartition(services, node, nodes)),
    register('gpuPartitions.unassignPartition', (node?: TreeNode, nodes?: TreeNode[]) => unassignPartition(services, node, nodes)),
    register('gpuPartitions.showDetails', (node?: TreeNode) => showDetails(services, node)),
    register('gpuPartitions.previewScript', (node?: TreeNode, nodes?: TreeNode[]) => previewScript(services, node, nodes)),
    register('gpuPartitions.setCredentials', (node?: TreeNode) => setCredentials(services, node)),
    register('gpuPartitions.forgetCredentials', (node?: TreeNode) => forgetCredentials(services, node)),
    ...registerWorkflowPanels(services),
    // Beyond WAC (issue 8): prerequisite check, capacity view and planner, guest check, audit history, orphans.
    register('gpuPartitions.checkPrerequisites', (node?: TreeNode) => checkPrerequisites(services, node)),
    register('gpuPartitions.exportChecks', (target?: 'untitled' | 'file') => exportChecks(services, target)),
    register('gpuPartitions.showCapacity', (node?: TreeNode) => showCapacity(services, node)),
    register('gpuPartitions.guestCheck', (node?: TreeNode) => guestCheck(services, node)),
    register('gpuPartitions.exportHistory', (format?: 'markdown' | 'jsonl', target?: 'untitled' | 'file') => exportHistory(services, format, target)),
    register('gpuPartitions.refreshHistory', () => history.provider.refresh()),
    register('gpuPartitions.removeOrphan', (node?: TreeNode) => removeOrphan(services, node)),
    ...history.disposables,
  ];
}
