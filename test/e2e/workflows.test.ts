// The GPU-P workflows in a real VS Code (code-server) on the demo cluster, end to end:
// configure 16 -> 8 partitions on the homogeneous set, assign a partition to the running VM
// cad-ws-02 from its right-click menu with the force-shutdown offline action, see it Running with
// its partition, read the steps in the output panel, show the details, unassign it.
// Screenshots: docs/images/{configure,assign,output,details,unassign}.png.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator } from 'playwright-core';
import {
  contextMenu,
  expandTreeItem,
  openView,
  readOutputPanel,
  rowDescription,
  runCommandFromPalette,
  screenshot,
  treeRow,
  useWorkbench,
  waitForNotification,
  waitUntil,
  webviewFrame,
  type Workbench,
} from './harness';
import { answerModal } from './workflowHelpers';

/** Picks an option of a vscode-single-select inside the webview (opens it, clicks the option). */
async function chooseOption(frame: FrameLocator, select: string, option: string | RegExp): Promise<void> {
  await frame.locator(select).click();
  await frame.locator(`${select} .option, ${select} [role="option"]`, { hasText: option }).first().click();
}

async function checked(box: Locator): Promise<boolean> {
  return box.evaluate((el) => (el as HTMLInputElement).checked);
}

/** Expands the groups under a server so GPUs, partitions and VMs are rendered. */
async function expandServer(wb: Workbench, server: string): Promise<void> {
  await expandTreeItem(wb, server);
  for (const group of [/^\s*GPUs\b/, /^\s*Virtual machines\b/]) {
    if (await treeRow(wb, group).count()) await expandTreeItem(wb, group);
  }
}

/** The Output panel's rendered lines, top to bottom, as they are now (no channel switching). */
async function renderedOutput(wb: Workbench): Promise<string> {
  const lines = wb.page.locator('.part.panel .monaco-editor .view-lines .view-line');
  const rendered: { top: number; text: string }[] = [];
  for (const l of await lines.all()) {
    const top = Number(/top:\s*(-?\d+)/.exec((await l.getAttribute('style')) ?? '')?.[1] ?? 0);
    rendered.push({ top, text: ((await l.textContent()) ?? '').replace(/\u00a0/g, ' ') });
  }
  return rendered.sort((a, b) => a.top - b.top).map((r) => r.text).join('\n');
}

