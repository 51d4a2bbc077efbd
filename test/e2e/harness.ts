/**
 * Playwright harness for end-to-end tests: the packaged .vsix in a real VS Code 1.139.1
 * (code-server 4.139.1) driven in Debian's Chromium through playwright-core.
 * Recipe and measured timings: /work/shared/docs/e2e.md.
 *
 * HOW TO WRITE AN E2E TEST (test/e2e/<topic>.test.ts; run: `npm run test:e2e`, which packages first;
 * add `-- --grep <text>` style filtering with `npx mocha --config .mocharc.json --timeout 180000 test/e2e/x.test.ts`
 * after `npm run package`):
 *
 *   import { useWorkbench, openView, expandTreeItem, treeRow, ... } from './harness';
 *   describe('assign a partition', function () {
 *     const wb = useWorkbench();            // before: fresh code-server + .vsix + demo settings + page;
 *                                           // after: stop; on a failed test: screenshot + browser console
 *                                           // + server log path into test-results/
 *     it('...', async () => {
 *       await openView(wb);                 // GPU Partitions activity-bar view, "Clusters" tree visible
 *       await expandTreeItem(wb, 'azl-demo');
 *       await expandTreeItem(wb, 'AZL-N01');
 *       await contextMenu(wb, 'cad-ws-02', 'Assign GPU Partition...');   // title as shown in the menu
 *       const form = webviewFrame(wb);      // FrameLocator inside the webview (double iframe)
 *       await form.getByRole('button', { name: 'Assign' }).click();
 *       expect((await readNotifications(wb)).some(t => /assigned/.test(t)));
 *       await screenshot(wb, 'assign-form'); // docs/images/assign-form.png
 *     });
 *   });
 *
 * Every helper takes the Workbench `wb` (from useWorkbench or startWorkbench) first.
 *   useWorkbench(opts?)                 mocha hooks in the current describe; returns a live Workbench proxy
 *   startWorkbench(opts?) / wb.close()  the same without hooks (run folder .cache/e2e/<name>-<pid>, removed
 *                                       on close unless a test failed or GPUP_E2E_KEEP=1)
 *     opts.settings: extra user settings merged over the quiet + demo settings
 *     opts.name: run-folder name under .cache/e2e/ (default: derived from the suite title)
 *   openView(wb)                        shows the GPU Partitions view container (sidebar widened to SIDEBAR_WIDTH)
 *   resizeSidebar(wb, px)               drags the sidebar's sash
 *   treeRow(wb, label)                  Locator of the RENDERED tree row whose label is exactly `label` (string
 *                                       or RegExp). The tree is virtualized: use revealTreeRow for rows that
 *                                       may be scrolled out of view (the helpers below all do)
 *   revealTreeRow(wb, label)            scrolls until the row is rendered; returns its Locator
 *   allTreeLabels(wb)                   labels of every row (expanded parts), scrolling through the tree
 *   scrollTop(wb)                       scrolls the tree back to its first row
 *   rowDescription(wb, label)           text of that row's description
 *   rowIcon(wb, label)                  class list of that row's icon (codicon-* / custom icon)
 *   expandTreeItem(wb, label)           expands (no-op when already expanded), waits for children
 *   collapseTreeItem(wb, label)
 *   visibleTreeLabels(wb)               labels of the rendered (on-screen) rows, top to bottom
 *   runCommandFromPalette(wb, title)    F1, type the title, run the exact match ("GPU Partitions: Refresh")
 *   contextMenu(wb, rowLabel, itemTitle) right-click a row and click a context-menu entry
 *   clickInlineAction(wb, rowLabel, actionTitle) hover a row and click its inline action button
 *   readNotifications(wb)               texts of the visible notification toasts
 *   waitForNotification(wb, text, ms?)  waits for a toast (or a hidden one, via the notification center)
 *   readNotificationCenter(wb)          texts of all notifications so far (opens and closes the center)
 *   clearNotifications(wb)              "Notifications: Clear All Notifications"
 *   readOutputPanel(wb, channel)        opens the Output panel on `channel`, returns its rendered lines
 *   webviewFrame(wb, title?)            FrameLocator of the active webview's content (the editor tab title
 *                                       selects one when several are open)
 *   screenshot(wb, name, locator?)      PNG into docs/images/<name>.png (whole page or one element)
 *   wb.page, wb.context                 raw Playwright objects; wb.consoleLines: browser console so far
 *   launchBrowser(profileDir)           just the browser (for a server started some other way, e.g. npm start)
 *
 * Notification toasts are visible here because the UI tests do NOT use the smoke-test driver flag.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { ensureChromium, ensureVscode } from '../../scripts/setup-vscode.mjs';
import { ROOT, demoSettings, installVsix, prepareRunDir, startCodeServer, type CodeServer, type RunDirs } from '../../scripts/lib/code-server.mjs';

export const VIEW_CONTAINER_TITLE = 'GPU Partitions';
export const TREE_VIEW_TITLE = 'Clusters';
export const OUTPUT_CHANNEL = 'GPU Partitions';
export const IMAGES_DIR = path.join(ROOT, 'docs', 'images');
export const RESULTS_DIR = path.join(ROOT, 'test-results');

export interface Workbench {
  page: Page;
  context: BrowserContext;
  server: CodeServer;
  dirs: RunDirs;
  /** URL of the workbench with the workspace folder opened. */
  url: string;
  consoleLines: string[];
  /** Stops browser and server; removes the run folder unless `keep` (or GPUP_E2E_KEEP=1). */
  close(keep?: boolean): Promise<void>;
}

