import * as assert from 'node:assert/strict';
import { CancelledError } from '../../src/model/backend';
import { SimError, SimWorld, awaitFault, choices, createScenario, type SimState } from '../../src/sim';

const INSUFFICIENT = 'GPU Partition: Error Insufficient system resources exist to complete the requested service.';
const CHECKPOINT = 'The operation cannot be performed on the virtual machine because it is assigned one or more GPUP partitions';

function world(name = 'demo', mutate?: (s: SimState) => void): { w: SimWorld; changes: number[] } {
  const s = createScenario(name);
  mutate?.(s);
  const changes: number[] = [];
  const w = new SimWorld(s, { onChange: () => changes.push(changes.length) });
  return { w, changes };
}

function simError(f: () => unknown): SimError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof SimError, `expected SimError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to throw');
}

describe('sim world: partition count', () => {
  it('accepts only ValidPartitionCounts', () => {
    const { w } = world();
    const gpu = w.getPartitionableGpus('AZL-N01')[0];
    const e = simError(() => w.setPartitionCount('AZL-N01', gpu.name, 3));
    assert.equal(e.category, 'InvalidArgument');
    assert.match(e.message, /not valid.*16, 8, 4, 2, 1/);
    assert.equal(w.getPartitionableGpus('AZL-N01')[0].partitionCount, 16);
  });

  it('after a change, Min/Max/Optimal follow the profile table and totals stay [S4]', () => {
    const { w, changes } = world();
    const gpu = w.getPartitionableGpus('AZL-N01')[0];
    const after = w.setPartitionCount('AZL-N01', gpu.name, 4);
    assert.equal(after.partitionCount, 4);
    for (const k of ['min', 'max', 'optimal'] as const) {
      assert.equal(after[`${k}PartitionVRAM`], 3825205248n);
      assert.equal(after[`${k}PartitionEncode`], 9n);
      assert.equal(after[`${k}PartitionDecode`], 6n);
      assert.equal(after[`${k}PartitionCompute`], 512n);
    }
    assert.equal(after.totalVRAM, gpu.totalVRAM);
    assert.equal(after.totalEncode, gpu.totalEncode);
    assert.equal(after.totalCompute, gpu.totalCompute);
    assert.equal(changes.length, 1, 'onChange after the mutation');
    assert.equal(w.getPartitionableGpus('AZL-N01', gpu.name)[0].partitionCount, 4);
  });

  it('is refused while a partition of that GPU is held by a running VM; the message says to unassign first', () => {
    const { w } = world('mixed');
    const [g0, g1] = w.getPartitionableGpus('AZL-N01');
    const e = simError(() => w.setPartitionCount('AZL-N01', g0.name, 8));
    assert.equal(e.category, 'InvalidOperation');
    assert.match(e.message, /cad-ws-01/);
    assert.match(e.message, /Unassign the partitions first/);
    // The other GPU is free.
    assert.equal(w.setPartitionCount('AZL-N01', g1.name, 8).partitionCount, 8);
  });

  it('is refused while a Saved VM holds a partition and while an Off VM pins the GPU by InstancePath', () => {
    const { w } = world();
    const g = w.getPartitionableGpus('AZL-N02');
    w.addGpuPartitionAdapter('AZL-N02', 'build-01', { instancePath: g[1].name });
    assert.match(simError(() => w.setPartitionCount('AZL-N02', g[1].name, 8)).message, /build-01/);
    // demo's pending adapters have no InstancePath, so the other GPU still changes (the e2e 16 -> 8).
    assert.equal(w.setPartitionCount('AZL-N02', g[0].name, 8).partitionCount, 8);

    const { w: w2 } = world('demo', (s) => {
      const v = s.servers[0].vms.find((x) => x.name === 'render-01')!;
      v.state = 'Off';
    });
    w2.startVm('AZL-N01', 'render-01');
    w2.state.servers[0].vms.find((x) => x.name === 'render-01')!.state = 'Saved';
    const held = w2.getGpuPartitionAdapters('AZL-N01', 'render-01')[0].instancePath!;
    assert.match(simError(() => w2.setPartitionCount('AZL-N01', held, 8)).message, /render-01/);
  });

  it('demo: all eight GPUs go 16 -> 8 right away', () => {
    const { w } = world();
    for (const s of ['AZL-N01', 'AZL-N02', 'AZL-N03', 'AZL-N04']) for (const g of w.getPartitionableGpus(s)) w.setPartitionCount(s, g.name, 8);
    assert.ok(w.inventory().servers.every((s) => s.gpus.every((g) => g.partitionable?.partitionCount === 8)));
  });
});

describe('sim world: adapters', () => {
  it('add needs the VM Off (choice text), and one adapter per VM', () => {
    const { w } = world();
    const e = simError(() => w.addGpuPartitionAdapter('AZL-N01', 'cad-ws-01'));
    assert.equal(e.message, choices.TEXT_VM_NOT_OFF);
    assert.equal(e.category, 'InvalidOperation');
    assert.match(e.fullyQualifiedErrorId, /^InvalidState,Microsoft\.HyperV\.PowerShell\.Commands\.AddVMGpuPartitionAdapter$/);
    w.stopVm('AZL-N01', 'cad-ws-01');
    w.addGpuPartitionAdapter('AZL-N01', 'cad-ws-01');
    assert.match(simError(() => w.addGpuPartitionAdapter('AZL-N01', 'cad-ws-01')).message, /already has 1 GPU partition adapter/);
  });

  it('remove needs the VM Off', () => {
    const { w } = world();
    w.startVm('AZL-N01', 'render-01');
    assert.equal(simError(() => w.removeGpuPartitionAdapter('AZL-N01', 'render-01')).message, choices.TEXT_VM_NOT_OFF);
    w.stopVm('AZL-N01', 'render-01');
    assert.equal(w.removeGpuPartitionAdapter('AZL-N01', 'render-01').length, 1);
    assert.deepEqual(w.getGpuPartitionAdapters('AZL-N01', 'render-01'), []);
  });

  it('has the real shape: Name, Id, VMId; Min/Max/Optimal undefined; Current*/PartitionId unset before start [S4]', () => {
    const { w } = world();
    w.stopVm('AZL-N01', 'cad-ws-02');
    const a = w.addGpuPartitionAdapter('AZL-N01', 'cad-ws-02');
    const vm = w.getVms('AZL-N01', 'cad-ws-02')[0];
    assert.equal(a.name, 'GPU Partition Settings');
    assert.match(a.id, /^Microsoft:[0-9A-F-]{36}\\[0-9A-F-]{36}$/);
    assert.equal(a.id.split('\\')[0], `Microsoft:${vm.id.toUpperCase()}`);
    assert.equal(a.vmId, vm.id);
    assert.equal(a.vmId, a.vmId.toLowerCase());
    assert.equal(a.vmName, 'cad-ws-02');
    assert.equal(a.computerName, 'AZL-N01');
    assert.equal(a.vmSnapshotId, '00000000-0000-0000-0000-000000000000');
    for (const k of ['minPartitionVRAM', 'maxPartitionVRAM', 'optimalPartitionVRAM', 'minPartitionCompute', 'currentPartitionVRAM', 'partitionId', 'partitionVfLuid', 'instancePath'] as const) {
      assert.equal(a[k], undefined, k);
    }
  });

  it('keeps Min/Max/Optimal values given to Add and Set', () => {
    const { w } = world();
    const a = w.addGpuPartitionAdapter('AZL-N02', 'build-01', { minPartitionVRAM: 1000n });
    assert.equal(a.minPartitionVRAM, 1000n);
    const b = w.setGpuPartitionAdapter('AZL-N02', 'build-01', a.id, { maxPartitionVRAM: 18446744073709551615n });
    assert.equal(b.minPartitionVRAM, 1000n);
    assert.equal(b.maxPartitionVRAM, 18446744073709551615n);
  });

  it('not-found texts are exact [COMMUNITY S38, S41]', () => {
    const { w } = world();
    const e = simError(() => w.getVms('AZL-N01', 'GPUPV'));
    assert.equal(e.message, 'Hyper-V was unable to find a virtual machine with name "GPUPV".');
    assert.equal(e.category, 'ObjectNotFound');
    assert.equal(e.fullyQualifiedErrorId, 'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.GetVM');
    assert.equal(simError(() => w.startVm('AZL-N01', 'nope')).message, 'Hyper-V was unable to find a virtual machine with name "nope".');
    assert.equal(simError(() => w.removeGpuPartitionAdapter('AZL-N01', 'build-01')).message, 'Hyper-V was unable to find a virtual machine with name "build-01".');
    assert.equal(simError(() => w.removeGpuPartitionAdapter('AZL-N02', 'build-01')).message, 'Unable to find a Gpu partition adapter matching the given criteria.');
    assert.equal(simError(() => w.setGpuPartitionAdapter('AZL-N02', 'build-01', undefined, {})).message, 'Unable to find a Gpu partition adapter matching the given criteria.');
    assert.equal(simError(() => w.removeGpuPartitionAdapter('AZL-N01', 'render-01', 'Microsoft:X\\Y')).message, 'Unable to find a Gpu partition adapter matching the given criteria.');
  });
});

describe('sim world: start, stop and partitions', () => {
  it('start resolves the lowest free partition of the first GPU with one; Current* follow the profile', () => {
    const { w } = world('mixed');
    const g0 = w.getPartitionableGpus('AZL-N01')[0];
    w.startVm('AZL-N01', 'render-01');
    const [a] = w.getGpuPartitionAdapters('AZL-N01', 'render-01');
    assert.equal(a.instancePath, g0.name);
    assert.equal(a.partitionId, 1, 'partition 0 is held by cad-ws-01');
    assert.match(a.partitionVfLuid!, /^\d+-\d+$/);
    assert.equal(a.currentPartitionVRAM, 939524096n);
    assert.equal(a.currentPartitionEncode, 2n);
    assert.equal(a.currentPartitionDecode, 1n);
    assert.equal(a.currentPartitionCompute, 128n);
    assert.equal(w.getVms('AZL-N01', 'render-01')[0].state, 'Running');
  });

  it('start honours the InstancePath GPU', () => {
    const { w } = world();
    const g1 = w.getPartitionableGpus('AZL-N02')[1];
    w.addGpuPartitionAdapter('AZL-N02', 'build-01', { instancePath: g1.name });
    w.startVm('AZL-N02', 'build-01');
    const [a] = w.getGpuPartitionAdapters('AZL-N02', 'build-01');
    assert.equal(a.instancePath, g1.name);
    assert.equal(a.partitionId, 0);
  });

  it('Available* = total minus resolved partitions; stop releases the partition', () => {
    const { w } = world();
    const before = w.getPartitionableGpus('AZL-N01')[0];
    assert.equal(before.availableVRAM, before.totalVRAM, 'a pending adapter takes nothing [S4]');
    w.startVm('AZL-N01', 'render-01');
    const running = w.getPartitionableGpus('AZL-N01')[0];
    assert.equal(running.availableVRAM, before.totalVRAM - 939524096n);
    assert.equal(running.availableEncode, 34n);
    assert.equal(running.availableDecode, 23n);
    assert.equal(running.availableCompute, 2048n - 128n);
    w.stopVm('AZL-N01', 'render-01');
    assert.equal(w.getPartitionableGpus('AZL-N01')[0].availableVRAM, before.totalVRAM);
    const [a] = w.getGpuPartitionAdapters('AZL-N01', 'render-01');
    assert.equal(a.partitionId, undefined);
    assert.equal(a.currentPartitionVRAM, undefined);
  });

  it('no free partition: start fails with the exact text, the VM stays Off, nothing is taken [S6]', () => {
    const { w } = world();
    const [g0, g1] = w.getPartitionableGpus('AZL-N03');
    w.setPartitionCount('AZL-N03', g0.name, 1);
    w.setPartitionCount('AZL-N03', g1.name, 1);
    w.startVm('AZL-N03', 'ml-train-01');
    w.stopVm('AZL-N03', 'web-01');
    w.addGpuPartitionAdapter('AZL-N03', 'web-01');
    w.startVm('AZL-N03', 'web-01');
    // Both single partitions are held; a third GPU VM cannot start.
    w.state.servers[2].vms.push({ ...structuredClone(w.state.servers[2].vms[1]), name: 'extra', id: '11111111-2222-4333-a444-555555555555', state: 'Off', adapters: [] });
    w.addGpuPartitionAdapter('AZL-N03', 'extra');
    const e = simError(() => w.startVm('AZL-N03', 'extra'));
    assert.equal(e.message, INSUFFICIENT);
    assert.equal(e.category, 'ResourceUnavailable');
    assert.equal(w.getVms('AZL-N03', 'extra')[0].state, 'Off');
    assert.equal(w.getGpuPartitionAdapters('AZL-N03', 'extra')[0].partitionId, undefined);
  });

  it('group policy set: starting a GPU-P VM fails with the group-policy text', () => {
    const { w } = world('not-ready');
    const e = simError(() => w.startVm('AZL-R03', 'inference-01'));
    assert.match(e.message, /^Could not allocate partitionable GPU device '\\\\\?\\PCI#VEN_10DE&DEV_27B8.*' that is not compliant with currently set group policy\.  See HyperV\\RequireSecureDeviceAssignment and HyperV\\RequireSupportedDeviceAssignment for more details\.$/);
    assert.equal(w.getVms('AZL-R03', 'inference-01')[0].state, 'Off');
  });

  it('automatic checkpoints on and too little MMIO block the start of a GPU-P VM', () => {
    const { w } = world('not-ready');
    assert.equal(simError(() => w.startVm('AZL-R06', 'ckpt-app-01')).message, CHECKPOINT);
    assert.equal(simError(() => w.startVm('AZL-R06', 'small-mmio-01')).message, INSUFFICIENT);
    w.startVm('AZL-R06', 'ok-gpu-01');
    assert.equal(w.getVms('AZL-R06', 'ok-gpu-01')[0].state, 'Running');
  });

  it('Stop-VM of a Saved VM needs -TurnOff', () => {
    const { w } = world();
    simError(() => w.stopVm('AZL-N01', 'archive-01'));
    w.stopVm('AZL-N01', 'archive-01', { turnOff: true });
    assert.equal(w.getVms('AZL-N01', 'archive-01')[0].state, 'Off');
  });

  it('checkpoints are refused for GPU-P VMs with the real text and allowed otherwise', () => {
    const { w } = world();
    assert.equal(simError(() => w.checkpointVm('AZL-N01', 'render-01')).message, CHECKPOINT);
    w.checkpointVm('AZL-N01', 'cad-ws-01');
    assert.equal(w.state.servers[0].vms[0].checkpoints.length, 1);
  });
});

describe('sim world: cluster and host', () => {
  it('OfflineAction 0-3 per clustered VM, default 1', () => {
    const { w } = world();
    const r = w.getClusterResource('cad-ws-01');
    assert.deepEqual(r, { name: 'Virtual Machine cad-ws-01', ownerNode: 'AZL-N01', resourceType: 'Virtual Machine', state: 'Online' });
    assert.deepEqual(w.getClusterParameter('Virtual Machine cad-ws-01', 'OfflineAction'), { name: 'OfflineAction', value: 1 });
    w.setClusterParameter('cad-ws-01', 'OfflineAction', 3);
    assert.equal(w.getVms('AZL-N01', 'cad-ws-01')[0].offlineAction, 3);
    assert.equal(w.inventory(['AZL-N01']).servers[0].vms.find((v) => v.name === 'cad-ws-01')!.offlineAction, 3);
    assert.equal(simError(() => w.setClusterParameter('cad-ws-01', 'OfflineAction', 4)).category, 'InvalidArgument');
    assert.equal(simError(() => w.getClusterResource('nope')).category, 'ObjectNotFound');
  });

  it('lists cluster nodes and the cluster name', () => {
    const { w } = world();
    assert.equal(w.getClusterName(), 'azl-demo');
    assert.deepEqual(w.getClusterNodes('azl-demo').map((n) => `${n.name}:${n.state}`), ['AZL-N01:Up', 'AZL-N02:Up', 'AZL-N03:Up', 'AZL-N04:Up']);
  });

  it('Get-VMHostPartitionableGpu returns nothing on a server without a partitionable GPU; Hyper-V missing fails', () => {
    const { w } = world('not-ready');
    assert.deepEqual(w.getPartitionableGpus('AZL-R04'), []);
    assert.deepEqual(w.getPartitionableGpus('AZL-R05'), []);
    assert.match(simError(() => w.getVms('AZL-R02')).message, /Hyper-V is not installed/);
    assert.equal(w.getHostFacts('AZL-R01').osBuild, 20348);
    assert.equal(w.getPartitionableGpus('AZL-R01')[0].supportsIncomingLiveMigration, undefined, 'absent before 26100');
    assert.equal(w.getPnpDevices('AZL-R04', 'Display')[0].friendlyName, '3D Video Controller');
  });
});

describe('sim world: fault injection', () => {
  it("'fail' throws the message for the matching host and operation, `times` runs out and is saved", () => {
    const { w, changes } = world('demo', (s) => {
      s.faults.push({ host: 'AZL-N01', operation: 'startVm', kind: 'fail', message: "GPU Partition: Failed to Power On with Error 'Access is denied'", times: 1 });
    });
    w.stopVm('AZL-N01', 'cad-ws-01');
    w.startVm('AZL-N02', 'build-01'); // other host: unaffected
    const e = simError(() => w.startVm('AZL-N01', 'cad-ws-01'));
    assert.equal(e.message, "GPU Partition: Failed to Power On with Error 'Access is denied'");
    assert.equal(e.category, 'PermissionDenied');
    assert.equal(w.state.faults[0].times, 0);
    assert.ok(changes.length >= 3);
    w.startVm('AZL-N01', 'cad-ws-01');
  });

  it("'*' host and operation match everything", () => {
    const { w } = world('demo', (s) => s.faults.push({ host: '*', operation: '*', kind: 'fail' }));
    assert.match(simError(() => w.getVms('AZL-N03')).message, /Injected fault/);
  });

  it("inventory: a server with an injected failure becomes Server.error, the others still fill", () => {
    const { w } = world('demo', (s) => s.faults.push({ host: 'AZL-N02', operation: 'getPartitionableGpus', kind: 'fail', message: 'WinRM broke' }));
    const inv = w.inventory();
    assert.equal(inv.cluster, 'azl-demo');
    assert.equal(inv.servers[1].error, 'WinRM broke');
    assert.deepEqual(inv.servers[1].gpus, []);
    assert.equal(inv.servers[0].error, undefined);
    assert.equal(inv.servers[0].gpus.length, 2);
    assert.equal(inv.servers[0].vms.length, 4);
  });

  it("faultFor hands 'delay'/'hang' to async callers; awaitFault waits and a hang ends on abort", async () => {
    const { w } = world('demo', (s) => {
      s.faults.push({ host: 'AZL-N01', operation: 'startVm', kind: 'delay', ms: 30, times: 1 });
      s.faults.push({ host: '*', operation: 'stopVm', kind: 'hang' });
    });
    assert.equal(w.faultFor('AZL-N02', 'startVm'), undefined);
    const d = w.faultFor('AZL-N01', 'startVm');
    assert.equal(d?.kind, 'delay');
    assert.equal(w.faultFor('AZL-N01', 'startVm'), undefined, 'times used up');
    const t0 = Date.now();
    await awaitFault(d);
    assert.ok(Date.now() - t0 >= 25);
    const ac = new AbortController();
    const hang = awaitFault(w.faultFor('AZL-N04', 'stopVm'), ac.signal);
    setTimeout(() => ac.abort(), 20);
    await assert.rejects(hang, CancelledError);
    // The sync method ignores delay/hang faults.
    w.stopVm('AZL-N04', 'sql-01');
  });
});
