import { homogeneousSets } from '../model/homogeneous';
import { gpuName, sameGpuRef, type GpuRef } from '../model/gpuIdentity';
import type { TreeNode } from '../tree/presentation';
import { ConfigureCountPanel } from '../webviews/configureCount/panel';
import { pickConnection, toWorkflowServices } from '../webviews/pickers';
import { type CommandServices, connectionOf, selectedNodes } from './services';

/**
 * `gpuPartitions.configurePartitionCount`: opens the Configure partition count form.
 * - From a cluster, server or "GPUs" group: the homogeneous set preselected (WAC's default).
 * - From one GPU: the homogeneous set that GPU belongs to. From several GPUs: exactly those.
 * - From the palette: asks for the connection when there is more than one.
 * Returns the panel (the extension-host tests drive it).
 */
export async function configurePartitionCount(services: CommandServices, node?: TreeNode, nodes?: TreeNode[]): Promise<ConfigureCountPanel | undefined> {
  const ws = toWorkflowServices(services);
  const targets = selectedNodes(node, nodes);
  const connection = targets.length > 0 ? connectionOf(targets[0]) : await pickConnection(ws);
  if (!connection) return undefined;
  const gpus = targets.filter((n): n is Extract<TreeNode, { nodeType: 'gpu' }> => n.nodeType === 'gpu' && n.connection === connection);
  let preselect: GpuRef[] | undefined;
  if (gpus.length > 1) {
    preselect = gpus.map((g) => ({ server: g.server.name, gpu: gpuName(g.gpu) }));
  } else if (gpus.length === 1) {
    const ref = { server: gpus[0].server.name, gpu: gpuName(gpus[0].gpu) };
    const inventory = services.store.inventory(connection);
    const set = inventory ? homogeneousSets(inventory).find((s) => s.members.some((m) => sameGpuRef(m, ref))) : undefined;
    preselect = set ? set.members : [ref];
  }
  return ConfigureCountPanel.show(ws, connection, preselect);
}