export interface WorkbenchOptions {
  settings?: Record<string, unknown>;
  name?: string;
  /** Page viewport; screenshots in docs/images use the default 1280x800. */
  viewport?: { width: number; height: number };
  /** Keep VS Code's workspace trust on (code-server without --disable-workspace-trust). */
  workspaceTrust?: boolean;
}

/**
 * Settings for deterministic UI tests: sticky scroll would overlay copies of parent rows on top of
 * the tree (a click could land on the copy), and smooth scrolling would make scroll positions lag.
 */
export const E2E_SETTINGS: Record<string, unknown> = {
  'workbench.tree.enableStickyScroll': false,
  'workbench.list.smoothScrolling': false,
};

const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'run';
}

/**
 * Run folders of failed runs are kept for diagnosis; the ones older than two hours whose process is
 * gone are removed here, so .cache/e2e does not grow without bound.
 */
function pruneOldRunFolders(): void {
  const base = path.join(ROOT, '.cache', 'e2e');
  let entries: string[] = [];
  try {
    entries = readdirSync(base);
  } catch {
    return;
  }
  const cutoff = Date.now() - 2 * 3600_000;
  for (const e of entries) {
    const pid = Number(/-(\d+)$/.exec(e)?.[1] ?? NaN);
    if (Number.isInteger(pid) && isAlive(pid)) continue;
    try {
      if (statSync(path.join(base, e)).mtimeMs < cutoff) rmSync(path.join(base, e), { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // raced with another run: fine
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Debian's Chromium (GPUP_CHROMIUM overrides) with a fresh profile folder; headless. */
export async function launchBrowser(profileDir: string, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  const chromiumPath = ensureChromium();
  rmSync(profileDir, { recursive: true, force: true });
  return chromium.launchPersistentContext(profileDir, { executablePath: chromiumPath, headless: true, args: BROWSER_ARGS, viewport });
}

/** Starts code-server with the packaged .vsix installed and the demo connection, opens it in Chromium. */
export async function startWorkbench(opts: WorkbenchOptions = {}): Promise<Workbench> {
  const vs = ensureVscode();
  // One folder per process and suite, so parallel runs (several people, several suites) never collide.
  const name = `${slug(opts.name ?? 'workbench')}-${process.pid}`;
  pruneOldRunFolders();
  const dirs = prepareRunDir(path.join(ROOT, '.cache', 'e2e', name), { settings: demoSettings({ ...E2E_SETTINGS, ...opts.settings }) });
  installVsix(vs, dirs);
  const server = await startCodeServer(vs, dirs, { workspaceTrust: opts.workspaceTrust });
  let context: BrowserContext | undefined;
  try {
    context = await launchBrowser(path.join(dirs.runDir, 'chromium-profile'), opts.viewport);
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.stack ?? e}`));
    const url = `${server.url}?folder=${encodeURIComponent(dirs.workspace)}`;
    await page.goto(url);
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    // The extension's activity-bar icon appears once the extension host has read its manifest.
    await activityBarItem(page).waitFor({ timeout: 60_000 });
    const ctx = context;
    return {
      page,
      context: ctx,
      server,
      dirs,
      url,
      consoleLines,
      close: async (keep = false) => {
        await ctx.close().catch(() => undefined);
        await server.stop();
        // Keep the run folder (server log, extension-host logs) when something failed.
        if (!keep && !process.env.GPUP_E2E_KEEP) rmSync(dirs.runDir, { recursive: true, force: true, maxRetries: 3 });
      },
    };
  } catch (e) {
    await context?.close().catch(() => undefined);
    await server.stop();
    throw e;
  }
}

/**
 * Mocha hooks for the enclosing describe(): one workbench for all its tests (started in before(),
 * closed in after()); after a failed test a screenshot, the browser console and the server log path
 * go to test-results/<test>.{png,console.log}. Returns a proxy that forwards to the live Workbench.
 */
export function useWorkbench(opts: WorkbenchOptions = {}): Workbench {
  let current: Workbench | undefined;
  let failed = false;
  before(async function () {
    this.timeout(180_000);
    current = await startWorkbench({ name: opts.name ?? this.test?.parent?.fullTitle() ?? 'suite', ...opts });
  });
  afterEach(async function () {
    const t = this.currentTest;
    if (!current || !t || t.state !== 'failed') return;
    failed = true;
    await saveFailureArtifacts(current, t.fullTitle());
  });
  after(async function () {
    this.timeout(30_000);
    await current?.close(failed);
    current = undefined;
  });
  return new Proxy({} as Workbench, {
    get(_t, prop) {
      if (!current) throw new Error('workbench not started (useWorkbench() must be called inside describe())');
      return Reflect.get(current, prop);
    },
  });
}

export async function saveFailureArtifacts(wb: Workbench, title: string): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const base = path.join(RESULTS_DIR, slug(title));
  await wb.page.screenshot({ path: `${base}.png` }).catch((e) => wb.consoleLines.push(`[harness] screenshot failed: ${e}`));
  writeFileSync(
    `${base}.console.log`,
    [...wb.consoleLines, `[harness] server log: ${wb.dirs.log}`, `[harness] extension-host logs: ${path.join(wb.dirs.userDataDir, 'logs')}`].join('\n') + '\n',
  );
  console.error(`    failure artifacts: ${path.relative(ROOT, base)}.png / .console.log`);
}

function activityBarItem(page: Page): Locator {
  return page.locator(`.part.activitybar [aria-label^="${VIEW_CONTAINER_TITLE}"]`).first();
}

/** The Clusters tree inside the sidebar. */
function treeContainer(page: Page): Locator {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: TREE_VIEW_TITLE }) }).locator('.monaco-list').first();
}

/** Shows the GPU Partitions view container (clicking its icon only when it is not already shown). */
export async function openView(wb: Workbench): Promise<void> {
  const { page } = wb;
  const item = activityBarItem(page);
  const title = page.locator('.part.sidebar .composite.title');
  if (!((await title.textContent().catch(() => '')) ?? '').toUpperCase().includes(VIEW_CONTAINER_TITLE.toUpperCase())) {
    await item.click();
  }
  await page.locator('.part.sidebar .composite.title', { hasText: new RegExp(VIEW_CONTAINER_TITLE, 'i') }).waitFor();
  await treeContainer(page).waitFor();
  await resizeSidebar(wb, SIDEBAR_WIDTH);
}

/** Sidebar width the harness sets, so descriptions ("16 partitions · 0.93 GiB each") are readable in screenshots. */
export const SIDEBAR_WIDTH = 520;

/** Drags the sash between sidebar and editor so the sidebar is `width` pixels wide. */
export async function resizeSidebar(wb: Workbench, width: number): Promise<void> {
  const box = await wb.page.locator('.part.sidebar').boundingBox();
  if (!box || Math.abs(box.width - width) < 4) return;
  const y = box.y + box.height / 2;
  const x = box.x + box.width;
  await wb.page.mouse.move(x, y);
  await wb.page.mouse.down();
  await wb.page.mouse.move(x + (width - box.width) / 2, y, { steps: 2 });
  await wb.page.mouse.move(box.x + width, y, { steps: 2 });
  await wb.page.mouse.up();
}

function exact(label: string | RegExp): RegExp {
  return typeof label === 'string' ? new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) : label;
}

/** The row of the Clusters tree whose label (not description) is `label`. */
export function treeRow(wb: Workbench, label: string | RegExp): Locator {
  const { page } = wb;
  return treeContainer(page)
    .locator('.monaco-list-rows > .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact(label) }) })
    .first();
}

/**
 * Scrolls the Clusters tree until the row labelled `label` is rendered and returns it. The tree is
 * virtualized: rows scrolled out of view do not exist in the DOM, so treeRow() alone finds only
 * what is on screen. Searches from the top, retrying until `timeoutMs` (children load asynchronously).
 */
export async function revealTreeRow(wb: Workbench, label: string | RegExp, timeoutMs = 20_000): Promise<Locator> {
  const row = treeRow(wb, label);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await row.count()) {
      await row.scrollIntoViewIfNeeded().catch(() => undefined);
      return row;
    }
    await scrollTreeTo(wb, 'top');
    for (let pass = 0; pass < 200; pass++) {
      if (await row.count()) break;
      if (!(await scrollTreeBy(wb, 300))) break; // reached the end
    }
    if (await row.count()) {
      await row.scrollIntoViewIfNeeded().catch(() => undefined);
      return row;
    }
    if (Date.now() > deadline) throw new Error(`tree row ${label} not found (rows seen: ${(await allTreeLabels(wb)).join(', ')})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function lastRenderedIndex(wb: Workbench): Promise<number> {
  const idx = await treeContainer(wb.page).locator('.monaco-list-rows > .monaco-list-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-index'))));
  return idx.length ? Math.max(...idx) : -1;
}

/** Scrolls the Clusters tree back to its first row (e.g. before a screenshot). */
export async function scrollTop(wb: Workbench): Promise<void> {
  await scrollTreeTo(wb, 'top');
}

async function firstRenderedIndex(wb: Workbench): Promise<number> {
  const idx = await treeContainer(wb.page).locator('.monaco-list-rows > .monaco-list-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-index'))));
  return idx.length ? Math.min(...idx) : -1;
}

