// Issue 7 in the real extension host ("Safe by default").
//
// 1. Workspace settings cannot choose the program: the suite's workspace folder gets a
//    .vscode/settings.json pointing gpuPartitions.powershell.path at a canary program (a script
//    that writes a marker file when run), a real connection is configured in the user settings, and
//    an inventory read of it is triggered: the marker must never appear. The control that the canary
//    does run when invoked is test/unit/safety-canary.test.ts. (This suite's workspace is trusted:
//    the runner disables workspace trust, so what is proven here is the trusted reader, which
//    ignores workspace values even in a trusted workspace; the untrusted gate is unit-tested.)
// 2. A planted password: stored through the extension's CredentialStore (SecretStorage), used by a
//    real connection whose PowerShell (the user's own setting: a wrapper around real pwsh that
//    defines a New-Object which echoes the credential in a warning and in its error), must not
//    appear in the store's errors, the tree, or any log file of this VS Code (the output channel's
//    log file is among them); a marker printed next to it must.
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GpuPartitionsApi } from '../../../src/extension';
import { readPowerShellSettings } from '../../../src/connections/connections';
import { makeCanary } from '../../unit/safety-canary';
import { activateExtension, descendants, EXTENSION_ID, rowsOf, waitFor } from './helpers';

const PLANTED = 'Pl@nted-Exthost-5523';
const MARKER = 'SAFETY-MARKER-6619';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('gpuPartitions');
}

/** Every file under dir (bounded depth), for grepping logs. */
function filesUnder(dir: string, depth = 8): string[] {
  if (!existsSync(dir) || depth < 0) return [];
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...filesUnder(p, depth - 1));
    else if (st.size < 20_000_000) out.push(p);
  }
  return out;
}

/** The logs folder of this VS Code (code-server and desktop both keep it in the user-data dir). */
function logsDir(): string | undefined {
  const results = process.env.GPUP_EXTHOST_RESULTS;
  if (!results) return undefined;
  const ud = path.join(path.dirname(results), 'ud');
  return existsSync(path.join(ud, 'logs')) ? path.join(ud, 'logs') : undefined;
}

