// Issue 7 in the real workbench: an UNTRUSTED workspace (code-server with workspace trust on, the
// folder never trusted, no startup prompt) browses nothing real. The packaged extension is
// installed; the user settings hold the demo (simulated) connection, a real server connection, and
// a user-level gpuPartitions.powershell.path pointing at a canary program (a script that writes a
// marker file when run; test/unit/safety-canary.test.ts proves it does run when invoked). Expected:
// the real connection shows "Trust this workspace to connect" and the canary never runs; the
// simulator still works. (Extension-host tests cannot show this: VS Code always trusts a workspace
// that runs extension tests.)
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeCanary } from '../unit/safety-canary';
import { collapseTreeItem, expandTreeItem, openView, revealTreeRow, rowDescription, treeRow, useWorkbench, waitUntil } from './harness';

const dir = mkdtempSync(path.join(tmpdir(), 'gpup-e2e-untrusted-'));
const canary = makeCanary(dir);

describe('e2e: untrusted workspace (issue 7)', function () {
  const wb = useWorkbench({
    name: 'untrusted',
    workspaceTrust: true,
    settings: {
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'always',
      'gpuPartitions.clusters': [
        { name: 'demo', kind: 'sim', scenario: 'demo' },
        { name: 'prod', kind: 'server', computerName: 'hv-untrusted.invalid' },
      ],
      'gpuPartitions.powershell.path': canary.program,
    },
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a real connection shows "Trust this workspace to connect" and starts no PowerShell', async () => {
    await openView(wb);
    // The demo connection opens expanded and fills the view: fold it, then find the real one.
    await treeRow(wb, 'demo').waitFor({ timeout: 30_000 });
    await collapseTreeItem(wb, 'demo');
    await revealTreeRow(wb, 'prod');
    await expandTreeItem(wb, 'prod');
    await revealTreeRow(wb, 'Trust this workspace to connect');
    assert.ok(await wb.page.locator('.statusbar').getByText('Restricted Mode').isVisible(), 'the window is in Restricted Mode');
    // Give a read every chance to start (the tree asked for the children already).
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(existsSync(canary.marker), false, 'PowerShell (the canary) was started in an untrusted workspace');
  });

  it('the simulator still works in the untrusted workspace', async () => {
    await expandTreeItem(wb, 'demo');
    await waitUntil(async () => /azl-demo/.test(await rowDescription(wb, 'demo')), 'the demo row to name cluster azl-demo');
    await revealTreeRow(wb, 'AZL-N01');
    assert.equal(existsSync(canary.marker), false);
  });
});
