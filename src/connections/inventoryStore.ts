/**
 * Holds the latest Inventory of every configured connection; the tree renders from here and owns
 * no data. Pure (no `vscode` import): events are plain listeners so the store is unit-tested with
 * a fake Backend.
 *
 * Loading is lazy: nothing is read until the tree first asks for a connection's children, so
 * activating the extension does no I/O and starts no PowerShell.
 */
import type { Backend } from '../model/backend';
import type { Inventory, OutputSink, Server } from '../model/types';
import { type Connection, sameConnection } from './connectionConfig';

export type LoadState = 'idle' | 'loading' | 'loaded' | 'error';

export interface ConnectionSnapshot {
  connection: Connection;
  state: LoadState;
  /** Last inventory read successfully; kept while a refresh runs or after a failed refresh. */
  inventory?: Inventory;
  /** Message of the last failed read (backend creation or inventory). */
  error?: string;
}

export interface StoreChange {
  /** Connection whose data changed; undefined when the list of connections changed. */
  connection?: string;
}

export interface Disposable {
  dispose(): void;
}

export interface InventoryStoreOptions {
  /** Builds the backend of a connection; may throw (the connection then shows an error node). */
  createBackend(connection: Connection): Backend;
  /** Receives every record the backends write while reading inventories. */
  sink?: OutputSink;
  /** Called with each failed read, for the log. */
  onError?(connection: string, error: unknown): void;
  /**
   * Debounce of refreshes (ms, default 0): a refresh starts at once (leading edge) unless a read
   * runs or another refresh was asked less than this long ago; then it is held until the read ends
   * AND no refresh was asked for this long, so a burst of them is ONE more read (of the union).
   */
  debounceMs?: number;
}

interface Entry {
  connection: Connection;
  state: LoadState;
  inventory?: Inventory;
  error?: string;
  backend?: Backend;
  /** The read in flight, shared by every caller that asks meanwhile. */
  inFlight?: Promise<void>;
  /** What the read in flight reads (undefined = every server) and how to cancel it. */
  inFlightServers?: string[];
  controller?: AbortController;
  /** The read in flight itself (inFlight also waits for whatever superseded it). */
  inFlightRun?: Promise<void>;
  /** When a refresh was last asked (debounce). */
  lastAsk?: number;
  /** A refresh asked for while a read was in flight: runs once after it (coalesced). */
  queued?: { servers?: string[] };
  queuedPromise?: Promise<void>;
  /** Bumped when the entry is replaced or removed, so a late result of an old read is dropped. */
  generation: number;
}

export class InventoryStore implements Disposable {
  private readonly entries = new Map<string, Entry>();
  private order: string[] = [];
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private disposed = false;

  constructor(private readonly options: InventoryStoreOptions) {}

  /** Replaces the configured connections. Unchanged entries keep their data and backend. */
  setConnections(connections: readonly Connection[]): void {
    const next = new Map<string, Connection>();
    for (const c of connections) next.set(key(c.name), c);
    for (const [k, entry] of [...this.entries]) {
      const c = next.get(k);
      if (!c || !sameConnection(c, entry.connection)) {
        this.drop(k, entry);
      }
    }
    for (const [k, c] of next) {
      if (!this.entries.has(k)) this.entries.set(k, { connection: c, state: 'idle', generation: 0 });
    }
    this.order = connections.map((c) => key(c.name));
    this.fire({});
  }

  /** Drops every backend (for instance after the PowerShell path changed); data reloads lazily. */
  resetBackends(filter: (c: Connection) => boolean = () => true): void {
    let changed = false;
    for (const [k, entry] of [...this.entries]) {
      if (!filter(entry.connection)) continue;
      this.drop(k, entry);
      this.entries.set(k, { connection: entry.connection, state: 'idle', generation: entry.generation + 1 });
      changed = true;
    }
    if (changed) this.fire({});
  }

  connections(): Connection[] {
    return this.order.map((k) => this.entries.get(k)!.connection);
  }

  snapshot(name: string): ConnectionSnapshot | undefined {
    const e = this.entries.get(key(name));
    if (!e) return undefined;
    return { connection: e.connection, state: e.state, inventory: e.inventory, error: e.error };
  }

