// Helpers for extension-host tests (they run inside VS Code with the real `vscode` API).
// The extension's activate() returns its API (src/extension.ts GpuPartitionsApi): `tree` is the
// TreeDataProvider of the `gpuPartitions.clusters` view; tests read the tree through it exactly as
// the workbench does (getChildren + getTreeItem).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'azure-local-gpu-tools.azure-local-gpu-partitions';

/** The part of the extension's API these helpers use; tests may cast to the full GpuPartitionsApi. */
export interface ExtensionApi {
  tree: vscode.TreeDataProvider<unknown>;
}

export async function activateExtension(): Promise<{ ext: vscode.Extension<ExtensionApi>; api: ExtensionApi }> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this host`);
  const api = await ext.activate();
  assert.ok(api && api.tree && typeof api.tree.getChildren === 'function', 'activate() must return { tree: TreeDataProvider }');
  return { ext, api };
}

/** A rendered tree node: the element plus what the workbench would show for it. */
export interface Row {
  element: unknown;
  item: vscode.TreeItem;
  label: string;
  description: string;
  contextValue: string;
}

export function labelOf(item: vscode.TreeItem): string {
  const l = item.label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}

export async function rowsOf(api: ExtensionApi, parent?: unknown): Promise<Row[]> {
  const p = api.tree;
  const children = (await p.getChildren(parent)) ?? [];
  const rows: Row[] = [];
  for (const element of children) {
    const item = await p.getTreeItem(element);
    rows.push({
      element,
      item,
      label: labelOf(item),
      description: typeof item.description === 'string' ? item.description : '',
      contextValue: item.contextValue ?? '',
    });
  }
  return rows;
}

/** Polls `fn` until it returns a truthy value (inventories load asynchronously). */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Depth-first list of every row below `parent` (bounded, so a cycle cannot hang a test). */
export async function descendants(api: ExtensionApi, parent: unknown, maxDepth = 4): Promise<Row[]> {
  const out: Row[] = [];
  const walk = async (p: unknown, depth: number) => {
    if (depth > maxDepth) return;
    for (const r of await rowsOf(api, p)) {
      out.push(r);
      if (r.item.collapsibleState !== undefined && r.item.collapsibleState !== vscode.TreeItemCollapsibleState.None) {
        await walk(r.element, depth + 1);
      }
    }
  };
  await walk(parent, 1);
  return out;
}

/** The demo connection's root row (re-read after loading) and its server rows. */
export async function demoServers(api: ExtensionApi): Promise<{ cluster: Row; servers: Row[] }> {
  let seen = 'nothing';
  const show = (rows: Row[]) => rows.map((r) => `${r.label} [${r.contextValue}]${r.description ? ` "${r.description}"` : ''}`).join(', ') || '(no rows)';
  try {
    return await waitFor('the demo cluster with its servers', async () => {
      const roots = await rowsOf(api);
      seen = `roots: ${show(roots)}`;
      // The root row is the connection (label "demo"); once read, its description names the cluster.
      const conn = roots.find((r) => r.contextValue === 'gpuPartitions.cluster' && r.label === 'demo');
      if (!conn) return undefined;
      const children = await rowsOf(api, conn.element);
      seen += `; children of ${conn.label}: ${show(children)}`;
      const servers = children.filter((r) => r.contextValue === 'gpuPartitions.server');
      if (servers.length === 0) return undefined;
      const cluster = (await rowsOf(api)).find((r) => r.label === 'demo');
      return cluster ? { cluster, servers } : undefined;
    });
  } catch (e) {
    throw new Error(`${(e as Error).message}; last seen ${seen}`);
  }
}
