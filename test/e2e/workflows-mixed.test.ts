// The Configure partition count form on the `mixed` scenario in a real VS Code: each WAC warning
// and error appears for its selection (domain doc §2), and an error disables the button.
// mixed: AZL-N04's GPUs are at 8 partitions (the others 16); cad-ws-01 on AZL-N01 holds a
// partition of that server's first GPU (names.md).
import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { contextMenu, expandTreeItem, openView, reloadWindow, runCommandFromPalette, screenshot, useWorkbench, waitUntil, webviewFrame } from './harness';

const MIXED = [{ name: 'mixed', kind: 'sim', scenario: 'mixed' }];

async function messageCodes(form: FrameLocator): Promise<{ warnings: string[]; errors: string[] }> {
  const codes = async (kind: string) => (await form.locator(`.message.${kind}[data-code]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-code')!))).sort();
  return { warnings: await codes('warning'), errors: await codes('error') };
}

async function buttonDisabled(form: FrameLocator): Promise<boolean> {
  return form.locator('#configure').evaluate((b) => b.hasAttribute('disabled'));
}

/** Waits until the page shows exactly these codes (validation runs on the extension side). */
async function expectCodes(form: FrameLocator, warnings: string[], errors: string[]): Promise<void> {
  let last = { warnings: [] as string[], errors: [] as string[] };
  await waitUntil(async () => {
    last = await messageCodes(form);
    return JSON.stringify(last) === JSON.stringify({ warnings: [...warnings].sort(), errors: [...errors].sort() });
  }, `warnings ${warnings} and errors ${errors}`, 15_000).catch(() => {
    throw new Error(`expected warnings ${JSON.stringify(warnings)} errors ${JSON.stringify(errors)}, page shows ${JSON.stringify(last)}`);
  });
}

describe('e2e: Configure partition count on the mixed scenario', function () {
  const wb = useWorkbench({ name: 'workflows-mixed', settings: { 'gpuPartitions.clusters': MIXED } });

  it('shows each WAC warning and error for its selection, and errors disable the button', async function () {
    this.timeout(120_000);
    await openView(wb);
    await expandTreeItem(wb, 'mixed');
    await contextMenu(wb, 'mixed', 'Configure Partition Count…');
    const form = webviewFrame(wb);
    await form.locator('table.gpus').first().waitFor({ timeout: 30_000 });
    const box = (server: string, i: number) => form.locator(`section[data-server="${server}"] table.gpus vscode-checkbox`).nth(i);

    // Default: the largest homogeneous set (AZL-N01..N03 at 16), which includes the GPU whose
    // partition cad-ws-01 holds: error; the cluster is not homogeneous: warning.
    await expectCodes(form, ['notAllSameConfiguration'], ['assignedPartitionSelected']);
    assert.match((await form.locator('.message.error[data-code="assignedPartitionSelected"]').textContent()) ?? '', /cad-ws-01/);
    assert.equal(await buttonDisabled(form), true, 'an error disables Configure partition count');
    await screenshot(wb, 'configure-mixed-error');

    // Leave that GPU out: the error goes, the "deselected from the homogeneous set" warning comes; warnings do not block.
    await box('AZL-N01', 0).click();
    await expectCodes(form, ['notAllSameConfiguration', 'deselectedFromHomogeneousSet'], []);
    await waitUntil(async () => !(await buttonDisabled(form)), 'the button to be enabled');

    // Add an AZL-N04 GPU (8 partitions): different configurations selected.
    await box('AZL-N04', 0).click();
    await expectCodes(form, ['notAllSameConfiguration', 'deselectedFromHomogeneousSet'], ['differentConfigurationsSelected']);
    assert.equal(await buttonDisabled(form), true);
    await screenshot(wb, 'configure-mixed-different');

    // Nothing selected: an error as well.
    for (const b of await form.locator('table.gpus vscode-checkbox').all()) {
      if (await b.evaluate((el) => (el as HTMLInputElement).checked)) await b.click();
    }
    await expectCodes(form, ['notAllSameConfiguration'], ['nothingSelected']);
    assert.equal(await buttonDisabled(form), true);
  });

  it('restores the form after a window reload, with the selection the page kept', async function () {
    this.timeout(120_000);
    const form0 = webviewFrame(wb);
    // Select exactly one AZL-N04 GPU (8 partitions) before the reload.
    await form0.locator('section[data-server="AZL-N04"] table.gpus vscode-checkbox').nth(1).click();
    await expectCodes(form0, ['notAllSameConfiguration', 'deselectedFromHomogeneousSet'], []);
    await reloadWindow(wb);
    const form = webviewFrame(wb);
    await form.locator('table.gpus').first().waitFor({ timeout: 60_000 });
    await expectCodes(form, ['notAllSameConfiguration', 'deselectedFromHomogeneousSet'], []);
    const ticked = await form.locator('table.gpus vscode-checkbox').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked));
    assert.deepEqual(ticked, [false, false, false, false, false, false, false, true]);
  });

  it('is usable by keyboard alone: Tab moves between checkboxes, Space toggles, the dropdown and the button are reachable', async function () {
    this.timeout(60_000);
    const form = webviewFrame(wb);
    const boxes = form.locator('table.gpus vscode-checkbox');
    await boxes.first().focus();
    await wb.page.keyboard.press('Space');
    await waitUntil(() => boxes.first().evaluate((e) => (e as HTMLInputElement).checked), 'Space to tick the focused checkbox');
    // That GPU's partition is held by cad-ws-01: error; Space again unticks it and the error goes.
    await expectCodes(form, ['notAllSameConfiguration', 'deselectedFromHomogeneousSet'], ['assignedPartitionSelected', 'differentConfigurationsSelected']);
    await wb.page.keyboard.press('Space');
    await expectCodes(form, ['notAllSameConfiguration', 'deselectedFromHomogeneousSet'], []);
    await wb.page.keyboard.press('Tab');
    assert.equal(await boxes.nth(1).evaluate((e) => e === document.activeElement), true, 'Tab moves to the next GPU');
    // Keep tabbing: the Number of partitions dropdown and the Configure button come next in order.
    const reached = new Set<string>();
    for (let i = 0; i < 20 && !reached.has('configure'); i++) {
      await wb.page.keyboard.press('Tab');
      const id = await form.locator('body').evaluate(() => document.activeElement?.id ?? '');
      if (id) reached.add(id);
    }
    assert.ok(reached.has('count') && reached.has('configure'), `reached by Tab: ${[...reached].join(', ')}`);
  });

  it('runs under the strict CSP without a violation (and a violation would be seen)', async function () {
    this.timeout(30_000);
    const violations = () => wb.consoleLines.filter((l) => /Refused to|Content Security Policy/i.test(l));
    assert.deepEqual(violations(), [], 'no CSP violation while the forms ran');
    // Control: an inline <style> without the nonce is refused by the page's CSP, and reported.
    await webviewFrame(wb).locator('body').evaluate(() => {
      const st = document.createElement('style');
      st.textContent = 'body { color: red }';
      document.head.appendChild(st);
    });
    await waitUntil(async () => violations().length > 0, 'the deliberate CSP violation to be reported', 10_000);
  });

  it('Unassign from the command palette asks for the server and the VMs with QuickPicks, then opens the form preselected', async function () {
    this.timeout(60_000);
    const { page } = wb;
    await runCommandFromPalette(wb, 'GPU Partitions: Unassign Partition…');
    const row = (label: string) =>
      page.locator('.quick-input-widget .quick-input-list .monaco-list-row:visible').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) }).first();
    // One connection, so no connection pick; the server pick offers servers with partitions first.
    await row('AZL-N01').waitFor({ timeout: 10_000 });
    await row('AZL-N01').click();
    // Many VMs may be picked; only VMs with a partition are offered (cad-ws-01 holds one, render-01 is pending).
    await row('cad-ws-01').waitFor({ timeout: 10_000 });
    assert.equal(await row('cad-ws-02').count(), 0, 'a VM without a partition is not offered');
    await row('cad-ws-01').click();
    await page.keyboard.press('Enter');
    const form = webviewFrame(wb, 'Unassign partition');
    const box = form.locator('li[data-vm="cad-ws-01"] vscode-checkbox');
    await box.waitFor({ timeout: 30_000 });
    await waitUntil(() => box.evaluate((e) => (e as HTMLInputElement).checked), 'cad-ws-01 preselected');
    assert.equal(await form.locator('li[data-vm="render-01"] vscode-checkbox').evaluate((e) => (e as HTMLInputElement).checked), false);
  });
});