  /** The inventory if loaded; does not start a read. */
  inventory(name: string): Inventory | undefined {
    return this.entries.get(key(name))?.inventory;
  }

  /** Loads the connection's inventory once; later calls return at once (use refresh to re-read). */
  ensureLoaded(name: string): Promise<void> {
    const e = this.entries.get(key(name));
    if (!e) return Promise.resolve();
    if (e.inFlight) return e.inFlight;
    if (e.state === 'loaded' || e.state === 'error') return Promise.resolve();
    return this.read(e, undefined);
  }

  /**
   * Re-reads one connection (optionally only some servers, merged into the last inventory) or, with
   * no argument, every connection that was loaded before. A refresh asked for while a read runs
   * is coalesced into one more read after it.
   */
  async refresh(connection?: string, servers?: string[]): Promise<void> {
    if (connection === undefined) {
      await Promise.all([...this.entries.values()].filter((e) => e.state !== 'idle' || e.inFlight).map((e) => this.refreshEntry(e, undefined)));
      return;
    }
    const e = this.entries.get(key(connection));
    if (!e) return;
    await this.refreshEntry(e, servers && servers.length ? servers : undefined);
  }

  /**
   * The backend of a connection, created on first use. The webview commands use this to plan and
   * execute operations; they must call `refresh(connection, servers)` afterwards.
   * Throws what the backend factory throws (e.g. a real cluster before src/hyperv exists).
   */
  backend(name: string): Backend {
    const e = this.entries.get(key(name));
    if (!e) throw new Error(`No connection is named "${name}".`);
    if (!e.backend) e.backend = this.options.createBackend(e.connection);
    return e.backend;
  }

