// Commands run with tree nodes as arguments, as the tree's context menu passes them, and their
// visible results: webview panels in the editor area.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, demoServers, descendants, waitFor, type ExtensionApi } from './helpers';

function webviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
}

describe('commands with tree nodes', () => {
  let api: ExtensionApi;
  before(async () => {
    ({ api } = await activateExtension());
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('gpuPartitions.showDetails on a GPU opens the "GPU Partitions: Details" webview panel', async () => {
    const { servers } = await demoServers(api);
    const n01 = servers.find((s) => s.label === 'AZL-N01');
    assert.ok(n01);
    const gpu = (await descendants(api, n01.element)).find((r) => r.contextValue === 'gpuPartitions.gpu.partitioned');
    assert.ok(gpu, 'a partitioned GPU under AZL-N01');
    assert.equal(webviewTabs().length, 0);
    await vscode.commands.executeCommand('gpuPartitions.showDetails', gpu.element);
    const tab = await waitFor('the details tab', async () => webviewTabs().find((t) => t.label === 'GPU Partitions: Details'));
    assert.ok(tab.input instanceof vscode.TabInputWebview);
  });

  it('gpuPartitions.configurePartitionCount on the cluster opens its form for the demo connection', async () => {
    const { cluster } = await demoServers(api);
    await vscode.commands.executeCommand('gpuPartitions.configurePartitionCount', cluster.element);
    const tab = await waitFor('the configure tab', async () => webviewTabs().find((t) => /demo/.test(t.label)));
    assert.match(tab.label, /demo/);
    assert.ok(tab.isActive, 'the form is the active editor');
  });
});
