/** Prerequisite checks rule by rule, on edited copies of the demo scenario's inventory. */
import * as assert from 'node:assert/strict';
import {
  CHECK_IDS,
  CHECK_SOURCES,
  CHECK_TITLES,
  nvidiaReleaseFromWindowsVersion,
  renderChecksMarkdown,
  renderChecksText,
  runChecks,
  worstStatus,
  type CheckId,
} from '../../src/model/checks';
import { findOrphanedAdapters } from '../../src/model/orphans';
import type { Inventory } from '../../src/model/types';
import { scenarioInventory } from './scenario-inventory';

let demo: Inventory;
before(async () => {
  demo = await scenarioInventory('demo');
});

const edit = (f: (inv: Inventory) => void): Inventory => {
  const inv = structuredClone(demo);
  f(inv);
  return inv;
};
const of = (inv: Inventory, id: CheckId) => runChecks(inv).filter((r) => r.id === id);

describe('check rules', () => {
  it('every check has a title and a source', () => {
    for (const id of CHECK_IDS) {
      assert.ok(CHECK_TITLES[id]);
      assert.ok(CHECK_SOURCES[id]);
    }
  });

  it('OS build: 26100 passes, Azure Stack HCI 23H2 warns (no live migration), WS2022 fails, unknown warns', () => {
    const inv = edit((i) => {
      i.servers[1].host = { ...i.servers[1].host, osCaption: 'Microsoft Azure Stack HCI', osBuild: 25398 };
      i.servers[2].host = { ...i.servers[2].host, osCaption: 'Microsoft Windows Server 2022 Datacenter', osBuild: 20348 };
      i.servers[3].host = { ...i.servers[3].host, osBuild: undefined };
    });
    const r = of(inv, 'os-build');
    assert.deepEqual(
      r.map((x) => [x.status, x.scope.name]),
      [
        ['warn', 'AZL-N02'],
        ['fail', 'AZL-N03'],
        ['warn', 'AZL-N04'],
        ['pass', 'azl-demo'],
      ],
    );
    assert.match(r[0].evidence, /cannot live migrate before build 26100/);
  });

  it('OS build: a clustered Windows Server 2025 Standard warns (clustering needs Datacenter)', () => {
    const inv = edit((i) => (i.servers[0].host = { ...i.servers[0].host, osCaption: 'Microsoft Windows Server 2025 Standard', osBuild: 26100 }));
    const r = of(inv, 'os-build').find((x) => x.scope.name === 'AZL-N01')!;
    assert.equal(r.status, 'warn');
    assert.match(r.evidence, /Datacenter/);
  });

  it('a VM whose partition cannot migrate out fails live-migration-outgoing', () => {
    const inv = edit((i) => {
      const v = i.servers[0].vms.find((x) => x.name === 'render-01')!;
      v.adapters[0].supportsOutgoingLiveMigration = false;
    });
    const r = of(inv, 'live-migration-outgoing').filter((x) => x.status === 'fail');
    assert.deepEqual(
      r.map((x) => [x.scope.server, x.scope.name]),
      [['AZL-N01', 'render-01']],
    );
  });

  it('an adapter naming a GPU that is gone is orphaned: check fails with the unassign commands', () => {
    const gone = '\\\\?\\PCI#VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1#4&deadbeef&0&0000#{064092b3-625e-43bf-9eb5-dc845897dd59}';
    const inv = edit((i) => {
      const off = i.servers[1].vms.find((x) => x.name === 'vdi-02')!;
      off.adapters[0].instancePath = gone;
      const running = i.servers[0].vms.find((x) => x.name === 'cad-ws-01')!;
      running.adapters = [{ ...off.adapters[0], vmName: 'cad-ws-01', id: 'Microsoft:X\\Y', instancePath: gone, partitionId: 0 }];
    });
    const orphans = findOrphanedAdapters(inv);
    assert.deepEqual(
      orphans.map((o) => [o.server, o.vm, o.reason]),
      [
        ['AZL-N01', 'cad-ws-01', 'missing'],
        ['AZL-N02', 'vdi-02', 'missing'],
      ],
    );
    const r = of(inv, 'orphaned-adapter');
    assert.deepEqual(
      r.map((x) => x.status),
      ['fail', 'fail'],
    );
    // A running VM is turned off for the removal and on again; an Off VM just loses the adapter.
    assert.deepEqual(r[0].fix!.split('\n'), [
      "Stop-VM -ComputerName 'AZL-N01' -Name 'cad-ws-01'",
      "Remove-VMGpuPartitionAdapter -ComputerName 'AZL-N01' -VMName 'cad-ws-01' -AdapterId 'Microsoft:X\\Y'",
      "Start-VM -ComputerName 'AZL-N01' -Name 'cad-ws-01'",
    ]);
    assert.equal(r[1].fix, `Remove-VMGpuPartitionAdapter -ComputerName 'AZL-N02' -VMName 'vdi-02' -AdapterId '${inv.servers[1].vms.find((x) => x.name === 'vdi-02')!.adapters[0].id}'`);
  });

  it('an adapter on a GPU that lost its GPU-P driver is orphaned as notPartitionable', () => {
    const inv = edit((i) => {
      const g = i.servers[2].gpus[0];
      const v = i.servers[2].vms.find((x) => x.name === 'ml-train-01')!;
      v.adapters[0].instancePath = g.partitionable!.name;
      g.partitionable = undefined;
      g.assignedStatus = 'ReadyForDDA';
    });
    assert.deepEqual(
      findOrphanedAdapters(inv).map((o) => [o.vm, o.reason]),
      [['ml-train-01', 'notPartitionable']],
    );
  });

  it('names with quotes are quoted in fix commands (psQuote), never spliced raw', () => {
    const inv = edit((i) => {
      const v = i.servers[0].vms.find((x) => x.name === 'render-01')!;
      v.name = "o'brien; Remove-Item C:\\ -Recurse";
      v.automaticCheckpointsEnabled = true;
    });
    const r = of(inv, 'vm-automatic-checkpoints').find((x) => x.status === 'fail')!;
    assert.equal(r.fix, "Set-VM -Name 'o''brien; Remove-Item C:\\ -Recurse' -ComputerName 'AZL-N01' -AutomaticCheckpointsEnabled $false");
  });

  it('facts that were not read give warnings, not passes', () => {
    const inv = edit((i) => {
      i.servers[0].host = undefined;
      const v = i.servers[0].vms.find((x) => x.name === 'render-01')!;
      v.automaticCheckpointsEnabled = undefined;
      v.highMemoryMappedIoSpace = undefined;
    });
    const rs = runChecks(inv).filter((r) => r.status === 'warn' && (r.scope.name === 'AZL-N01' || r.scope.name === 'render-01'));
    const ids = new Set(rs.map((r) => r.id));
    for (const id of ['os-build', 'hyperv-role', 'iommu-dma-tracking', 'device-assignment-policy', 'vm-automatic-checkpoints', 'vm-mmio'] as CheckId[]) {
      assert.ok(ids.has(id), id);
    }
  });

  it('a server that cannot be read fails server-reachable and is left out of the others', () => {
    const inv = edit((i) => {
      i.servers[3].error = 'WinRM timeout';
      i.servers[3].host = { hyperVInstalled: false };
    });
    const all = runChecks(inv);
    const f = all.filter((r) => r.id === 'server-reachable' && r.status === 'fail');
    assert.equal(f.length, 1);
    assert.equal(f[0].evidence, 'AZL-N04 could not be read: WinRM timeout');
    assert.ok(!all.some((r) => r.id === 'hyperv-role' && r.status === 'fail'));
  });

  it('more than one adapter on a VM warns with the removal of the extra one', () => {
    const inv = edit((i) => {
      const v = i.servers[0].vms.find((x) => x.name === 'render-01')!;
      v.adapters.push({ ...v.adapters[0], id: 'Microsoft:AAA\\BBB' });
    });
    const r = of(inv, 'vm-single-adapter').find((x) => x.status === 'warn')!;
    assert.equal(r.fix, "Remove-VMGpuPartitionAdapter -ComputerName 'AZL-N01' -VMName 'render-01' -AdapterId 'Microsoft:AAA\\BBB'");
  });

  it('NVIDIA Windows driver versions map to releases', () => {
    assert.deepEqual(nvidiaReleaseFromWindowsVersion('31.0.15.5160'), { branch: 551, release: '551.60' });
    assert.deepEqual(nvidiaReleaseFromWindowsVersion('32.0.15.7260'), { branch: 572, release: '572.60' });
    assert.equal(nvidiaReleaseFromWindowsVersion('580.159.04'), undefined);
  });

  it('renders Markdown and text with failures first and fixes in code blocks', () => {
    // One failure (checkpoints on) and one warning (an Off GPU-P VM at OfflineAction 1); the demo itself has neither.
    const inv = edit((i) => {
      const render = i.servers[0].vms.find((x) => x.name === 'render-01')!;
      render.automaticCheckpointsEnabled = true;
      render.offlineAction = 1;
    });
    const results = runChecks(inv);
    assert.equal(worstStatus(results), 'fail');
    const md = renderChecksMarkdown(results, { subject: 'azl-demo' });
    assert.match(md, /^# GPU partitioning prerequisite check\n\nazl-demo\n\n\*\*1 failed, \d+ warnings, \d+ passed\.\*\*/);
    assert.ok(md.indexOf('## Failed') < md.indexOf('## Warnings') && md.indexOf('## Warnings') < md.indexOf('## Passed'));
    assert.ok(md.includes("```powershell\nSet-VM -Name 'render-01' -ComputerName 'AZL-N01' -AutomaticCheckpointsEnabled $false\n```"));
    const text = renderChecksText(results);
    assert.match(text, /FAIL  Automatic checkpoints off on GPU-P VMs \[AZL-N01\/render-01\]/);
    assert.match(text, /1 failed, \d+ warnings, \d+ passed\.\n$/);
  });
});