async function scrollTreeTo(wb: Workbench, where: 'top'): Promise<void> {
  const tree = treeContainer(wb.page);
  await tree.hover({ position: { x: 20, y: 10 } });
  if (where !== 'top') return;
  // Moderate steps: the workbench's wheel handling does not honour one huge delta.
  for (let i = 0; i < 100 && (await firstRenderedIndex(wb)) > 0; i++) {
    await wb.page.mouse.wheel(0, -2000);
    await wb.page.waitForTimeout(40);
  }
  // Row 0 rendered (overscan) is not yet scrolled to 0: one more step settles it.
  await wb.page.mouse.wheel(0, -2000);
  await wb.page.waitForTimeout(40);
}

/** Scrolls the tree down by `dy` pixels; false when it could not move (end reached). */
async function scrollTreeBy(wb: Workbench, dy: number): Promise<boolean> {
  const before = await lastRenderedIndex(wb);
  const tree = treeContainer(wb.page);
  const top0 = await tree.locator('.monaco-scrollable-element').first().evaluate((e) => (e.firstElementChild as HTMLElement | null)?.style.top ?? '').catch(() => '');
  await tree.hover({ position: { x: 20, y: 10 } });
  await wb.page.mouse.wheel(0, dy);
  await wb.page.waitForTimeout(80);
  const top1 = await tree.locator('.monaco-scrollable-element').first().evaluate((e) => (e.firstElementChild as HTMLElement | null)?.style.top ?? '').catch(() => '');
  return (await lastRenderedIndex(wb)) !== before || top0 !== top1;
}

