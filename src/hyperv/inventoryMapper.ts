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
    validPartitionCounts: r.validPartitionCounts,
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

function vmOf(r: VmRecord, adapters: AdapterRecord[], offline: OfflineActionRecord[], host: string): Vm {
  const id = r.id.toLowerCase();
  const vm: Vm = {
    name: r.name,
    id,
    state: r.state,
    generation: r.generation,
    computerName: host,
    adapters: adapters.filter((a) => a.vmId.toLowerCase() === id).map((a) => adapterOf(a, host)),
  };
  setIf(vm, 'automaticCheckpointsEnabled', r.automaticCheckpointsEnabled);
  setIf(vm, 'lowMemoryMappedIoSpace', r.lowMemoryMappedIoSpace);
  setIf(vm, 'highMemoryMappedIoSpace', r.highMemoryMappedIoSpace);
  // By VmID (names of cluster groups and VMs can differ); the owner group name as a fallback.
  const oa = offline.find((o) => o.vmId !== undefined && o.vmId.toLowerCase() === id) ?? offline.find((o) => o.vmId === undefined && o.vmName === r.name);
  if (oa && oa.value >= 0 && oa.value <= 3) vm.offlineAction = oa.value as OfflineAction;
  return vm;
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
  const { records, problems } = parseRecords(envelope.records);
  const errors = parseErrors(envelope.errors);
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
  const offline = byType(records, 'offlineAction');
  const servers: Server[] = names.map((name) => {
    const mine = <T extends { host?: string }>(xs: T[]): T[] => xs.filter((x) => x.host !== undefined && up(x.host) === up(name));
    const err = mine(errors)[0];
    if (err) return { name, gpus: [], vms: [], error: err.message };
    const bad = problems.filter((p) => p.host !== undefined && up(p.host) === up(name));
    if (bad.length) return { name, gpus: [], vms: [], error: bad.map(formatProblem).join('; ') };
    const facts = mine(byType(records, 'hostFacts'))[0];
    const gpuRecords = mine(byType(records, 'gpu'));
    const adapters = mine(byType(records, 'adapter'));
    const server: Server = {
      name,
      gpus: mine(byType(records, 'pnp')).map((p) => gpuOf(p, gpuRecords, name)),
      vms: mine(byType(records, 'vm')).map((v) => vmOf(v, adapters, offline, name)),
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
