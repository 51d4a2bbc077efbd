/**
 * Workspace trust and the trusted reading of restricted settings (issue 7). The pure rules are in
 * ./trustGate.ts; this file binds them to `vscode`:
 *
 * - readTrustedSetting: the ONLY way the extension reads a setting that decides what runs or where
 *   (RESTRICTED_SETTINGS). It takes the user's value or the default, never a workspace or folder
 *   value, trusted workspace or not: `machine`/`application` scope already keep them out of
 *   `get()`, and `inspect()` makes that independent of how VS Code treats a mis-scoped value.
 * - TrustGatedTree: in an untrusted workspace a real connection shows one row, "Trust this
 *   workspace to connect" (runs workbench.trust.manage), and is never read.
 * - whenTrustGranted: refreshes the real connections when the user trusts the workspace.
 */
import * as vscode from 'vscode';
import type { ClustersTreeProvider } from '../tree/treeProvider';
import type { TreeNode } from '../tree/presentation';
import type { InventoryStore } from './inventoryStore';
import { needsTrust, trustedValue, trustRowView } from './trustGate';

export { gateBackendFactory, RESTRICTED_SETTINGS, UntrustedWorkspaceError, MANAGE_TRUST_COMMAND } from './trustGate';

/** `gpuPartitions.<key>` as the user (or the default) set it; workspace and folder values are ignored. */
export function readTrustedSetting<T>(key: string, fallback: T): T {
  const inspected = vscode.workspace.getConfiguration('gpuPartitions').inspect<T>(key);
  return trustedValue(inspected, fallback);
}

export function isWorkspaceTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

/** The row shown under a real connection while the workspace is untrusted. */
export interface TrustNode {
  nodeType: 'trust';
  connection: string;
  /** The connection's row (for getParent / TreeView.reveal). */
  parent: TreeNode;
}

type Element = TreeNode | TrustNode;

/**
 * The tree the view shows: the clusters tree, except that in an untrusted workspace the children
 * of a real connection are one TrustNode, and the inner provider (which would read the connection)
 * is never asked for them.
 */
export class TrustGatedTree implements vscode.TreeDataProvider<Element>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Element | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    readonly inner: ClustersTreeProvider,
    private readonly isTrusted: () => boolean = isWorkspaceTrusted,
  ) {
    this.subscription = inner.onDidChangeTreeData((e) => this.changed.fire(e));
  }

  getTreeItem(element: Element): vscode.TreeItem {
    if (element.nodeType !== 'trust') return this.inner.getTreeItem(element);
    const view = trustRowView(element.connection, vscode.l10n.t);
    const item = new vscode.TreeItem(view.label, vscode.TreeItemCollapsibleState.None);
    item.id = view.id;
    item.tooltip = view.tooltip;
    item.contextValue = view.contextValue;
    item.iconPath = new vscode.ThemeIcon(view.icon, new vscode.ThemeColor('list.warningForeground'));
    item.command = { command: view.command, title: view.label };
    return item;
  }

  async getChildren(element?: Element): Promise<Element[]> {
    if (element?.nodeType === 'trust') return [];
    if (element?.nodeType === 'cluster' && needsTrust(element.connection) && !this.isTrusted()) {
      return [{ nodeType: 'trust', connection: element.connection.name, parent: element }];
    }
    return this.inner.getChildren(element);
  }

  /** TreeView.reveal needs it; a trust row's parent is its connection's cluster row. */
  getParent(element: Element): Element | undefined {
    return element.nodeType === 'trust' ? element.parent : this.inner.getParent(element);
  }

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** When the user trusts the workspace: drop the refused real backends and repaint, so they are read now. */
export function whenTrustGranted(store: InventoryStore, tree: TrustGatedTree): vscode.Disposable {
  return vscode.workspace.onDidGrantWorkspaceTrust(() => {
    store.resetBackends(needsTrust);
    tree.refresh();
  });
}