/** Labels of ALL rows of the Clusters tree (expanded parts), scrolling through it; top to bottom. */
export async function allTreeLabels(wb: Workbench): Promise<string[]> {
  const seen = new Map<number, string>();
  const collect = async () => {
    const rows = await treeContainer(wb.page)
      .locator('.monaco-list-rows > .monaco-list-row')
      .evaluateAll((els) => els.map((r) => [Number(r.getAttribute('data-index')), (r.querySelector('.label-name')?.textContent ?? '').trim()] as const));
    for (const [i, l] of rows) seen.set(i, l);
  };
  await scrollTreeTo(wb, 'top');
  await collect();
  for (let pass = 0; pass < 500; pass++) {
    if (!(await scrollTreeBy(wb, 300))) break;
    await collect();
  }
  await scrollTreeTo(wb, 'top');
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, l]) => l);
}

export async function rowDescription(wb: Workbench, label: string | RegExp): Promise<string> {
  const d = (await revealTreeRow(wb, label)).locator('.label-description');
  return (await d.count()) ? ((await d.first().textContent()) ?? '').trim() : '';
}

/** Class list of the row's icon: a ThemeIcon renders as `codicon codicon-<id>`, a file icon as a background image. */
export async function rowIcon(wb: Workbench, label: string | RegExp): Promise<string> {
  const row = await revealTreeRow(wb, label);
  const icon = row.locator('.custom-view-tree-node-item-icon, .codicon').first();
  if (!(await icon.count())) return '';
  return (await icon.getAttribute('class')) ?? '';
}