function findPwsh(extensionPath: string): string | undefined {
  if (process.env.GPUP_PWSH && existsSync(process.env.GPUP_PWSH)) return process.env.GPUP_PWSH;
  const cached = path.join(extensionPath, '.cache', 'pwsh', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
  return existsSync(cached) ? cached : undefined;
}

async function settled(api: GpuPartitionsApi, name: string): Promise<NonNullable<ReturnType<GpuPartitionsApi['store']['snapshot']>>> {
  return waitFor(`connection ${name} read`, async () => {
    const s = api.store.snapshot(name);
    return s && (s.state === 'loaded' || s.state === 'error') ? s : undefined;
  }, 60_000);
}

describe('safety (issue 7)', function () {
  this.timeout(120_000);
  let api: GpuPartitionsApi;
  let extensionPath: string;
  let dir: string;
  let originalClusters: unknown;
  let originalPath: unknown;
  let workspaceSettings: string | undefined;

  before(async () => {
    const { ext, api: a } = await activateExtension();
    api = a as unknown as GpuPartitionsApi;
    extensionPath = ext.extensionPath;
    dir = mkdtempSync(path.join(tmpdir(), 'gpup-exthost-safety-'));
    originalClusters = config().inspect('clusters')?.globalValue;
    originalPath = config().inspect('powershell.path')?.globalValue;
  });

  after(async () => {
    await config().update('clusters', originalClusters, vscode.ConfigurationTarget.Global);
    await config().update('powershell.path', originalPath, vscode.ConfigurationTarget.Global);
    if (workspaceSettings) rmSync(workspaceSettings, { force: true });
    await api.credentials?.forget('safety-planted');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a workspace settings.json pointing gpuPartitions.powershell.path at another program does not make the extension run it', async () => {
    const canary = makeCanary(path.join(dir, 'canary'));
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite runs with a workspace folder');
    mkdirSync(path.join(folder.uri.fsPath, '.vscode'), { recursive: true });
    workspaceSettings = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
    // The timeout (a window setting a workspace may set) proves VS Code loaded this file.
    writeFileSync(workspaceSettings, JSON.stringify({ 'gpuPartitions.powershell.path': canary.program, 'gpuPartitions.powershell.timeoutSeconds': 123 }, null, 2));
    await waitFor('the workspace settings file to be loaded', async () => config().get('powershell.timeoutSeconds') === 123);

    assert.notEqual(readPowerShellSettings().path, canary.program, 'the trusted reader ignores the workspace value');
    assert.notEqual(config().get('powershell.path'), canary.program, 'machine scope: VS Code ignores the workspace value too');

    const clusters = [...(Array.isArray(originalClusters) ? originalClusters : []), { name: 'safety-canary', kind: 'server', computerName: 'canary-host.invalid' }];
    await config().update('clusters', clusters, vscode.ConfigurationTarget.Global);
    await waitFor('the real connection in the store', async () => api.store.connections().some((c) => c.name === 'safety-canary'));

    // An inventory refresh of the real connection, through the tree (as expanding it does) and the store.
    const roots = await api.tree.getChildren();
    const row = roots.find((n) => n.nodeType === 'cluster' && n.connection.name === 'safety-canary');
    assert.ok(row, 'the real connection has a row');
    await api.tree.getChildren(row);
    await settled(api, 'safety-canary');
    await api.store.refresh('safety-canary');
    await settled(api, 'safety-canary');
    await vscode.commands.executeCommand('gpuPartitions.refresh');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(existsSync(canary.marker), false, `the extension ran the workspace's program (${canary.marker} exists)`);

    await config().update('clusters', originalClusters, vscode.ConfigurationTarget.Global);
  });

  it('a planted password appears in no store error, tree row or log file', async function () {
    const pwsh = findPwsh(extensionPath);
    if (!pwsh) {
      if (process.env.CI === 'true') throw new Error('pwsh is required in CI (.cache/pwsh/pwsh or GPUP_PWSH)');
      this.skip();
    }
    assert.ok(api.credentials, 'activate() returns the credential store');
    // The user's own PowerShell: real pwsh that first defines a New-Object echoing the credential.
    const prefix = path.join(dir, 'leak.ps1');
    writeFileSync(
      prefix,
      // One line (pwsh reads `-Command -` line by line): wraps New-Object, and when the script builds
      // its PSCredential from the parameters, writes the password in a warning and throws it.
      "function global:New-Object { $o = Microsoft.PowerShell.Utility\\New-Object @args; if ($o -is [System.Management.Automation.PSCredential]) { $pw = $o.GetNetworkCredential().Password; " +
        `Write-Warning ('${MARKER} warning ' + $pw); throw ('${MARKER} denied ' + $pw) }; $o }\n`,
    );
    const wrapper = path.join(dir, 'pwsh-leaky.sh');
    writeFileSync(wrapper, `#!/bin/sh\n{ cat '${prefix}'; exec cat; } | exec '${pwsh}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    await config().update('powershell.path', wrapper, vscode.ConfigurationTarget.Global);
    await waitFor('the user PowerShell path', async () => readPowerShellSettings().path === wrapper);

    await api.credentials.set('safety-planted', { userName: 'CONTOSO\\admin', password: PLANTED });
    const clusters = [...(Array.isArray(originalClusters) ? originalClusters : []), { name: 'safety-planted', kind: 'server', computerName: 'hv-planted.invalid' }];
    await config().update('clusters', clusters, vscode.ConfigurationTarget.Global);
    await waitFor('the planted connection in the store', async () => api.store.connections().some((c) => c.name === 'safety-planted'));
    await api.store.refresh('safety-planted');
    const snap = await settled(api, 'safety-planted');
    const shown = JSON.stringify(snap, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    assert.match(shown, new RegExp(`${MARKER} denied \\*\\*\\*`), `the password reached PowerShell and came back redacted: ${shown.slice(0, 600)}`);

    // The connection's root row (a cluster row, or an error row after a failed read) and any below it.
    const roots = await rowsOf(api as never);
    const mine = roots.filter((r) => {
      const n = r.element as { nodeType: string; connection?: unknown };
      return n.nodeType === 'cluster' ? (n.connection as { name: string }).name === 'safety-planted' : n.connection === 'safety-planted';
    });
    assert.ok(mine.length > 0, `a root row for the connection: ${roots.map((r) => r.label).join(', ')}`);
    const rows = [...mine];
    for (const r of mine) rows.push(...(await descendants(api as never, r.element, 2)));
    const treeText = rows.map((r) => `${r.label} ${r.description} ${typeof r.item.tooltip === 'string' ? r.item.tooltip : (r.item.tooltip as vscode.MarkdownString | undefined)?.value ?? ''}`).join('\n');

    const logs = logsDir();
    assert.ok(logs, 'the logs folder of this VS Code');
    // The output channel's log file is written asynchronously: wait for the marker to land.
    const texts = await waitFor('the marker in a log file', async () => {
      const all = filesUnder(logs).map((f) => ({ f, text: readFileSync(f, 'latin1') }));
      // The output channel's own log file, under the extension's context.logUri (<logs>/exthostN/<extension id>/).
      return all.some((x) => x.f.includes(EXTENSION_ID) && x.text.includes(`${MARKER} denied ***`)) ? all : undefined;
    }, 30_000);
    const forms = [PLANTED, Buffer.from(PLANTED).toString('base64')];
    const leaking = [
      ...texts.filter((x) => forms.some((p) => x.text.includes(p))).map((x) => x.f),
      ...(forms.some((p) => shown.includes(p)) ? ['store snapshot'] : []),
      ...(forms.some((p) => treeText.includes(p)) ? ['tree rows'] : []),
    ];
    assert.deepEqual(leaking, [], 'the planted password leaked');
  });
});
