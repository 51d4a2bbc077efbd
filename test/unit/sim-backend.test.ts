import * as assert from 'node:assert/strict';
import { CancelledError } from '../../src/model/backend';
import type { OperationResult, OutputRecord } from '../../src/model/types';
import { SimBackend, SimWorld, createScenario, type SimFault, type SimState } from '../../src/sim';

const INSUFFICIENT = 'GPU Partition: Error Insufficient system resources exist to complete the requested service.';

function setup(name = 'demo', mutate?: (s: SimState) => void): { w: SimWorld; b: SimBackend; records: OutputRecord[]; sink: (r: OutputRecord) => void } {
  const s = createScenario(name);
  mutate?.(s);
  const w = new SimWorld(s);
  const records: OutputRecord[] = [];
  return { w, b: new SimBackend(w, name), records, sink: (r) => records.push(r) };
}

const fault = (f: SimFault) => (s: SimState) => s.faults.push(f);
const vmOf = (w: SimWorld, server: string, vm: string) => w.getVms(server, vm)[0];

describe('sim backend: inventory and plan', () => {
  it('inventory carries the connection name and honours a server filter', async () => {
    const { b } = setup();
    const inv = await b.inventory({ servers: ['AZL-N02'] });
    assert.equal(inv.connection, 'demo');
    assert.deepEqual(inv.servers.map((s) => s.name), ['AZL-N02']);
  });

  it('plans through the shared planner (refusal for a GPU with a held partition)', async () => {
    const { b, w } = setup('mixed');
    const g0 = w.getPartitionableGpus('AZL-N01')[0].name;
    const plan = await b.plan({ kind: 'set-count', targets: [{ server: 'AZL-N01', gpu: g0 }], count: 8 });
    assert.equal(plan.items.length, 0);
    assert.equal(plan.refusals.length, 1);
    assert.equal(plan.refusals[0].code, 'gpuHasAssignedPartition');
  });
});

