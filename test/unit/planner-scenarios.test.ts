/** Capacity planner on the demo and large scenarios, with exact expected answers. */
import * as assert from 'node:assert/strict';
import { gibToBytes, partitionVRAMAt, planCapacity } from '../../src/model/planner';
import { serverPartitions } from '../../src/model/partitions';
import { createScenario, SimBackend, SimWorld } from '../../src/sim/index';
import { scenarioInventory } from './scenario-inventory';

const MiB = 1024n * 1024n;

describe('capacity planner', () => {
  it('GiB to bytes is exact for fractions', () => {
    assert.equal(gibToBytes(1.5), 1610612736n);
    assert.equal(gibToBytes(0.875), 939524096n);
    assert.throws(() => gibToBytes(0), RangeError);
    assert.throws(() => gibToBytes(Number.NaN), RangeError);
  });

  describe('demo: 6 VMs of 1.5 GiB', () => {
    it('fit nowhere now (896 MiB partitions), and on one server after 16 -> 8, disturbing nobody', async () => {
      const plan = planCapacity(await scenarioInventory('demo'), { vmCount: 6, vramGiB: 1.5 });
      assert.equal(plan.needBytes, 1610612736n);
      assert.equal(plan.fitNow, 0);
      assert.equal(plan.fitsNow, false);
      assert.deepEqual(plan.placementNow, []);
      for (const s of plan.servers) {
        assert.deepEqual(
          s.gpus.map((g) => [g.partitionCount, g.partitionVRAM, g.free, g.bigEnough]),
          [
            [16, 939524096n, 16, false],
            [16, 939524096n, 16, false],
          ],
        );
        // Every demo server has one Off VM with an adapter that has no InstancePath (names.md).
        assert.equal(s.unplacedPending, 1);
        assert.deepEqual(
          s.options.map((o) => [o.count, o.vramSource, o.bigEnough]),
          [
            [16, 'reported', false],
            [8, 'derived', true],
            [4, 'derived', true],
            [2, 'derived', true],
            [1, 'derived', true],
          ],
        );
        const c = s.change!;
        assert.equal(c.count, 8);
        // 896 MiB × 16 / 8 = 1792 MiB (1.75 GiB): below the WAC tooltip's TotalVRAM/8 = 1.85 GiB on purpose.
        assert.equal(c.partitionVRAM, 1792n * MiB);
        assert.deepEqual(
          c.gpusToReconfigure.map((g) => [g.from, g.to]),
          [
            [16, 8],
            [16, 8],
          ],
        );
        assert.deepEqual(c.vmsToUnassign, []);
        assert.equal(c.fitAfter, 15); // 2 × 8 slots, one taken by the pending adapter
        assert.equal(c.shortForExisting, 0);
      }
      assert.deepEqual(plan.changesNeeded, ['AZL-N01']);
      assert.deepEqual(plan.placementAfter, [{ server: 'AZL-N01', vms: 6 }]);
      assert.equal(plan.fitAfter, 60);
      assert.equal(plan.fitsAfter, true);
    });

    it('0.875 GiB VMs fit now: 31 per server (32 partitions of 896 MiB, one pending adapter)', async () => {
      const plan = planCapacity(await scenarioInventory('demo'), { vmCount: 40, vramGiB: 0.875 });
      assert.deepEqual(
        plan.servers.map((s) => s.fitNow),
        [31, 31, 31, 31],
      );
      assert.deepEqual(plan.placementNow, [
        { server: 'AZL-N01', vms: 31 },
        { server: 'AZL-N02', vms: 9 },
      ]);
      assert.deepEqual(plan.changesNeeded, []);
      // The best count is the current one: no GPU to reconfigure.
      assert.deepEqual(plan.servers[0].change!.gpusToReconfigure, []);
    });

    it('more than a whole GPU: no count is big enough', async () => {
      const plan = planCapacity(await scenarioInventory('demo'), { vmCount: 1, vramGiB: 15 });
      assert.ok(plan.servers.every((s) => s.unavailable === 'noCountBigEnough' && s.change === undefined));
      assert.equal(plan.fitsAfter, false);
    });
  });

  describe('large: 16 servers × 4 A16 GPUs at 8, 20 running VMs holding partitions, 4 pending', () => {
    it('200 VMs of 0.8 GiB: 128 fit now, 200 after changing three servers to 16 (unassigning their 20 VMs first)', async () => {
      const plan = planCapacity(await scenarioInventory('large'), { vmCount: 200, vramGiB: 0.8 });
      assert.equal(plan.fitNow, 128);
      assert.ok(plan.servers.every((s) => s.fitNow === 8)); // 32 slots - 20 held - 4 pending
      const s1 = plan.servers[0];
      assert.equal(s1.change!.count, 16);
      assert.equal(s1.change!.vramSource, 'derived');
      assert.equal(s1.change!.gpusToReconfigure.length, 4);
      assert.equal(s1.change!.vmsToUnassign.length, 20);
      assert.ok(s1.change!.vmsToUnassign.every((v) => v.state === 'Running' && v.kind === 'held'));
      assert.equal(s1.change!.fitAfter, 40); // 64 slots - 24
      assert.deepEqual(plan.changesNeeded, ['AZL-L01', 'AZL-L02', 'AZL-L03']);
      assert.deepEqual(
        plan.placementAfter.map((p) => p.vms),
        [40, 40, 40, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8],
      );
      assert.equal(plan.placementAfter.reduce((n, p) => n + p.vms, 0), 200);
      assert.equal(plan.fitsAfter, true);
    });

    it('40 VMs of 3 GiB: none fit now, and 8 -> 4 would leave the 24 assigned VMs 8 partitions short', async () => {
      const plan = planCapacity(await scenarioInventory('large'), { vmCount: 40, vramGiB: 3 });
      assert.equal(plan.fitNow, 0);
      const c = plan.servers[0].change!;
      assert.equal(c.count, 4);
      assert.equal(c.fitAfter, 0);
      assert.equal(c.shortForExisting, 8);
      assert.equal(plan.fitsAfter, false);
      assert.deepEqual(plan.changesNeeded, []);
    });
  });

  it('an estimate never promises more VRAM than the simulated driver gives after the change', async () => {
    const state = createScenario('demo');
    const world = new SimWorld(state);
    const backend = new SimBackend(world, 'demo');
    const before = await backend.inventory();
    const gp = serverPartitions(before.servers[0]).gpus[0];
    for (const count of [8, 4, 2, 1]) {
      const estimate = partitionVRAMAt(gp, count).vram;
      world.setPartitionCount('AZL-N01', gp.name, count);
      const after = (await backend.inventory()).servers[0].gpus[0].partitionable!;
      assert.ok(estimate <= after.minPartitionVRAM, `count ${count}: estimate ${estimate} > driver ${after.minPartitionVRAM}`);
    }
    // The confirmed A2 figure at 4 [S4] is 3648 MiB; the estimate from 16 is 3584 MiB.
    assert.equal(partitionVRAMAt(gp, 4).vram, 3584n * MiB);
  });

  it('rejects a VM count that is not a positive integer', async () => {
    const inv = await scenarioInventory('demo');
    assert.throws(() => planCapacity(inv, { vmCount: 0, vramGiB: 1 }), RangeError);
    assert.throws(() => planCapacity(inv, { vmCount: 1.5, vramGiB: 1 }), RangeError);
  });
});
