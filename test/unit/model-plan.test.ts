import { strict as assert } from 'node:assert';
import { defaultSelection } from '../../src/model/homogeneous';
import { formatMessage, MESSAGES } from '../../src/model/messages';
import { planOperation, planScript } from '../../src/model/plan';
import type { OperationPlan } from '../../src/model/types';
import { a2Gpu, a2InstanceId, a2Name, demoInventory, inventory, mixedInventory, server, vm } from './fixtures/inventories';

const refusalCodes = (p: OperationPlan): string[] => p.refusals.map((r) => r.code);

describe('model/plan: set-count', () => {
  it('demo: all 8 GPUs 16 -> 8, one step each with the exact command', () => {
    const inv = demoInventory();
    const p = planOperation(inv, { kind: 'set-count', targets: defaultSelection(inv), count: 8 });
    assert.deepEqual(p.refusals, []);
    assert.equal(p.items.length, 8);
    assert.equal(p.gpusChanged.length, 8);
    assert.deepEqual(p.vmsPowerCycled, []);
    assert.equal(
      p.items[0].steps[0].command,
      "Get-VMHostPartitionableGpu -ComputerName 'AZL-N01' -Name '\\\\?\\PCI#VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1#4&18416dc4&0&0000#{064092b3-625e-43bf-9eb5-dc845897dd59}' | Set-VMHostPartitionableGpu -PartitionCount 8",
    );
    assert.equal(p.items[0].steps[0].action, 'set-count');
  });

  it('refuses a count not in ValidPartitionCounts', () => {
    const inv = demoInventory();
    const p = planOperation(inv, { kind: 'set-count', targets: [{ server: 'AZL-N01', gpu: a2Name(1, 0) }], count: 3 });
    assert.deepEqual(refusalCodes(p), ['countNotValid']);
    assert.match(p.refusals[0].message, /16, 8, 4, 2, 1/);
    assert.deepEqual(p.items, []);
  });

  it('refuses a GPU with an assigned partition (unassign first), plans the others', () => {
    const inv = mixedInventory();
    const p = planOperation(inv, {
      kind: 'set-count',
      targets: [{ server: 'AZL-N01', gpu: a2Name(1, 0) }, { server: 'AZL-N01', gpu: a2Name(1, 1) }],
      count: 4,
    });
    assert.deepEqual(refusalCodes(p), ['gpuHasAssignedPartition']);
    assert.match(p.refusals[0].message, /"cad-ws-01"\. Unassign the partition first\./);
    assert.equal(p.items.length, 1);
    assert.equal(p.items[0].target, a2Name(1, 1));
  });

  it('refuses unknown server, unknown GPU, non-Partitioned GPU; dedupes targets given by InstanceId', () => {
    const inv = inventory([server('S1', [a2Gpu('S1', 1, 0), a2Gpu('S1', 1, 1, { status: 'Paravirtualization' })])]);
    const p = planOperation(inv, {
      kind: 'set-count',
      targets: [
        { server: 'S9', gpu: a2Name(1, 0) },
        { server: 'S1', gpu: a2Name(7, 0) },
        { server: 'S1', gpu: a2Name(1, 1) },
        { server: 'S1', gpu: a2Name(1, 0) },
        { server: 's1', gpu: a2InstanceId(1, 0) },
      ],
      count: 4,
    });
    assert.deepEqual(refusalCodes(p), ['serverNotFound', 'gpuNotFound', 'gpuNotPartitioned']);
    assert.equal(p.items.length, 1);
    assert.equal(p.items[0].target, a2Name(1, 0));
  });

  it('refuses an empty target list and an unreadable server', () => {
    const inv = demoInventory();
    assert.deepEqual(refusalCodes(planOperation(inv, { kind: 'set-count', targets: [], count: 8 })), ['noTargets']);
    inv.servers[1].error = 'WinRM cannot complete the operation.';
    const p = planOperation(inv, { kind: 'set-count', targets: [{ server: 'AZL-N02', gpu: a2Name(2, 0) }], count: 8 });
    assert.deepEqual(refusalCodes(p), ['serverUnavailable']);
    assert.match(p.refusals[0].message, /WinRM/);
  });
});

