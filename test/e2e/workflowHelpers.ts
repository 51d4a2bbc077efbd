// Small helpers the workflow e2e tests share (on top of ./harness).
import type { Locator } from 'playwright-core';
import type { Workbench } from './harness';

/** Clicks a button of VS Code's modal dialog and returns the dialog's text. */
export async function answerModal(wb: Workbench, button: string | RegExp): Promise<string> {
  const dialog = wb.page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 20_000 });
  const text = ((await dialog.textContent()) ?? '').trim();
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: button }).first().click();
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });
  return text;
}

/**
 * The VM row of `vm`: the last tree row with that exact label (a VM holding a partition also has a
 * partition row with its name under the GPU, which comes first).
 */
export function vmRow(wb: Workbench, vm: string): Locator {
  const escaped = vm.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return wb.page
    .locator('.part.sidebar .monaco-list-row')
    .filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escaped}\\s*$`) }) })
    .last();
}

export async function rowDescriptionOf(row: Locator): Promise<string> {
  const d = row.locator('.label-description');
  return (await d.count()) ? ((await d.first().textContent()) ?? '').trim() : '';
}