export async function expandTreeItem(wb: Workbench, label: string | RegExp, timeoutMs = 30_000): Promise<void> {
  const row = await revealTreeRow(wb, label, timeoutMs);
  if ((await row.getAttribute('aria-expanded')) !== 'true') {
    await row.locator('.monaco-tl-twistie').click();
  }
  await waitUntil(async () => (await row.getAttribute('aria-expanded')) === 'true', `row ${label} to expand`, timeoutMs);
  // Children are loaded asynchronously: wait until the next row is one level deeper, or a loading row went away.
  const level = Number(await row.getAttribute('aria-level'));
  await waitUntil(
    async () => {
      const idx = Number(await row.getAttribute('data-index'));
      const next = treeContainer(wb.page).locator(`.monaco-list-rows > .monaco-list-row[data-index="${idx + 1}"]`);
      if ((await next.count()) === 0) {
        // The row is the last one on screen: bring the next one into view.
        await scrollTreeBy(wb, 44);
        return false;
      }
      return Number(await next.getAttribute('aria-level')) > level;
    },
    `children of ${label}`,
    timeoutMs,
  );
}

export async function collapseTreeItem(wb: Workbench, label: string | RegExp): Promise<void> {
  const row = await revealTreeRow(wb, label);
  if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
  await waitUntil(async () => (await row.getAttribute('aria-expanded')) === 'false', `row ${label} to collapse`);
}

