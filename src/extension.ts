/**
 * activate(): builds the pieces and registers them. Nothing else: no I/O, no PowerShell. The
 * tree reads a connection the first time it is shown (InventoryStore.ensureLoaded).
 */
import * as vscode from 'vscode';
import { createBackendFactory } from './connections/backendFactory';
import { readConnections, readPowerShellSettings } from './connections/connections';
import { InventoryStore } from './connections/inventoryStore';
import { createOutputSink } from './commands/outputSink';
import { registerCommands } from './commands/registerCommands';
import type { CommandServices } from './commands/services';
import { BusyRegistry } from './tree/busyRegistry';
import type { TreeNode } from './tree/presentation';
import { ClustersTreeProvider } from './tree/treeProvider';
import { CredentialStore } from './connections/credentials';
import { redactingBackend, redactingLog, SecretRedactor } from './connections/secretRedactor';
import { gateBackendFactory, isWorkspaceTrusted, TrustGatedTree, whenTrustGranted } from './connections/trust';

/** What activate() returns: the exthost tests reach the store and the busy registry through it. */
export interface GpuPartitionsApi {
  store: InventoryStore;
  busy: BusyRegistry;
  tree: ClustersTreeProvider;
  /** Credentials of real connections (SecretStorage); the planted-password test stores one through it. */
  credentials: CredentialStore;
}

export function activate(context: vscode.ExtensionContext): GpuPartitionsApi {
  // Issue 7: one redaction point. Every password the credential store hands out is registered, and
  // the channel (the output panel and the extension's log file) and every backend redact it.
  const redactor = new SecretRedactor();
  const credentials = new CredentialStore(context.secrets, redactor);
  const channel = redactingLog(vscode.window.createOutputChannel('GPU Partitions', { log: true }), redactor);
  const outputSink = createOutputSink(channel);
  const busy = new BusyRegistry(vscode.l10n.t);
  const innerFactory = createBackendFactory({
    storageDir: context.globalStorageUri.fsPath,
    powershell: readPowerShellSettings,
    credentials: (c) => credentials.credentialFor(c),
    onSaveError: (name, error) => channel.error(`Could not save the simulated state of "${name}": ${error instanceof Error ? error.message : String(error)}`),
  });
  // Untrusted workspace: no real connection's backend is built, so nothing starts PowerShell.
  const createBackend = gateBackendFactory((c) => redactingBackend(innerFactory(c), redactor), isWorkspaceTrusted);
  const store = new InventoryStore({
    createBackend,
    sink: outputSink,
    onError: (name, error) => channel.error(`Could not read "${name}": ${error instanceof Error ? error.message : String(error)}`),
    // Issue 6: a burst of refreshes (several operations ending together) is one more read.
    debounceMs: 100,
  });
  const tree = new ClustersTreeProvider(store, busy);
  const gatedTree = new TrustGatedTree(tree);
  const treeView = vscode.window.createTreeView('gpuPartitions.clusters', { treeDataProvider: gatedTree, canSelectMany: true, showCollapseAll: true }) as vscode.TreeView<TreeNode>;

  // Reading settings is in memory (no I/O); the store creates no backend until the tree asks.
  const reloadConnections = () => {
    const { connections, invalid } = readConnections();
    store.setConnections(connections);
    tree.setInvalidConnections(invalid);
    for (const bad of invalid) channel.warn(`gpuPartitions.clusters[${bad.index}]${bad.name ? ` (${bad.name})` : ''}: ${bad.reason}`);
  };
  reloadConnections();

  const services: CommandServices = { context, store, busy, channel, outputSink, tree, treeView, reloadConnections, credentials };
  context.subscriptions.push(
    channel,
    busy,
    store,
    tree,
    gatedTree,
    whenTrustGranted(store, gatedTree),
    treeView,
    ...registerCommands(services),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('gpuPartitions.clusters')) reloadConnections();
      // A new PowerShell path or timeout applies to the next read: drop the real backends.
      if (e.affectsConfiguration('gpuPartitions.powershell')) store.resetBackends((c) => c.kind !== 'sim');
    }),
  );
  return { store, busy, tree, credentials };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; the store's dispose flushes simulator state.
}
