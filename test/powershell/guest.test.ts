/**
 * The guest check through the PowerShell backend (issue 8): guest.ps1 in real pwsh enters the host
 * (emulated Invoke-Command -ComputerName), then the VM (emulated PowerShell Direct, Invoke-Command
 * -VMName) and runs nvidia-smi -q -x there, answered by the simulator's guest (src/sim/guest.ts).
 */
import { strict as assert } from 'node:assert';
import { isGuestProbe, parseNvidiaSmiXml } from '../../src/model/nvidiaSmi';
import { createScenario } from '../../src/sim/scenarios';
import { requirePwsh, simHarness, type SimHarness } from './helpers';

describe('guest check via guest.ps1 (PowerShell Direct, emulated)', function () {
  this.timeout(120_000);
  let h: SimHarness;

  before(async function () {
    const pwsh = requirePwsh(this);
    h = await simHarness(pwsh, createScenario('mixed'), { timeoutMs: 60_000 });
    await h.backend.runner.start();
  });
  after(async () => {
    await h?.close();
  });

  it('HyperVBackend is a GuestProbe', () => {
    assert.ok(isGuestProbe(h.backend));
  });

  it("returns the running VM's nvidia-smi XML: VGPU, the partition's framebuffer", async () => {
    const world = h.use(createScenario('mixed'));
    const vm = world.inventory(['AZL-N01']).servers[0].vms.find((v) => v.name === 'cad-ws-01')!;
    assert.equal(vm.state, 'Running');
    const vram = vm.adapters.find((a) => a.currentPartitionVRAM !== undefined)?.currentPartitionVRAM;
    assert.ok(vram !== undefined && vram > 0n);

    const xml = await h.backend.nvidiaSmiXml('AZL-N01', 'cad-ws-01');
    assert.match(xml, /<nvidia_smi_log>/);
    const report = parseNvidiaSmiXml(xml);
    assert.equal(report.gpus.length, 1);
    const gpu = report.gpus[0];
    assert.equal(gpu.virtualizationMode, 'VGPU');
    assert.equal(gpu.fbMemoryTotalMiB, Number(vram / (1024n * 1024n)));
    assert.ok(report.driverVersion);
  });

  it('rejects for an Off VM with an error naming the VM', async () => {
    h.use(createScenario('mixed'));
    await assert.rejects(h.backend.nvidiaSmiXml('AZL-N01', 'render-01'), (e: Error) => {
      assert.match(e.message, /render-01/);
      assert.match(e.message, /not running/);
      return true;
    });
  });

  it('rejects for a running VM without a partition with the driver failure text', async () => {
    h.use(createScenario('mixed'));
    await assert.rejects(h.backend.nvidiaSmiXml('AZL-N01', 'cad-ws-02'), (e: Error) => {
      assert.match(e.message, /cad-ws-02/);
      assert.match(e.message, /NVIDIA driver/);
      return true;
    });
  });

  it('rejects for an unknown VM, and names it', async () => {
    h.use(createScenario('mixed'));
    await assert.rejects(h.backend.nvidiaSmiXml('AZL-N01', 'no-such-vm'), /no-such-vm/);
  });
});
