/**
 * Issue 6, the store side: after an operation only the servers it touched are re-read and merged;
 * refreshes are debounced; a refresh that a newer one supersedes is cancelled through the AbortSignal
 * that reaches the backend. The backend is the real in-process simulator (SimBackend over a SimWorld)
 * wrapped by a counting proxy: counts and signals are observed, answers are the simulator's own.
 */
import { strict as assert } from 'node:assert';
import type { Connection } from '../../src/connections/connectionConfig';
import { InventoryStore } from '../../src/connections/inventoryStore';
import { CancelledError, type Backend, type CallOptions, type InventoryOptions } from '../../src/model/backend';
import type { Inventory, OperationRequest } from '../../src/model/types';
import { createScenario } from '../../src/sim/scenarios';
import { SimBackend } from '../../src/sim/simBackend';
import { SimWorld } from '../../src/sim/world';

interface Call {
  servers?: string[];
  signal?: AbortSignal;
  at: number;
  outcome?: 'ok' | 'cancelled' | 'error';
}

/** Counts the calls to a real Backend; `gate` (when set) holds each inventory call until released. */
class CountingBackend implements Backend {
  readonly calls: Call[] = [];
  gate: Promise<void> | undefined;
  private release: (() => void) | undefined;
  constructor(readonly inner: Backend) {}
  get connection(): string {
    return this.inner.connection;
  }
  hold(): void {
    this.gate = new Promise((r) => (this.release = r));
  }
  open(): void {
    this.release?.();
    this.gate = undefined;
  }
  async inventory(options: InventoryOptions = {}): Promise<Inventory> {
    const call: Call = { servers: options.servers, signal: options.signal, at: Date.now() };
    this.calls.push(call);
    try {
      if (this.gate) {
        const gate = this.gate;
        // A held call ends early when it is cancelled, as the PowerShell runner does (it kills the call).
        await new Promise<void>((resolve, reject) => {
          void gate.then(resolve);
          options.signal?.addEventListener('abort', () => reject(new CancelledError()), { once: true });
        });
      }
      const inv = await this.inner.inventory(options);
      call.outcome = 'ok';
      return inv;
    } catch (e) {
      call.outcome = e instanceof CancelledError ? 'cancelled' : 'error';
      throw e;
    }
  }
  plan(r: OperationRequest, o?: CallOptions) {
    return this.inner.plan(r, o);
  }
  execute(r: OperationRequest, o?: CallOptions) {
    return this.inner.execute(r, o);
  }
  dispose(): void {
    this.inner.dispose();
  }
}

const conn: Connection = { name: 'demo', kind: 'sim', scenario: 'demo' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const comparable = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (typeof v === 'bigint' ? `${v}n` : k === 'readAt' ? undefined : v)));

function setup(scenario = 'demo', debounceMs = 0) {
  const world = new SimWorld(createScenario(scenario));
  const backend = new CountingBackend(new SimBackend(world, conn.name));
  const errors: string[] = [];
  const store = new InventoryStore({ createBackend: () => backend, debounceMs, onError: (_c, e) => errors.push(String(e)) });
  store.setConnections([conn]);
  return { world, backend, store, errors };
}

