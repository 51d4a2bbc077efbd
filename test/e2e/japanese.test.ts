// VS Code in Japanese (locale ja) on the demo cluster: the view container and tree, a form, the
// prerequisite report and a notification show the extension's Japanese strings.
// Screenshots: docs/images/ja-tree.png, ja-assign.png, ja-checks.png, ja-notification.png.
//
// What works offline, honestly: code-server's `--locale ja` alone leaves VS Code in English,
// because VS Code resolves a display language only when a language pack for it is installed, and
// the Japanese language pack (MS-CEINTL.vscode-language-pack-ja) cannot be downloaded here. The
// test therefore declares `ja` in the user data folder's languagepacks.json (what installing a
// language pack writes) with an EMPTY workbench translation: VS Code then resolves `ja`, so
// `vscode.env.language` is `ja` and VS Code loads our package.nls.ja.json and
// l10n/bundle.l10n.ja.json, while VS Code's own UI (menus, the "Manage" button…) stays English.
// With the real language pack installed, the workbench is Japanese as well.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { demoSettings, installVsix, prepareRunDir, ROOT as ROOT_DIR, startCodeServer, type CodeServer } from '../../scripts/lib/code-server.mjs';
import { ensureVscode } from '../../scripts/setup-vscode.mjs';
import { E2E_SETTINGS, launchBrowser, saveFailureArtifacts, screenshot, waitForNotification, waitUntil, type Workbench } from './harness';

const CONTAINER = 'GPU パーティション';
const TREE = 'クラスター';

/** Starts code-server with `--locale ja` and `ja` declared (see the file comment), the .vsix installed, and Chromium on it. */
async function startJapanese(): Promise<Workbench> {
  const vs = ensureVscode();
  const dirs = prepareRunDir(path.join(ROOT_DIR, '.cache', 'e2e', `japanese-${process.pid}`), { settings: demoSettings({ ...E2E_SETTINGS }) });
  installVsix(vs, dirs);
  const translation = path.join(dirs.runDir, 'ja-empty.i18n.json');
  writeFileSync(translation, JSON.stringify({ version: '1.0.0', contents: {} }));
  writeFileSync(
    path.join(dirs.userDataDir, 'languagepacks.json'),
    JSON.stringify({ ja: { hash: 'gpup-ja-empty-1', extensions: [{ extensionIdentifier: { id: 'gpup-test.ja-locale' }, version: '1.0.0' }], translations: { vscode: translation }, label: '日本語' } }),
  );
  const server: CodeServer = await startCodeServer(vs, dirs, { extraArgs: ['--locale', 'ja'] });
  const context = await launchBrowser(path.join(dirs.runDir, 'chromium-profile'));
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  const url = `${server.url}?folder=${encodeURIComponent(dirs.workspace)}`;
  await page.goto(url);
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
  return {
    page,
    context,
    server,
    dirs,
    url,
    consoleLines,
    close: async () => {
      await context.close().catch(() => undefined);
      await server.stop();
    },
  };
}

function tree(page: Page): Locator {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: TREE }) }).locator('.monaco-list').first();
}

function row(page: Page, label: string): Locator {
  return tree(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) })
    .first();
}

async function expand(page: Page, label: string): Promise<void> {
  const r = row(page, label);
  await r.waitFor({ timeout: 30_000 });
  if ((await r.getAttribute('aria-expanded')) === 'false') await r.click();
  await waitUntil(async () => (await r.getAttribute('aria-expanded')) === 'true', `${label} expanded`);
}

async function menu(page: Page, label: string, item: string): Promise<void> {
  await row(page, label).click({ button: 'right' });
  const entry = page.locator('.context-view .monaco-menu .action-item .action-label', { hasText: item }).first();
  await entry.waitFor({ timeout: 10_000 });
  await entry.click();
}

function webview(page: Page, tab: string): FrameLocator {
  void page.locator('.tabs-container .tab', { hasText: tab }).first().click().catch(() => undefined);
  return page.locator('iframe.webview.ready:visible').last().contentFrame().frameLocator('#active-frame');
}