describe('model/plan: assign', () => {
  it('running VM: stop, add, offline action, start; exact commands; power-cycled', () => {
    const inv = demoInventory();
    const p = planOperation(inv, { kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-02'], forceShutdownOfflineAction: true });
    assert.deepEqual(p.refusals, []);
    assert.equal(p.items.length, 1);
    const item = p.items[0];
    assert.equal(item.initialState, 'Running');
    assert.deepEqual(item.steps.map((s) => s.action), ['stop-vm', 'add-adapter', 'set-offline-action', 'start-vm']);
    assert.deepEqual(item.steps.map((s) => s.command), [
      "Stop-VM -Name 'cad-ws-02' -ComputerName 'AZL-N01' -Force",
      "Add-VMGpuPartitionAdapter -VMName 'cad-ws-02' -ComputerName 'AZL-N01'",
      "Get-ClusterResource -Cluster 'azl-demo' -Name 'cad-ws-02' | Set-ClusterParameter -Name OfflineAction -Value 3",
      "Start-VM -Name 'cad-ws-02' -ComputerName 'AZL-N01'",
    ]);
    assert.deepEqual(p.vmsPowerCycled, [{ server: 'AZL-N01', vm: 'cad-ws-02' }]);
    assert.deepEqual(p.gpusChanged, []);
    assert.equal(planScript(p).split('\n').length, 4);
  });

  it('with a GPU: -InstancePath, gpusChanged; without offline action: no such step', () => {
    const inv = demoInventory();
    const p = planOperation(inv, { kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-01'], gpu: a2InstanceId(1, 1), forceShutdownOfflineAction: false });
    assert.deepEqual(p.items[0].steps.map((s) => s.action), ['stop-vm', 'add-adapter', 'start-vm']);
    assert.equal(p.items[0].steps[1].command, `Add-VMGpuPartitionAdapter -VMName 'cad-ws-01' -ComputerName 'AZL-N01' -InstancePath '${a2Name(1, 1)}'`);
    assert.deepEqual(p.gpusChanged, [{ server: 'AZL-N01', gpu: a2Name(1, 1) }]);
  });

  it('Off VM: add only, not power-cycled; offline action already 3 is not set again', () => {
    const inv = demoInventory();
    inv.servers[1].vms.push(vm('AZL-N02', 'off-vm', 'Off', { offlineAction: 3 }));
    const p = planOperation(inv, { kind: 'assign', server: 'AZL-N02', vms: ['off-vm'], forceShutdownOfflineAction: true });
    assert.deepEqual(p.items[0].steps.map((s) => s.action), ['add-adapter']);
    assert.deepEqual(p.vmsPowerCycled, []);
  });

  it('refusals: VM not found (Hyper-V text), already has a partition, Saved, Paused, transitional, generation 1', () => {
    const inv = demoInventory();
    const n01 = inv.servers[0];
    n01.vms.push(vm('AZL-N01', 'paused', 'Paused'), vm('AZL-N01', 'starting', 'Starting'), vm('AZL-N01', 'gen1', 'Off', { generation: 1 }));
    const p = planOperation(inv, {
      kind: 'assign',
      server: 'AZL-N01',
      vms: ['ghost', 'render-01', 'archive-01', 'paused', 'starting', 'gen1', 'cad-ws-02'],
      forceShutdownOfflineAction: false,
    });
    assert.deepEqual(refusalCodes(p), ['vmNotFound', 'vmAlreadyHasPartition', 'vmSaved', 'vmPaused', 'vmBusy', 'vmGeneration']);
    assert.equal(p.refusals[0].message, 'Hyper-V was unable to find a virtual machine with name "ghost".');
    assert.match(p.refusals[2].message, /Resume it or shut it down first/);
    assert.match(p.refusals[4].message, /is Starting/);
    assert.deepEqual(p.items.map((i) => i.target), ['cad-ws-02']);
  });

  it('VM on another server is not found (the VM and its partition are on the same host)', () => {
    const p = planOperation(demoInventory(), { kind: 'assign', server: 'AZL-N02', vms: ['cad-ws-02'], forceShutdownOfflineAction: false });
    assert.deepEqual(refusalCodes(p), ['vmNotFound']);
  });

  it('GPU of another server, or not Partitioned, refuses every VM', () => {
    const inv = demoInventory();
    const p = planOperation(inv, { kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-01', 'cad-ws-02'], gpu: a2Name(2, 0), forceShutdownOfflineAction: false });
    assert.deepEqual(refusalCodes(p), ['gpuNotFound', 'gpuNotFound']);
    assert.deepEqual(p.refusals.map((r) => r.target), ['cad-ws-01', 'cad-ws-02']);
    inv.servers[0].gpus[0] = a2Gpu('AZL-N01', 1, 0, { status: 'ReadyForDDA' });
    const q = planOperation(inv, { kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-01'], gpu: a2Name(1, 0), forceShutdownOfflineAction: false });
    assert.deepEqual(refusalCodes(q), ['gpuNotPartitioned']);
  });

  it('duplicate VM names in one server refuse; duplicate request entries collapse', () => {
    const inv = demoInventory();
    inv.servers[1].vms.push(vm('AZL-N02', 'twin', 'Off'), vm('AZL-N02', 'TWIN', 'Off'));
    const p = planOperation(inv, { kind: 'assign', server: 'AZL-N02', vms: ['twin'], forceShutdownOfflineAction: false });
    assert.deepEqual(refusalCodes(p), ['vmNameAmbiguous']);
    const q = planOperation(demoInventory(), { kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-01', 'CAD-WS-01'], forceShutdownOfflineAction: false });
    assert.equal(q.items.length, 1);
  });

  it('offline action on a standalone host or unclustered VM is refused', () => {
    const inv = demoInventory();
    inv.cluster = undefined;
    const p = planOperation(inv, { kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-01'], forceShutdownOfflineAction: true });
    assert.deepEqual(refusalCodes(p), ['vmNotClustered']);
    const inv2 = demoInventory();
    inv2.servers[1].vms.push(vm('AZL-N02', 'solo', 'Off', { offlineAction: null }));
    assert.deepEqual(refusalCodes(planOperation(inv2, { kind: 'assign', server: 'AZL-N02', vms: ['solo'], forceShutdownOfflineAction: true })), ['vmNotClustered']);
  });

  it('capacity: a full GPU refuses, the server total counts unpinned pending adapters', () => {
    const s = server('S', [a2Gpu('S', 1, 0, { count: 1 })], [vm('S', 'a', 'Off'), vm('S', 'b', 'Off')]);
    const inv = inventory([s]);
    const p = planOperation(inv, { kind: 'assign', server: 'S', vms: ['a', 'b'], gpu: a2Name(1, 0), forceShutdownOfflineAction: false });
    assert.deepEqual(p.items.map((i) => i.target), ['a']);
    assert.deepEqual(refusalCodes(p), ['gpuFull']);
    s.vms.push(vm('S', 'c', 'Off', { adapter: {} }));
    const q = planOperation(inv, { kind: 'assign', server: 'S', vms: ['a'], forceShutdownOfflineAction: false });
    assert.deepEqual(refusalCodes(q), ['serverFull']);
  });

  it('hostile VM names are quoted, never spliced', () => {
    const inv = demoInventory();
    const name = "x'; Stop-Computer -Force; '\u2019$(whoami)";
    inv.servers[0].vms.push(vm('AZL-N01', name, 'Off'));
    const p = planOperation(inv, { kind: 'assign', server: 'AZL-N01', vms: [name], forceShutdownOfflineAction: false });
    assert.equal(p.items[0].steps[0].command, "Add-VMGpuPartitionAdapter -VMName 'x''; Stop-Computer -Force; ''\u2019\u2019$(whoami)' -ComputerName 'AZL-N01'");
  });

  it('unknown server and empty VM list refuse', () => {
    assert.deepEqual(refusalCodes(planOperation(demoInventory(), { kind: 'assign', server: 'NOPE', vms: ['a'], forceShutdownOfflineAction: false })), ['serverNotFound']);
    assert.deepEqual(refusalCodes(planOperation(demoInventory(), { kind: 'assign', server: 'AZL-N01', vms: [], forceShutdownOfflineAction: false })), ['noTargets']);
  });
});

describe('model/plan: unassign', () => {
  it('running VM holding a partition: stop, remove, start; the GPU is changed', () => {
    const p = planOperation(mixedInventory(), { kind: 'unassign', server: 'AZL-N01', vms: ['cad-ws-01'] });
    assert.deepEqual(p.refusals, []);
    assert.deepEqual(p.items[0].steps.map((s) => s.command), [
      "Stop-VM -Name 'cad-ws-01' -ComputerName 'AZL-N01' -Force",
      "Remove-VMGpuPartitionAdapter -VMName 'cad-ws-01' -ComputerName 'AZL-N01'",
      "Start-VM -Name 'cad-ws-01' -ComputerName 'AZL-N01'",
    ]);
    assert.deepEqual(p.vmsPowerCycled, [{ server: 'AZL-N01', vm: 'cad-ws-01' }]);
    assert.deepEqual(p.gpusChanged, [{ server: 'AZL-N01', gpu: a2Name(1, 0) }]);
  });

  it('Off VM with an unpinned adapter: remove only, no GPU known', () => {
    const p = planOperation(demoInventory(), { kind: 'unassign', server: 'AZL-N01', vms: ['render-01'] });
    assert.deepEqual(p.items[0].steps.map((s) => s.action), ['remove-adapter']);
    assert.deepEqual(p.vmsPowerCycled, []);
    assert.deepEqual(p.gpusChanged, []);
  });

  it('refusals: no adapter to remove, not found, Saved', () => {
    const inv = demoInventory();
    inv.servers[0].vms.push(vm('AZL-N01', 'saved-gpu', 'Saved', { adapter: { instancePath: a2Name(1, 0), partitionId: 2 } }));
    const p = planOperation(inv, { kind: 'unassign', server: 'AZL-N01', vms: ['cad-ws-02', 'ghost', 'saved-gpu'] });
    assert.deepEqual(refusalCodes(p), ['vmNoPartition', 'vmNotFound', 'vmSaved']);
    assert.equal(p.items.length, 0);
  });
});

describe('model/messages', () => {
  it('fills placeholders once and leaves unknown ones', () => {
    assert.equal(formatMessage('vmNotFound', { vm: '{vm}' }), 'Hyper-V was unable to find a virtual machine with name "{vm}".');
    assert.equal(formatMessage('vmNotFound'), MESSAGES.vmNotFound);
  });

  it('every message is non-empty English', () => {
    for (const [code, text] of Object.entries(MESSAGES)) assert.ok(text.length > 10, code);
  });
});