/** Labels of the rendered rows only (the tree is virtualized; allTreeLabels() scrolls through all of it). */
export async function visibleTreeLabels(wb: Workbench): Promise<string[]> {
  const rows = treeContainer(wb.page).locator('.monaco-list-rows > .monaco-list-row');
  const out: { i: number; label: string }[] = [];
  for (const r of await rows.all()) {
    out.push({ i: Number(await r.getAttribute('data-index')), label: ((await r.locator('.label-name').first().textContent()) ?? '').trim() });
  }
  return out.sort((a, b) => a.i - b.i).map((x) => x.label);
}

/** F1, type `title`, run the entry whose label is exactly `title` (e.g. "GPU Partitions: Refresh"). */
export async function runCommandFromPalette(wb: Workbench, title: string): Promise<void> {
  const { page } = wb;
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor();
  await page.keyboard.type(title);
  const entry = page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact(title) }) })
    .first();
  await entry.waitFor({ timeout: 10_000 });
  await entry.click();
  // The command ran once the palette closed or went on to a picker of its own (new input text).
  await waitUntil(
    async () => !(await page.locator('.quick-input-widget').isVisible()) || (await input.inputValue()) !== `>${title}`,
    `palette to run ${title}`,
    10_000,
  );
}

/** Right-clicks the row and clicks the context-menu entry titled `itemTitle`. */
export async function contextMenu(wb: Workbench, rowLabel: string | RegExp, itemTitle: string | RegExp): Promise<void> {
  const { page } = wb;
  const row = await revealTreeRow(wb, rowLabel);
  await row.click({ button: 'right' });
  const item = page.locator('.context-view .monaco-menu .action-item .action-label', { hasText: exact(itemTitle) }).first();
  await item.waitFor({ timeout: 10_000 });
  await item.click();
}

/** Hovers the row and clicks its inline action button (aria-label / title `actionTitle`). */
export async function clickInlineAction(wb: Workbench, rowLabel: string | RegExp, actionTitle: string): Promise<void> {
  const row = await revealTreeRow(wb, rowLabel);
  await row.hover();
  await row.locator(`.actions .action-label[aria-label^="${actionTitle}"]`).first().click();
}

/** Texts of the notification toasts currently shown (message + source). */
export async function readNotifications(wb: Workbench): Promise<string[]> {
  const toasts = wb.page.locator('.notification-toast .notification-list-item');
  const out: string[] = [];
  for (const t of await toasts.all()) {
    const msg = ((await t.locator('.notification-list-item-message').textContent()) ?? '').trim();
    out.push(msg);
  }
  return out;
}

/**
 * Texts of every notification of this session, including toasts that already hid themselves
 * (info toasts auto-hide after a few seconds, which a slow machine easily misses): opens the
 * notification center, reads it, closes it again.
 */
export async function readNotificationCenter(wb: Workbench): Promise<string[]> {
  const { page } = wb;
  await runCommandFromPalette(wb, 'Notifications: Show Notifications');
  const center = page.locator('.notifications-center');
  await center.waitFor({ timeout: 5_000 }).catch(() => undefined);
  const texts = (await center.locator('.notification-list-item-message').allTextContents()).map((t) => t.trim());
  await runCommandFromPalette(wb, 'Notifications: Hide Notifications').catch(() => page.keyboard.press('Escape'));
  return texts;
}

/**
 * Waits for a notification whose text matches and returns its text: polls the toasts, and every
 * few seconds (and once more at the end) the notification center, where hidden toasts remain.
 */
