/**
 * What `gpup` must show, run end to end: the built dist/cli.js as a child process on temp state files.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { bigintReplacer } from '../../src/cli/json';
import { loadState, SimWorld } from '../../src/sim/index';
import { buildCli, expectCode, gpup, tempDir } from './cli-harness';

/** Every property Get-VMHostPartitionableGpu prints except CimSession (domain doc §1.1 [S4]). */
const PARTITIONABLE_GPU_PROPERTIES = [
  'name',
  'validPartitionCounts',
  'partitionCount',
  'supportsIncomingLiveMigration',
  'totalVRAM',
  'availableVRAM',
  'minPartitionVRAM',
  'maxPartitionVRAM',
  'optimalPartitionVRAM',
  'totalEncode',
  'availableEncode',
  'minPartitionEncode',
  'maxPartitionEncode',
  'optimalPartitionEncode',
  'totalDecode',
  'availableDecode',
  'minPartitionDecode',
  'maxPartitionDecode',
  'optimalPartitionDecode',
  'totalCompute',
  'availableCompute',
  'minPartitionCompute',
  'maxPartitionCompute',
  'optimalPartitionCompute',
  'computerName',
  'isDeleted',
];
const UINT64_PROPERTIES = PARTITIONABLE_GPU_PROPERTIES.filter((p) => /VRAM|Encode|Decode|Compute/.test(p));

interface JsonVm {
  name: string;
  state: string;
  adapters: { instancePath?: string; partitionId?: number }[];
}
interface JsonGpu {
  assignedStatus: string;
  device: { friendlyName: string; instanceId: string };
  partitionable?: Record<string, unknown> & { name: string; partitionCount: number };
}
interface JsonInventory {
  cluster?: string;
  servers: { name: string; gpus: JsonGpu[]; vms: JsonVm[] }[];
}

function inventory(sim: string): JsonInventory {
  const r = expectCode(gpup('inventory', '--sim', sim, '--json'), 0);
  return JSON.parse(r.stdout) as JsonInventory;
}

function vmOf(inv: JsonInventory, server: string, vm: string): JsonVm {
  const found = inv.servers.find((s) => s.name === server)?.vms.find((v) => v.name === vm);
  assert.ok(found, `${server}/${vm} not in inventory`);
  return found;
}

function gpuNames(inv: JsonInventory, server: string): string[] {
  return inv.servers.find((s) => s.name === server)!.gpus.map((g) => g.partitionable!.name);
}

