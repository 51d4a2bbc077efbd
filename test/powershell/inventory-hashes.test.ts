/**
 * inventory.ps1's per-node hashes (issue 6): a node whose records' JSON text is unchanged since the
 * backend's last read sends none, and the backend puts back the records it kept. Real scripts, real
 * pwsh, the emulation; each read is compared with the in-process simulator, so a stale record fails.
 */
import { strict as assert } from 'node:assert';
import { createScenario } from '../../src/sim/scenarios';
import type { SimWorld } from '../../src/sim/world';
import { comparable, requirePwsh, simHarness, type SimHarness } from './helpers';

type Envelope = { records: { type: string; host?: string }[]; nodes?: { host: string; hash: string; unchanged: boolean }[] };

/** iommuDmaBitTracking is unreadable on hosts (see sim.test.ts); left out of both sides. */
function view(inv: unknown): unknown {
  const c = comparable(inv) as { servers: { host?: Record<string, unknown> }[] };
  for (const s of c.servers) if (s.host) delete s.host.iommuDmaBitTracking;
  return c;
}

describe('inventory: unchanged nodes send no records (real pwsh)', function () {
  this.timeout(180_000);
  let h: SimHarness;
  let world: SimWorld;
  const envelopes: Envelope[] = [];

  before(async function () {
    const pwsh = requirePwsh(this);
    h = await simHarness(pwsh, createScenario('mixed'), { timeoutMs: 120_000 });
    world = h.use(createScenario('mixed'));
    const run = h.backend.runScript.bind(h.backend);
    h.backend.runScript = (async (...args: Parameters<typeof run>) => {
      const r = await run(...args);
      if (args[0] === 'inventory') envelopes.push(r.envelope as unknown as Envelope);
      return r;
    }) as typeof run;
  });
  after(async () => {
    await h?.close();
  });

  const nodeRecordHosts = (e: Envelope): string[] => [...new Set(e.records.filter((r) => r.host && r.type !== 'offlineAction').map((r) => r.host!.toUpperCase()))].sort();

  it('the second read of an unchanged cluster carries no node records, and reads the same', async () => {
    envelopes.length = 0;
    const first = await h.backend.inventory();
    const second = await h.backend.inventory();
    assert.equal(envelopes.length, 2);
    assert.ok(envelopes[0].nodes!.length > 0 && envelopes[0].nodes!.every((n) => !n.unchanged), 'the first read sends every node');
    assert.ok(envelopes[1].nodes!.every((n) => n.unchanged), 'the second read finds every node unchanged');
    assert.deepEqual(nodeRecordHosts(envelopes[1]), [], 'no node records travel the second time');
    assert.deepEqual(view(second), view(first));
    assert.deepEqual(view(second), view(world.inventory(undefined, 'sim')));
  });

  it('after a change on one node, only that node sends its records; the result equals the simulator', async () => {
    await h.backend.inventory();
    const server = world.state.servers[0];
    const vm = server.vms.find((v) => v.state === 'Running' && v.adapters.length === 0)!;
    world.stopVm(server.name, vm.name);
    envelopes.length = 0;
    const inv = await h.backend.inventory();
    assert.deepEqual(nodeRecordHosts(envelopes[0]), [server.name.toUpperCase()]);
    assert.equal(envelopes[0].nodes!.filter((n) => !n.unchanged).length, 1);
    assert.deepEqual(view(inv), view(world.inventory(undefined, 'sim')));
    assert.equal(inv.servers.find((s) => s.name === server.name)!.vms.find((v) => v.name === vm.name)!.state, 'Off');
  });

  it('a targeted read of one server uses the same records, and a fresh backend reads in full', async () => {
    const targeted = await h.backend.inventory({ servers: [world.state.servers[1].name] });
    assert.deepEqual(view(targeted), view(world.inventory([world.state.servers[1].name], 'sim')));
    envelopes.length = 0;
    const other = h.makeBackend();
    try {
      const inv = await other.inventory();
      assert.deepEqual(view(inv), view(world.inventory(undefined, 'sim')));
    } finally {
      other.dispose();
    }
  });
});
