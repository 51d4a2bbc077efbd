/**
 * A GPU named by its PnP instance id (as Get-PnpDevice prints it) or by its partitionable Name in
 * any case resolves to the partitionable Name for -InstancePath, in process exactly as through
 * PowerShell (HyperVBackend): one resolver, resolveGpuName in src/model/gpuIdentity.ts.
 */
import * as assert from 'node:assert/strict';
import { resolveGpuName } from '../../src/model/gpuIdentity';
import { SimBackend, SimWorld, createScenario } from '../../src/sim';

describe('sim backend: GPU identity for assign -InstancePath', () => {
  it('resolveGpuName maps a PnP instance id, any case, and the Name itself to the partitionable Name', () => {
    const w = new SimWorld(createScenario('demo'));
    const inv = w.inventory();
    const g = inv.servers[0].gpus[1];
    const name = g.partitionable!.name;
    assert.notEqual(g.device.instanceId, name, 'the two forms differ');
    assert.equal(resolveGpuName(inv.servers, 'azl-n01', g.device.instanceId), name);
    assert.equal(resolveGpuName(inv.servers, 'AZL-N01', g.device.instanceId.toLowerCase()), name);
    assert.equal(resolveGpuName(inv.servers, 'AZL-N01', name.toUpperCase()), name);
    assert.equal(resolveGpuName(inv.servers, 'AZL-N01', 'PCI\\VEN_10DE&DEV_25B6\\NO&SUCH&0&0000'), undefined);
    assert.equal(resolveGpuName(inv.servers, 'NO-SUCH-SERVER', name), undefined);
  });

  for (const form of ['pnp', 'pnp-lower', 'name'] as const) {
    it(`assign with the GPU given as ${form} pins the adapter to that GPU's partitionable Name`, async () => {
      const w = new SimWorld(createScenario('demo'));
      const b = new SimBackend(w, 'demo');
      const g = w.inventory(['AZL-N01']).servers[0].gpus[1];
      const gpu = form === 'name' ? g.partitionable!.name : form === 'pnp' ? g.device.instanceId : g.device.instanceId.toLowerCase();
      const r = await b.execute({ kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-02'], gpu, forceShutdownOfflineAction: false });
      assert.equal(r.ok, true, JSON.stringify(r.items));
      assert.deepEqual(r.request, { kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-02'], gpu, forceShutdownOfflineAction: false }, 'the result keeps the request as given');
      const vm = w.getVms('AZL-N01', 'cad-ws-02')[0];
      assert.equal(vm.state, 'Running');
      assert.equal(vm.adapters.length, 1);
      assert.equal(vm.adapters[0].instancePath, g.partitionable!.name);
    });
  }
});
