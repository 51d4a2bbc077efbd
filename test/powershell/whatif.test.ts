/**
 * Issue 7, "Every operation can be run as what-if first": through PowerShell (the real scripts in
 * pwsh against the Hyper-V emulation module), plan() and the scripts' own what-if of each operation
 * leave the state exactly as it was, while showing the exact commands; executing the same request
 * does change it (the control: the comparison can fail).
 */
import { strict as assert } from 'node:assert';
import type { OperationRequest } from '../../src/model/types';
import { createScenario, serializeState, type SimWorld } from '../../src/sim';
import { requirePwsh, simHarness, type SimHarness } from './helpers';

const CASES: { name: string; scenario: string; request: (w: SimWorld) => OperationRequest; command: RegExp }[] = [
  {
    name: 'set-count',
    scenario: 'demo',
    request: (w) => ({ kind: 'set-count', count: 8, targets: w.state.servers.flatMap((s) => s.gpus.map((g) => ({ server: s.name, gpu: g.instanceId }))) }),
    command: /Set-VMHostPartitionableGpu/,
  },
  {
    name: 'assign (a running VM, force-shutdown offline action)',
    scenario: 'demo',
    request: () => ({ kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-02'], forceShutdownOfflineAction: true }),
    command: /Stop-VM[\s\S]*Add-VMGpuPartitionAdapter/,
  },
  {
    name: 'unassign (a running VM holding a partition)',
    scenario: 'mixed',
    request: () => ({ kind: 'unassign', server: 'AZL-N01', vms: ['cad-ws-01'] }),
    command: /Remove-VMGpuPartitionAdapter/,
  },
];

describe('what-if through PowerShell changes nothing', function () {
  this.timeout(180_000);
  let h: SimHarness;

  before(async function () {
    const pwsh = requirePwsh(this);
    h = await simHarness(pwsh, createScenario('demo'));
  });
  after(async () => {
    await h?.close();
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const world = h.use(createScenario(c.scenario));
      const request = c.request(world);
      const before = serializeState(world.state);
      const plan = await h.backend.plan(request);
      assert.ok(plan.items.length > 0, JSON.stringify(plan.refusals));
      const commands = plan.items.flatMap((i) => i.steps.map((s) => s.command)).join('\n');
      assert.match(commands, c.command);
      const steps = await h.backend.whatIf(request);
      assert.ok(steps.length > 0);
      assert.match(steps.map((s) => s.command).join('\n'), c.command);
      assert.equal(serializeState(world.state), before, 'state after plan() and what-if = state before');
      // Control: executing it changes the state.
      const result = await h.backend.execute(request);
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.notEqual(serializeState(world.state), before);
    });
  }
});
