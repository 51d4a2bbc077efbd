/**
 * "A VM that was running before an operation is running after it, whatever failed" (project
 * standard), through real pwsh and the emulation module: a cancel or timeout in the middle of an
 * assign/unassign is honoured by the script between steps (it rolls back itself, the process lives
 * on); when the script is stuck inside a cmdlet (an injected 'hang' fault: the bridge never answers,
 * src/sim/server.ts) the process is killed after the grace period and HyperVBackend's recovery pass
 * (recover.ps1 in a fresh process) puts the VM back: adapter state as before, Running again. When
 * the recovery itself cannot finish, the item names the VM that may be left Off and the commands.
 */
import { strict as assert } from 'node:assert';
import { CancelledError } from '../../src/model/backend';
import type { OperationRequest, OperationResult, OutputRecord } from '../../src/model/types';
import { createScenario } from '../../src/sim/scenarios';
import type { SimFault, SimState } from '../../src/sim/state';
import type { SimWorld } from '../../src/sim/world';
import type { HyperVBackend } from '../../src/hyperv/hypervBackend';
import { requirePwsh, simHarness, type SimHarness } from './helpers';

// The operation's timeout is short to keep the suite fast, yet long enough for assign.ps1 in a fresh
// process on a loaded 2-core machine (the step that hangs waits it out). Inventory calls keep the
// connection's long timeout (a cold process reads slowly: module functions compile on first use).
const TIMEOUT_MS = 8000;
const GRACE_MS = 4000;
const RECOVERY_TIMEOUT_MS = 15_000;

const SERVER = 'AZL-N01';

function scenario(name: string, ...faults: SimFault[]): SimState {
  const s = createScenario(name);
  s.faults.push(...faults);
  return s;
}

/** What a person would compare: state and each adapter's InstancePath (ids are new when re-added). */
function vmView(w: SimWorld, vm: string): { state: string; adapters: (string | undefined)[] } {
  const v = w.getVms(SERVER, vm)[0];
  return { state: v.state, adapters: v.adapters.map((a) => a.instancePath) };
}

const assign = (vms: string[]): OperationRequest => ({ kind: 'assign', server: SERVER, vms, forceShutdownOfflineAction: false });
const unassign = (vms: string[]): OperationRequest => ({ kind: 'unassign', server: SERVER, vms });

/** Runs execute, returning the result whether it resolves or throws CancelledError with one. */
async function settle(p: Promise<OperationResult>): Promise<{ result: OperationResult; cancelled: boolean }> {
  try {
    return { result: await p, cancelled: false };
  } catch (e) {
    const partial = (e as CancelledError & { result?: OperationResult }).result;
    if (e instanceof CancelledError && partial) return { result: partial, cancelled: true };
    throw e;
  }
}

