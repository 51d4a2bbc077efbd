import type { TreeNode } from '../tree/presentation';
import { ChecksPanel } from '../webviews/checks/panel';
import { pickConnection, toWorkflowServices } from '../webviews/pickers';
import { type CommandServices, connectionOf } from './services';

/**
 * `gpuPartitions.checkPrerequisites`: the prerequisite-check report of a cluster (cluster node or
 * palette) or of one server (server node). Returns the panel (tests wait on `panel.ready`).
 */
export async function checkPrerequisites(services: CommandServices, node?: TreeNode): Promise<ChecksPanel | undefined> {
  const ws = toWorkflowServices(services);
  const connection = node ? connectionOf(node) : await pickConnection(ws);
  if (!connection) return undefined;
  const server = node?.nodeType === 'server' ? node.server.name : undefined;
  return ChecksPanel.show(ws, connection, server);
}