describe('e2e: VS Code in Japanese (locale ja)', function () {
  let wb: Workbench | undefined;
  let failed = false;
  before(async function () {
    this.timeout(180_000);
    wb = await startJapanese();
  });
  afterEach(async function () {
    if (wb && this.currentTest?.state === 'failed') {
      failed = true;
      await saveFailureArtifacts(wb, this.currentTest.fullTitle());
    }
  });
  after(async function () {
    this.timeout(30_000);
    await wb?.close(failed);
  });

  it('shows the view container, tree, history welcome and descriptions in Japanese', async function () {
    this.timeout(120_000);
    const page = wb!.page;
    // The activity-bar entry is titled from package.nls.ja.json.
    const icon = page.locator(`.part.activitybar [aria-label^="${CONTAINER}"]`).first();
    await icon.waitFor({ timeout: 60_000 });
    await icon.click();
    await page.locator('.part.sidebar .composite.title', { hasText: CONTAINER }).waitFor();
    await tree(page).waitFor();
    await page.locator('.part.sidebar .pane-header', { hasText: '操作履歴' }).waitFor();
    // Widen the sidebar so the descriptions are readable in the screenshot.
    const box = (await page.locator('.part.sidebar').boundingBox())!;
    await page.mouse.move(box.x + box.width, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 520, box.y + box.height / 2, { steps: 3 });
    await page.mouse.up();

    await expand(page, 'demo');
    const demo = row(page, 'demo');
    await waitUntil(async () => /4 台のサーバー/.test((await demo.locator('.label-description').textContent()) ?? ''), 'Japanese cluster description');
    assert.match((await demo.locator('.label-description').textContent()) ?? '', /シミュレーション/);
    await expand(page, 'AZL-N01');
    const gpu = row(page, 'NVIDIA A2 #1');
    await gpu.waitFor({ timeout: 30_000 });
    assert.match((await gpu.locator('.label-description').textContent()) ?? '', /^16 個のパーティション · 割り当て済み 0 · 空き 16 · 14\.82 GiB$/);
    assert.ok((await tree(page).locator('.label-name', { hasText: /^\s*仮想マシン\s*$/ }).count()) >= 1, 'the VM group is labelled 仮想マシン');
    assert.match((await row(page, 'render-01').locator('.label-description').first().textContent()) ?? '', /起動まで保留中|オフ/);

    // The Operation history view's welcome text (viewsWelcome, package.nls.ja.json).
    const historyHeader = page.locator('.part.sidebar .pane-header', { hasText: '操作履歴' });
    if ((await historyHeader.getAttribute('aria-expanded')) !== 'true') await historyHeader.click();
    await page.locator('.part.sidebar .welcome-view-content', { hasText: '記録された操作はまだありません。' }).waitFor({ timeout: 20_000 });
    await screenshot(wb!, 'ja-tree');
    await historyHeader.click(); // fold it again for the next screenshots
  });

  it('opens the Assign partition form in Japanese from the context menu', async function () {
    this.timeout(120_000);
    const page = wb!.page;
    await menu(page, 'cad-ws-02', 'パーティションの割り当て…');
    const form = webview(page, 'パーティションの割り当て');
    await form.locator('h1', { hasText: 'VM への GPU パーティションの割り当て' }).waitFor({ timeout: 30_000 });
    await form.getByText('強制的にシャットダウンするオフライン アクションを構成する').first().waitFor();
    await form.getByText('使用可能な VRAM オプションを選択します。', { exact: false }).first().waitFor();
    await screenshot(wb!, 'ja-assign');
  });

  it('shows the prerequisite report in Japanese', async function () {
    this.timeout(120_000);
    const page = wb!.page;
    await menu(page, 'demo', '前提条件の確認');
    const report = webview(page, '前提条件: demo');
    await report.locator('h1', { hasText: '前提条件の確認' }).waitFor({ timeout: 30_000 });
    await waitUntil(async () => /^不合格 0、警告 0、合格 \d+。$/.test((await report.locator('[data-testid="summary"]').getAttribute('aria-label')) ?? ''), 'the Japanese summary', 60_000);
    await report.getByText('Hyper-V の役割がインストールされている').first().waitFor();
    await screenshot(wb!, 'ja-checks');
  });

  it('assigns a partition and tells so in Japanese', async function () {
    this.timeout(150_000);
    const page = wb!.page;
    const form = webview(page, 'パーティションの割り当て');
    const offline = form.locator('#offline-action');
    await offline.waitFor({ timeout: 20_000 });
    await offline.click();
    assert.match((await form.locator('#assign').textContent()) ?? '', /パーティションの割り当て/);
    await form.locator('#assign').click();
    // The modal confirmation (cad-ws-02 is running: it is turned off and on again).
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 20_000 });
    assert.match((await dialog.textContent()) ?? '', /実行中の VM 1 台がオフになり、再びオンになります。/);
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'パーティションの割り当て' }).first().click();
    await waitForNotification(wb!, 'パーティションが正常に割り当てられました。', 90_000);
    await screenshot(wb!, 'ja-notification');
  });
});
