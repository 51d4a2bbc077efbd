/**
 * The simulated world's state: what a person can read and edit as JSON, and the zod schema that
 * checks it. UInt64 values are bigint in memory and decimal strings in the file (a JSON number
 * cannot hold UInt64.MaxValue, domain doc §1.1).
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import type { AssignedStatus, OfflineAction, VmState } from '../model/types';
import { GPU_MODEL_KEYS, gpuModel } from './catalog';

export type NodeState = 'Up' | 'Down' | 'Paused';
/** Which host driver a GPU runs (domain doc §3 state machine [S16, S6]). */
export type GpuDriver = 'vgpu' | 'datacenter' | 'mitigation' | 'none';

export interface SimHostFacts {
  osCaption: string;
  /** 26100 = Windows Server 2025 / Azure Local 24H2; 20348 = WS2022 (domain doc §1.10 [S8]). */
  osBuild: number;
  hyperVInstalled: boolean;
  /** IOMMU DMA bit tracking (live migration of GPU-P VMs, §1.10 [S3]). */
  iommuDmaBitTracking: boolean;
  /** HyperV group policies (§1.7 [COMMUNITY S46]): when set, GPU-P VMs fail to start. */
  requireSecureDeviceAssignment: boolean;
  requireSupportedDeviceAssignment: boolean;
  hostDriverVersion: string;
}

export interface SimGpu {
  /** Key into the catalog (catalog.ts). */
  model: string;
  /** PnP InstanceId, `PCI\VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1\4&18416DC3&0&0000`. */
  instanceId: string;
  friendlyName: string;
  manufacturer: string;
  /** PnP Status (OK, Error, Degraded, Unknown). */
  pnpStatus: string;
  /** PnP Class (Display; System for a DDA-dismounted device). */
  pnpClass: string;
  driver: GpuDriver;
  /** SR-IOV enabled in the BIOS; vGPU driver with SR-IOV off -> Paravirtualization (§2 [S2]). */
  sriovEnabled: boolean;
  /** False for an older PCI-style device or switch port -> NotAssignable (§2 [S2]). */
  pciExpress: boolean;
  partitionCount: number;
  /** WS2025 (26100+) only (§1.1); absent on older hosts. */
  supportsIncomingLiveMigration?: boolean;
}

export interface SimResolvedPartition {
  /** Partitionable GPU Name (device interface path) the partition lives on. */
  gpu: string;
  partitionId: number;
  vfLuid: string;
}

export type ResourceValues = Partial<Record<ResourceKey, bigint>>;
export const RESOURCE_KEYS = [
  'minPartitionVRAM', 'maxPartitionVRAM', 'optimalPartitionVRAM',
  'minPartitionEncode', 'maxPartitionEncode', 'optimalPartitionEncode',
  'minPartitionDecode', 'maxPartitionDecode', 'optimalPartitionDecode',
  'minPartitionCompute', 'maxPartitionCompute', 'optimalPartitionCompute',
] as const;
export type ResourceKey = (typeof RESOURCE_KEYS)[number];

export interface SimAdapter extends ResourceValues {
  /** Adapter GUID, upper case (the part after the backslash in Id, §1.4 [S4]). */
  guid: string;
  instancePath?: string;
  /** WS2025 only (§1.4 [S1]). */
  supportsOutgoingLiveMigration?: boolean;
  /** Set while the VM runs (or is Saved/Paused, choices.ts); unset before the first start. */
  resolved?: SimResolvedPartition;
}

export interface SimVm {
  name: string;
  /** Lower-case GUID. */
  id: string;
  state: VmState;
  generation: number;
  automaticCheckpointsEnabled: boolean;
  lowMemoryMappedIoSpace: bigint;
  highMemoryMappedIoSpace: bigint;
  /** A clustered role has a cluster resource with the OfflineAction private property (§1.9). */
  clustered: boolean;
  offlineAction: OfflineAction;
  checkpoints: string[];
  adapters: SimAdapter[];
}

export interface SimServer {
  name: string;
  nodeState: NodeState;
  host: SimHostFacts;
  gpus: SimGpu[];
  vms: SimVm[];
}

export type FaultKind = 'fail' | 'hang' | 'delay';
export interface SimFault {
  /** Server name (the -ComputerName) or '*'. */
  host: string;
  /** SimWorld method name (e.g. 'startVm') or '*'. */
  operation: string;
  kind: FaultKind;
  ms?: number;
  message?: string;
  /** How many more times it fires; absent = always. */
  times?: number;
}

export interface SimState {
  version: 1;
  /** Undefined for a standalone server. */
  cluster?: { name: string };
  servers: SimServer[];
  faults: SimFault[];
}

