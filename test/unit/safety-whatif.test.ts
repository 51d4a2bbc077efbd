/**
 * Issue 7, "Every operation can be run as what-if first (plan and exact commands, nothing
 * changed)": for each operation, the state before equals the state after a what-if, in process
 * (SimBackend.plan, also through the extension's redacting wrapper) and through `gpup --what-if`
 * (which never asks for confirmation). The same operations really executed DO change the state,
 * so a what-if that mutated would fail these tests.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { redactingBackend, SecretRedactor } from '../../src/connections/secretRedactor';
import { run, type CliIo } from '../../src/cli/commands';
import type { OperationRequest } from '../../src/model/types';
import { createScenario, saveState, serializeState, SimBackend, SimWorld } from '../../src/sim';
import { tempDir } from './cli-harness';

interface Case {
  name: string;
  scenario: string;
  request: (w: SimWorld) => OperationRequest;
  argv: string[];
  /** A command the plan must show. */
  command: RegExp;
}

const CASES: Case[] = [
  {
    name: 'set-count (every demo GPU 16 -> 8)',
    scenario: 'demo',
    request: (w) => ({ kind: 'set-count', targets: ['AZL-N01', 'AZL-N02', 'AZL-N03', 'AZL-N04'].flatMap((s) => w.getPartitionableGpus(s).map((g) => ({ server: s, gpu: g.name }))), count: 8 }),
    argv: ['set-count', '--server', 'AZL-N01', '--count', '8'],
    command: /Set-VMHostPartitionableGpu/,
  },
  {
    name: 'assign (a running VM: turned off and on again, force-shutdown offline action)',
    scenario: 'demo',
    request: () => ({ kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-02'], forceShutdownOfflineAction: true }),
    argv: ['assign', '--server', 'AZL-N01', '--vm', 'cad-ws-02', '--force-shutdown'],
    command: /Add-VMGpuPartitionAdapter/,
  },
  {
    name: 'unassign (a running VM holding a partition)',
    scenario: 'mixed',
    request: () => ({ kind: 'unassign', server: 'AZL-N01', vms: ['cad-ws-01'] }),
    argv: ['unassign', '--server', 'AZL-N01', '--vm', 'cad-ws-01'],
    command: /Remove-VMGpuPartitionAdapter/,
  },
  {
    name: 'unassign (an Off VM with a pending adapter)',
    scenario: 'demo',
    request: () => ({ kind: 'unassign', server: 'AZL-N01', vms: ['render-01'] }),
    argv: ['unassign', '--server', 'AZL-N01', '--vm', 'render-01'],
    command: /Remove-VMGpuPartitionAdapter/,
  },
];

/** The inventory as JSON, without its read time (which differs on every read). */
function inventoryJson(world: SimWorld): string {
  return JSON.stringify({ ...world.inventory(), readAt: undefined }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

function io(): CliIo & { out: string; err: string } {
  const o = { out: '', err: '', stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t) };
  return o;
}

describe('safety: a what-if of each operation changes nothing', () => {
  for (const c of CASES) {
    it(`SimBackend.plan: ${c.name}`, async () => {
      const state = createScenario(c.scenario);
      const world = new SimWorld(state);
      const backend = new SimBackend(world, c.scenario);
      const request = c.request(world);
      const before = serializeState(state);
      const inventoryBefore = inventoryJson(world);
      const plan = await backend.plan(request);
      assert.ok(plan.items.length > 0, `the plan has work to do: ${JSON.stringify(plan.refusals)}`);
      assert.ok(plan.items.flatMap((i) => i.steps).some((s) => c.command.test(s.command)), 'the plan shows the exact commands');
      // Through the extension's wrapper too (what the preview command and the forms call).
      const redactor = new SecretRedactor();
      redactor.add('not-in-any-plan-9f8e');
      await redactingBackend(backend, redactor).plan(request);
      assert.equal(serializeState(state), before, 'state after the what-if = state before');
      assert.equal(inventoryJson(world), inventoryBefore);
      // Control: the same request executed does change the state, so the comparison can fail.
      const result = await backend.execute(request);
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.notEqual(serializeState(state), before, 'executing changes the state');
    });

    it(`gpup --what-if (no --yes, no terminal: never asks): ${c.name}`, async () => {
      const tmp = tempDir();
      try {
        const file = tmp.file('state.json');
        saveState(file, createScenario(c.scenario));
        const bytes = readFileSync(file, 'utf8');
        const r = io();
        const code = await run([...c.argv, '--sim', file, '--what-if'], r);
        assert.equal(code, 0, r.err);
        assert.match(r.out, c.command);
        assert.doesNotMatch(r.err, /--yes|\[y\/N\]/);
        assert.equal(readFileSync(file, 'utf8'), bytes, 'the state file is byte-identical');
        // Control: the same command with --yes changes the file.
        const r2 = io();
        assert.equal(await run([...c.argv, '--sim', file, '--yes'], r2), 0, r2.err);
        assert.notEqual(readFileSync(file, 'utf8'), bytes);
      } finally {
        tmp.dispose();
      }
    });
  }
});
