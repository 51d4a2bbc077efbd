import { strict as assert } from 'node:assert';
import { defaultSelection, homogeneousSets } from '../../src/model/homogeneous';
import { a2Gpu, a2Name, demoInventory, inventory, mixedInventory, server } from './fixtures/inventories';

describe('model/homogeneous', () => {
  it('demo: one set of all 8 GPUs; it is the default selection', () => {
    const sets = homogeneousSets(demoInventory());
    assert.equal(sets.length, 1);
    assert.equal(sets[0].members.length, 8);
    assert.equal(sets[0].partitionCount, 16);
    assert.equal(sets[0].totalVRAM, 15918030848n);
    assert.equal(sets[0].model, 'NVIDIA A2');
    assert.equal(defaultSelection(demoInventory()).length, 8);
  });

  it('mixed: two sets, largest first (6 at count 16, then 2 at count 8)', () => {
    const sets = homogeneousSets(mixedInventory());
    assert.deepEqual(sets.map((s) => [s.members.length, s.partitionCount]), [[6, 16], [2, 8]]);
    const sel = defaultSelection(mixedInventory());
    assert.equal(sel.length, 6);
    assert.ok(sel.every((r) => r.server !== 'AZL-N04'));
  });

  it('only Partitioned GPUs form sets; different VRAM, model or maker splits a set', () => {
    const inv = inventory([
      server('S1', [a2Gpu('S1', 1, 0), a2Gpu('S1', 1, 1, { status: 'ReadyForDDA' }), a2Gpu('S1', 1, 2, { status: 'Paravirtualization' })]),
      server('S2', [a2Gpu('S2', 2, 0, { totalVRAM: 15945891840n }), a2Gpu('S2', 2, 1, { friendlyName: 'NVIDIA A16' }), a2Gpu('S2', 2, 2, { manufacturer: 'Other' })]),
    ]);
    const sets = homogeneousSets(inv);
    assert.equal(sets.length, 4);
    assert.ok(sets.every((s) => s.members.length === 1));
    // no two GPUs alike and more than one GPU: nothing to auto-select
    assert.deepEqual(defaultSelection(inv), []);
  });

  it('a lone Partitioned GPU is its own set and is selected', () => {
    const inv = inventory([server('S1', [a2Gpu('S1', 1, 0)])]);
    assert.deepEqual(defaultSelection(inv), [{ server: 'S1', gpu: a2Name(1, 0) }]);
  });

  it('ties are broken by server name, not by the order servers appear in', () => {
    const a = server('AZL-B', [a2Gpu('AZL-B', 2, 0, { count: 8 }), a2Gpu('AZL-B', 2, 1, { count: 8 })]);
    const b = server('AZL-A', [a2Gpu('AZL-A', 1, 0), a2Gpu('AZL-A', 1, 1)]);
    const one = defaultSelection(inventory([a, b]));
    const two = defaultSelection(inventory([b, a]));
    assert.deepEqual(one, two);
    assert.ok(one.every((r) => r.server === 'AZL-A'));
  });

  it('no GPUs: no sets, empty selection', () => {
    assert.deepEqual(homogeneousSets(inventory([server('S1', [])])), []);
    assert.deepEqual(defaultSelection(inventory([])), []);
  });
});