// ---------------------------------------------------------------------------------------------
// Derived facts

/** Device interface class GUID of a partitionable GPU's Name (§1.1 [S4]). */
export const GPU_P_INTERFACE_GUID = '{064092b3-625e-43bf-9eb5-dc845897dd59}';

/**
 * `PCI\VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1\4&18416DC3&0&0000` ->
 * `\\?\PCI#VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1#4&18416dc3&0&0000#{064092b3-…}` (the pair in §1.1/§1.4 [S4]:
 * separators become '#', the instance part is lower case).
 */
export function partitionableNameOf(instanceId: string): string {
  const parts = instanceId.split('\\');
  const head = parts.slice(0, 2).join('#');
  const tail = parts.slice(2).map((p) => p.toLowerCase());
  return `\\\\?\\${[head, ...tail].join('#')}#${GPU_P_INTERFACE_GUID}`;
}

/** Inverse of partitionableNameOf, upper-cased for comparison (how the inventory joins PnP and GPU-P records). */
export function instanceIdOfPartitionableName(name: string): string {
  let s = name.replace(/^\\\\\?\\/, '');
  s = s.replace(/#\{[0-9a-fA-F-]+\}$/, '').replace(/\\GPUPARAV$/i, '');
  return s.replace(/#/g, '\\').toUpperCase();
}

/** The GPU-P driver exposes the GPU only with the vGPU host driver, SR-IOV on, a working device and Hyper-V (§3). */
export function isPartitionable(server: SimServer, gpu: SimGpu): boolean {
  return server.host.hyperVInstalled && gpu.pciExpress && gpu.driver === 'vgpu' && gpu.sriovEnabled && gpu.pnpStatus === 'OK';
}

/** WAC "Assigned status" (§2); the rule for the non-Partitioned states is a choice (choices.ts). */
export function assignedStatusOf(server: SimServer, gpu: SimGpu): AssignedStatus {
  if (!gpu.pciExpress) return 'NotAssignable';
  if (isPartitionable(server, gpu)) return 'Partitioned';
  if (gpu.driver === 'vgpu' && !gpu.sriovEnabled) return 'Paravirtualization';
  return 'ReadyForDDA';
}

// ---------------------------------------------------------------------------------------------
// Schema

const uint64 = z
  .union([z.string().regex(/^\d+$/, 'expected a decimal UInt64 string'), z.number().int().nonnegative(), z.bigint()])
  .transform((v) => BigInt(v))
  .refine((v) => v <= 18446744073709551615n, 'exceeds UInt64.MaxValue');

const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'expected a GUID');

const hostSchema = z.object({
  osCaption: z.string(),
  osBuild: z.number().int(),
  hyperVInstalled: z.boolean(),
  iommuDmaBitTracking: z.boolean(),
  requireSecureDeviceAssignment: z.boolean(),
  requireSupportedDeviceAssignment: z.boolean(),
  hostDriverVersion: z.string(),
});

const gpuSchema = z.object({
  model: z.string().refine((k) => GPU_MODEL_KEYS.includes(k), { message: `expected one of ${GPU_MODEL_KEYS.join(', ')}` }),
  instanceId: z.string().min(1),
  friendlyName: z.string(),
  manufacturer: z.string(),
  pnpStatus: z.string(),
  pnpClass: z.string(),
  driver: z.enum(['vgpu', 'datacenter', 'mitigation', 'none']),
  sriovEnabled: z.boolean(),
  pciExpress: z.boolean(),
  partitionCount: z.number().int().positive(),
  supportsIncomingLiveMigration: z.boolean().optional(),
});

const resourceShape = Object.fromEntries(RESOURCE_KEYS.map((k) => [k, uint64.optional()])) as Record<ResourceKey, z.ZodOptional<typeof uint64>>;

const adapterSchema = z.object({
  guid,
  instancePath: z.string().optional(),
  supportsOutgoingLiveMigration: z.boolean().optional(),
  resolved: z.object({ gpu: z.string(), partitionId: z.number().int().nonnegative(), vfLuid: z.string() }).optional(),
  ...resourceShape,
});

const vmSchema = z.object({
  name: z.string().min(1),
  id: guid,
  state: z.string().min(1),
  generation: z.union([z.literal(1), z.literal(2)]),
  automaticCheckpointsEnabled: z.boolean(),
  lowMemoryMappedIoSpace: uint64,
  highMemoryMappedIoSpace: uint64,
  clustered: z.boolean(),
  offlineAction: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).default(1),
  checkpoints: z.array(z.string()).default([]),
  adapters: z.array(adapterSchema).default([]),
});

