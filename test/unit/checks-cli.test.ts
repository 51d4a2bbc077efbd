/**
 * `gpup check`, `plan-capacity`, `guest-check` and `history`, end to end through the built
 * dist/cli.js (the must-show of issue 8), plus usage errors in-process.
 */
import * as assert from 'node:assert/strict';
import { run } from '../../src/cli/commands';
import { AuditLog } from '../../src/audit/auditLog';
import { createScenario, saveState, SimBackend, SimWorld } from '../../src/sim/index';
import { buildCli, expectCode, gpup, tempDir } from './cli-harness';

async function inProcess(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('gpup check / plan-capacity / guest-check / history', function () {
  this.timeout(60000);
  before(() => buildCli());

  it('`gpup check --sim not-ready --json` lists a failing check for each broken prerequisite and exits 1', () => {
    const r = expectCode(gpup('check', '--sim', 'not-ready', '--json'), 1);
    const out = JSON.parse(r.stdout) as { ok: boolean; summary: { fail: number }; results: { id: string; status: string; scope: { name: string; server?: string } }[] };
    assert.equal(out.ok, false);
    const failing = new Set(out.results.filter((x) => x.status === 'fail').map((x) => x.id));
    for (const id of [
      'os-build',
      'hyperv-role',
      'partitionable-gpu',
      'gpu-pnp-state',
      'gpu-p-driver',
      'sr-iov',
      'iommu-dma-tracking',
      'device-assignment-policy',
      'gpu-homogeneous',
      'partition-count-uniform',
      'live-migration-incoming',
      'vm-generation',
      'vm-automatic-checkpoints',
      'vm-mmio',
      'vm-offline-action',
    ]) {
      assert.ok(failing.has(id), `no failing ${id}`);
    }
    assert.equal(out.summary.fail, out.results.filter((x) => x.status === 'fail').length);
  });

  it('`gpup check --sim demo` passes (exit 0) and prints the text report', () => {
    const r = expectCode(gpup('check', '--sim', 'demo'), 0);
    assert.match(r.stdout, /^PASS  Server can be read \[azl-demo\]/);
    assert.match(r.stdout, /\n0 failed, \d+ warnings, \d+ passed\.\n$/);
    const md = expectCode(gpup('check', '--sim', 'demo', '--markdown'), 0);
    assert.match(md.stdout, /^# GPU partitioning prerequisite check\n\nazl-demo, read at /);
  });

  it('`gpup plan-capacity` answers for the demo scenario', () => {
    const r = expectCode(gpup('plan-capacity', '--sim', 'demo', '--vms', '6', '--vram-gib', '1.5', '--json'), 0);
    const plan = JSON.parse(r.stdout);
    assert.equal(plan.needBytes, '1610612736');
    assert.equal(plan.fitNow, 0);
    assert.deepEqual(plan.changesNeeded, ['AZL-N01']);
    assert.deepEqual(plan.placementAfter, [{ server: 'AZL-N01', vms: 6 }]);
    assert.equal(plan.servers[0].change.count, 8);
    assert.equal(plan.servers[0].change.partitionVRAM, '1879048192');
    const text = expectCode(gpup('plan-capacity', '--sim', 'demo', '--vms', '6', '--vram-gib', '1.5'), 0);
    assert.match(text.stdout, /AZL-N01 +0 +16 +896\.00 MiB +8 +1\.75 GiB \(est\.\) +15 +reconfigure: .* 16->8, .* 16->8; unassign first: none/);
    assert.match(text.stdout, /After changing AZL-N01: placement AZL-N01: 6\./);
  });

  it('`gpup guest-check` parses the simulated guest output of a running GPU-P VM', () => {
    const t = tempDir();
    try {
      saveState(t.file('mixed.json'), createScenario('mixed'));
      const r = expectCode(gpup('guest-check', '--sim', t.file('mixed.json'), '--server', 'AZL-N01', '--vm', 'cad-ws-01', '--json'), 0);
      const out = JSON.parse(r.stdout);
      assert.equal(out.status, 'pass');
      assert.equal(out.report.gpus[0].virtualizationMode, 'VGPU');
      assert.equal(out.report.gpus[0].fbMemoryTotalMiB, 896);
      assert.equal(out.report.gpus[0].licensed, true);
      const text = expectCode(gpup('guest-check', '--sim', 'mixed', '--server', 'AZL-N01', '--vm', 'cad-ws-01'), 0);
      assert.match(text.stdout, /Virtualization mode : VGPU\n/);
      const off = expectCode(gpup('guest-check', '--sim', 'mixed', '--server', 'AZL-N01', '--vm', 'render-01'), 1);
      assert.match(off.stderr, /render-01: The virtual machine 'render-01' is not running/);
    } finally {
      t.dispose();
    }
  });

  it('`gpup history` reads the audit log', async () => {
    const t = tempDir();
    try {
      const backend = new SimBackend(new SimWorld(createScenario('demo')), 'demo');
      const request = { kind: 'unassign' as const, server: 'AZL-N01', vms: ['render-01'] };
      const plan = await backend.plan(request);
      const result = await backend.execute(request);
      await new AuditLog(t.file('audit.jsonl')).record({ connection: 'demo', plan, result, user: 'tester', time: new Date('2026-11-27T06:30:00Z') });
      const r = expectCode(gpup('history', '--audit-log', t.file('audit.jsonl')), 0);
      assert.match(r.stdout, /^2026-11-27T06:30:00\.000Z  tester  demo  unassign  AZL-N01\/render-01  ok \(1\)  sha256:[0-9a-f]{12}\n$/);
      const j = JSON.parse(expectCode(gpup('history', '--audit-log', t.file('audit.jsonl'), '--json'), 0).stdout);
      assert.equal(j.records.length, 1);
      assert.equal(expectCode(gpup('history', '--audit-log', t.file('none.jsonl')), 0).stdout, 'No operations recorded.\n');
    } finally {
      t.dispose();
    }
  });

  it('usage errors exit 2 with the usage line; --help lists the commands', async () => {
    const a = await inProcess('plan-capacity', '--sim', 'demo', '--vms', 'x', '--vram-gib', '1');
    assert.equal(a.code, 2);
    assert.match(a.stderr, /--vms must be a positive whole number, got 'x'\.\nUsage: gpup plan-capacity /);
    const b = await inProcess('check', '--sim', 'demo', '--bogus');
    assert.equal(b.code, 2);
    assert.match(b.stderr, /Unknown option '--bogus'/);
    const c = await inProcess('check');
    assert.equal(c.code, 2);
    const d = await inProcess('guest-check', '--sim', 'demo', '--vm', 'x');
    assert.equal(d.code, 2);
    assert.match(d.stderr, /Missing required option '--server'/);
    const h = await inProcess('--help');
    assert.match(h.stdout, /check +Check the prerequisites/);
    assert.match(h.stdout, /gpup plan-capacity --sim/);
    const e = await inProcess('check', '--sim', 'no-such-scenario', '--json');
    assert.equal(e.code, 1);
    assert.equal(JSON.parse(e.stdout).ok, false);
  });
});
