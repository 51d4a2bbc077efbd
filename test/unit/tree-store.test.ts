import { strict as assert } from 'node:assert';
import type { Connection } from '../../src/connections/connectionConfig';
import { InventoryStore, mergeInventory, type StoreChange } from '../../src/connections/inventoryStore';
import type { Backend, InventoryOptions } from '../../src/model/backend';
import type { Inventory, OperationRequest } from '../../src/model/types';
import { demoInventory, inventory, server } from './fixtures/inventories';

/** A Backend whose inventory calls are answered by the test, one by one. */
class FakeBackend implements Backend {
  calls: (InventoryOptions | undefined)[] = [];
  pending: { resolve: (inv: Inventory) => void; reject: (e: Error) => void }[] = [];
  disposed = false;
  constructor(readonly connection: string) {}
  inventory(options?: InventoryOptions): Promise<Inventory> {
    this.calls.push(options);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  plan(_r: OperationRequest): never {
    throw new Error('not used');
  }
  execute(_r: OperationRequest): never {
    throw new Error('not used');
  }
  dispose(): void {
    this.disposed = true;
  }
}

const demo: Connection = { name: 'demo', kind: 'sim', scenario: 'demo' };
const prod: Connection = { name: 'prod', kind: 'cluster', computerName: 'azl-prod' };
const tick = () => new Promise((r) => setImmediate(r));

function setup() {
  const backends: FakeBackend[] = [];
  const created: string[] = [];
  const errors: string[] = [];
  const store = new InventoryStore({
    createBackend: (c) => {
      created.push(c.name);
      if (c.kind !== 'sim') throw new Error('Real clusters need the PowerShell backend (src/hyperv)');
      const b = new FakeBackend(c.name);
      backends.push(b);
      return b;
    },
    onError: (name, e) => errors.push(`${name}: ${(e as Error).message}`),
  });
  const changes: StoreChange[] = [];
  store.onDidChange((c) => changes.push(c));
  return { store, backends, created, errors, changes };
}

describe('connections/inventoryStore', () => {
  it('creates no backend and reads nothing until asked (lazy activation)', () => {
    const { store, created } = setup();
    store.setConnections([demo, prod]);
    assert.deepEqual(created, []);
    assert.deepEqual(store.connections().map((c) => c.name), ['demo', 'prod']);
    assert.equal(store.snapshot('demo')!.state, 'idle');
  });

  it('ensureLoaded reads once; concurrent callers share the read; events fire on start and end', async () => {
    const { store, backends, changes } = setup();
    store.setConnections([demo]);
    changes.length = 0;
    const a = store.ensureLoaded('demo');
    const b = store.ensureLoaded('DEMO');
    assert.equal(backends.length, 1);
    assert.equal(backends[0].calls.length, 1);
    assert.equal(store.snapshot('demo')!.state, 'loading');
    backends[0].pending[0].resolve(demoInventory());
    await Promise.all([a, b]);
    assert.equal(store.snapshot('demo')!.state, 'loaded');
    assert.equal(store.inventory('demo')!.servers.length, 4);
    await store.ensureLoaded('demo');
    assert.equal(backends[0].calls.length, 1, 'a loaded connection is not read again by ensureLoaded');
    assert.deepEqual(changes, [{ connection: 'demo' }, { connection: 'demo' }]);
  });

  it('a backend that cannot be created or read makes that connection an error; the other still loads', async () => {
    const { store, backends, errors } = setup();
    store.setConnections([demo, prod]);
    const p1 = store.ensureLoaded('prod');
    const p2 = store.ensureLoaded('demo');
    backends[0].pending[0].resolve(demoInventory());
    await Promise.all([p1, p2]);
    assert.equal(store.snapshot('prod')!.state, 'error');
    assert.match(store.snapshot('prod')!.error!, /PowerShell backend/);
    assert.equal(store.snapshot('demo')!.state, 'loaded');
    assert.equal(errors.length, 1);
  });

  it('refresh while a read runs is coalesced into one more read with the union of servers', async () => {
    const { store, backends } = setup();
    store.setConnections([demo]);
    const first = store.ensureLoaded('demo');
    backends[0].pending[0].resolve(demoInventory());
    await first;
    const r1 = store.refresh('demo', ['AZL-N01']);
    const r2 = store.refresh('demo', ['AZL-N02']);
    const r3 = store.refresh('demo', ['azl-n02']);
    assert.equal(backends[0].calls.length, 2);
    assert.deepEqual(backends[0].calls[1]!.servers, ['AZL-N01']);
    backends[0].pending[1].resolve(inventory([server('AZL-N01', [])]));
    await tick();
    await tick();
    assert.equal(backends[0].calls.length, 3);
    assert.deepEqual(backends[0].calls[2]!.servers, ['AZL-N02']);
    backends[0].pending[2].resolve(inventory([server('AZL-N02', [])]));
    await Promise.all([r1, r2, r3]);
    const inv = store.inventory('demo')!;
    assert.deepEqual(inv.servers.map((s) => [s.name, s.gpus.length]), [['AZL-N01', 0], ['AZL-N02', 0], ['AZL-N03', 2], ['AZL-N04', 2]]);
  });

  it('a failed refresh keeps the last inventory and reports the error', async () => {
    const { store, backends } = setup();
    store.setConnections([demo]);
    const first = store.ensureLoaded('demo');
    backends[0].pending[0].resolve(demoInventory());
    await first;
    const r = store.refresh('demo');
    backends[0].pending[1].reject(new Error('timed out'));
    await r;
    const snap = store.snapshot('demo')!;
    assert.equal(snap.state, 'error');
    assert.equal(snap.error, 'timed out');
    assert.equal(snap.inventory!.servers.length, 4);
  });

  it('changing or removing a connection disposes its backend and drops a late result', async () => {
    const { store, backends } = setup();
    store.setConnections([demo]);
    const p = store.ensureLoaded('demo');
    store.setConnections([{ ...demo, scenario: 'mixed' }]);
    assert.equal(backends[0].disposed, true);
    backends[0].pending[0].resolve(demoInventory());
    await p;
    assert.equal(store.snapshot('demo')!.state, 'idle', 'the result of the replaced backend is dropped');
    store.setConnections([{ ...demo, scenario: 'mixed' }]);
    assert.equal(store.snapshot('demo')!.state, 'idle');
    store.setConnections([]);
    assert.equal(store.snapshot('demo'), undefined);
  });

  it('refresh() with no argument re-reads only connections read before', async () => {
    const { store, backends } = setup();
    store.setConnections([demo, { name: 'other', kind: 'sim' }]);
    const p = store.ensureLoaded('demo');
    backends[0].pending[0].resolve(demoInventory());
    await p;
    const r = store.refresh();
    assert.equal(backends.length, 1, '"other" was never shown, so it is not read');
    backends[0].pending[1].resolve(demoInventory());
    await r;
  });

  it('mergeInventory replaces the servers read, drops a requested one that is gone, appends new ones', () => {
    const prev = inventory([server('A', []), server('B', []), server('C', [])]);
    const merged = mergeInventory(prev, { ...inventory([server('b', []), server('D', [])]), readAt: 'later' }, ['B', 'C', 'D']);
    assert.deepEqual(merged.servers.map((s) => s.name), ['A', 'b', 'D']);
    assert.equal(merged.readAt, 'later');
  });
});