const serverSchema = z.object({
  name: z.string().min(1),
  nodeState: z.enum(['Up', 'Down', 'Paused']).default('Up'),
  host: hostSchema,
  gpus: z.array(gpuSchema),
  vms: z.array(vmSchema),
});

const faultSchema = z.object({
  host: z.string().min(1),
  operation: z.string().min(1),
  kind: z.enum(['fail', 'hang', 'delay']),
  ms: z.number().int().nonnegative().optional(),
  message: z.string().optional(),
  times: z.number().int().nonnegative().optional(),
});

export const simStateSchema = z.object({
  version: z.literal(1),
  cluster: z.object({ name: z.string().min(1) }).optional(),
  servers: z.array(serverSchema),
  faults: z.array(faultSchema).default([]),
});

/** `['servers', 1, 'gpus', 0, 'partitionCount']` -> `servers[1].gpus[0].partitionCount`. */
export function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of p) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out || '(root)';
}

export class StateFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateFormatError';
  }
}

/** Checks that go beyond one field: the partition count is valid for the model, names are unique, partitions exist. */
function crossCheck(state: SimState): string[] {
  const errors: string[] = [];
  const serverNames = new Set<string>();
  state.servers.forEach((server, si) => {
    const key = server.name.toUpperCase();
    if (serverNames.has(key)) errors.push(`servers[${si}].name: duplicate server name '${server.name}'`);
    serverNames.add(key);
    const gpuNames = new Set<string>();
    server.gpus.forEach((gpu, gi) => {
      const m = gpuModel(gpu.model);
      if (!m.validPartitionCounts.includes(gpu.partitionCount)) {
        errors.push(`servers[${si}].gpus[${gi}].partitionCount: ${gpu.partitionCount} is not one of ${m.validPartitionCounts.join(', ')}`);
      }
      const n = partitionableNameOf(gpu.instanceId).toUpperCase();
      if (gpuNames.has(n)) errors.push(`servers[${si}].gpus[${gi}].instanceId: duplicate instance id '${gpu.instanceId}'`);
      gpuNames.add(n);
    });
    const vmNames = new Set<string>();
    const held = new Set<string>();
    server.vms.forEach((vm, vi) => {
      if (vmNames.has(vm.name.toUpperCase())) errors.push(`servers[${si}].vms[${vi}].name: duplicate VM name '${vm.name}'`);
      vmNames.add(vm.name.toUpperCase());
      vm.adapters.forEach((a, ai) => {
        if (!a.resolved) return;
        const at = `servers[${si}].vms[${vi}].adapters[${ai}].resolved`;
        const gpu = server.gpus.find((g) => partitionableNameOf(g.instanceId).toUpperCase() === a.resolved!.gpu.toUpperCase());
        if (!gpu) {
          errors.push(`${at}.gpu: no GPU of server '${server.name}' has the name '${a.resolved.gpu}'`);
          return;
        }
        if (a.resolved.partitionId >= gpu.partitionCount) {
          errors.push(`${at}.partitionId: ${a.resolved.partitionId} is not below the GPU's partition count ${gpu.partitionCount}`);
        }
        const k = `${a.resolved.gpu.toUpperCase()}#${a.resolved.partitionId}`;
        if (held.has(k)) errors.push(`${at}.partitionId: partition ${a.resolved.partitionId} is held by two adapters`);
        held.add(k);
      });
    });
  });
  return errors;
}

/** Parses and validates a state file; errors name the field path (`servers[1].gpus[0].partitionCount: expected number`). */
export function parseState(json: string, source = 'state'): SimState {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new StateFormatError(`${source}: not valid JSON: ${(e as Error).message}`);
  }
  const r = simStateSchema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message.replace(/^Invalid input: /, '')}`);
    throw new StateFormatError(`${source}: invalid simulator state:\n  ${lines.join('\n  ')}`);
  }
  const state = r.data as SimState;
  const cross = crossCheck(state);
  if (cross.length) throw new StateFormatError(`${source}: invalid simulator state:\n  ${cross.join('\n  ')}`);
  return state;
}

/** Pretty JSON a person can read and edit; UInt64 as decimal strings. */
export function serializeState(state: SimState): string {
  return JSON.stringify(state, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n';
}

/** Atomic write: a temporary file in the same directory, then rename. */
export function saveState(file: string, state: SimState): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  fs.writeFileSync(tmp, serializeState(state), 'utf8');
  fs.renameSync(tmp, file);
}

/** A deep copy (bigint-safe) so a scenario or test can be changed without touching the original. */
export function cloneState(state: SimState): SimState {
  return parseState(serializeState(state), 'clone');
}