describe('e2e: GPU-P workflows (demo)', function () {
  const wb = useWorkbench({ name: 'workflows' });

  it('configures 16 -> 8 partitions on the homogeneous set', async function () {
    this.timeout(120_000);
    await openView(wb);
    // The cluster row is labelled with the connection name ("demo"; its cluster azl-demo is the description).
    await expandTreeItem(wb, 'demo');
    await contextMenu(wb, 'demo', 'Configure Partition Count…');
    const form = webviewFrame(wb);
    await form.locator('table.gpus').first().waitFor({ timeout: 30_000 });

    // The homogeneous set (all 8 A2 GPUs, 4 servers x 2) is preselected.
    const boxes = form.locator('table.gpus vscode-checkbox');
    await waitUntil(async () => (await boxes.count()) === 8, 'eight GPU checkboxes');
    for (const b of await boxes.all()) assert.equal(await checked(b), true, 'every GPU of the homogeneous set is selected');
    await waitUntil(async () => (await form.locator('#count').count()) === 1, 'the Number of partitions dropdown');
    assert.equal(await form.locator('.message.error').count(), 0, 'no error for the homogeneous set');

    // A hostile page: messages posted through the webview's own channel (the same call the
    // page's acquireVsCodeApi().postMessage makes) with a wrong shape, an unknown command, and a
    // huge payload. None may have an effect: no dialog, no run, counts unchanged.
    // Inside the page, acquireVsCodeApi().postMessage(m) calls
    // window.parent.__vscode_post_message__('onmessage', { message: m }) (VS Code's webview
    // pre/index.html); the test calls that same function of the host frame that holds this form.
    const post = async (data: unknown) => {
      for (const f of wb.page.frames()) {
        if ((await f.evaluate(() => typeof (window as unknown as Record<string, unknown>).__vscode_post_message__).catch(() => '')) !== 'function') continue;
        const holdsForm = await Promise.all(f.childFrames().map((c) => c.locator('table.gpus').count().catch(() => 0)));
        if (!holdsForm.some((n) => n > 0)) continue;
        await f.evaluate((d) => (window as unknown as { __vscode_post_message__(c: string, d: unknown): void }).__vscode_post_message__('onmessage', { message: d }), data);
        return;
      }
      throw new Error('no webview host frame holds the Configure form');
    };
    await post({ method: 'configureCount/configure', params: { selected: 'AZL-N01', count: 8 } });
    await post({ method: 'configureCount/formatDisk', params: {} });
    await post({ method: 'configureCount/configure', params: { selected: Array.from({ length: 50_000 }, () => ({ server: 'AZL-N01', gpu: 'x'.repeat(64) })), count: 8 } });
    await post('configureCount/configure');
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(await wb.page.locator('.monaco-dialog-box').count(), 0, 'no confirmation dialog opened');
    assert.equal(await form.locator('[data-testid="operation"]').count(), 0, 'no operation started');
    // Control: the same channel works for a well-formed message (so the checks above can fail):
    // previewScript opens the what-if plan as an untitled PowerShell document.
    const refs = await form.locator('tr[data-gpu]').evaluateAll((rows) =>
      rows.map((r) => ({ server: r.closest('section[data-server]')!.getAttribute('data-server')!, gpu: r.getAttribute('data-gpu')! })),
    );
    assert.equal(refs.length, 8);
    await post({ method: 'configureCount/previewScript', params: { selected: refs, count: 8 } });
    const previewEditor = wb.page.locator('.monaco-editor .view-lines').filter({ hasText: 'Set-VMHostPartitionableGpu' });
    await previewEditor.first().waitFor({ timeout: 20_000 });
    // Monaco renders spaces as U+00A0.
    const previewText = ((await previewEditor.first().textContent()) ?? '').replace(/\u00a0/g, ' ');
    assert.match(previewText, /PartitionCount 8/);
    await runCommandFromPalette(wb, 'View: Revert and Close Editor');

    await chooseOption(form, '#count', /^\s*8\s*$/);
    // WAC: 16 -> 8 on an A2/A16 gives each partition 1.85 GB (domain doc §2).
    await waitUntil(async () => /1\.85/.test((await form.locator('[data-testid="vram-tip"]').textContent()) ?? ''), 'the VRAM tip for 8 partitions');
    await screenshot(wb, 'configure');

    await form.locator('#configure').click();
    const modal = await answerModal(wb, 'Configure partition count');
    assert.match(modal, /8 GPU/);
    await waitForNotification(wb, 'Partition count is successfully configured.', 60_000);

    // The tree shows the new count on every GPU of AZL-N01.
    await expandServer(wb, 'AZL-N01');
    const gpuRows = wb.page.locator('.part.sidebar .monaco-list-row').filter({ has: wb.page.locator('.label-name', { hasText: /^\s*NVIDIA A2\b/ }) });
    await waitUntil(async () => (await gpuRows.count()) >= 2, 'GPU rows of AZL-N01');
    await waitUntil(async () => {
      const descriptions = await gpuRows.locator('.label-description').allTextContents();
      return descriptions.length >= 2 && descriptions.every((d) => /^8 partitions\b/.test(d.trim()));
    }, 'GPU rows to show 8 partitions', 20_000);
    // The form lists the new count too.
    await waitUntil(async () => (await form.locator('table.gpus td.num', { hasText: /^8$/ }).count()) === 8, 'the form to show partition count 8');
  });

  it('assigns a partition to the running VM cad-ws-02 from its context menu, with the force-shutdown offline action', async function () {
    this.timeout(120_000);
    await openView(wb);
    await treeRow(wb, 'cad-ws-02').waitFor({ timeout: 20_000 });
    assert.match(await rowDescription(wb, 'cad-ws-02'), /Running/);
    await contextMenu(wb, 'cad-ws-02', 'Assign Partition…');
    const form = webviewFrame(wb, 'Assign partition');
    const vm = form.locator('li[data-vm="cad-ws-02"] vscode-checkbox');
    await vm.waitFor({ timeout: 30_000 });
    await waitUntil(() => checked(vm), 'cad-ws-02 to be preselected');
    // The other VMs are not ticked; render-01 already has an adapter and is greyed out.
    assert.equal(await checked(form.locator('li[data-vm="cad-ws-01"] vscode-checkbox')), false);
    assert.equal(await form.locator('li[data-vm="render-01"].disabled').count(), 1, 'render-01 (has an adapter) is greyed out');
    assert.match((await form.locator('[data-testid="power-cycle-note"]').textContent()) ?? '', /turned off/);

    await form.locator('#offline-action').click();
    await waitUntil(() => checked(form.locator('#offline-action')), 'offline action checkbox ticked');
    await screenshot(wb, 'assign');

    await form.locator('#assign').click();
    const modal = await answerModal(wb, 'Assign partition');
    assert.match(modal, /cad-ws-02/);
    await waitForNotification(wb, 'Partition is successfully assigned.', 60_000);
    // Per-VM result in the form.
    await waitUntil(async () => (await form.locator('li.item[data-target="cad-ws-02"][data-status="ok"]').count()) === 1, 'cad-ws-02 result ok in the form');

    // The tree: cad-ws-02 Running again, with its partition: two rows are labelled cad-ws-02, the
    // partition under its GPU (first, "partition <id> · Running") and the VM (Running · GPU …).
    const rows = wb.page.locator('.part.sidebar .monaco-list-row').filter({ has: wb.page.locator('.label-name', { hasText: /^\s*cad-ws-02\s*$/ }) });
    await waitUntil(async () => (await rows.count()) === 2, 'a partition row and a VM row for cad-ws-02', 20_000);
    const [partitionDesc, vmDesc] = (await rows.locator('.label-description').allTextContents()).map((t) => t.trim());
    assert.match(partitionDesc, /partition \d+/, `partition row: ${partitionDesc}`);
    assert.match(partitionDesc, /Running/);
    assert.match(vmDesc, /^Running/, `VM row: ${vmDesc}`);
    assert.match(vmDesc, /GPU/);
    assert.ok(Number(await rows.first().getAttribute('aria-level')) > Number(await rows.last().getAttribute('aria-level')), 'the partition row sits deeper (under its GPU)');
  });

  it('shows the steps of the assign in the output panel', async function () {
    this.timeout(60_000);
    await readOutputPanel(wb, 'GPU Partitions');
    // Only the lines inside the viewport render: filter the channel to this VM's lines.
    const filter = wb.page.locator('.part.panel .viewpane-filter input, .part.panel input[placeholder^="Filter"]').first();
    await filter.fill('cad-ws-02');
    await waitUntil(async () => /cad-ws-02/.test(await renderedOutput(wb)), 'the filtered output', 10_000);
    // The filtered lines may still be taller than the panel: read its top and its end.
    await wb.page.locator('.part.panel .monaco-editor .view-lines').first().click();
    await wb.page.keyboard.press('Control+Home');
    await new Promise((r) => setTimeout(r, 300));
    const top = await renderedOutput(wb);
    await screenshot(wb, 'output');
    await wb.page.keyboard.press('Control+End');
    await new Promise((r) => setTimeout(r, 300));
    const text = `${top}\n${await renderedOutput(wb)}`;
    assert.match(text, /cad-ws-02/);
    assert.match(text, /Stop-VM|stop-vm/i);
    assert.match(text, /Add-VMGpuPartitionAdapter|add-adapter/i);
    assert.match(text, /Start-VM|start-vm/i);
    await filter.fill('');
    await wb.page.locator('.part.panel .action-label[aria-label^="Hide Panel"]').first().click();
  });

  it('shows the WAC details of the partition with exact values', async function () {
    this.timeout(60_000);
    await openView(wb);
    // Two rows are labelled cad-ws-02: its partition under the GPU (first) and the VM itself.
    // Selecting the partition row shows its details: the panel follows the tree selection.
    await treeRow(wb, 'cad-ws-02').click();
    await contextMenu(wb, 'cad-ws-02', 'Show Details');
    const details = webviewFrame(wb, 'Details');
    await details.locator('[data-testid="details"]').waitFor({ timeout: 30_000 });
    const text = (await details.locator('[data-testid="details"]').textContent()) ?? '';
    for (const field of ['Partition ID', 'VM ID', 'Instance path', 'Partition VRAM', 'Partition encode', 'Partition decode']) assert.ok(text.includes(field), `details show ${field}`);
    // Exact UInt64 bytes of the partition VRAM, not a rounded figure.
    assert.match(text, /Partition VRAM\s*\d{9,}/);
    await screenshot(wb, 'details');

    // The panel follows the tree selection: selecting a GPU shows WAC's GPU fields.
    await treeRow(wb, /^NVIDIA A2 #1$/).click();
    await waitUntil(async () => /GPU selected/.test((await details.locator('h1').textContent()) ?? ''), 'the details to follow the GPU selection');
    const gpuText = (await details.locator('[data-testid="details"]').textContent()) ?? '';
    for (const field of ['GPU name', 'GPU ID', 'Available encoder', 'Available decoder', 'Available VRAM', 'Valid partition counts', 'Current partition count']) {
      assert.ok(gpuText.includes(field), `GPU details show ${field}`);
    }
    assert.equal(await details.locator('dd[data-field="Valid partition counts"] .value').textContent(), '16, 8, 4, 2, 1');
    assert.equal(await details.locator('dd[data-field="Current partition count"] .value').textContent(), '8');
    assert.equal(await details.locator('dd[data-field="Total VRAM"] .value').textContent(), '15918030848');
    await screenshot(wb, 'details-gpu');
  });

  it('unassigns the partition from cad-ws-02', async function () {
    this.timeout(120_000);
    await openView(wb);
    await contextMenu(wb, 'cad-ws-02', 'Unassign Partition…');
    const form = webviewFrame(wb, 'Unassign partition');
    const vm = form.locator('li[data-vm="cad-ws-02"] vscode-checkbox');
    await vm.waitFor({ timeout: 30_000 });
    await waitUntil(() => checked(vm), 'cad-ws-02 to be preselected');
    await screenshot(wb, 'unassign');
    await form.locator('#unassign').click();
    await answerModal(wb, 'Unassign partition');
    await waitForNotification(wb, 'Partition is successfully unassigned.', 60_000);
    await waitUntil(async () => (await form.locator('li.item[data-target="cad-ws-02"][data-status="ok"]').count()) === 1, 'cad-ws-02 result ok in the form');
    await openView(wb);
    await waitUntil(async () => /Running/.test(await rowDescription(wb, 'cad-ws-02')), 'cad-ws-02 Running again', 20_000);
  });

  it('assigns several selected VM nodes at once (multi-select + context menu), then unassigns them', async function () {
    this.timeout(120_000);
    // One editor group again (the Details panel opened beside), so the form is the visible webview.
    await runCommandFromPalette(wb, 'View: Close All Editors');
    await openView(wb);
    // Select cad-ws-01 and cad-ws-02 (both Running, no partition) in the tree.
    await treeRow(wb, 'cad-ws-01').click();
    await treeRow(wb, 'cad-ws-02').click({ modifiers: ['Control'] });
    await contextMenu(wb, 'cad-ws-02', 'Assign Partition…');
    const form = webviewFrame(wb, 'Assign partition');
    for (const vm of ['cad-ws-01', 'cad-ws-02']) {
      await waitUntil(() => checked(form.locator(`li[data-vm="${vm}"] vscode-checkbox`)), `${vm} to be preselected`);
    }
    assert.equal(await checked(form.locator('li[data-vm="archive-01"] vscode-checkbox')), false);
    await form.locator('#assign').click();
    const modal = await answerModal(wb, 'Assign partition');
    assert.match(modal, /cad-ws-01/);
    assert.match(modal, /cad-ws-02/);
    await waitForNotification(wb, 'Partition is successfully assigned.', 60_000);
    for (const vm of ['cad-ws-01', 'cad-ws-02']) {
      await waitUntil(async () => (await form.locator(`li.item[data-target="${vm}"][data-status="ok"]`).count()) === 1, `${vm} ok in the form`);
    }
    await openView(wb);
    for (const vm of ['cad-ws-01', 'cad-ws-02']) {
      const rows = wb.page.locator('.part.sidebar .monaco-list-row').filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^\\s*${vm}\\s*$`) }) });
      // The VM row (the last row with that label; its partition row may sit under a collapsed GPU).
      await waitUntil(async () => /^Running .*GPU/.test(((await rows.last().locator('.label-description').textContent()) ?? '').trim()), `${vm}: Running with a GPU partition`, 20_000);
    }

    // Unassign both from the Unassign form (both VM rows selected).
    const vmRow = (vm: string) => wb.page.locator('.part.sidebar .monaco-list-row').filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^\\s*${vm}\\s*$`) }) }).last();
    await vmRow('cad-ws-01').click();
    await vmRow('cad-ws-02').click({ modifiers: ['Control'] });
    await vmRow('cad-ws-02').click({ button: 'right' });
    await wb.page.locator('.context-view .monaco-menu .action-label', { hasText: /^\s*Unassign Partition…\s*$/ }).first().click();
    const un = webviewFrame(wb, 'Unassign partition');
    for (const vm of ['cad-ws-01', 'cad-ws-02']) {
      await waitUntil(() => checked(un.locator(`li[data-vm="${vm}"] vscode-checkbox`)), `${vm} to be preselected for unassign`);
    }
    await un.locator('#unassign').click();
    await answerModal(wb, 'Unassign partition');
    await waitForNotification(wb, 'Partition is successfully unassigned.', 60_000);
  });
});
