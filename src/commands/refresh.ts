import * as vscode from 'vscode';
import type { TreeNode } from '../tree/presentation';
import { type CommandServices, connectionOf, selectedNodes } from './services';

/**
 * `gpuPartitions.refresh`: from the view title, every connection already read; from a node, its
 * connection, or only its server for a server row (a targeted read).
 */
export async function refresh(services: CommandServices, node?: TreeNode, nodes?: TreeNode[]): Promise<void> {
  const targets = selectedNodes(node, nodes);
  services.reloadConnections();
  const work: Promise<void>[] = [];
  if (targets.length === 0) {
    work.push(services.store.refresh());
  } else {
    // One read per connection: the union of the servers asked for, or the whole connection.
    const asked = new Map<string, string[] | undefined>();
    for (const n of targets) {
      const c = connectionOf(n);
      if (!c) continue;
      const server = n.nodeType === 'server' ? n.server.name : n.nodeType === 'error' && n.scope === 'server' ? n.server : undefined;
      if (!asked.has(c)) asked.set(c, server ? [server] : undefined);
      else {
        const prev = asked.get(c);
        asked.set(c, prev && server ? [...prev, server] : undefined);
      }
    }
    for (const [c, servers] of asked) work.push(services.store.refresh(c, servers));
  }
  await vscode.window.withProgress({ location: { viewId: 'gpuPartitions.clusters' } }, () => Promise.all(work));
}