describe('gpup (built CLI) must show', function () {
  this.timeout(60000);
  let tmp: ReturnType<typeof tempDir>;

  before(async () => {
    await buildCli();
  });
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => {
    tmp.dispose();
  });

  function init(scenario: string): string {
    const file = tmp.file(`${scenario}.json`);
    expectCode(gpup('sim', 'init', scenario, '--out', file), 0);
    return file;
  }

  it('inventory --sim demo --json lists every server, GPU (all Get-VMHostPartitionableGpu properties) and VM of the demo', async () => {
    const inv = inventory('demo');
    // The same scenario read in-process: the CLI must list all of it, with UInt64 values as decimal strings.
    const expected = JSON.parse(JSON.stringify(await new SimWorld(loadState('demo')).inventory(), bigintReplacer)) as JsonInventory;

    assert.equal(inv.cluster, 'azl-demo');
    assert.deepEqual(
      inv.servers.map((s) => s.name),
      ['AZL-N01', 'AZL-N02', 'AZL-N03', 'AZL-N04'],
    );
    assert.deepEqual(
      inv.servers.map((s) => s.name),
      expected.servers.map((s) => s.name),
    );
    for (const server of inv.servers) {
      const exp = expected.servers.find((s) => s.name === server.name)!;
      assert.equal(server.gpus.length, 2, `${server.name} has two GPUs`);
      assert.deepEqual(server.gpus, exp.gpus, `${server.name} GPUs`);
      assert.deepEqual(
        server.vms.map((v) => [v.name, v.state]),
        exp.vms.map((v) => [v.name, v.state]),
        `${server.name} VMs`,
      );
      assert.ok(server.vms.length >= 2, `${server.name} has VMs`);
      for (const gpu of server.gpus) {
        assert.equal(gpu.assignedStatus, 'Partitioned');
        assert.equal(gpu.device.friendlyName, 'NVIDIA A2');
        const p = gpu.partitionable!;
        assert.deepEqual(Object.keys(p).sort(), [...PARTITIONABLE_GPU_PROPERTIES].sort(), `${server.name} GPU properties`);
        for (const key of UINT64_PROPERTIES) {
          assert.match(String(p[key]), /^[0-9]+$/, `${key} is a decimal string`);
          assert.equal(typeof p[key], 'string', `${key} is a string`);
        }
        // Real NVIDIA A2/A16 figures (domain doc §1.1 [S4]).
        assert.equal(p.totalVRAM, '15918030848');
        assert.equal(p.partitionCount, 16);
        assert.deepEqual(p.validPartitionCounts, [16, 8, 4, 2, 1]);
        assert.equal(p.computerName, server.name);
      }
    }
    const n01 = inv.servers[0].vms.map((v) => [v.name, v.state]);
    for (const vm of [
      ['cad-ws-01', 'Running'],
      ['cad-ws-02', 'Running'],
      ['render-01', 'Off'],
      ['archive-01', 'Saved'],
    ]) {
      assert.ok(
        n01.some(([n, s]) => n === vm[0] && s === vm[1]),
        `AZL-N01 lists ${vm.join(' ')}`,
      );
    }
  });

  it('inventory without --json prints readable tables of servers, GPUs and VMs', () => {
    const r = expectCode(gpup('inventory', '--sim', 'demo'), 0);
    for (const text of ['Server AZL-N01', 'Server AZL-N04', 'NVIDIA A2', 'Partitioned', '14.82 GiB', '0.93 GiB', 'cad-ws-01', 'archive-01', 'Saved', 'pending']) {
      assert.ok(r.stdout.includes(text), `output shows ${text}\n${r.stdout}`);
    }
  });

  it('set-count to a value outside ValidPartitionCounts exits 1 and changes nothing', () => {
    const file = init('demo');
    const before = readFileSync(file);
    const r = expectCode(gpup('set-count', '--yes', '--sim', file, '--server', 'AZL-N01', '--count', '3'), 1);
    assert.match(r.stderr, /3/);
    assert.match(r.stderr, /16, 8, 4, 2, 1|16,8,4,2,1/);
    assert.deepEqual(readFileSync(file), before);
  });

  it('set-count on a GPU with an assigned partition exits 1 and says to unassign first', () => {
    const file = init('mixed');
    const inv = inventory(file);
    const held = vmOf(inv, 'AZL-N01', 'cad-ws-01');
    assert.equal(held.state, 'Running');
    assert.equal(held.adapters[0]?.instancePath, gpuNames(inv, 'AZL-N01')[0], 'mixed: cad-ws-01 holds a partition on the first GPU');
    const r = expectCode(gpup('set-count', '--yes', '--sim', file, '--server', 'AZL-N01', '--gpu', '0', '--count', '8'), 1);
    assert.match(r.stderr, /unassign/i);
    assert.match(r.stderr, /cad-ws-01/);
    assert.equal(inventory(file).servers[0].gpus[0].partitionable!.partitionCount, 16);
  });

  it('set-count on a free GPU changes it and keeps the other GPU', () => {
    const file = init('mixed');
    expectCode(gpup('set-count', '--yes', '--sim', file, '--server', 'AZL-N01', '--gpu', '1', '--count', '8'), 0);
    const gpus = inventory(file).servers[0].gpus;
    assert.equal(gpus[1].partitionable!.partitionCount, 8);
    assert.equal(gpus[0].partitionable!.partitionCount, 16);
  });

  it('assign to a running VM exits 0 and leaves it Running with a resolved partition; unassign leaves it Running without one', () => {
    const file = init('demo');
    const r = expectCode(gpup('assign', '--yes', '--sim', file, '--server', 'AZL-N01', '--vm', 'cad-ws-02'), 0);
    assert.match(r.stdout, /cad-ws-02/);
    let vm = vmOf(inventory(file), 'AZL-N01', 'cad-ws-02');
    assert.equal(vm.state, 'Running');
    assert.equal(vm.adapters.length, 1);
    assert.equal(typeof vm.adapters[0].partitionId, 'number', 'partition resolved');
    assert.ok(gpuNames(inventory(file), 'AZL-N01').includes(vm.adapters[0].instancePath!));

    expectCode(gpup('unassign', '--yes', '--sim', file, '--server', 'AZL-N01', '--vm', 'cad-ws-02'), 0);
    vm = vmOf(inventory(file), 'AZL-N01', 'cad-ws-02');
    assert.equal(vm.state, 'Running');
    assert.deepEqual(vm.adapters, []);
  });

  it('assign --json prints pure JSON on stdout with per-VM results; the streamed steps go to stderr', () => {
    const file = init('demo');
    const r = expectCode(gpup('assign', '--yes', '--sim', file, '--server', 'AZL-N01', '--vm', 'cad-ws-01', '--gpu', '1', '--json'), 0);
    const out = JSON.parse(r.stdout) as { ok: boolean; items: { target: string; ok: boolean; finalState?: string }[] };
    assert.equal(out.ok, true);
    assert.deepEqual(
      out.items.map((i) => [i.target, i.ok, i.finalState]),
      [['cad-ws-01', true, 'Running']],
    );
    assert.ok(r.stderr.trim().length > 0, 'steps streamed on stderr');
    const vm = vmOf(inventory(file), 'AZL-N01', 'cad-ws-01');
    assert.equal(vm.adapters[0].instancePath, gpuNames(inventory(file), 'AZL-N01')[1], '--gpu 1 chose the second GPU');
  });

  it('assign to a running VM whose GPU has no free partition exits 1 and leaves it Running without an adapter', () => {
    const file = init('demo');
    // One partition per GPU, then fill the first GPU.
    expectCode(gpup('set-count', '--yes', '--sim', file, '--server', 'AZL-N01', '--count', '1'), 0);
    const inv = inventory(file);
    assert.deepEqual(
      inv.servers[0].gpus.map((g) => g.partitionable!.partitionCount),
      [1, 1],
    );
    expectCode(gpup('assign', '--yes', '--sim', file, '--server', 'AZL-N01', '--vm', 'cad-ws-01', '--gpu', '0'), 0);
    const r = expectCode(gpup('assign', '--yes', '--sim', file, '--server', 'AZL-N01', '--vm', 'cad-ws-02', '--gpu', '0'), 1);
    assert.match(r.stderr, /cad-ws-02/);
    const vm = vmOf(inventory(file), 'AZL-N01', 'cad-ws-02');
    assert.equal(vm.state, 'Running');
    assert.deepEqual(vm.adapters, []);
    // The VM that holds the only partition is untouched.
    const holder = vmOf(inventory(file), 'AZL-N01', 'cad-ws-01');
    assert.equal(holder.state, 'Running');
    assert.equal(holder.adapters.length, 1);
  });

  it('a failure after the VM stopped is rolled back: exit 1, the VM Running again without an adapter', () => {
    const file = init('demo');
    // Fault injection in the state file: the first start of a VM on AZL-N01 fails.
    const state = JSON.parse(readFileSync(file, 'utf8')) as { faults: unknown[] };
    state.faults = [{ host: 'AZL-N01', operation: 'startVm', kind: 'fail', message: 'GPU Partition: Failed to Power On', times: 1 }];
    writeFileSync(file, JSON.stringify(state));
    const r = expectCode(gpup('assign', '--yes', '--sim', file, '--server', 'AZL-N01', '--vm', 'cad-ws-02', '--json'), 1);
    const out = JSON.parse(r.stdout) as { ok: boolean; items: { target: string; ok: boolean; rolledBack?: boolean; finalState?: string; error?: string }[] };
    assert.equal(out.ok, false);
    assert.equal(out.items[0].target, 'cad-ws-02');
    assert.equal(out.items[0].ok, false);
    assert.equal(out.items[0].rolledBack, true);
    assert.match(r.stderr, /Failed to Power On/);
    const vm = vmOf(inventory(file), 'AZL-N01', 'cad-ws-02');
    assert.equal(vm.state, 'Running');
    assert.deepEqual(vm.adapters, []);
  });

  it('usage errors exit 2 with a usage line', () => {
    const file = init('demo');
    for (const args of [
      ['inventory', '--sim', 'demo', '--bogus'],
      ['inventory', '--sim'],
      ['set-count', '--sim', file, '--server', 'AZL-N01', '--count', 'many'],
      ['set-count', '--sim', file, '--server', 'AZL-N01'],
      ['assign', '--sim', file, '--server', 'AZL-N01'],
      ['frobnicate'],
      ['sim', 'init', 'no-such-scenario', '--out', tmp.file('x.json')],
    ]) {
      const r = gpup(...args);
      assert.equal(r.code, 2, `${args.join(' ')} -> ${r.code}\n${r.stderr}`);
      assert.match(r.stderr, /Usage: gpup/, args.join(' '));
      assert.equal(r.stdout, '');
    }
    // A change needs a state file: a scenario name alone is a usage error that says what to run.
    const r = expectCode(gpup('set-count', '--yes', '--sim', 'demo', '--server', 'AZL-N01', '--count', '8'), 2);
    assert.match(r.stderr, /gpup sim init demo --out FILE/);
  });

  it('--what-if prints the plan with exact commands and leaves the state file byte-identical', () => {
    const file = init('demo');
    const before = readFileSync(file);
    const a = expectCode(gpup('assign', '--sim', file, '--server', 'AZL-N01', '--vm', 'cad-ws-02', '--what-if'), 0);
    assert.match(a.stdout, /Stop-VM/);
    assert.match(a.stdout, /Add-VMGpuPartitionAdapter/);
    assert.match(a.stdout, /Start-VM/);
    assert.match(a.stdout, /cad-ws-02/);
    const s = expectCode(gpup('set-count', '--sim', file, '--server', 'AZL-N01', '--count', '8', '--what-if', '--json'), 0);
    const plan = JSON.parse(s.stdout) as { whatIf: boolean; plan: { items: { steps: { command: string }[] }[] } };
    assert.equal(plan.whatIf, true);
    assert.equal(plan.plan.items.length, 2, 'both GPUs of AZL-N01');
    assert.ok(plan.plan.items.every((i) => i.steps.some((st) => /Set-VMHostPartitionableGpu/.test(st.command) && /8/.test(st.command))));
    expectCode(gpup('unassign', '--sim', file, '--server', 'AZL-N01', '--vm', 'render-01', '--what-if'), 0);
    assert.deepEqual(readFileSync(file), before);
    assert.equal(vmOf(inventory(file), 'AZL-N01', 'cad-ws-02').adapters.length, 0);
  });

  it('--gpu accepts the index, the GPU Name, and refuses an ambiguous friendly name or a missing index', () => {
    const file = init('demo');
    const name = gpuNames(inventory(file), 'AZL-N02')[1];
    expectCode(gpup('set-count', '--yes', '--sim', file, '--server', 'AZL-N02', '--gpu', name, '--count', '4'), 0);
    expectCode(gpup('set-count', '--yes', '--sim', file, '--server', 'azl-n02', '--gpu', '0', '--count', '2'), 0);
    assert.deepEqual(
      inventory(file)
        .servers.find((s) => s.name === 'AZL-N02')!
        .gpus.map((g) => g.partitionable!.partitionCount),
      [2, 4],
    );
    const amb = expectCode(gpup('set-count', '--yes', '--sim', file, '--server', 'AZL-N02', '--gpu', 'NVIDIA A2', '--count', '4'), 1);
    assert.match(amb.stderr, /matches 2 GPUs/);
    expectCode(gpup('set-count', '--yes', '--sim', file, '--server', 'AZL-N02', '--gpu', '7', '--count', '4'), 1);
    const unknown = expectCode(gpup('assign', '--yes', '--sim', file, '--server', 'AZL-N99', '--vm', 'x'), 1);
    assert.match(unknown.stderr, /AZL-N01/);
  });

  it('--help prints the commands; <cmd> --help prints its options', () => {
    const all = expectCode(gpup('--help'), 0);
    assert.match(all.stdout, /gpup set-count/);
    const one = expectCode(gpup('unassign', '--help'), 0);
    assert.match(one.stdout, /--vm/);
  });
});
