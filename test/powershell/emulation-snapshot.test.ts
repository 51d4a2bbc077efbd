/**
 * The emulation's session snapshot (issue 6; HyperVEmulation.psm1 + .cs, src/sim/server.ts): an
 * emulated `Invoke-Command -ComputerName` session starts with its node's read results, so the node's
 * read cmdlets ask the bridge nothing. These tests pin what that must not change: the objects are
 * the same with and without it, a write in the session makes the next read live, and faults turn
 * it off. And that it is really used (the bridge-call count), so a silent fallback would fail here.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { HyperVBackend } from '../../src/hyperv/hypervBackend';
import { createScenario } from '../../src/sim/scenarios';
import { startSimBridge, type SimBridge } from '../../src/sim/server';
import { SimWorld } from '../../src/sim/world';
import { EMULATION_MODULE, SCRIPTS_DIR, requirePwsh } from './helpers';

/** Every read cmdlet of a node, as JSON without the per-call CimSession objects. */
const READ_ALL = `
$ErrorActionPreference = 'Stop'
$read = {
  $vms = @(Get-VM)
  $o = [ordered]@{
    gpus = @(Get-VMHostPartitionableGpu | Select-Object -Property * -ExcludeProperty CimSession)
    vms = @($vms | Select-Object -Property * -ExcludeProperty CimSession)
    adapters = @(Get-VMGpuPartitionAdapter -VM $vms | Select-Object -Property * -ExcludeProperty CimSession)
    os = @(Get-CimInstance -ClassName Win32_OperatingSystem)
    pnp = @(Get-PnpDevice -Class Display, System)
    props = @(Get-PnpDeviceProperty -InstanceId @(Get-PnpDevice -Class Display | ForEach-Object { $_.InstanceId }) -KeyName DEVPKEY_Device_DriverInfPath, DEVPKEY_PciDevice_SriovSupport)
  }
  ConvertTo-Json -InputObject $o -Depth 4 -Compress
}
if ($Params.inSession) { Invoke-Command -ComputerName $Params.node -ScriptBlock $read } else { & $read }
`;

describe('emulation session snapshot (real pwsh)', function () {
  this.timeout(120_000);
  let world: SimWorld;
  let bridge: SimBridge;
  let backend: HyperVBackend;
  let calls: string[] = [];

  before(async function () {
    const pwsh = requirePwsh(this);
    world = new SimWorld(createScenario('mixed'));
    bridge = await startSimBridge(world, { onCall: (op) => calls.push(op) });
    backend = new HyperVBackend({
      connection: 'snap',
      target: { kind: 'sim' },
      pwshPath: pwsh,
      scriptsDir: SCRIPTS_DIR,
      env: { GPUP_SIM_URL: bridge.url, GPUP_SIM_TOKEN: bridge.token },
      modules: [EMULATION_MODULE],
      timeoutMs: 60_000,
    });
    await backend.runner.start();
  });
  after(async () => {
    backend?.dispose();
    await bridge?.close();
  });

  const node = (): string => world.state.servers[0].name;
  const run = async (script: string, params: Record<string, unknown>): Promise<string> => {
    const r = await backend.runner.run(script, params, { name: path.basename('snapshot-test.ps1') });
    assert.equal(r.fatal, undefined, JSON.stringify(r.fatal));
    return r.outputs.join('\n');
  };

  it('a session reads its node with one bridge call, and the objects equal the live ones', async () => {
    // Outside a session (no snapshot): every cmdlet asks the bridge. The -ComputerName default is the
    // local node, the same node the session enters.
    const live = await run(READ_ALL, { inSession: false, node: node() });
    calls = [];
    const snap = await run(READ_ALL, { inSession: true, node: node() });
    assert.deepEqual(calls, ['enterSession'], 'the node read in a session must be answered by the snapshot alone');
    assert.deepEqual(JSON.parse(snap), JSON.parse(live));
  });

  it('a write in the session ends the snapshot: the next read is live and sees the change', async () => {
    const vm = world.state.servers[0].vms.find((v) => v.state === 'Running' && v.adapters.length === 0)!;
    assert.ok(vm, 'the mixed scenario has a Running VM without adapter on its first server');
    const out = await run(
      `Invoke-Command -ComputerName $Params.node -ScriptBlock {
        param($name)
        $before = @(Get-VM | Where-Object { $_.Name -eq $name })[0].State
        Stop-VM -Name $name -Force
        $after = @(Get-VM | Where-Object { $_.Name -eq $name })[0].State
        "$before>$after"
      } -ArgumentList $Params.vm`,
      { node: node(), vm: vm.name },
    );
    assert.equal(out.trim(), 'Running>Off');
  });

  it('no snapshot while a fault is injected: the faulted cmdlet fails as before', async () => {
    world.state.faults.push({ kind: 'fail', host: node(), operation: 'getVms', message: 'Injected: Get-VM failed.' });
    try {
      calls = [];
      const out = await run(
        `Invoke-Command -ComputerName $Params.node -ScriptBlock { try { $null = Get-VM -ErrorAction Stop; 'no error' } catch { $_.Exception.Message } }`,
        { node: node() },
      );
      assert.equal(out.trim(), 'Injected: Get-VM failed.');
      assert.ok(calls.includes('getVms'), 'Get-VM must have asked the bridge');
    } finally {
      world.state.faults.length = 0;
    }
  });
});
