import { strict as assert } from 'node:assert';
import type { GpuRef } from '../../src/model/gpuIdentity';
import { defaultSelection } from '../../src/model/homogeneous';
import { MESSAGES } from '../../src/model/messages';
import { validateCountSelection } from '../../src/model/validation';
import { a2Gpu, a2InstanceId, a2Name, demoInventory, inventory, mixedInventory, server, vm } from './fixtures/inventories';

const codes = (fs: { code: string }[]): string[] => fs.map((f) => f.code).sort();

describe('model/validation: validateCountSelection (WAC Configure partition count page)', () => {
  it('demo, default selection: clean, valid counts 16/8/4/2/1', () => {
    const inv = demoInventory();
    const r = validateCountSelection(inv, defaultSelection(inv));
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.validCounts, [16, 8, 4, 2, 1]);
  });

  it('empty selection: error nothingSelected', () => {
    const r = validateCountSelection(demoInventory(), []);
    assert.deepEqual(codes(r.errors), ['nothingSelected']);
    assert.deepEqual(r.validCounts, []);
  });

  it('warning deselectedFromHomogeneousSet: one GPU of the set left out, with the WAC text', () => {
    const inv = demoInventory();
    const sel = defaultSelection(inv).slice(1);
    const r = validateCountSelection(inv, sel);
    assert.deepEqual(codes(r.warnings), ['deselectedFromHomogeneousSet']);
    assert.deepEqual(r.errors, []);
    assert.equal(
      r.warnings[0].message,
      "You're not selecting all the GPUs of the homogeneous set; this might result in a different partition count across GPUs, which isn't recommended.",
    );
    assert.deepEqual(r.warnings[0].gpus, [{ server: 'AZL-N01', gpu: a2Name(1, 0) }]);
  });

  it('warning notAllSameConfiguration: shown on mixed, naming the GPUs outside the largest set', () => {
    const inv = mixedInventory();
    // select N02's GPUs only: the set at 16 is also partly deselected
    const r = validateCountSelection(inv, [{ server: 'AZL-N02', gpu: a2Name(2, 0) }, { server: 'AZL-N02', gpu: a2Name(2, 1) }]);
    assert.deepEqual(codes(r.warnings), ['deselectedFromHomogeneousSet', 'notAllSameConfiguration']);
    const w = r.warnings.find((f) => f.code === 'notAllSameConfiguration')!;
    assert.equal(w.message, MESSAGES.notAllSameConfiguration);
    assert.deepEqual(w.gpus!.map((g) => g.server), ['AZL-N04', 'AZL-N04']);
    assert.deepEqual(r.errors, []);
  });

  it('error differentConfigurationsSelected: count 16 and count 8 GPUs together', () => {
    const inv = mixedInventory();
    const sel: GpuRef[] = [
      { server: 'AZL-N02', gpu: a2Name(2, 0) },
      { server: 'AZL-N02', gpu: a2Name(2, 1) },
      { server: 'AZL-N04', gpu: a2Name(4, 0) },
    ];
    const r = validateCountSelection(inv, sel);
    assert.deepEqual(codes(r.errors), ['differentConfigurationsSelected']);
    assert.deepEqual(r.errors[0].gpus, [{ server: 'AZL-N04', gpu: a2Name(4, 0) }]);
  });

  it('error assignedPartitionSelected: names the VM holding a resolved partition', () => {
    const inv = mixedInventory();
    const r = validateCountSelection(inv, [{ server: 'AZL-N01', gpu: a2Name(1, 0) }]);
    assert.deepEqual(codes(r.errors), ['assignedPartitionSelected']);
    assert.match(r.errors[0].message, /"cad-ws-01"/);
    assert.match(r.errors[0].message, /Unassign/);
    assert.deepEqual(r.errors[0].vms, [{ server: 'AZL-N01', vm: 'cad-ws-01' }]);
    // the other GPU of the same server is free
    const r2 = validateCountSelection(inv, [{ server: 'AZL-N01', gpu: a2Name(1, 1) }]);
    assert.deepEqual(r2.errors, []);
  });

  it('a pinned adapter on an Off VM blocks; an unpinned one does not', () => {
    const inv = demoInventory();
    const n01 = inv.servers[0];
    // render-01 is Off with an adapter and no InstancePath: nothing blocked
    assert.deepEqual(validateCountSelection(inv, defaultSelection(inv)).errors, []);
    n01.vms.push(vm('AZL-N01', 'pinned-off', 'Off', { adapter: { instancePath: a2Name(1, 1).toUpperCase() } }));
    const r = validateCountSelection(inv, defaultSelection(inv));
    assert.deepEqual(codes(r.errors), ['assignedPartitionSelected']);
    assert.deepEqual(r.errors[0].gpus, [{ server: 'AZL-N01', gpu: a2Name(1, 1) }]);
  });

  it('Saved and Paused VMs with a resolved partition block too', () => {
    for (const state of ['Saved', 'Paused'] as const) {
      const inv = demoInventory();
      inv.servers[1].vms.push(vm('AZL-N02', 'held', state, { adapter: { instancePath: a2Name(2, 0), partitionId: 3 } }));
      const r = validateCountSelection(inv, defaultSelection(inv));
      assert.deepEqual(codes(r.errors), ['assignedPartitionSelected'], state);
    }
  });

  it('a running VM with no InstancePath on a two-GPU server blocks both GPUs (GPU unknown)', () => {
    const inv = demoInventory();
    inv.servers[2].vms.push(vm('AZL-N03', 'mystery', 'Running', { adapter: { partitionId: 1 } }));
    const r = validateCountSelection(inv, defaultSelection(inv));
    assert.deepEqual(r.errors[0].gpus!.map((g) => g.server), ['AZL-N03', 'AZL-N03']);
  });

  it('all four WAC findings at once, errors blocking', () => {
    const inv = mixedInventory();
    const sel: GpuRef[] = [
      { server: 'AZL-N01', gpu: a2Name(1, 0) },
      { server: 'AZL-N04', gpu: a2Name(4, 0) },
    ];
    const r = validateCountSelection(inv, sel);
    assert.deepEqual(codes(r.warnings), ['deselectedFromHomogeneousSet', 'notAllSameConfiguration']);
    assert.deepEqual(codes(r.errors), ['assignedPartitionSelected', 'differentConfigurationsSelected']);
  });

  it('selection by PnP InstanceId is accepted and de-duplicated', () => {
    const inv = inventory([server('S1', [a2Gpu('S1', 1, 0)])]);
    const r = validateCountSelection(inv, [
      { server: 's1', gpu: a2InstanceId(1, 0) },
      { server: 'S1', gpu: a2Name(1, 0) },
    ]);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
  });

  it('unknown and non-partitionable GPUs are errors', () => {
    const inv = inventory([server('S1', [a2Gpu('S1', 1, 0), a2Gpu('S1', 1, 1, { status: 'ReadyForDDA' })])]);
    const r = validateCountSelection(inv, [{ server: 'S1', gpu: a2Name(1, 1) }, { server: 'S9', gpu: a2Name(1, 0) }]);
    assert.deepEqual(codes(r.errors), ['gpuNotFound', 'gpuNotPartitioned']);
    assert.match(r.errors.find((e) => e.code === 'gpuNotPartitioned')!.message, /ReadyForDDA/);
  });

  it('validCounts is the intersection of the selected GPUs, largest first', () => {
    const inv = inventory([server('S1', [a2Gpu('S1', 1, 0), a2Gpu('S1', 1, 1)])]);
    inv.servers[0].gpus[1].partitionable!.validPartitionCounts = [1, 4, 16, 32];
    const r = validateCountSelection(inv, defaultSelection(inv));
    assert.deepEqual(r.validCounts, [16, 4, 1]);
  });
});
