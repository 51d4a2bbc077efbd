import { strict as assert } from 'node:assert';
import { clusterCapacity, serverCapacity } from '../../src/model/capacity';
import { gpuAssignments, gpuHasAssignedPartition, partitionSlots, serverPartitions, vmHasPartition } from '../../src/model/partitions';
import { a2Gpu, a2Name, demoInventory, mixedInventory, server, vm } from './fixtures/inventories';

describe('model/partitions', () => {
  it('demo AZL-N01: nothing held, render-01 pending at server level, 16 free per GPU', () => {
    const sp = serverPartitions(demoInventory().servers[0]);
    assert.equal(sp.gpus.length, 2);
    assert.deepEqual(sp.gpus.map((g) => [g.held.length, g.pinnedPending.length, g.free]), [[0, 0, 16], [0, 0, 16]]);
    assert.deepEqual(sp.pending.map((p) => p.vm), ['render-01']);
    assert.equal(sp.pending[0].gpu, undefined);
    assert.deepEqual(sp.unlocated, []);
  });

  it('mixed AZL-N01: cad-ws-01 holds partition 0 on the first GPU', () => {
    const sp = serverPartitions(mixedInventory().servers[0]);
    assert.deepEqual(sp.gpus[0].held.map((h) => [h.vm, h.vmState, h.partitionId]), [['cad-ws-01', 'Running', 0]]);
    assert.equal(sp.gpus[0].free, 15);
    assert.equal(sp.gpus[1].free, 16);
  });

  it('Off VM pinned by InstancePath (any case) takes a slot on that GPU; held sorted by PartitionId', () => {
    const s = server('S', [a2Gpu('S', 1, 0, { count: 4 })], [
      vm('S', 'b', 'Running', { adapter: { instancePath: a2Name(1, 0), partitionId: 2 } }),
      vm('S', 'a', 'Paused', { adapter: { instancePath: a2Name(1, 0).toUpperCase(), partitionId: 1 } }),
      vm('S', 'c', 'Off', { adapter: { instancePath: a2Name(1, 0).toLowerCase() } }),
      vm('S', 'd', 'Off'),
    ]);
    const gp = serverPartitions(s).gpus[0];
    assert.deepEqual(gp.held.map((h) => h.vm), ['a', 'b']);
    assert.deepEqual(gp.pinnedPending.map((p) => p.vm), ['c']);
    assert.equal(gp.free, 1);
    assert.equal(gp.overcommitted, false);
    assert.deepEqual(partitionSlots(gp).map((x) => x.kind), ['held', 'held', 'pending', 'free']);
    assert.deepEqual(gpuAssignments(s, a2Name(1, 0)).map((a) => [a.vm, a.kind]), [['a', 'held'], ['b', 'held'], ['c', 'pinned']]);
  });

  it('overcommitted when more adapters than PartitionCount; free never negative', () => {
    const s = server('S', [a2Gpu('S', 1, 0, { count: 1 })], [
      vm('S', 'a', 'Running', { adapter: { instancePath: a2Name(1, 0), partitionId: 0 } }),
      vm('S', 'b', 'Off', { adapter: { instancePath: a2Name(1, 0) } }),
    ]);
    const gp = serverPartitions(s).gpus[0];
    assert.equal(gp.free, 0);
    assert.equal(gp.overcommitted, true);
  });

  it('running VM without InstancePath: inferred on a one-GPU server, unlocated on a two-GPU server', () => {
    const one = server('S', [a2Gpu('S', 1, 0)], [vm('S', 'x', 'Running', { adapter: { partitionId: 4 } })]);
    const sp1 = serverPartitions(one);
    assert.equal(sp1.gpus[0].held[0].inferredGpu, true);
    const two = server('S', [a2Gpu('S', 1, 0), a2Gpu('S', 1, 1)], [vm('S', 'x', 'Running', { adapter: { partitionId: 4 } })]);
    const sp2 = serverPartitions(two);
    assert.deepEqual(sp2.unlocated.map((h) => h.vm), ['x']);
    assert.ok(gpuHasAssignedPartition(two, a2Name(1, 1)));
  });

  it('InstancePath naming a GPU not on the server is orphaned', () => {
    const s = server('S', [a2Gpu('S', 1, 0)], [vm('S', 'x', 'Off', { adapter: { instancePath: a2Name(9, 0) } })]);
    const sp = serverPartitions(s);
    assert.equal(sp.orphaned.length, 1);
    assert.equal(sp.gpus[0].free, 16);
  });

  it('non-Partitioned GPUs have no partitions', () => {
    const s = server('S', [a2Gpu('S', 1, 0, { status: 'ReadyForDDA' })]);
    assert.deepEqual(serverPartitions(s).gpus, []);
    assert.equal(gpuHasAssignedPartition(s, a2Name(1, 0)), false);
  });

  it('vmHasPartition: one adapter is enough, pending or held', () => {
    assert.equal(vmHasPartition(vm('S', 'a', 'Off', { adapter: {} })), true);
    assert.equal(vmHasPartition(vm('S', 'a', 'Running')), false);
  });
});

describe('model/capacity', () => {
  it('demo: 8 GPUs x 16 = 128 partitions; render-01 pending and stranded', () => {
    const c = clusterCapacity(demoInventory());
    assert.equal(c.total, 128);
    assert.equal(c.assigned, 1);
    assert.equal(c.pending, 1);
    assert.equal(c.stranded, 1);
    assert.equal(c.held, 0);
    assert.equal(c.free, 127);
    assert.equal(c.unlocated, 1);
    assert.equal(c.totalVRAM, 8n * 15918030848n);
    // render-01's adapter has no GPU yet: it takes one 896 MiB slot on some A2 of AZL-N01 at start.
    assert.equal(c.assignedVRAM, 939524096n);
    assert.equal(c.freeVRAM, 127n * 939524096n);
    assert.equal(c.servers[0].free, 31);
  });

  it('mixed AZL-N01 GPU 0: one held, VRAM per partition 939524096', () => {
    const sc = serverCapacity(mixedInventory().servers[0]);
    const g = sc.gpus[0];
    assert.deepEqual([g.total, g.assigned, g.held, g.free, g.stranded], [16, 1, 1, 15, 0]);
    assert.equal(g.partitionVRAM, 939524096n);
    assert.equal(g.assignedVRAM, 939524096n);
    assert.equal(g.freeVRAM, 15n * 939524096n);
    // N04 at count 8
    const n04 = serverCapacity(mixedInventory().servers[3]);
    assert.equal(n04.total, 16);
  });

  it('count 4 A2: 3825205248 per partition; stranded = pinned Off VMs', () => {
    const s = server('S', [a2Gpu('S', 1, 0, { count: 4 })], [
      vm('S', 'a', 'Running', { adapter: { instancePath: a2Name(1, 0), partitionId: 0 } }),
      vm('S', 'b', 'Off', { adapter: { instancePath: a2Name(1, 0) } }),
    ]);
    const g = serverCapacity(s).gpus[0];
    assert.deepEqual([g.total, g.assigned, g.held, g.pending, g.stranded, g.free], [4, 2, 1, 1, 1, 2]);
    assert.equal(g.assignedVRAM, 2n * 3825205248n);
    assert.equal(g.freeVRAM, 2n * 3825205248n);
  });
});