  onDidChange(listener: (change: StoreChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.disposed = true;
    for (const [k, e] of [...this.entries]) this.drop(k, e);
    this.listeners.clear();
  }

  private refreshEntry(e: Entry, servers: string[] | undefined): Promise<void> {
    const now = Date.now();
    // Leading edge: a refresh starts at once unless another was asked less than debounceMs ago.
    const recent = e.lastAsk !== undefined && now - e.lastAsk < (this.options.debounceMs ?? 0);
    e.lastAsk = now;
    if (!e.inFlight && !e.queued && !recent) return this.read(e, servers);
    // Coalesce: one queued read, the union of the servers asked for (undefined = all).
    if (!e.queued) {
      e.queued = { servers };
      e.queuedPromise = this.runQueued(e);
    } else if (e.queued.servers) {
      e.queued.servers = servers ? union(e.queued.servers, servers) : undefined;
    }
    // Issue 6: a read whose every server the queued one reads again is superseded: cancel it (the
    // signal reaches the backend, which stops its PowerShell call) instead of waiting for it.
    if (e.inFlight && e.controller && covers(e.queued.servers, e.inFlightServers)) e.controller.abort();
    return e.queuedPromise!;
  }

  /** The queued read: after the read in flight, once no refresh was asked for `debounceMs`. */
  private async runQueued(e: Entry): Promise<void> {
    const generation = e.generation;
    const debounce = this.options.debounceMs ?? 0;
    for (;;) {
      if (e.inFlightRun) await e.inFlightRun;
      const wait = (e.lastAsk ?? 0) + debounce - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else if (!e.inFlightRun) break;
      if (e.generation !== generation || this.disposed) break;
    }
    const q = e.queued;
    e.queued = undefined;
    e.queuedPromise = undefined;
    if (!q || e.generation !== generation || this.disposed) return;
    return this.read(e, q.servers);
  }

  private read(e: Entry, servers: string[] | undefined): Promise<void> {
    const generation = e.generation;
    const controller = new AbortController();
    // A partial read only makes sense on top of a full one.
    const partial = servers && e.inventory ? servers : undefined;
    e.state = 'loading';
    e.controller = controller;
    e.inFlightServers = partial;
    const current = (): boolean => e.generation === generation && e.controller === controller;
    const run = (async () => {
      try {
        const backend = this.backend(e.connection.name);
        const sink = this.options.sink;
        const started = Date.now();
        // Every backend step reaches the output channel, reads included (issue 2): a person can see
        // when the tree was last read, what it covered and how long the round trip took.
        sink?.({ time: new Date().toISOString(), stream: 'information', message: partial ? `Reading inventory of ${partial.join(', ')}…` : 'Reading inventory…', host: e.connection.name });
        const inventory = await backend.inventory({ servers: partial, sink, signal: controller.signal });
        if (!current() || controller.signal.aborted) return;
        const gpus = inventory.servers.reduce((n, s) => n + s.gpus.length, 0);
        const vms = inventory.servers.reduce((n, s) => n + s.vms.length, 0);
        sink?.({ time: new Date().toISOString(), stream: 'information', message: `Read ${inventory.servers.length} server(s), ${gpus} GPU(s), ${vms} VM(s) in ${Date.now() - started} ms.`, host: e.connection.name });
        for (const s of inventory.servers) if (s.error) sink?.({ time: new Date().toISOString(), stream: 'warning', message: s.error, host: s.name });
        e.inventory = partial && e.inventory ? mergeInventory(e.inventory, inventory, partial) : inventory;
        e.error = undefined;
        e.state = 'loaded';
      } catch (err) {
        // Superseded (cancelled): the newer read reports; this one leaves no error behind.
        if (!current() || controller.signal.aborted) return;
        e.error = err instanceof Error ? err.message : String(err);
        e.state = 'error';
        this.options.onError?.(e.connection.name, err);
      } finally {
        if (current()) {
          e.inFlight = undefined;
          e.inFlightRun = undefined;
          e.controller = undefined;
          e.inFlightServers = undefined;
          this.fire({ connection: e.connection.name });
        }
      }
    })();
    // Whoever waits for a superseded read waits for the read that replaced it.
    const settled = run.then(() => (controller.signal.aborted && e.generation === generation ? e.queuedPromise : undefined));
    e.inFlight = settled;
    e.inFlightRun = run;
    this.fire({ connection: e.connection.name });
    return settled;
  }

  private drop(k: string, entry: Entry): void {
    entry.generation++;
    entry.controller?.abort();
    entry.controller = undefined;
    entry.inFlight = undefined;
    entry.inFlightRun = undefined;
    entry.queued = undefined;
    try {
      entry.backend?.dispose();
    } catch {
      // A backend that fails to dispose must not keep the others from being replaced.
    }
    entry.backend = undefined;
    this.entries.delete(k);
  }

  private fire(change: StoreChange): void {
    if (this.disposed) return;
    for (const l of [...this.listeners]) l(change);
  }
}

function key(name: string): string {
  return name.trim().toLowerCase();
}

/** Whether a read of `next` (undefined = all) reads every server that a read of `running` reads. */
function covers(next: string[] | undefined, running: string[] | undefined): boolean {
  if (next === undefined) return true;
  if (running === undefined) return false;
  return running.every((s) => next.some((x) => x.toLowerCase() === s.toLowerCase()));
}

function union(a: string[], b: string[]): string[] {
  const out = [...a];
  for (const s of b) if (!out.some((x) => x.toLowerCase() === s.toLowerCase())) out.push(s);
  return out;
}

/**
 * Replaces the servers a targeted read returned and keeps the others in their order. A server
 * that was asked for but not returned is removed (it left the cluster); new ones are appended.
 */
export function mergeInventory(previous: Inventory, partial: Inventory, requested: readonly string[]): Inventory {
  const byName = new Map<string, Server>(partial.servers.map((s) => [s.name.toLowerCase(), s]));
  const asked = new Set(requested.map((s) => s.toLowerCase()));
  const servers: Server[] = [];
  for (const s of previous.servers) {
    const k = s.name.toLowerCase();
    const fresh = byName.get(k);
    if (fresh) {
      servers.push(fresh);
      byName.delete(k);
    } else if (!asked.has(k)) {
      servers.push(s);
    }
  }
  servers.push(...byName.values());
  return { ...previous, cluster: partial.cluster ?? previous.cluster, servers, readAt: partial.readAt };
}