describe('perf: targeted, debounced, cancellable refreshes (issue 6)', () => {
  it('after an operation only the servers it touched are re-read, and the merge equals a full read', async () => {
    const { world, backend, store } = setup();
    await store.ensureLoaded('demo');
    assert.deepEqual(backend.calls.map((c) => c.servers), [undefined]);
    const result = await backend.execute({ kind: 'assign', server: 'AZL-N02', vms: ['build-01'], forceShutdownOfflineAction: true });
    assert.equal(result.ok, true, JSON.stringify(result));
    await store.refresh('demo', ['AZL-N02']);
    assert.deepEqual(backend.calls.map((c) => c.servers), [undefined, ['AZL-N02']], 'one read, of the touched server only');
    const merged = store.inventory('demo')!;
    assert.deepEqual(comparable(merged), comparable(world.inventory(undefined, 'demo')), 'merged inventory = a fresh full read');
    const vm = merged.servers.find((s) => s.name === 'AZL-N02')!.vms.find((v) => v.name === 'build-01')!;
    assert.equal(vm.adapters.length, 1, 'the change is visible');
  });

  it('a burst of refreshes while a read runs is debounced into one more read of the union', async () => {
    const { backend, store } = setup('demo', 40);
    await store.ensureLoaded('demo');
    backend.hold();
    const first = store.refresh('demo', ['AZL-N01']);
    const burst: Promise<void>[] = [];
    for (const s of ['AZL-N02', 'AZL-N03', 'azl-n02', 'AZL-N04']) {
      burst.push(store.refresh('demo', [s]));
      await sleep(10);
    }
    backend.open();
    await Promise.all([first, ...burst]);
    assert.deepEqual(
      backend.calls.map((c) => c.servers),
      [undefined, ['AZL-N01'], ['AZL-N02', 'AZL-N03', 'AZL-N04']],
      'the first refresh ran at once; the burst became ONE read',
    );
    assert.ok(backend.calls.every((c) => c.outcome === 'ok'), 'a partial refresh does not cancel one it does not cover');
  });

  it('the trailing read waits until refreshes stop for the debounce time', async () => {
    const { backend, store } = setup('demo', 150);
    await store.ensureLoaded('demo');
    const lead = store.refresh('demo', ['AZL-N01']);
    assert.equal(backend.calls.length, 2, 'the first refresh starts at once (leading edge)');
    await lead;
    const t0 = Date.now();
    const tail = store.refresh('demo', ['AZL-N02']);
    assert.equal(backend.calls.length, 2, 'a refresh right after another is held');
    await sleep(30);
    const tail2 = store.refresh('demo', ['AZL-N03']);
    await Promise.all([tail, tail2]);
    const readAt = backend.calls[2].at;
    assert.ok(readAt - t0 >= 175, `held until 150 ms after the last ask (${readAt - t0} ms)`);
    assert.deepEqual(backend.calls.map((c) => c.servers), [undefined, ['AZL-N01'], ['AZL-N02', 'AZL-N03']]);
  });

  it('a refresh that covers the running one supersedes it: the running read is cancelled through its AbortSignal', async () => {
    const { world, backend, store, errors } = setup();
    await store.ensureLoaded('demo');
    backend.hold();
    const old = store.refresh('demo', ['AZL-N01', 'AZL-N02']);
    let seenByOldWaiter: string | undefined;
    const oldWaiter = old.then(() => {
      seenByOldWaiter = store.snapshot('demo')!.inventory!.servers[0].vms.find((v) => v.name === 'cad-ws-01')!.state;
    });
    await sleep(5);
    // The world changes, then a full refresh is asked: the running partial read is stale.
    world.stopVm('AZL-N01', 'cad-ws-01', { turnOff: true });
    const newer = store.refresh('demo');
    assert.equal(backend.calls[1].signal?.aborted, true, 'the superseded read got an aborted signal');
    backend.open();
    await Promise.all([newer, oldWaiter]);
    assert.equal(seenByOldWaiter, 'Off', 'the superseded read\'s waiter saw the newer data');
    assert.deepEqual(
      backend.calls.map((c) => [c.servers, c.outcome]),
      [
        [undefined, 'ok'],
        [['AZL-N01', 'AZL-N02'], 'cancelled'],
        [undefined, 'ok'],
      ],
    );
    assert.deepEqual(errors, [], 'a cancelled read is not an error');
    const snap = store.snapshot('demo')!;
    assert.equal(snap.state, 'loaded');
    assert.equal(snap.inventory!.servers[0].vms.find((v) => v.name === 'cad-ws-01')!.state, 'Off');
  });

  it('whoever waited for a superseded read resolves only when the newer read has landed', async () => {
    const { backend, store } = setup();
    backend.hold();
    const initial = store.ensureLoaded('demo');
    let landed = false;
    const waiter = initial.then(() => {
      landed = store.snapshot('demo')!.state === 'loaded';
    });
    await sleep(5);
    const newer = store.refresh('demo');
    backend.open();
    await Promise.all([waiter, newer]);
    assert.equal(landed, true, 'ensureLoaded resolved with the data there');
    assert.deepEqual(backend.calls.map((c) => c.outcome), ['cancelled', 'ok']);
  });

  it('the signal reaches the real simulator backend: a read stuck on a hung host is cancelled', async () => {
    const state = createScenario('demo');
    state.faults.push({ host: 'AZL-N03', operation: 'inventory', kind: 'hang', times: 1 });
    const world = new SimWorld(state);
    const backend = new CountingBackend(new SimBackend(world, 'demo'));
    const store = new InventoryStore({ createBackend: () => backend });
    store.setConnections([conn]);
    const stuck = store.ensureLoaded('demo');
    await sleep(10);
    // The hang fault is consumed by the first read, so the superseding read completes.
    await Promise.all([stuck, store.refresh('demo')]);
    assert.deepEqual(backend.calls.map((c) => c.outcome), ['cancelled', 'ok']);
    assert.equal(store.snapshot('demo')!.inventory!.servers.length, 4);
  });
});