describe('sim backend: execute', () => {
  it('set-count: all eight demo GPUs 16 -> 8, step and information records per GPU', async () => {
    const { b, w, records, sink } = setup();
    const targets = ['AZL-N01', 'AZL-N02', 'AZL-N03', 'AZL-N04'].flatMap((s) => w.getPartitionableGpus(s).map((g) => ({ server: s, gpu: g.name })));
    const r = await b.execute({ kind: 'set-count', targets, count: 8 }, { sink });
    assert.equal(r.ok, true);
    assert.equal(r.items.length, 8);
    assert.ok(r.items.every((i) => i.ok && i.completedSteps.join() === 'set-count'));
    assert.ok(w.inventory().servers.every((s) => s.gpus.every((g) => g.partitionable!.partitionCount === 8)));
    const steps = records.filter((x) => x.stream === 'step' && x.step === 'set-count');
    assert.equal(steps.length, 8);
    assert.ok(steps.every((x) => x.target && x.host));
    assert.equal(records.filter((x) => x.stream === 'information').length, 8);
  });

  it('assign a Running VM: stop, add, start; it ends Running with a resolved partition', async () => {
    const { b, w, records, sink } = setup();
    const r = await b.execute({ kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-02'], forceShutdownOfflineAction: true }, { sink });
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.deepEqual(r.items[0].completedSteps, ['stop-vm', 'add-adapter', 'set-offline-action', 'start-vm']);
    assert.equal(r.items[0].finalState, 'Running');
    const vm = vmOf(w, 'AZL-N01', 'cad-ws-02');
    assert.equal(vm.state, 'Running');
    assert.equal(vm.offlineAction, 3);
    assert.equal(vm.adapters[0].partitionId, 0);
    const order = records.filter((x) => x.stream === 'step').map((x) => x.step);
    assert.deepEqual(order, ['stop-vm', 'add-adapter', 'set-offline-action', 'start-vm', 'done']);
  });

  it('unassign a Running VM that holds a partition: it ends Running without adapter', async () => {
    const { b, w } = setup('mixed');
    const r = await b.execute({ kind: 'unassign', server: 'AZL-N01', vms: ['cad-ws-01'] });
    assert.equal(r.ok, true, JSON.stringify(r));
    const vm = vmOf(w, 'AZL-N01', 'cad-ws-01');
    assert.equal(vm.state, 'Running');
    assert.equal(vm.adapters.length, 0);
    assert.equal(w.getPartitionableGpus('AZL-N01')[0].availableVRAM, 15918030848n);
  });

  it('fault on add: the VM is Running again, without adapter, rolled back; the next VM still runs', async () => {
    const { b, w } = setup('demo', fault({ host: 'AZL-N01', operation: 'addGpuPartitionAdapter', kind: 'fail', message: 'boom on add', times: 1 }));
    const r = await b.execute({ kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-01', 'cad-ws-02'], forceShutdownOfflineAction: false });
    assert.equal(r.ok, false);
    const [first, second] = r.items;
    assert.equal(first.ok, false);
    assert.equal(first.error, 'boom on add');
    assert.equal(first.rolledBack, true);
    assert.equal(first.finalState, 'Running');
    assert.deepEqual(first.completedSteps, ['stop-vm']);
    assert.equal(vmOf(w, 'AZL-N01', 'cad-ws-01').state, 'Running');
    assert.equal(vmOf(w, 'AZL-N01', 'cad-ws-01').adapters.length, 0);
    assert.equal(second.ok, true);
    assert.equal(vmOf(w, 'AZL-N01', 'cad-ws-02').adapters.length, 1);
  });

  it('fault on set-offline-action: adapter removed again, OfflineAction unchanged, VM Running', async () => {
    const { b, w } = setup('demo', fault({ host: '*', operation: 'setClusterParameter', kind: 'fail', message: 'cluster said no', times: 1 }));
    const r = await b.execute({ kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-01'], forceShutdownOfflineAction: true });
    assert.equal(r.items[0].ok, false);
    assert.equal(r.items[0].rolledBack, true);
    const vm = vmOf(w, 'AZL-N01', 'cad-ws-01');
    assert.equal(vm.state, 'Running');
    assert.equal(vm.adapters.length, 0);
    assert.equal(vm.offlineAction, 1);
  });

  it('fault on start (Access is denied): rolled back, Running without adapter', async () => {
    const { b, w } = setup('demo', fault({ host: 'AZL-N01', operation: 'startVm', kind: 'fail', message: "GPU Partition: Failed to Power On with Error 'Access is denied'", times: 1 }));
    const r = await b.execute({ kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-02'], forceShutdownOfflineAction: false });
    assert.equal(r.items[0].ok, false);
    assert.match(r.items[0].error!, /Access is denied/);
    assert.equal(r.items[0].rolledBack, true);
    assert.deepEqual(r.items[0].completedSteps, ['stop-vm', 'add-adapter']);
    assert.equal(vmOf(w, 'AZL-N01', 'cad-ws-02').state, 'Running');
    assert.equal(vmOf(w, 'AZL-N01', 'cad-ws-02').adapters.length, 0);
  });

  it('start fails with insufficient resources (no free partition): the VM ends Running without an adapter', async () => {
    const { b, w } = setup('demo');
    const [g0, g1] = w.getPartitionableGpus('AZL-N01');
    w.setPartitionCount('AZL-N01', g0.name, 1);
    w.setPartitionCount('AZL-N01', g1.name, 1);
    w.startVm('AZL-N01', 'render-01'); // takes GPU 0's only partition; GPU 1's is free when the plan is made
    // Another admin takes GPU 1's partition while our item runs (between its stop and its add).
    const realFaultFor = w.faultFor.bind(w);
    let raced = false;
    w.faultFor = (host, op) => {
      if (op === 'addGpuPartitionAdapter' && !raced) {
        raced = true;
        w.stopVm('AZL-N01', 'cad-ws-01');
        w.addGpuPartitionAdapter('AZL-N01', 'cad-ws-01');
        w.startVm('AZL-N01', 'cad-ws-01');
      }
      return realFaultFor(host, op);
    };
    const r = await b.execute({ kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-02'], forceShutdownOfflineAction: false });
    assert.ok(raced);
    assert.equal(r.items.length, 1, JSON.stringify(r.refusals));
    assert.equal(r.items[0].ok, false);
    assert.equal(r.items[0].error, INSUFFICIENT);
    assert.equal(r.items[0].rolledBack, true);
    assert.equal(r.items[0].finalState, 'Running');
    const vm = vmOf(w, 'AZL-N01', 'cad-ws-02');
    assert.equal(vm.state, 'Running');
    assert.equal(vm.adapters.length, 0);
  });

  it('start fails with insufficient resources (MMIO too small): the VM ends Running without an adapter', async () => {
    const { b, w } = setup('demo', (s) => {
      s.servers[0].vms.find((v) => v.name === 'cad-ws-02')!.highMemoryMappedIoSpace = 512n * 1024n * 1024n;
    });
    const r = await b.execute({ kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-02'], forceShutdownOfflineAction: false });
    assert.equal(r.items[0].error, INSUFFICIENT);
    assert.equal(r.items[0].rolledBack, true);
    assert.equal(vmOf(w, 'AZL-N01', 'cad-ws-02').state, 'Running');
    assert.equal(vmOf(w, 'AZL-N01', 'cad-ws-02').adapters.length, 0);
  });

  it('unassign with a failing start: the removed adapter is re-added and the VM runs with it again', async () => {
    const { b, w } = setup('mixed', fault({ host: 'AZL-N01', operation: 'startVm', kind: 'fail', message: 'start broke', times: 1 }));
    const r = await b.execute({ kind: 'unassign', server: 'AZL-N01', vms: ['cad-ws-01'] });
    assert.equal(r.items[0].ok, false);
    assert.equal(r.items[0].rolledBack, true);
    const vm = vmOf(w, 'AZL-N01', 'cad-ws-01');
    assert.equal(vm.state, 'Running');
    assert.equal(vm.adapters.length, 1);
    assert.equal(vm.adapters[0].partitionId, 0);
  });

  it('a rollback that cannot restart the VM says so (rolledBack false)', async () => {
    const { b, w } = setup('demo', fault({ host: 'AZL-N01', operation: 'startVm', kind: 'fail', message: 'start broke' }));
    const r = await b.execute({ kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-02'], forceShutdownOfflineAction: false });
    assert.equal(r.items[0].rolledBack, false);
    assert.match(r.items[0].error!, /Rollback failed/);
    assert.equal(r.items[0].finalState, 'Off');
    assert.equal(vmOf(w, 'AZL-N01', 'cad-ws-02').adapters.length, 0);
  });

  it('a delay fault slows a step down but it completes', async () => {
    const { b } = setup('demo', fault({ host: 'AZL-N01', operation: 'stopVm', kind: 'delay', ms: 40 }));
    const t0 = Date.now();
    const r = await b.execute({ kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-02'], forceShutdownOfflineAction: false });
    assert.equal(r.ok, true);
    assert.ok(Date.now() - t0 >= 35);
  });

  it('cancel during a hang after the stop: rolled back to Running, CancelledError carries the result', async () => {
    const { b, w } = setup('demo', fault({ host: 'AZL-N01', operation: 'addGpuPartitionAdapter', kind: 'hang' }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    let caught: unknown;
    try {
      await b.execute({ kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-01', 'cad-ws-02'], forceShutdownOfflineAction: false }, { signal: ac.signal });
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof CancelledError);
    const result = (caught as CancelledError & { result: OperationResult }).result;
    assert.equal(result.items.length, 2);
    assert.equal(result.items[0].rolledBack, true);
    assert.equal(result.items[1].completedSteps.length, 0);
    for (const vm of ['cad-ws-01', 'cad-ws-02']) {
      assert.equal(vmOf(w, 'AZL-N01', vm).state, 'Running', vm);
      assert.equal(vmOf(w, 'AZL-N01', vm).adapters.length, 0, vm);
    }
  });

  it('refuses calls after dispose', async () => {
    const { b } = setup();
    b.dispose();
    await assert.rejects(b.inventory(), /disposed/);
  });
});
