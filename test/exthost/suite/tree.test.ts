import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, demoServers, descendants, rowsOf, type ExtensionApi } from './helpers';

// The demo connection comes from the user settings the runner writes:
// gpuPartitions.clusters = [{ name: 'demo', kind: 'sim', scenario: 'demo' }] (names.md).
describe('demo cluster tree', () => {
  let api: ExtensionApi;
  before(async () => {
    ({ api } = await activateExtension());
  });

  it('the settings hold the demo connection', () => {
    const clusters = vscode.workspace.getConfiguration('gpuPartitions').get<unknown[]>('clusters');
    assert.deepEqual(clusters, [{ name: 'demo', kind: 'sim', scenario: 'demo' }]);
  });

  it('shows cluster azl-demo with servers AZL-N01..AZL-N04', async () => {
    const { cluster, servers } = await demoServers(api);
    assert.equal(cluster.item.collapsibleState !== vscode.TreeItemCollapsibleState.None, true, 'cluster row must be expandable');
    assert.match(cluster.description, /azl-demo/, 'the loaded connection names its cluster');
    assert.deepEqual(servers.map((s) => s.label).sort(), ['AZL-N01', 'AZL-N02', 'AZL-N03', 'AZL-N04']);
  });

  it('AZL-N01 has two partitioned NVIDIA A2 GPUs and its VMs with state-specific context values', async () => {
    const { servers } = await demoServers(api);
    const n01 = servers.find((s) => s.label === 'AZL-N01');
    assert.ok(n01);
    const rows = await descendants(api, n01.element);
    const gpus = rows.filter((r) => r.contextValue.startsWith('gpuPartitions.gpu.'));
    assert.equal(gpus.length, 2, `GPU rows: ${gpus.map((g) => g.label).join(', ')}`);
    for (const g of gpus) {
      assert.equal(g.contextValue, 'gpuPartitions.gpu.partitioned');
      assert.match(g.label, /NVIDIA A2/);
      assert.ok(g.item.iconPath, 'GPU row has an icon');
    }
    const vms = new Map(rows.filter((r) => r.contextValue.startsWith('gpuPartitions.vm.')).map((r) => [r.label, r]));
    // names.md "demo": cad-ws-01/02 Running without adapter, render-01 Off with a pending adapter,
    // archive-01 Saved without adapter.
    assert.equal(vms.get('cad-ws-01')?.contextValue, 'gpuPartitions.vm.running.noPartition');
    assert.equal(vms.get('cad-ws-02')?.contextValue, 'gpuPartitions.vm.running.noPartition');
    assert.equal(vms.get('render-01')?.contextValue, 'gpuPartitions.vm.off.withPartition');
    assert.equal(vms.get('archive-01')?.contextValue, 'gpuPartitions.vm.saved.noPartition');
    for (const vm of vms.values()) assert.ok(vm.item.iconPath, `VM row ${vm.label} has an icon`);
    // No VM of the demo holds a resolved partition at start (names.md).
    assert.equal(rows.filter((r) => r.contextValue === 'gpuPartitions.partition.held').length, 0);
  });

  it('every row carries a contextValue from names.md', async () => {
    const { cluster } = await demoServers(api);
    const known = /^gpuPartitions\.(cluster|error|server|group\.(gpus|vms)|gpu\.[a-z]+|partition\.(held|pending|free)|vm\.[a-z]+\.(withPartition|noPartition))$/;
    const rows = await descendants(api, cluster.element, 5);
    const bad = rows.filter((r) => !known.test(r.contextValue)).map((r) => `${r.label}=${r.contextValue}`);
    assert.deepEqual(bad, []);
  });

  it('gpuPartitions.refresh resolves and the tree still shows the four servers', async () => {
    await vscode.commands.executeCommand('gpuPartitions.refresh');
    const { servers } = await demoServers(api);
    assert.equal(servers.length, 4);
    const roots = await rowsOf(api);
    assert.equal(roots.filter((r) => r.contextValue === 'gpuPartitions.error').length, 0, 'no error node after refresh');
  });
});
