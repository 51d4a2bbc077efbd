/**
 * Everything the tree shows, as pure functions of the model: labels, descriptions, Markdown
 * tooltips, contextValues (names.md), codicon ids, children. No `vscode` import, so it is
 * unit-tested with a fake `t`; src/tree/treeProvider.ts only maps ItemView to a vscode.TreeItem.
 * One node kind per file under ./nodes; this module dispatches on `nodeType`.
 */
import { clusterChildren, clusterView } from './nodes/clusterNode';
import { errorView } from './nodes/errorNode';
import { gpuChildren, gpuView } from './nodes/gpuNode';
import { groupChildren, groupView } from './nodes/groupNode';
import { partitionView } from './nodes/partitionNode';
import { serverChildren, serverView } from './nodes/serverNode';
import type { ItemView, PresentationContext, TreeNode } from './nodes/types';
import { vmView } from './nodes/vmNode';

export { rootNodes } from './nodes/clusterNode';
export { stepDescription, assignedStatusLabel, vmStateLabel, vmStateIcon, stateSegment } from './nodes/text';
export type * from './nodes/types';

export function presentNode(node: TreeNode, ctx: PresentationContext): ItemView {
  switch (node.nodeType) {
    case 'cluster':
      return clusterView(node, ctx);
    case 'error':
      return errorView(node, ctx);
    case 'server':
      return serverView(node, ctx);
    case 'group':
      return groupView(node, ctx);
    case 'gpu':
      return gpuView(node, ctx);
    case 'partition':
      return partitionView(node, ctx);
    case 'vm':
      return vmView(node, ctx);
  }
}

/**
 * The parent of a node (TreeView.reveal needs it). Rebuilt from names and the store's snapshot;
 * the TreeItem ids match those of the rows on screen, which is all VS Code compares.
 */
export function parentNode(node: TreeNode, ctx: PresentationContext): TreeNode | undefined {
  switch (node.nodeType) {
    case 'cluster':
      return undefined;
    case 'error': {
      if ((node.scope !== 'server' && node.scope !== 'refresh') || !node.connection) return undefined;
      const c = ctx.snapshot(node.connection)?.connection;
      return c ? { nodeType: 'cluster', connection: c } : undefined;
    }
    case 'server': {
      const c = ctx.snapshot(node.connection)?.connection;
      return c ? { nodeType: 'cluster', connection: c } : undefined;
    }
    case 'group': {
      const inventory = ctx.snapshot(node.connection)?.inventory;
      return inventory ? { nodeType: 'server', connection: node.connection, inventory, server: node.server } : undefined;
    }
    case 'gpu':
      return { nodeType: 'group', group: 'gpus', connection: node.connection, server: node.server };
    case 'vm':
      return { nodeType: 'group', group: 'vms', connection: node.connection, server: node.server };
    case 'partition': {
      const group: TreeNode = { nodeType: 'group', group: 'gpus', connection: node.connection, server: node.server };
      if (!node.gpu || (node.state !== 'free' && node.placement)) return group;
      const gpu = node.gpu;
      // The GPU row as the group builds it (same label numbering and partitions).
      return groupChildren(group as Extract<TreeNode, { nodeType: 'group' }>).find((n) => n.nodeType === 'gpu' && n.gpu.device.instanceId === gpu.device.instanceId);
    }
  }
}

/**
 * Children of a node. `undefined` means "not loaded yet": only a cluster whose inventory was never
 * read returns it, and the provider then asks the store to load and calls again.
 */
export function childNodes(node: TreeNode, ctx: PresentationContext): TreeNode[] | undefined {
  switch (node.nodeType) {
    case 'cluster':
      return clusterChildren(node, ctx);
    case 'server':
      return serverChildren(node);
    case 'group':
      return groupChildren(node);
    case 'gpu':
      return gpuChildren(node);
    case 'error':
    case 'partition':
    case 'vm':
      return [];
  }
}
