/**
 * inventory.ps1's envelope -> the model's Inventory. A server whose records did not fit, or whose
 * reads failed, carries `error` (shown on that node) while the others fill.
 */
import { deviceKey } from '../model/gpuIdentity';
import type { DisplayDevice, Gpu, GpuPartitionAdapter, HostFacts, Inventory, OfflineAction, PartitionableGpu, Server, Vm } from '../model/types';
import { deriveAssignedStatus } from './assignedStatus';
import {
  formatProblem,
  parseErrors,
  parseRecords,
  type AdapterRecord,
  type GpuRecord,
  type HostFactsRecord,
  type OfflineActionRecord,
  type PnpRecord,
  type RecordProblem,
  type ScriptRecord,
  type VmRecord,
} from './schemas';

const up = (s: string): string => s.toUpperCase();

function byType<T extends ScriptRecord['type']>(records: ScriptRecord[], type: T): Extract<ScriptRecord, { type: T }>[] {
  return records.filter((r) => r.type === type) as Extract<ScriptRecord, { type: T }>[];
}

function setIf<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined) o[k] = v;
}

function partitionableOf(r: GpuRecord, host: string): PartitionableGpu {
  const p: PartitionableGpu = {
    name: r.name,
    // A copy: the backend keeps the parsed records of unchanged nodes between reads.
    validPartitionCounts: [...r.validPartitionCounts],
    partitionCount: r.partitionCount,
    totalVRAM: r.totalVRAM,
    availableVRAM: r.availableVRAM,
    minPartitionVRAM: r.minPartitionVRAM,
    maxPartitionVRAM: r.maxPartitionVRAM,
    optimalPartitionVRAM: r.optimalPartitionVRAM,
    totalEncode: r.totalEncode,
    availableEncode: r.availableEncode,
    minPartitionEncode: r.minPartitionEncode,
    maxPartitionEncode: r.maxPartitionEncode,
    optimalPartitionEncode: r.optimalPartitionEncode,
    totalDecode: r.totalDecode,
    availableDecode: r.availableDecode,
    minPartitionDecode: r.minPartitionDecode,
    maxPartitionDecode: r.maxPartitionDecode,
    optimalPartitionDecode: r.optimalPartitionDecode,
    totalCompute: r.totalCompute,
    availableCompute: r.availableCompute,
    minPartitionCompute: r.minPartitionCompute,
    maxPartitionCompute: r.maxPartitionCompute,
    optimalPartitionCompute: r.optimalPartitionCompute,
    computerName: r.computerName ?? host,
    isDeleted: r.isDeleted ?? false,
  };
  setIf(p, 'supportsIncomingLiveMigration', r.supportsIncomingLiveMigration);
  return p;
}

const ADAPTER_OPTIONAL = [
  'instancePath',
  'currentPartitionVRAM',
  'minPartitionVRAM',
  'maxPartitionVRAM',
  'optimalPartitionVRAM',
  'currentPartitionEncode',
  'minPartitionEncode',
  'maxPartitionEncode',
  'optimalPartitionEncode',
  'currentPartitionDecode',
  'minPartitionDecode',
  'maxPartitionDecode',
  'optimalPartitionDecode',
  'currentPartitionCompute',
  'minPartitionCompute',
  'maxPartitionCompute',
  'optimalPartitionCompute',
  'partitionId',
  'partitionVfLuid',
  'supportsOutgoingLiveMigration',
] as const;

function adapterOf(r: AdapterRecord, host: string): GpuPartitionAdapter {
  const a: GpuPartitionAdapter = {
    name: r.name,
    id: r.id,
    vmId: r.vmId,
    vmName: r.vmName,
    vmSnapshotId: r.vmSnapshotId,
    vmSnapshotName: r.vmSnapshotName,
    computerName: r.computerName ?? host,
    isDeleted: r.isDeleted ?? false,
    vmCheckpointId: r.vmCheckpointId,
    vmCheckpointName: r.vmCheckpointName,
  };
  for (const k of ADAPTER_OPTIONAL) {
    const v = r[k];
    if (v !== undefined) (a as unknown as Record<string, unknown>)[k] = v;
  }
  return a;
}

function hostFactsOf(r: HostFactsRecord): HostFacts {
  const h: HostFacts = {};
  setIf(h, 'osCaption', r.osCaption);
  setIf(h, 'osBuild', r.osBuild);
  setIf(h, 'hyperVInstalled', r.hyperVInstalled);
  setIf(h, 'iommuDmaBitTracking', r.iommuDmaBitTracking);
  setIf(h, 'requireSecureDeviceAssignment', r.requireSecureDeviceAssignment);
  setIf(h, 'requireSupportedDeviceAssignment', r.requireSupportedDeviceAssignment);
  setIf(h, 'hostDriverVersion', r.hostDriverVersion);
  return h;
}

function gpuOf(r: PnpRecord, partitionable: GpuRecord[], host: string): Gpu {
  const device: DisplayDevice = {
    instanceId: r.instanceId,
    friendlyName: r.friendlyName ?? '',
    manufacturer: r.manufacturer ?? '',
    status: r.status ?? '',
    class: r.class ?? '',
  };
  const key = deviceKey(r.instanceId);
  const p = partitionable.find((g) => deviceKey(g.name) === key);
  if (p) return { device, partitionable: partitionableOf(p, host), assignedStatus: 'Partitioned' };
  return { device, assignedStatus: deriveAssignedStatus(r, false) };
}

/**
 * The cluster's OfflineAction records, indexed once per read (a lookup per VM over every record was
 * quadratic: 512 VMs x 512 records at 16 servers, issue 6). By VmID (names of cluster groups and VMs
 * can differ); the owner group name as a fallback. The first record wins, as before.
 */
