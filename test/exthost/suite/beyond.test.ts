// Issue 8 commands in the real extension host: Check prerequisites on the demo cluster (no failure,
// exportable as Markdown), the capacity view's planner answer, and the guest check of a running VM
// with a partition on a simulated `mixed` connection (nvidia-smi answered by the simulator).
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createScenario, saveState } from '../../../src/sim';
import { activateExtension, demoServers, type ExtensionApi, rowsOf, waitFor } from './helpers';

interface ChecksPanelLike {
  ready: Promise<void>;
  report?: { subject: string; results: { status: string; id: string }[] };
  markdown(): string | undefined;
  host: { panel: vscode.WebviewPanel; dispose(): void };
}
interface CapacityPanelLike {
  ready: Promise<void>;
  ask(vmCount: number, vramGiB: number): { verdict: string; headline: string; rows: { server: string; changeNeeded: boolean }[] } | undefined;
  state(): { servers: { name: string; gpus: { slots: { kind: string }[] }[] }[]; totals?: { total: number } };
  host: { dispose(): void };
}

const MIX = 'mixed-exthost';

describe('beyond WAC commands (issue 8)', () => {
  let api: ExtensionApi;
  let clustersBefore: unknown;

  before(async () => {
    ({ api } = await activateExtension());
    const stateFile = path.join(os.tmpdir(), `gpup-exthost-mixed-${process.pid}-${Date.now()}.json`);
    saveState(stateFile, createScenario('mixed'));
    const config = vscode.workspace.getConfiguration('gpuPartitions');
    clustersBefore = config.inspect('clusters')?.globalValue;
    await config.update('clusters', [...((clustersBefore as unknown[]) ?? []), { name: MIX, kind: 'sim', stateFile }], vscode.ConfigurationTarget.Global);
    await waitFor(`connection ${MIX}`, async () => (await rowsOf(api)).some((r) => r.label === MIX));
  });
  after(async () => {
    await vscode.workspace.getConfiguration('gpuPartitions').update('clusters', clustersBefore, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Check prerequisites on the demo cluster: every check passes; the report exports as Markdown', async function () {
    this.timeout(60_000);
    const { cluster } = await demoServers(api);
    const panel = await vscode.commands.executeCommand<ChecksPanelLike>('gpuPartitions.checkPrerequisites', cluster.element);
    assert.ok(panel, 'the command returns its panel');
    await panel.ready;
    const results = panel.report!.results;
    assert.ok(results.length >= 20);
    assert.deepEqual(results.filter((r) => r.status !== 'pass').map((r) => r.id), []);
    assert.match(panel.markdown()!, /^# GPU partitioning prerequisite check\n\nazl-demo · /);
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('gpuPartitions.exportChecks', 'untitled');
    assert.ok(doc && doc.languageId === 'markdown');
    assert.match(doc.getText(), /\*\*0 failed, 0 warnings, \d+ passed\.\*\*/);
    panel.host.dispose();
  });

  it('Show Capacity on mixed: bars per GPU and the planner answer', async function () {
    this.timeout(60_000);
    const row = (await rowsOf(api)).find((r) => r.label === MIX)!;
    const panel = await vscode.commands.executeCommand<CapacityPanelLike>('gpuPartitions.showCapacity', row.element);
    assert.ok(panel);
    const state = panel.state();
    assert.equal(state.totals?.total, 6 * 16 + 2 * 8);
    const n01 = state.servers.find((s) => s.name === 'AZL-N01')!;
    assert.deepEqual(n01.gpus[0].slots.filter((s) => s.kind !== 'free').map((s) => s.kind), ['running']);
    const answer = panel.ask(6, 3)!;
    assert.equal(answer.verdict, 'fitsAfter');
    assert.deepEqual(answer.rows.filter((r) => r.changeNeeded).map((r) => r.server), ['AZL-N02']);
    panel.host.dispose();
  });

  it('Check guest driver on cad-ws-01 (mixed): nvidia-smi reports a licensed VGPU with the partition framebuffer', async function () {
    this.timeout(60_000);
    const markdown = await vscode.commands.executeCommand<string>('gpuPartitions.guestCheck', { connection: MIX, server: 'AZL-N01', vm: 'cad-ws-01' });
    assert.ok(markdown, 'the guest check returns its report');
    assert.match(markdown, /^# Guest check: cad-ws-01\n/);
    assert.match(markdown, /\| Virtualization mode \| VGPU \|/);
    assert.match(markdown, /\| Framebuffer \| 896 MiB total/);
    assert.match(markdown, /\| Licence state \| Licensed \(Expiry: /);
    assert.match(markdown, /\*\*✅ Passed\*\*/);
  });
});
