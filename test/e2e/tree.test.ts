// The demo cluster in the real workbench: what a person sees after `npm start`.
import * as assert from 'node:assert/strict';
import {
  expandTreeItem,
  openView,
  readOutputPanel,
  rowDescription,
  rowIcon,
  runCommandFromPalette,
  screenshot,
  treeRow,
  useWorkbench,
  visibleTreeLabels,
  waitUntil,
} from './harness';

describe('e2e: GPU Partitions tree (demo)', function () {
  const wb = useWorkbench({ name: 'tree' });

  it('opens the GPU Partitions view and shows the demo cluster', async () => {
    await openView(wb);
    await treeRow(wb, /azl-demo|^demo$/).waitFor({ timeout: 30_000 });
  });

  it('expands the demo cluster into servers AZL-N01..AZL-N04', async () => {
    const clusterLabel = (await treeRow(wb, 'azl-demo').count()) ? 'azl-demo' : 'demo';
    await expandTreeItem(wb, clusterLabel);
    for (const s of ['AZL-N01', 'AZL-N02', 'AZL-N03', 'AZL-N04']) {
      await treeRow(wb, s).waitFor({ timeout: 10_000 });
    }
    const labels = await visibleTreeLabels(wb);
    assert.deepEqual(
      labels.filter((l) => /^AZL-N0\d$/.test(l)),
      ['AZL-N01', 'AZL-N02', 'AZL-N03', 'AZL-N04'],
    );
  });

  it('shows AZL-N01 GPUs as "NVIDIA A2" with a description and its VMs with icons', async () => {
    await expandTreeItem(wb, 'AZL-N01');
    // GPUs may sit directly under the server or under a "GPUs" group row (names.md groups).
    for (const group of ['GPUs', 'Virtual machines', 'VMs']) {
      if (await treeRow(wb, new RegExp(`^\\s*${group}\\b`)).count()) await expandTreeItem(wb, new RegExp(`^\\s*${group}\\b`));
    }
    const gpuRows = wb.page.locator('.part.sidebar .monaco-list-row').filter({ hasText: 'NVIDIA A2' });
    await waitUntil(async () => (await gpuRows.count()) >= 2, 'two NVIDIA A2 rows under AZL-N01');
    const gpuLabel = ((await gpuRows.first().locator('.label-name').textContent()) ?? '').trim();
    assert.match(gpuLabel, /NVIDIA A2/);
    const desc = await rowDescription(wb, gpuLabel);
    assert.notEqual(desc, '', 'the GPU row shows a description (partitions / VRAM)');
    assert.notEqual(await rowIcon(wb, gpuLabel), '', 'the GPU row has an icon');

    for (const vm of ['cad-ws-01', 'cad-ws-02', 'render-01', 'archive-01']) {
      await treeRow(wb, vm).waitFor({ timeout: 10_000 });
      assert.notEqual(await rowIcon(wb, vm), '', `VM ${vm} has an icon`);
    }
    // A running VM and an off VM must not look the same.
    assert.notEqual(await rowIcon(wb, 'cad-ws-01'), await rowIcon(wb, 'render-01'), 'running and off VMs have different icons');
    await screenshot(wb, 'tree');
  });

  it('runs "GPU Partitions: Refresh" from the command palette and keeps the tree', async () => {
    await runCommandFromPalette(wb, 'GPU Partitions: Refresh');
    await treeRow(wb, 'AZL-N01').waitFor({ timeout: 20_000 });
    await treeRow(wb, 'AZL-N04').waitFor({ timeout: 20_000 });
  });

  it('writes to the "GPU Partitions" output channel', async () => {
    const lines = await readOutputPanel(wb, 'GPU Partitions');
    assert.ok(lines.some((l) => l.trim() !== ''), `output channel is empty: ${JSON.stringify(lines)}`);
    // The refresh (and the first load) read the demo inventory: the log names the connection or cluster.
    assert.ok(lines.some((l) => /demo|azl-demo/i.test(l)), `no line mentions the demo connection:\n${lines.join('\n')}`);
    await screenshot(wb, 'output-panel');
  });
});