class OfflineIndex {
  private readonly byId = new Map<string, OfflineActionRecord>();
  private readonly byName = new Map<string, OfflineActionRecord>();
  constructor(records: readonly OfflineActionRecord[]) {
    for (const o of records) {
      if (o.vmId !== undefined) {
        const k = o.vmId.toLowerCase();
        if (!this.byId.has(k)) this.byId.set(k, o);
      } else if (!this.byName.has(o.vmName)) this.byName.set(o.vmName, o);
    }
  }
  of(id: string, name: string): OfflineActionRecord | undefined {
    return this.byId.get(id) ?? this.byName.get(name);
  }
}

function vmOf(r: VmRecord, adaptersByVm: ReadonlyMap<string, AdapterRecord[]>, offline: OfflineIndex, host: string): Vm {
  const id = r.id.toLowerCase();
  const vm: Vm = {
    name: r.name,
    id,
    state: r.state,
    generation: r.generation,
    computerName: host,
    adapters: (adaptersByVm.get(id) ?? []).map((a) => adapterOf(a, host)),
  };
  setIf(vm, 'automaticCheckpointsEnabled', r.automaticCheckpointsEnabled);
  setIf(vm, 'lowMemoryMappedIoSpace', r.lowMemoryMappedIoSpace);
  setIf(vm, 'highMemoryMappedIoSpace', r.highMemoryMappedIoSpace);
  const oa = offline.of(id, r.name);
  if (oa && oa.value >= 0 && oa.value <= 3) vm.offlineAction = oa.value as OfflineAction;
  return vm;
}

/** One server's records by type, in script order (grouped in one pass over the envelope). */
interface HostRecords {
  hostFacts: HostFactsRecord[];
  gpu: GpuRecord[];
  pnp: PnpRecord[];
  vm: VmRecord[];
  adapter: AdapterRecord[];
}

function groupByHost(records: readonly ScriptRecord[]): Map<string, HostRecords> {
  const out = new Map<string, HostRecords>();
  for (const r of records) {
    if (r.type !== 'hostFacts' && r.type !== 'gpu' && r.type !== 'pnp' && r.type !== 'vm' && r.type !== 'adapter') continue;
    const k = up(r.host);
    let g = out.get(k);
    if (!g) out.set(k, (g = { hostFacts: [], gpu: [], pnp: [], vm: [], adapter: [] }));
    (g[r.type] as ScriptRecord[]).push(r);
  }
  return out;
}

export interface MappedInventory {
  inventory: Inventory;
  problems: RecordProblem[];
}

/**
 * Builds the Inventory. `order` gives the servers in the order to show (the request's, or the
 * cluster's node order when absent).
 */
export function inventoryFromEnvelope(envelope: { records: unknown[]; errors: unknown[] }, connection: string, order?: readonly string[]): MappedInventory {
  return inventoryFromRecords(parseRecords(envelope.records), envelope.errors, connection, order);
}

/** The same, from records already parsed (HyperVBackend parses once and reads the node list too). */
export function inventoryFromRecords(
  parsed: { records: ScriptRecord[]; problems: RecordProblem[] },
  rawErrors: unknown[],
  connection: string,
  order?: readonly string[],
): MappedInventory {
  const { records, problems } = parsed;
  const errors = parseErrors(rawErrors);
  const cluster = byType(records, 'cluster')[0]?.name;
  const nodeNames = byType(records, 'node').map((n) => n.name);
  const seen = new Set<string>();
  const names: string[] = [];
  const add = (n: string | undefined): void => {
    if (n && !seen.has(up(n))) {
      seen.add(up(n));
      names.push(n);
    }
  };
  if (order && order.length) order.forEach(add);
  else {
    nodeNames.forEach(add);
    for (const r of records) if ('host' in r && typeof r.host === 'string' && r.type !== 'offlineAction') add(r.host);
    for (const e of errors) add(e.host);
  }
  const offline = new OfflineIndex(byType(records, 'offlineAction'));
  const byHost = groupByHost(records);
  const none: HostRecords = { hostFacts: [], gpu: [], pnp: [], vm: [], adapter: [] };
  const servers: Server[] = names.map((name) => {
    const err = errors.find((x) => x.host !== undefined && up(x.host) === up(name));
    if (err) return { name, gpus: [], vms: [], error: err.message };
    const bad = problems.filter((p) => p.host !== undefined && up(p.host) === up(name));
    if (bad.length) return { name, gpus: [], vms: [], error: bad.map(formatProblem).join('; ') };
    const mine = byHost.get(up(name)) ?? none;
    const adaptersByVm = new Map<string, AdapterRecord[]>();
    for (const a of mine.adapter) {
      const k = a.vmId.toLowerCase();
      const list = adaptersByVm.get(k);
      if (list) list.push(a);
      else adaptersByVm.set(k, [a]);
    }
    const facts = mine.hostFacts[0];
    const server: Server = {
      name,
      gpus: mine.pnp.map((p) => gpuOf(p, mine.gpu, name)),
      vms: mine.vm.map((v) => vmOf(v, adaptersByVm, offline, name)),
    };
    if (facts) server.host = hostFactsOf(facts);
    return server;
  });
  // Problems that name no known server (or none at all) must still be seen: on every server.
  const orphan = problems.filter((p) => p.host === undefined || !seen.has(up(p.host)));
  if (orphan.length) {
    const msg = orphan.map(formatProblem).join('; ');
    for (const s of servers) if (s.error === undefined) s.error = msg;
  }
  const inventory: Inventory = { connection, servers, readAt: new Date().toISOString() };
  if (cluster !== undefined) inventory.cluster = cluster;
  return { inventory, problems };
}
