// `npm start` as a newcomer runs it: scripts/start.mjs serves VS Code with the packaged extension and
// the demo cluster, prints the URL, and Ctrl-C (SIGINT) stops everything it started.
// (The .vsix is already packaged by `npm run test:e2e`, so the test passes --no-package.)
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { freePort, ROOT } from '../../scripts/lib/code-server.mjs';
import { launchBrowser, saveFailureArtifacts, screenshot, waitUntil, type Workbench } from './harness';

/** Processes whose command line mentions `needle` (Linux /proc). */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle)) pids.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

describe('e2e: npm start', function () {
  let child: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let port = 0;
  let output = '';

  after(async () => {
    await context?.close().catch(() => undefined);
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (port) rmSync(path.join(ROOT, '.cache', `run-${port}`), { recursive: true, force: true, maxRetries: 3 });
  });

  it('serves VS Code with the extension and the demo cluster, and prints the URL', async function () {
    this.timeout(180_000);
    port = await freePort();
    child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs'), '--no-package', '--port', String(port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitUntil(async () => /VS Code with Azure Local GPU Partitions: (http\S+)/.test(output) || child!.exitCode !== null, 'the URL', 150_000);
    const url = /VS Code with Azure Local GPU Partitions: (http\S+)/.exec(output)?.[1];
    assert.ok(url, `no URL printed:\n${output}`);
    assert.ok(url.startsWith(`http://127.0.0.1:${port}/`), url);

    context = await launchBrowser(path.join(ROOT, '.cache', `run-${port}`, 'chromium-profile'));
    const page = context.pages()[0] ?? (await context.newPage());
    const wb = { page, context, consoleLines: [] as string[], dirs: { log: '', userDataDir: '' } } as unknown as Workbench;
    try {
      await page.goto(url);
      const icon = page.locator('.part.activitybar [aria-label^="GPU Partitions"]').first();
      await icon.waitFor({ timeout: 90_000 });
      await icon.click();
      const demo = page.locator('.part.sidebar .monaco-list-rows > .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^demo$/ }) });
      await demo.waitFor({ timeout: 30_000 });
      if ((await demo.getAttribute('aria-expanded')) !== 'true') await demo.locator('.monaco-tl-twistie').click();
      await waitUntil(async () => /azl-demo · 4 servers/.test((await demo.locator('.label-description').textContent()) ?? ''), 'demo row to show azl-demo · 4 servers', 60_000);
      await page.locator('.part.sidebar .label-name', { hasText: /^AZL-N01$/ }).first().waitFor();
      await screenshot(wb, 'npm-start');
    } catch (e) {
      await saveFailureArtifacts(wb, 'e2e npm start');
      throw e;
    }
  });

  it('stops code-server and everything it started on Ctrl-C (SIGINT)', async function () {
    this.timeout(60_000);
    assert.ok(child, 'start.mjs was not started');
    await context?.close();
    context = undefined;
    const needle = path.join('.cache', `run-${port}`);
    assert.ok(processesMentioning(needle).length > 0, 'code-server is running before Ctrl-C');
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    assert.equal(await exited, 0, `start.mjs exit code; output:\n${output}`);
    await waitUntil(async () => processesMentioning(needle).length === 0, `no process left of ${needle}`, 15_000);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'the port is closed');
  });
});
