// A slow assign in a real VS Code: while Start-VM runs, the VM's tree row shows a spinner and
// "Starting VM…"; Cancel on the progress notification stops the run through its AbortSignal, and
// the VM that was running is running again. The simulator is slowed by a 'delay' fault in the
// state file of a connection of its own (the demo scenario otherwise).
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createScenario, saveState } from '../../src/sim';
import { answerModal, rowDescriptionOf, vmRow } from './workflowHelpers';
import { ROOT } from '../../scripts/lib/code-server.mjs';
import { contextMenu, expandTreeItem, openView, screenshot, treeRow, useWorkbench, waitForNotification, waitUntil, webviewFrame } from './harness';

const stateDir = path.join(ROOT, '.cache', 'e2e-state');
mkdirSync(stateDir, { recursive: true });
const stateFile = path.join(stateDir, `slow-demo-${process.pid}.json`);
const state = createScenario('demo');
// Every Start-VM on AZL-N01 takes 8 s: long enough to see the step and to cancel it.
state.faults.push({ host: 'AZL-N01', operation: 'startVm', kind: 'delay', ms: 8000 });
saveState(stateFile, state);

describe('e2e: a slow assign shows its step in the tree and can be cancelled', function () {
  const wb = useWorkbench({ name: 'workflows-cancel', settings: { 'gpuPartitions.clusters': [{ name: 'slow', kind: 'sim', stateFile }] } });

  it('shows "Starting VM…" with a spinner on the VM row, then Cancel leaves the VM running', async function () {
    this.timeout(120_000);
    await openView(wb);
    await expandTreeItem(wb, 'slow');
    await expandTreeItem(wb, 'AZL-N01');
    for (const group of [/^\s*GPUs\b/, /^\s*Virtual machines\b/]) {
      if (await treeRow(wb, group).count()) await expandTreeItem(wb, group);
    }
    await contextMenu(wb, 'cad-ws-02', 'Assign Partition…');
    const form = webviewFrame(wb, 'Assign partition');
    await form.locator('li[data-vm="cad-ws-02"] vscode-checkbox').waitFor({ timeout: 30_000 });
    await waitUntil(() => form.locator('li[data-vm="cad-ws-02"] vscode-checkbox').evaluate((e) => (e as HTMLInputElement).checked), 'cad-ws-02 preselected');
    await form.locator('#assign').click();
    await answerModal(wb, 'Assign partition');

    // The node is busy: spinner icon and the step as its description.
    await waitUntil(async () => /Starting VM…/.test(await rowDescriptionOf(vmRow(wb, 'cad-ws-02'))), 'cad-ws-02 to show "Starting VM…"', 20_000);
    const icon = (await vmRow(wb, 'cad-ws-02').locator('.custom-view-tree-node-item-icon, .codicon').first().getAttribute('class')) ?? '';
    assert.match(icon, /codicon-loading|codicon-modifier-spin/, icon);
    // The form shows the same step for that VM.
    await waitUntil(async () => (await form.locator('li.item[data-target="cad-ws-02"][data-status="running"]').count()) === 1, 'the form to show cad-ws-02 running');
    await screenshot(wb, 'busy');

    // Cancel from the progress notification.
    const toast = wb.page.locator('.notification-toast').filter({ hasText: 'Assigning GPU partitions' });
    await toast.hover();
    await toast.locator('.monaco-button, .action-label', { hasText: /^\s*Cancel\s*$/ }).first().click();
    await waitForNotification(wb, 'The operation was cancelled.', 30_000);
    await waitUntil(async () => (await form.locator('li.item[data-target="cad-ws-02"][data-status="cancelled"]').count()) === 1, 'the form to show cad-ws-02 cancelled', 20_000);

    // No VM that was running is left off, and the tree is no longer busy.
    await openView(wb);
    await waitUntil(async () => /^Running\b/.test(await rowDescriptionOf(vmRow(wb, 'cad-ws-02'))), 'cad-ws-02 Running again', 30_000);
    assert.doesNotMatch(await rowDescriptionOf(vmRow(wb, 'cad-ws-02')), /…/);
  });
});