describe('cancel, timeout and recovery of assign/unassign (real pwsh)', function () {
  this.timeout(120_000);
  let h: SimHarness;
  let backend: HyperVBackend;

  before(async function () {
    const pwsh = requirePwsh(this);
    h = await simHarness(pwsh, createScenario('demo'));
    backend = h.makeBackend({ timeoutMs: 120_000, operationTimeoutMs: TIMEOUT_MS, cancelGraceMs: GRACE_MS, recoveryTimeoutMs: RECOVERY_TIMEOUT_MS });
    // Warm the process up (first use compiles the module's functions): an assign and its undo.
    h.use(createScenario('demo'));
    await backend.execute(assign(['cad-ws-02']));
    await backend.execute(unassign(['cad-ws-02']));
  });
  after(async () => {
    backend?.dispose();
    await h?.close();
  });

  it('timeout while Add-VMGpuPartitionAdapter hangs: process killed, recovery starts the VM again, no adapter left', async () => {
    const w = h.use(scenario('demo', { host: SERVER, operation: 'addGpuPartitionAdapter', kind: 'hang', times: 1 }));
    const before = vmView(w, 'cad-ws-02');
    assert.deepEqual(before, { state: 'Running', adapters: [] });
    const starts = backend.runner.starts;
    const records: OutputRecord[] = [];
    const { result, cancelled } = await settle(backend.execute(assign(['cad-ws-02']), { sink: (r) => records.push(r) }));
    assert.equal(cancelled, false);
    assert.equal(result.ok, false);
    const item = result.items[0];
    assert.equal(item.rolledBack, true, JSON.stringify(item));
    assert.match(item.error ?? '', new RegExp(`^Timed out after ${TIMEOUT_MS} ms during step "add-adapter"; rolled back; VM running again\\.$`));
    assert.deepEqual(item.completedSteps, ['stop-vm']);
    assert.equal(item.finalState, 'Running');
    assert.deepEqual(vmView(w, 'cad-ws-02'), before);
    assert.ok(backend.runner.starts > starts, 'the stuck process was replaced');
    // The sink saw why, and what the recovery did.
    assert.ok(records.some((r) => r.stream === 'warning' && /timed out/.test(r.message) && /asking it to stop/.test(r.message)));
    assert.ok(records.some((r) => /^Recovery: starting VM cad-ws-02 again$/.test(r.message)));
  });

  it('timeout while Start-VM hangs after the adapter was added: recovery removes the adapter and starts the VM', async () => {
    const w = h.use(scenario('demo', { host: SERVER, operation: 'startVm', kind: 'hang', times: 1 }));
    const before = vmView(w, 'cad-ws-02');
    const { result } = await settle(backend.execute(assign(['cad-ws-02'])));
    const item = result.items[0];
    assert.equal(item.rolledBack, true, JSON.stringify(item));
    assert.match(item.error ?? '', /^Timed out after \d+ ms during step "start-vm"; rolled back; VM running again\.$/);
    assert.deepEqual(item.completedSteps, ['stop-vm', 'add-adapter']);
    assert.deepEqual(vmView(w, 'cad-ws-02'), before);
  });

  it('unassign of a running VM, Start-VM hangs: recovery adds the adapter back with its InstancePath and starts the VM', async () => {
    // mixed: cad-ws-01 runs holding a resolved partition of the first GPU.
    const w = h.use(scenario('mixed', { host: SERVER, operation: 'startVm', kind: 'hang', times: 1 }));
    const before = vmView(w, 'cad-ws-01');
    assert.equal(before.state, 'Running');
    assert.equal(before.adapters.length, 1);
    assert.ok(before.adapters[0], 'the adapter has an InstancePath');
    const { result } = await settle(backend.execute(unassign(['cad-ws-01'])));
    const item = result.items[0];
    assert.equal(item.rolledBack, true, JSON.stringify(item));
    assert.match(item.error ?? '', /^Timed out after \d+ ms during step "start-vm"; rolled back; VM running again\.$/);
    assert.deepEqual(vmView(w, 'cad-ws-01'), before);
  });

  it('cancel (AbortSignal) in the middle of an assign: the script stops between steps, rolls back itself, the process lives on', async () => {
    // The add takes 0.8 s; the cancel arrives while it runs; the script sees it before start-vm.
    const w = h.use(scenario('demo', { host: SERVER, operation: 'addGpuPartitionAdapter', kind: 'delay', ms: 800, times: 1 }));
    const before = vmView(w, 'cad-ws-02');
    await backend.inventory({ servers: [SERVER] });
    const pid = backend.runner.pid;
    const starts = backend.runner.starts;
    const ac = new AbortController();
    const records: OutputRecord[] = [];
    const sink = (r: OutputRecord): void => {
      records.push(r);
      if (r.stream === 'step' && r.step === 'add-adapter') ac.abort();
    };
    const { result, cancelled } = await settle(backend.execute(assign(['cad-ws-02', 'cad-ws-01']), { sink, signal: ac.signal }));
    assert.equal(cancelled, true, 'a CancelledError carrying the result');
    const [first, second] = result.items;
    assert.equal(first.rolledBack, true, JSON.stringify(first));
    assert.equal(first.error, 'Cancelled during step "add-adapter"; rolled back; VM running again.');
    assert.equal(first.finalState, 'Running');
    assert.equal(second.ok, false);
    assert.equal(second.error, 'Cancelled before this VM was begun; nothing was changed.');
    assert.deepEqual(vmView(w, 'cad-ws-02'), before);
    assert.deepEqual(vmView(w, 'cad-ws-01'), { state: 'Running', adapters: [] });
    assert.equal(backend.runner.starts, starts, 'cooperative: no kill, no new process');
    assert.equal(backend.runner.pid, pid);
    assert.ok(!records.some((r) => r.message.startsWith('Recovery:')), 'no recovery pass was needed');
  });

  it('cancel while a step hangs: after the grace period the process is killed and the recovery pass puts the VM back', async () => {
    const w = h.use(scenario('demo', { host: SERVER, operation: 'addGpuPartitionAdapter', kind: 'hang', times: 1 }));
    const before = vmView(w, 'cad-ws-02');
    const starts = backend.runner.starts;
    const ac = new AbortController();
    const sink = (r: OutputRecord): void => {
      if (r.stream === 'step' && r.step === 'add-adapter') ac.abort();
    };
    const t0 = Date.now();
    const { result, cancelled } = await settle(backend.execute(assign(['cad-ws-02']), { sink, signal: ac.signal }));
    assert.equal(cancelled, true);
    const item = result.items[0];
    assert.equal(item.rolledBack, true, JSON.stringify(item));
    assert.equal(item.error, 'Cancelled during step "add-adapter"; rolled back; VM running again.');
    assert.deepEqual(vmView(w, 'cad-ws-02'), before);
    assert.ok(backend.runner.starts > starts, 'killed after the grace period');
    assert.ok(Date.now() - t0 < TIMEOUT_MS + GRACE_MS + 30_000, 'did not wait for the call timeout');
  });

  it('when the recovery itself cannot finish, the item names the VM that may be left Off and the commands to fix it', async () => {
    // Start-VM hangs in the script and again in the recovery.
    const w = h.use(scenario('demo', { host: SERVER, operation: 'startVm', kind: 'hang', times: 2 }));
    const { result } = await settle(backend.execute(assign(['cad-ws-02'])));
    const item = result.items[0];
    assert.equal(item.ok, false);
    assert.equal(item.rolledBack, false, JSON.stringify(item));
    assert.match(item.error ?? '', /^Timed out after \d+ ms during step "start-vm"; recovery failed: .*recover\.ps1 timed out/);
    assert.match(item.error ?? '', /VM 'cad-ws-02' on AZL-N01 may be left Off; to fix it by hand run: .*Start-VM -Name 'cad-ws-02' -ComputerName 'AZL-N01'$/);
    assert.match(item.error ?? '', /Remove-VMGpuPartitionAdapter -VMName 'cad-ws-02' -ComputerName 'AZL-N01'/);
    // It is indeed Off (both starts hung); the commands it gave, run as given, put it back.
    assert.equal(w.getVms(SERVER, 'cad-ws-02')[0].state, 'Off');
    const commands = (item.error ?? '').split('to fix it by hand run: ')[1].split('; ');
    for (const c of commands) await backend.runner.run(c, {}, { name: 'by-hand.ps1' });
    assert.deepEqual(vmView(w, 'cad-ws-02'), { state: 'Running', adapters: [] });
  });

  it('set-count: a cancel stops before the next GPU, never in the middle of one', async () => {
    const w = h.use(scenario('demo', { host: 'AZL-N02', operation: 'setPartitionCount', kind: 'delay', ms: 800, times: 1 }));
    const targets = ['AZL-N02', 'AZL-N03'].flatMap((s) => w.getPartitionableGpus(s).map((g) => ({ server: s, gpu: g.name })));
    const ac = new AbortController();
    const sink = (r: OutputRecord): void => {
      if (r.stream === 'step' && r.step === 'set-count') ac.abort();
    };
    const { result, cancelled } = await settle(backend.execute({ kind: 'set-count', targets, count: 8 }, { sink, signal: ac.signal }));
    assert.equal(cancelled, true);
    assert.equal(result.items[0].ok, true, 'the GPU in progress finished');
    assert.ok(result.items.slice(1).every((i) => !i.ok && i.error === 'Cancelled before this GPU was begun; nothing was changed.'), JSON.stringify(result.items));
    const counts = targets.map((t) => w.getPartitionableGpus(t.server).find((g) => g.name === t.gpu)!.partitionCount);
    assert.deepEqual(counts, [8, 16, 16, 16]);
  });
});
