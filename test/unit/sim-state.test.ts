import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  GPU_MODELS,
  SCENARIOS,
  SimWorld,
  createScenario,
  derivedPartitionVram,
  instanceIdOfPartitionableName,
  loadState,
  parseState,
  partitionableNameOf,
  saveState,
  serializeState,
} from '../../src/sim';

function parseError(mutate: (raw: any) => void): string {
  const raw = JSON.parse(serializeState(createScenario('demo')));
  mutate(raw);
  try {
    parseState(JSON.stringify(raw), 'file.json');
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('parseState accepted an invalid state');
}

describe('sim state: parseState / serializeState', () => {
  it('round-trips every scenario, UInt64 as decimal strings', () => {
    for (const name of SCENARIOS) {
      const s = createScenario(name);
      const text = serializeState(s);
      assert.equal(serializeState(parseState(text)), text, name);
    }
    const text = serializeState(createScenario('demo'));
    assert.match(text, /"highMemoryMappedIoSpace": "34359738368"/);
    assert.ok(text.includes('\n  "servers": ['), 'pretty-printed');
  });

  it('names the field path of a wrong type', () => {
    const msg = parseError((r) => (r.servers[1].gpus[0].partitionCount = 'sixteen'));
    assert.match(msg, /servers\[1\]\.gpus\[0\]\.partitionCount: expected number/);
    assert.match(msg, /^file\.json:/);
  });

  it('names a missing field and a bad enum', () => {
    assert.match(parseError((r) => delete r.servers[0].host.osBuild), /servers\[0\]\.host\.osBuild: expected number/);
    assert.match(parseError((r) => (r.servers[2].gpus[1].driver = 'nouveau')), /servers\[2\]\.gpus\[1\]\.driver/);
    assert.match(parseError((r) => (r.faults = [{ host: '*', operation: 'startVm', kind: 'explode' }])), /faults\[0\]\.kind/);
  });

  it('refuses a partition count outside the model ValidPartitionCounts, naming the field', () => {
    assert.match(parseError((r) => (r.servers[0].gpus[1].partitionCount = 3)), /servers\[0\]\.gpus\[1\]\.partitionCount: 3 is not one of 16, 8, 4, 2, 1/);
  });

  it('refuses a UInt64 that is not a decimal string and an unknown GPU model', () => {
    assert.match(parseError((r) => (r.servers[0].vms[0].highMemoryMappedIoSpace = '32GB')), /servers\[0\]\.vms\[0\]\.highMemoryMappedIoSpace/);
    assert.match(parseError((r) => (r.servers[0].gpus[0].model = 'RTX4090')), /servers\[0\]\.gpus\[0\]\.model: expected one of A2/);
  });

  it('refuses a resolved partition on a GPU the server lacks, and duplicate names', () => {
    assert.match(
      parseError((r) => (r.servers[0].vms[2].adapters[0].resolved = { gpu: 'nope', partitionId: 0, vfLuid: '10-1' })),
      /servers\[0\]\.vms\[2\]\.adapters\[0\]\.resolved\.gpu/,
    );
    assert.match(parseError((r) => (r.servers[1].name = 'AZL-N01')), /servers\[1\]\.name: duplicate server name/);
  });

  it('reports invalid JSON with the source name', () => {
    assert.throws(() => parseState('{', 'broken.json'), /broken\.json: not valid JSON/);
  });
});

describe('sim state: scenarios, load and save', () => {
  it('createScenario throws on an unknown name listing the valid ones', () => {
    assert.throws(() => createScenario('nope'), /Unknown simulator scenario 'nope'\. Valid scenarios: demo, mixed, not-ready, large\./);
  });

  it('builds the same scenario twice identically (stable ids)', () => {
    assert.equal(serializeState(createScenario('mixed')), serializeState(createScenario('mixed')));
  });

  it('saveState writes atomically and loadState reads it back; loadState also takes scenario names', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-state-'));
    const file = path.join(dir, 'world.json');
    const s = createScenario('demo');
    s.servers[0].gpus[0].partitionCount = 8;
    saveState(file, s);
    assert.deepEqual(fs.readdirSync(dir), ['world.json'], 'no temporary file left behind');
    assert.equal(loadState(file).servers[0].gpus[0].partitionCount, 8);
    assert.equal(loadState('demo').servers[0].gpus[0].partitionCount, 16);
    assert.throws(() => loadState(path.join(dir, 'missing.json')), /neither a simulator scenario/);
    fs.rmSync(dir, { recursive: true });
  });

  it('demo matches names.md: cluster, servers, VMs on AZL-N01, no resolved partition', () => {
    const s = createScenario('demo');
    assert.equal(s.cluster?.name, 'azl-demo');
    assert.deepEqual(s.servers.map((x) => x.name), ['AZL-N01', 'AZL-N02', 'AZL-N03', 'AZL-N04']);
    const n01 = s.servers[0];
    const byName = Object.fromEntries(n01.vms.map((v) => [v.name, v]));
    assert.equal(byName['cad-ws-01'].state, 'Running');
    assert.equal(byName['cad-ws-01'].adapters.length, 0);
    assert.equal(byName['cad-ws-02'].state, 'Running');
    assert.equal(byName['render-01'].state, 'Off');
    assert.equal(byName['render-01'].adapters.length, 1);
    assert.equal(byName['render-01'].adapters[0].instancePath, undefined);
    assert.equal(byName['archive-01'].state, 'Saved');
    for (const srv of s.servers) {
      assert.equal(srv.gpus.length, 2);
      for (const g of srv.gpus) assert.equal(g.partitionCount, 16);
      for (const v of srv.vms) {
        assert.equal(v.generation, 2);
        assert.equal(v.clustered, true);
        // VMs given an adapter also got OfflineAction 3 (as WAC's assign does), so the demo passes every check.
        assert.equal(v.offlineAction, v.adapters.length > 0 ? 3 : 1, v.name);
        assert.equal(v.automaticCheckpointsEnabled, false);
        assert.equal(v.highMemoryMappedIoSpace, 32n * 1024n ** 3n);
        for (const a of v.adapters) assert.equal(a.resolved, undefined, `${v.name} must not hold a partition`);
      }
      assert.ok(srv.host.osBuild >= 26100 && srv.host.hyperVInstalled && srv.host.iommuDmaBitTracking);
      assert.ok(!srv.host.requireSecureDeviceAssignment && !srv.host.requireSupportedDeviceAssignment);
    }
    const inv = new SimWorld(s).inventory();
    for (const srv of inv.servers) for (const g of srv.gpus) assert.equal(g.assignedStatus, 'Partitioned');
    for (const g of inv.servers[0].gpus) {
      assert.equal(g.device.friendlyName, 'NVIDIA A2');
      assert.equal(g.device.manufacturer, 'NVIDIA');
      assert.match(g.device.instanceId, /VEN_10DE&DEV_25B6/);
    }
  });

  it('mixed: AZL-N04 at 8, cad-ws-01 Running with a resolved partition on the first GPU', () => {
    const w = new SimWorld(createScenario('mixed'));
    assert.deepEqual(w.getPartitionableGpus('AZL-N04').map((g) => g.partitionCount), [8, 8]);
    const [a] = w.getGpuPartitionAdapters('AZL-N01', 'cad-ws-01');
    assert.equal(a.partitionId, 0);
    assert.equal(a.instancePath, w.getPartitionableGpus('AZL-N01')[0].name);
    assert.equal(w.getVms('AZL-N01', 'cad-ws-01')[0].state, 'Running');
  });

  it('not-ready breaks every prerequisite at least once', () => {
    const s = createScenario('not-ready');
    const inv = new SimWorld(s).inventory();
    const statuses = inv.servers.flatMap((x) => x.gpus.map((g) => g.assignedStatus));
    for (const st of ['Partitioned', 'ReadyForDDA', 'Paravirtualization', 'NotAssignable']) assert.ok(statuses.includes(st as never), st);
    assert.ok(s.servers.some((x) => x.host.osBuild < 26100));
    assert.ok(s.servers.some((x) => !x.host.hyperVInstalled));
    assert.ok(s.servers.some((x) => !x.host.iommuDmaBitTracking));
    assert.ok(s.servers.some((x) => x.host.requireSecureDeviceAssignment || x.host.requireSupportedDeviceAssignment));
    assert.ok(inv.servers.some((x) => x.gpus.length > 0 && x.gpus.every((g) => !g.partitionable) && x.gpus.some((g) => g.device.friendlyName === '3D Video Controller' && g.device.status === 'Error')));
    const models = new Set(inv.servers.flatMap((x) => x.gpus.filter((g) => g.partitionable).map((g) => g.device.friendlyName)));
    assert.ok(models.size > 1, 'a non-matching GPU model');
    const counts = new Set(inv.servers.flatMap((x) => x.gpus.filter((g) => g.device.friendlyName === 'NVIDIA A2' && g.partitionable).map((g) => g.partitionable!.partitionCount)));
    assert.ok(counts.size > 1, 'differing partition counts');
    assert.ok(inv.servers.some((x) => x.gpus.some((g) => g.partitionable?.supportsIncomingLiveMigration === false)));
    const vms = inv.servers.flatMap((x) => x.vms);
    const gpuVms = vms.filter((v) => v.adapters.length);
    assert.ok(gpuVms.some((v) => v.generation === 1));
    assert.ok(gpuVms.some((v) => v.automaticCheckpointsEnabled));
    assert.ok(gpuVms.some((v) => (v.highMemoryMappedIoSpace ?? 0n) <= 512n * 1024n * 1024n));
    assert.ok(gpuVms.some((v) => v.offlineAction === 1));
  });

  it('large: 16 servers x 4 GPUs x 32 VMs, many running with resolved partitions', () => {
    const s = createScenario('large');
    assert.equal(s.cluster?.name, 'azl-large');
    assert.equal(s.servers.length, 16);
    assert.equal(s.servers[0].name, 'AZL-L01');
    assert.equal(s.servers[15].name, 'AZL-L16');
    for (const x of s.servers) {
      assert.equal(x.gpus.length, 4);
      assert.equal(x.vms.length, 32);
      assert.ok(x.vms.filter((v) => v.state === 'Running' && v.adapters.some((a) => a.resolved)).length >= 16);
    }
  });
});

