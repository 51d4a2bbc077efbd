/**
 * The TreeDataProvider of `gpuPartitions.clusters`. It owns no data: nodes come from the
 * InventoryStore through the pure functions of ./presentation, and this class only maps an
 * ItemView to a vscode.TreeItem and repaints when the store or the busy registry changes.
 */
import * as vscode from 'vscode';
import type { InvalidConnection } from '../connections/connectionConfig';
import type { InventoryStore } from '../connections/inventoryStore';
import type { BusyRegistry } from './busyRegistry';
import { childNodes, type ItemView, parentNode, presentNode, type PresentationContext, rootNodes, type TreeNode } from './presentation';

/** Repaints are coalesced: a multi-VM operation emits many step records in a burst. */
const REPAINT_DELAY_MS = 50;

export class ClustersTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private invalid: readonly InvalidConnection[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: { dispose(): void }[] = [];
  private readonly ctx: PresentationContext;

  constructor(
    private readonly store: InventoryStore,
    busy: BusyRegistry,
  ) {
    this.ctx = {
      t: vscode.l10n.t,
      snapshot: (name) => store.snapshot(name),
      busy: (target) => busy.get(target),
    };
    this.subscriptions.push(
      store.onDidChange(() => this.repaint()),
      busy.onDidChange(() => this.repaint()),
    );
  }

  /** Settings entries that cannot be used, shown as error rows under the connections. */
  setInvalidConnections(invalid: readonly InvalidConnection[]): void {
    this.invalid = invalid;
    this.repaint();
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return toTreeItem(presentNode(node, this.ctx));
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return rootNodes(this.store.connections(), this.invalid, this.ctx);
    let children = childNodes(node, this.ctx);
    if (children === undefined && node.nodeType === 'cluster') {
      // First look at this connection: read it now (lazy; activation did no I/O). The view shows
      // its progress bar meanwhile, and the store's change event repaints the cluster row.
      await this.store.ensureLoaded(node.connection.name);
      children = childNodes(node, this.ctx);
    }
    return children ?? [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return parentNode(node, this.ctx);
  }

  /** Repaints the whole tree soon. Ids keep expansion and selection. */
  repaint(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire();
    }, REPAINT_DELAY_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

const COLLAPSIBLE: Record<ItemView['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export function toTreeItem(view: ItemView): vscode.TreeItem {
  const item = new vscode.TreeItem(view.label, COLLAPSIBLE[view.collapsible]);
  item.id = view.id;
  item.description = view.description;
  item.contextValue = view.contextValue;
  item.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color ? new vscode.ThemeColor(view.icon.color) : undefined);
  if (view.tooltip) {
    const md = new vscode.MarkdownString(view.tooltip, true);
    md.isTrusted = false;
    item.tooltip = md;
  }
  return item;
}
