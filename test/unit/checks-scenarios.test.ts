/**
 * Prerequisite checks on the simulator's built-in scenarios: `demo` is healthy (no failure), and
 * `not-ready` fails every prerequisite it breaks, on the server/GPU/VM that breaks it.
 */
import * as assert from 'node:assert/strict';
import { runChecks, summarizeChecks, type CheckId, type CheckResult } from '../../src/model/checks';
import { scenarioInventory } from './scenario-inventory';

function fails(results: CheckResult[], id: CheckId): CheckResult[] {
  return results.filter((r) => r.id === id && r.status === 'fail');
}

describe('checks on the demo scenario', () => {
  let results: CheckResult[];
  before(async () => {
    results = runChecks(await scenarioInventory('demo'));
  });

  it('has no failing check', () => {
    assert.deepEqual(
      results.filter((r) => r.status === 'fail').map((r) => `${r.id} ${r.evidence}`),
      [],
    );
    assert.equal(summarizeChecks(results).fail, 0);
  });

  it('has no warning either (vGPU 18 host driver, GPU-P VMs at OfflineAction 3)', () => {
    assert.deepEqual(
      results.filter((r) => r.status === 'warn').map((r) => `${r.id} ${r.evidence}`),
      [],
    );
  });

  it('passes every host prerequisite on all four servers', () => {
    for (const id of ['os-build', 'hyperv-role', 'partitionable-gpu', 'iommu-dma-tracking', 'device-assignment-policy'] as CheckId[]) {
      const r = results.find((x) => x.id === id);
      assert.ok(r, id);
      assert.equal(r.status, 'pass', id);
      assert.match(r.evidence, /\b4 of 4 servers/, id);
    }
    const homogeneous = results.find((r) => r.id === 'gpu-homogeneous')!;
    assert.equal(homogeneous.status, 'pass');
    assert.match(homogeneous.evidence, /All 8 partitionable GPUs are NVIDIA A2, 14\.82 GiB/);
    assert.equal(results.find((r) => r.id === 'partition-count-uniform')!.evidence, 'All 8 partitionable GPUs have partition count 16.');
  });

  it('each result carries a title, a source and an evidence template that renders to the evidence', () => {
    for (const r of results) {
      assert.ok(r.title.length > 0 && r.source.length > 0);
      const rendered = r.evidenceText.template.replace(/\{(\w+)\}/g, (_w, k: string) => String(r.evidenceText.args[k]));
      assert.equal(rendered, r.evidence);
    }
  });
});

describe('checks on the not-ready scenario', () => {
  let results: CheckResult[];
  before(async () => {
    results = runChecks(await scenarioInventory('not-ready'));
  });

  const expected: [CheckId, string][] = [
    ['os-build', 'AZL-R01'],
    ['iommu-dma-tracking', 'AZL-R01'],
    ['hyperv-role', 'AZL-R02'],
    ['device-assignment-policy', 'AZL-R03'],
    ['partitionable-gpu', 'AZL-R04'],
    ['partitionable-gpu', 'AZL-R05'],
    ['gpu-pnp-state', 'AZL-R04'],
    ['gpu-p-driver', 'AZL-R05'],
    ['sr-iov', 'AZL-R05'],
    ['live-migration-incoming', 'AZL-R06'],
    ['vm-generation', 'AZL-R06'],
    ['vm-automatic-checkpoints', 'AZL-R06'],
    ['vm-mmio', 'AZL-R06'],
    ['vm-offline-action', 'AZL-R06'],
    ['live-migration-outgoing', 'AZL-R06'],
    ['orphaned-adapter', 'AZL-R06'],
    ['server-reachable', 'AZL-R07'],
  ];
  for (const [id, server] of expected) {
    it(`fails ${id} on ${server}`, () => {
      const f = fails(results, id).filter((r) => (r.scope.kind === 'server' ? r.scope.name : r.scope.server) === server);
      assert.ok(f.length > 0, `no failing ${id} on ${server}: ${results.filter((r) => r.id === id).map((r) => `${r.status} ${r.evidence}`).join(' | ')}`);
    });
  }

  it('fails the cluster-wide homogeneity and partition-count checks', () => {
    const h = fails(results, 'gpu-homogeneous');
    assert.equal(h.length, 1);
    assert.match(h[0].evidence, /NVIDIA A2/);
    assert.match(h[0].evidence, /NVIDIA L4/);
    const c = fails(results, 'partition-count-uniform');
    assert.equal(c.length, 1);
    assert.match(c[0].evidence, /3 GPU\(s\) at 4, 2 GPU\(s\) at 16/);
    // The fix names each GPU of AZL-R01 (the minority count) by its quoted Name.
    assert.equal(c[0].fix!.split('\n').length, 2);
    for (const line of c[0].fix!.split('\n')) assert.match(line, /^Set-VMHostPartitionableGpu -ComputerName 'AZL-R01' -Name '\\\\\?\\PCI#VEN_10DE&DEV_25B6&.*' -PartitionCount 4$/);
  });

  it('tells the three non-Partitioned statuses apart on AZL-R05', () => {
    const r05 = results.filter((r) => r.scope.server === 'AZL-R05' && r.status === 'fail');
    assert.ok(r05.some((r) => r.id === 'gpu-p-driver' && /Ready for DDA assignment/.test(r.evidence) && r.fix === 'pnputil /add-driver .\\nvgridswhci.inf /install /force'));
    assert.ok(r05.some((r) => r.id === 'gpu-p-driver' && /Not assignable/.test(r.evidence) && r.fix === undefined));
    assert.ok(r05.some((r) => r.id === 'sr-iov' && /Paravirtualization/.test(r.evidence)));
  });

  it('gives the exact fix commands', () => {
    assert.equal(fails(results, 'vm-automatic-checkpoints')[0].fix, "Set-VM -Name 'ckpt-app-01' -ComputerName 'AZL-R06' -AutomaticCheckpointsEnabled $false");
    assert.equal(fails(results, 'hyperv-role')[0].fix, "Install-WindowsFeature -ComputerName 'AZL-R02' -Name Hyper-V -IncludeManagementTools -Restart");
    assert.equal(
      fails(results, 'vm-mmio')[0].fix,
      "Set-VM -Name 'small-mmio-01' -ComputerName 'AZL-R06' -GuestControlledCacheTypes $true -LowMemoryMappedIoSpace 1GB -HighMemoryMappedIoSpace 16GB",
    );
    assert.match(fails(results, 'vm-mmio')[0].evidence, /512\.00 MiB of high MMIO space/);
    const offline = fails(results, 'vm-offline-action');
    assert.deepEqual(
      offline.map((r) => r.scope.name),
      ['saver-01'],
    );
    assert.equal(offline[0].fix, "Get-ClusterResource -Name 'saver-01' | Set-ClusterParameter -Name OfflineAction -Value 3");
    assert.equal(
      fails(results, 'device-assignment-policy')[0].fix,
      "Invoke-Command -ComputerName 'AZL-R03' -ScriptBlock { Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\HyperV' -Name 'RequireSecureDeviceAssignment' -Value 0 }",
    );
  });

  it('only the broken items fail: the healthy GPU-P VM on AZL-R06 passes every VM check', () => {
    assert.ok(!results.some((r) => r.status !== 'pass' && r.scope.kind === 'vm' && r.scope.name === 'ok-gpu-01'));
  });
});