export async function waitForNotification(wb: Workbench, text: string | RegExp, timeoutMs = 30_000): Promise<string> {
  const matches = (t: string) => (typeof text === 'string' ? t.includes(text) : text.test(t));
  const deadline = Date.now() + timeoutMs;
  let nextCenterCheck = Date.now() + 5_000;
  for (;;) {
    const toast = (await readNotifications(wb).catch(() => [])).find(matches);
    if (toast) return toast;
    const last = Date.now() > deadline;
    if (last || Date.now() > nextCenterCheck) {
      const inCenter = (await readNotificationCenter(wb).catch(() => [])).find(matches);
      if (inCenter) return inCenter;
      nextCenterCheck = Date.now() + 5_000;
    }
    if (last) throw new Error(`timed out after ${timeoutMs} ms waiting for notification ${text}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function clearNotifications(wb: Workbench): Promise<void> {
  await runCommandFromPalette(wb, 'Notifications: Clear All Notifications');
}

/**
 * Opens the Output panel on `channel` (via "Output: Show Output Channels...") and returns the
 * rendered lines, top to bottom. Only lines inside the editor's viewport are rendered; the panel
 * follows the end of the log, so these are the latest lines.
 */
export async function readOutputPanel(wb: Workbench, channel = OUTPUT_CHANNEL): Promise<string[]> {
  const { page } = wb;
  // Opens a quick pick listing the output channels.
  await runCommandFromPalette(wb, 'Output: Show Output Channels...');
  const pick = page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact(channel) }) })
    .first();
  await pick.waitFor({ timeout: 10_000 });
  await pick.click();
  await page.locator('.part.panel .monaco-select-box, .part.panel select').filter({ hasText: channel }).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
  const editor = page.locator('.part.panel .output-view .monaco-editor, .part.panel .monaco-editor').first();
  await editor.waitFor({ timeout: 10_000 });
  const lines = editor.locator('.view-lines .view-line');
  const rendered: { top: number; text: string }[] = [];
  for (const l of await lines.all()) {
    const style = (await l.getAttribute('style')) ?? '';
    const top = Number(/top:\s*(-?\d+)/.exec(style)?.[1] ?? 0);
    // Monaco renders spaces as U+00A0.
    rendered.push({ top, text: ((await l.textContent()) ?? '').replace(/\u00a0/g, ' ') });
  }
  return rendered.sort((a, b) => a.top - b.top).map((r) => r.text);
}

/**
 * The content of a webview (a double iframe: the host iframe and its #active-frame).
 * With `title`, the webview of the editor tab with that title is made active first.
 */
export function webviewFrame(wb: Workbench, title?: string): FrameLocator {
  if (title) {
    // The active webview's iframe is the visible one; clicking the tab makes it so.
    void wb.page.locator('.tabs-container .tab', { hasText: title }).first().click().catch(() => undefined);
  }
  return wb.page.locator('iframe.webview.ready:visible').last().contentFrame().frameLocator('#active-frame');
}

/**
 * Reloads the window through the workbench's own lifecycle ("Developer: Reload Window", which saves
 * editor and webview state first, as a user's reload does) and waits for the new workbench.
 */
export async function reloadWindow(wb: Workbench): Promise<void> {
  await wb.page.evaluate(() => ((window as unknown as { __beforeReload: boolean }).__beforeReload = true));
  await runCommandFromPalette(wb, 'Developer: Reload Window').catch(() => undefined);
  await waitUntil(async () => (await wb.page.evaluate(() => (window as unknown as { __beforeReload?: boolean }).__beforeReload).catch(() => true)) !== true, 'the window to reload', 30_000);
  await wb.page.waitForLoadState('domcontentloaded');
  await wb.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
}

/** Saves docs/images/<name>.png (the whole page, or just `target`) and returns its path. */
export async function screenshot(wb: Workbench, name: string, target?: Locator): Promise<string> {
  mkdirSync(IMAGES_DIR, { recursive: true });
  const file = path.join(IMAGES_DIR, `${slug(name)}.png`);
  // Let hover effects and progress bars settle so images are stable.
  await wb.page.mouse.move(0, 0);
  await wb.page.waitForTimeout(250); // hover highlights fade out
  if (target) await target.screenshot({ path: file });
  else await wb.page.screenshot({ path: file });
  return file;
}

export async function waitUntil(fn: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
