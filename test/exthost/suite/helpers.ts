// Helpers for extension-host tests (they run inside VS Code with the real `vscode` API).
// The extension's activate() returns its API: `{ treeProvider }` (the TreeDataProvider of the
// `gpuPartitions.clusters` view); tests read the tree through it exactly as the workbench does.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'azure-local-gpu-tools.azure-local-gpu-partitions';

export interface ExtensionApi {
  treeProvider: vscode.TreeDataProvider<unknown>;
}

export async function activateExtension(): Promise<{ ext: vscode.Extension<ExtensionApi>; api: ExtensionApi }> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this host`);
  const api = await ext.activate();
  assert.ok(api && api.treeProvider, 'activate() must return { treeProvider }');
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
  const p = api.treeProvider;
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

/** The demo connection's root row and its server rows, once the inventory has loaded. */
export async function demoServers(api: ExtensionApi): Promise<{ cluster: Row; servers: Row[] }> {
  return waitFor('the demo cluster with its servers', async () => {
    const roots = await rowsOf(api);
    const cluster = roots.find((r) => r.contextValue === 'gpuPartitions.cluster' && `${r.label} ${r.description}`.includes('azl-demo'));
    if (!cluster) return undefined;
    const servers = (await rowsOf(api, cluster.element)).filter((r) => r.contextValue === 'gpuPartitions.server');
    return servers.length > 0 ? { cluster, servers } : undefined;
  });
}
