// An Assign run through the form's own message path in the real extension host, against the demo
// simulator with injected faults: while a step runs the VM's tree row shows a spinner and the step
// ("Starting VM…"); one VM's failure does not stop the other, and the failed VM is Running again.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createScenario, saveState } from '../../../src/sim';
import { activateExtension, descendants, type ExtensionApi, rowsOf, waitFor } from './helpers';

/** A simulated connection of its own (the demo scenario plus faults in its state file), so the demo connection other suites read stays untouched. */
const CONN = 'faulty-demo';

interface PanelLike {
  host: { receive(raw: unknown): { ok: boolean } };
}
interface VmLike {
  name: string;
  state: string;
  adapters: unknown[];
}
interface StoreLike {
  ensureLoaded(name: string): Promise<void>;
  refresh(name?: string): Promise<void>;
  inventory(name: string): { servers: { name: string; gpus: { partitionable?: { optimalPartitionVRAM: bigint } }[]; vms: VmLike[] }[] } | undefined;
  backend(name: string): unknown;
}
interface BusyLike {
  get(t: { connection: string; server: string; target: string }): string | undefined;
}

describe('an Assign run from the form (demo, injected faults)', () => {
  let api: ExtensionApi;
  let store: StoreLike;
  let busy: BusyLike;
  let clustersBefore: unknown;

  before(async () => {
    ({ api } = await activateExtension());
    store = (api as unknown as { store: StoreLike }).store;
    busy = (api as unknown as { busy: BusyLike }).busy;
    // The first Add-VMGpuPartitionAdapter on AZL-N01 fails; every Start-VM there takes 1.5 s.
    const state = createScenario('demo');
    state.faults.push(
      { host: 'AZL-N01', operation: 'addGpuPartitionAdapter', kind: 'fail', message: 'Injected failure for the test.', times: 1 },
      { host: 'AZL-N01', operation: 'startVm', kind: 'delay', ms: 1500 },
    );
    const stateFile = path.join(os.tmpdir(), `gpup-exthost-${process.pid}-${Date.now()}.json`);
    saveState(stateFile, state);
    const config = vscode.workspace.getConfiguration('gpuPartitions');
    clustersBefore = config.inspect('clusters')?.globalValue;
    await config.update('clusters', [...((clustersBefore as unknown[]) ?? []), { name: CONN, kind: 'sim', stateFile }], vscode.ConfigurationTarget.Global);
    // No modal in a test host: the setting that turns the power-cycle confirmation off.
    await config.update('confirmBeforePowerCycle', false, vscode.ConfigurationTarget.Global);
    await waitFor(`connection ${CONN}`, async () => (await rowsOf(api)).some((r) => r.label === CONN));
    await store.ensureLoaded(CONN);
    assert.ok(store.inventory(CONN), `${CONN} loaded`);
  });
  after(async () => {
    const config = vscode.workspace.getConfiguration('gpuPartitions');
    await config.update('confirmBeforePowerCycle', undefined, vscode.ConfigurationTarget.Global);
    await config.update('clusters', clustersBefore, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const vm = (name: string) => store.inventory(CONN)!.servers.find((s) => s.name === 'AZL-N01')!.vms.find((v) => v.name === name)!;

  it('shows the step on the busy node, reports the failed VM and finishes the other; no running VM is left off', async function () {
    this.timeout(60_000);
    const n01 = store.inventory(CONN)!.servers.find((s) => s.name === 'AZL-N01')!;
    const node = { nodeType: 'vm', connection: CONN, server: n01, vm: vm('cad-ws-02') };
    const panel = await vscode.commands.executeCommand<PanelLike>('gpuPartitions.assignPartition', node, [node]);
    assert.ok(panel?.host);
    const vramBytes = n01.gpus.find((g) => g.partitionable)!.partitionable!.optimalPartitionVRAM.toString();
    // Exactly what the page posts when the user clicks "Assign partition" with both VMs ticked.
    const accepted = panel.host.receive({ method: 'assign/assign', params: { server: 'AZL-N01', vms: ['cad-ws-01', 'cad-ws-02'], vramBytes, forceShutdownOfflineAction: false } });
    assert.equal(accepted.ok, true);

    // While cad-ws-02 starts, its node is busy with the step text, and the tree row shows it.
    const step = await waitFor('cad-ws-02 to show "Starting VM…"', async () => busy.get({ connection: CONN, server: 'AZL-N01', target: 'cad-ws-02' }) === 'Starting VM…' || undefined, 20_000);
    assert.ok(step);
    const root = (await rowsOf(api)).find((r) => r.label === CONN)!;
    const serverRow = (await rowsOf(api, root.element)).find((r) => r.label === 'AZL-N01')!;
    const row = (await descendants(api, serverRow.element)).find((r) => r.label === 'cad-ws-02' && r.contextValue.startsWith('gpuPartitions.vm.'));
    assert.ok(row, 'VM row cad-ws-02');
    assert.match(row.description, /Starting VM…/);
    assert.equal((row.item.iconPath as vscode.ThemeIcon | undefined)?.id, 'loading~spin');

    // The end: cad-ws-01 failed (rolled back, Running, no adapter), cad-ws-02 has its partition and runs.
    await waitFor('the busy marks to clear', async () => !busy.get({ connection: CONN, server: 'AZL-N01', target: 'cad-ws-02' }), 20_000);
    await waitFor('the refreshed inventory', async () => vm('cad-ws-02').adapters.length === 1 || undefined, 20_000);
    assert.equal(vm('cad-ws-02').state, 'Running');
    assert.equal(vm('cad-ws-01').state, 'Running', 'the failed VM was running before and is running after');
    assert.equal(vm('cad-ws-01').adapters.length, 0, 'the failed VM has no half-added adapter');

    // The unassign through the Unassign form's message path as well.
    const un = { nodeType: 'vm', connection: CONN, server: store.inventory(CONN)!.servers.find((s) => s.name === 'AZL-N01')!, vm: vm('cad-ws-02') };
    const unPanel = await vscode.commands.executeCommand<PanelLike>('gpuPartitions.unassignPartition', un, [un]);
    assert.ok(unPanel?.host);
    assert.equal(unPanel.host.receive({ method: 'unassign/unassign', params: { server: 'AZL-N01', vms: ['cad-ws-02'] } }).ok, true);
    await waitFor('cad-ws-02 to lose its partition', async () => vm('cad-ws-02').adapters.length === 0 || undefined, 20_000);
  });

  it('Preview script from tree nodes: the what-if plan as an untitled PowerShell document, nothing changed', async function () {
    this.timeout(30_000);
    const before = JSON.stringify(store.inventory(CONN)!.servers.map((s) => s.vms.map((v) => [v.name, v.state, v.adapters.length])));
    const n01 = store.inventory(CONN)!.servers.find((s) => s.name === 'AZL-N01')!;
    const running = { nodeType: 'vm', connection: CONN, server: n01, vm: vm('cad-ws-01') };
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('gpuPartitions.previewScript', running, [running]);
    assert.ok(doc, 'the command returns the document');
    assert.equal(doc.languageId, 'powershell');
    assert.equal(doc.isUntitled, true);
    const text = doc.getText();
    // A running VM without a partition previews an assign: stop, add, start, in that order.
    const order = ['Stop-VM', 'Add-VMGpuPartitionAdapter', 'Start-VM'].map((c) => text.indexOf(c));
    assert.ok(order.every((i) => i >= 0) && order[0] < order[1] && order[1] < order[2], text);
    assert.match(text, /-VMName 'cad-ws-01'/);
    // A partition row previews an unassign of its VM.
    const render = vm('render-01');
    const pending = { nodeType: 'partition', state: 'pending', connection: CONN, server: n01, pending: { vm: 'render-01', vmState: render.state, adapter: render.adapters[0] }, vm: render };
    const doc2 = await vscode.commands.executeCommand<vscode.TextDocument>('gpuPartitions.previewScript', pending, [pending]);
    assert.match(doc2.getText(), /Remove-VMGpuPartitionAdapter/);
    assert.equal(JSON.stringify(store.inventory(CONN)!.servers.map((s) => s.vms.map((v) => [v.name, v.state, v.adapters.length]))), before, 'a preview changes nothing');
  });
});
