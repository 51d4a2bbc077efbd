import type { TreeNode } from '../tree/presentation';
import { CapacityPanel } from '../webviews/capacity/panel';
import { pickConnection, toWorkflowServices } from '../webviews/pickers';
import { type CommandServices, connectionOf } from './services';

/** `gpuPartitions.showCapacity`: the capacity view of the node's connection (or one picked from the palette). */
export async function showCapacity(services: CommandServices, node?: TreeNode): Promise<CapacityPanel | undefined> {
  const ws = toWorkflowServices(services);
  const connection = node ? connectionOf(node) : await pickConnection(ws);
  if (!connection) return undefined;
  const panel = CapacityPanel.show(ws, connection);
  await panel.ready;
  return panel;
}
