// The demo cluster in the real workbench: what a person sees after `npm start`.
import * as assert from 'node:assert/strict';
import {
  allTreeLabels,
  expandTreeItem,
  openView,
  readOutputPanel,
  revealTreeRow,
  rowDescription,
  rowIcon,
  runCommandFromPalette,
  screenshot,
  treeRow,
  scrollTop,
  useWorkbench,
  waitUntil,
} from './harness';

describe('e2e: GPU Partitions tree (demo)', function () {
  const wb = useWorkbench({ name: 'tree' });

  it('opens the GPU Partitions view and shows the demo connection', async () => {
    await openView(wb);
    await treeRow(wb, 'demo').waitFor({ timeout: 30_000 });
  });

  it('expands the demo connection into cluster azl-demo with servers AZL-N01..AZL-N04', async () => {
    await expandTreeItem(wb, 'demo');
    await waitUntil(async () => /azl-demo/.test(await rowDescription(wb, 'demo')), 'the demo row to name cluster azl-demo');
    for (const s of ['AZL-N01', 'AZL-N02', 'AZL-N03', 'AZL-N04']) await revealTreeRow(wb, s);
    const labels = await allTreeLabels(wb);
    assert.deepEqual(
      labels.filter((l) => /^AZL-N0\d$/.test(l)),
      ['AZL-N01', 'AZL-N02', 'AZL-N03', 'AZL-N04'],
    );
  });

  it('shows AZL-N01 GPUs as "NVIDIA A2" with a description and its VMs with icons', async () => {
    await expandTreeItem(wb, 'AZL-N01');
    // GPUs and VMs sit under group rows (names.md groups gpuPartitions.group.gpus / .vms).
    await expandTreeItem(wb, /^GPUs$/);
    await expandTreeItem(wb, /^Virtual machines$/);
    const labels = await allTreeLabels(wb);
    const n01 = labels.slice(labels.indexOf('AZL-N01'), labels.indexOf('AZL-N02'));
    const gpus = n01.filter((l) => /^NVIDIA A2\b/.test(l));
    assert.equal(gpus.length, 2, `GPU rows under AZL-N01: ${n01.join(', ')}`);
    for (const g of gpus) {
      // e.g. "16 partitions · ..." (partition count and VRAM).
      assert.match(await rowDescription(wb, g), /16 partitions/, `description of ${g}`);
      assert.match(await rowIcon(wb, g), /codicon/, `icon of ${g}`);
    }
    for (const vm of ['cad-ws-01', 'cad-ws-02', 'render-01', 'archive-01']) {
      assert.ok(n01.includes(vm), `VM ${vm} listed under AZL-N01`);
      assert.match(await rowIcon(wb, vm), /codicon/, `VM ${vm} has an icon`);
    }
    assert.match(await rowDescription(wb, 'cad-ws-01'), /Running/);
    assert.match(await rowDescription(wb, 'archive-01'), /Saved/);
    // A running VM and a saved VM must not look the same.
    assert.notEqual(await rowIcon(wb, 'cad-ws-01'), await rowIcon(wb, 'archive-01'), 'running and saved VMs have different icons');
    await scrollTop(wb);
    await screenshot(wb, 'tree');
  });

  it('runs "GPU Partitions: Refresh" from the command palette and keeps the tree', async () => {
    await runCommandFromPalette(wb, 'GPU Partitions: Refresh');
    await revealTreeRow(wb, 'AZL-N01');
    await revealTreeRow(wb, 'AZL-N04');
    assert.match(await rowDescription(wb, 'demo'), /azl-demo · 4 servers/);
  });

  it('"GPU Partitions: Show Output" opens the GPU Partitions log channel', async () => {
    await runCommandFromPalette(wb, 'GPU Partitions: Show Output');
    // The Output panel's channel picker shows the extension's channel.
    const picker = wb.page.locator('.part.panel select.monaco-select-box, .part.panel .monaco-select-box');
    await waitUntil(async () => {
      const values = await picker.evaluateAll((els) => els.map((e) => (e instanceof HTMLSelectElement ? e.selectedOptions[0]?.text ?? '' : e.getAttribute('title') ?? e.textContent ?? '')));
      return values.some((v) => v.trim() === 'GPU Partitions');
    }, 'the Output panel to show channel "GPU Partitions"');
    // readOutputPanel selects the channel through "Output: Show Output Channels..." and reads it.
    const lines = await readOutputPanel(wb, 'GPU Partitions');
    assert.ok(Array.isArray(lines));
  });
});