describe('sim catalog', () => {
  it('carries the confirmed A2/A16 figures [S4]', () => {
    for (const key of ['A2', 'A16']) {
      const m = GPU_MODELS[key];
      assert.equal(m.deviceId, '25B6');
      assert.equal(m.totalVRAM, 15918030848n);
      assert.equal(m.totalEncode, 36n);
      assert.equal(m.totalDecode, 24n);
      assert.equal(m.totalCompute, 2048n);
      assert.deepEqual(m.validPartitionCounts, [16, 8, 4, 2, 1]);
      assert.deepEqual(m.profiles[16], { vram: 939524096n, encode: 2n, decode: 1n, compute: 128n, derived: false });
      assert.deepEqual(m.profiles[4], { vram: 3825205248n, encode: 9n, decode: 6n, compute: 512n, derived: false });
      assert.equal(m.profiles[8].derived, true);
      assert.equal(m.profiles[8].encode, 4n);
      assert.equal(m.profiles[8].decode, 3n);
      assert.equal(m.profiles[8].compute, 256n);
    }
  });

  it('derives VRAM between the two observed reserve ratios, in whole MiB, below total/count', () => {
    const total = 15918030848n;
    // The rule reproduces the two confirmed sizes.
    assert.equal(derivedPartitionVram(total, 16), 939524096n);
    assert.equal(derivedPartitionVram(total, 4), 3825205248n);
    for (const count of [1, 2, 8]) {
      const v = derivedPartitionVram(total, count);
      assert.equal(v % (1024n * 1024n), 0n);
      assert.ok(v < total / BigInt(count), `count ${count}`);
    }
    for (const m of Object.values(GPU_MODELS)) for (const c of m.validPartitionCounts) assert.ok(m.profiles[c].vram * BigInt(c) <= m.totalVRAM, `${m.key}@${c}`);
  });

  it('maps a PnP instance id to the partitionable GPU Name and back [S4]', () => {
    const id = 'PCI\\VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1\\4&18416DC3&0&0000';
    const name = partitionableNameOf(id);
    assert.equal(name, '\\\\?\\PCI#VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1#4&18416dc3&0&0000#{064092b3-625e-43bf-9eb5-dc845897dd59}');
    assert.equal(instanceIdOfPartitionableName(name), id.toUpperCase());
  });
});
