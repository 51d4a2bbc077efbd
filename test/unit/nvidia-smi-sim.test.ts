/** The simulator's guest answer: nvidia-smi XML of a GPU-P guest, parsed by the same reader as real output. */
import * as assert from 'node:assert/strict';
import { assessGuest, parseNvidiaSmiXml } from '../../src/model/nvidiaSmi';
import { createScenario, SimBackend, SimWorld } from '../../src/sim/index';
import { GuestCheckError, SimGuestProbe, simGuestAnswer } from '../../src/sim/guest';
import { scenarioInventory } from './scenario-inventory';

const NOW = new Date(Date.UTC(2026, 10, 27, 6, 5, 9));

describe('simulated guest nvidia-smi', () => {
  it('mixed: cad-ws-01 (running on a 16-partition A2) reports a licensed VGPU with the partition framebuffer', async () => {
    const inv = await scenarioInventory('mixed');
    const server = inv.servers.find((s) => s.name === 'AZL-N01')!;
    const vm = server.vms.find((v) => v.name === 'cad-ws-01')!;
    const xml = simGuestAnswer(server, vm, { now: NOW });
    assert.match(xml, /^<\?xml version="1\.0" \?>\n<!DOCTYPE nvidia_smi_log SYSTEM "nvsmi_device_v13\.dtd">/);
    const report = parseNvidiaSmiXml(xml);
    assert.equal(report.driverVersion, '572.60'); // host 32.0.15.7260 (choices.ts HEALTHY_HOST_DRIVER_VERSION)
    assert.equal(report.cudaVersion, '12.8');
    const g = report.gpus[0];
    assert.equal(g.productName, 'NVIDIA A2-1Q');
    assert.equal(g.virtualizationMode, 'VGPU');
    assert.equal(g.driverModel, 'WDDM');
    assert.equal(g.fbMemoryTotalMiB, 896); // 939524096 B [S4]
    assert.equal(g.pciDeviceId, '25B610DE');
    assert.equal(g.licensed, true);
    assert.equal(g.licenseStatus, 'Licensed (Expiry: 2027-2-25 6:5:9 GMT)'); // 90 days later
    const check = assessGuest(report, vm.adapters[0].currentPartitionVRAM);
    assert.equal(check.status, 'pass', JSON.stringify(check.findings));
  });

  it('a VM that is off, or running without a partition, gives the error the real command would', async () => {
    const inv = await scenarioInventory('mixed');
    const server = inv.servers.find((s) => s.name === 'AZL-N01')!;
    assert.throws(() => simGuestAnswer(server, server.vms.find((v) => v.name === 'render-01')!), (e: unknown) => e instanceof GuestCheckError && /is not running/.test(e.message));
    assert.throws(
      () => simGuestAnswer(server, server.vms.find((v) => v.name === 'cad-ws-02')!),
      (e: unknown) => e instanceof GuestCheckError && /NVIDIA-SMI has failed/.test(e.message),
    );
  });

  it('SimGuestProbe answers through the backend and names an unknown VM as Hyper-V does', async () => {
    const probe = new SimGuestProbe(new SimBackend(new SimWorld(createScenario('mixed')), 'mixed'), () => NOW);
    const xml = await probe.nvidiaSmiXml('azl-n01', 'CAD-WS-01');
    assert.equal(parseNvidiaSmiXml(xml).gpus[0].virtualizationMode, 'VGPU');
    await assert.rejects(probe.nvidiaSmiXml('AZL-N01', 'nope'), /Hyper-V was unable to find a virtual machine with name "nope"\./);
  });

  it('the framebuffer follows the partition count: A16 at 8 in the large scenario', async () => {
    const inv = await scenarioInventory('large');
    const server = inv.servers[0];
    const vm = server.vms[0];
    const g = parseNvidiaSmiXml(simGuestAnswer(server, vm, { now: NOW })).gpus[0];
    assert.equal(BigInt(g.fbMemoryTotalMiB!) * 1024n * 1024n, vm.adapters[0].currentPartitionVRAM);
    assert.match(g.productName!, /-2Q$/);
  });
});
