/**
 * What every command handler may use. Built once in activate() and passed to registerCommands;
 * handlers never reach for globals.
 */
import type * as vscode from 'vscode';
import type { CredentialStore } from '../connections/credentials';
import type { InventoryStore } from '../connections/inventoryStore';
import type { OutputSink } from '../model/types';
import { type BusyRegistry, teeSink } from '../tree/busyRegistry';
import type { ClustersTreeProvider } from '../tree/treeProvider';
import type { TreeNode } from '../tree/presentation';

export interface CommandServices {
  context: vscode.ExtensionContext;
  /** Latest inventory per connection, and each connection's Backend (`store.backend(name)`). */
  store: InventoryStore;
  /** Spinner + step text on tree nodes while an operation runs. */
  busy: BusyRegistry;
  /** The "GPU Partitions" LogOutputChannel. */
  channel: vscode.LogOutputChannel;
  /** Writes records to the channel as `[host] target: message`. */
  outputSink: OutputSink;
  tree: ClustersTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  /** Re-reads `gpuPartitions.clusters` into the store now (without waiting for the change event). */
  reloadConnections(): void;
  /** Credentials of real connections (SecretStorage) and the redaction of their passwords (issue 7). */
  credentials: CredentialStore;
}

/**
 * The sink to pass to `backend.execute(request, { sink })` for an operation on `connection`: it logs
 * every record to the channel and drives the node spinners from the step records. Dispose it when
 * the operation ends (also on failure) so no node stays busy.
 */
export function operationSink(services: CommandServices, connection: string): OutputSink & { dispose(): void } {
  const steps = services.busy.stepSink(connection);
  const sink = teeSink(services.outputSink, steps) as OutputSink & { dispose(): void };
  sink.dispose = () => steps.dispose();
  return sink;
}

/**
 * The nodes a command acts on: with multi-select VS Code passes (clicked, selected[]); the clicked
 * node may be outside the selection, in which case only it counts (the VS Code convention).
 */
export function selectedNodes(node: TreeNode | undefined, nodes: readonly TreeNode[] | undefined): TreeNode[] {
  if (!node) return [];
  if (nodes && nodes.length > 0 && nodes.includes(node)) return [...nodes];
  return [node];
}

/** Connection name of any node (undefined for a settings entry without a name). */
export function connectionOf(node: TreeNode): string | undefined {
  return node.nodeType === 'cluster' ? node.connection.name : node.connection;
}
