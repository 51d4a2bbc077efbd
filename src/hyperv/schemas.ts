/**
 * Tolerant zod schemas for every record the scripts print (style.md: optional fields, open enums,
 * one-item-or-array). Hosts differ: older builds lack fields (domain doc §1.1 SupportsIncomingLive-
 * Migration is 26100+ only; §1.4 older samples lack InstancePath/Current*), PowerShell 5.1 and 7 print
 * dates and single-item arrays differently, and UInt64 values such as 18446744073709551615 (§1.1
 * client GPU-PV) do not fit a JS number. A record that does not fit becomes a RecordProblem naming
 * the host, the record and the field, never an exception.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Building blocks

const UINT64_MAX = 18446744073709551615n;
const DECIMAL = /^\s*\d+\s*$/;
const INTEGER = /^\s*-?\d+\s*$/;
const TRUE_FALSE = /^(true|false)$/i;

/**
 * The scalar blocks below are one transform each, not unions of zod types: an inventory of 16
 * servers holds ~1,500 records of ~25 such fields, and a union with a transform and a refine cost
 * about 18 us per record there (issue 6). Same accepted values and messages as the unions they replace.
 */
function scalar<T>(read: (v: unknown) => T | { issue: string }) {
  return z.unknown().transform((v, ctx): T => {
    const r = read(v);
    if (r !== null && typeof r === 'object' && 'issue' in (r as object)) {
      ctx.addIssue({ code: 'custom', message: (r as { issue: string }).issue });
      return z.NEVER;
    }
    return r as T;
  });
}

function readU64(v: unknown): bigint | { issue: string } {
  let b: bigint;
  if (typeof v === 'string') {
    if (!DECIMAL.test(v)) return { issue: 'expected a decimal UInt64' };
    b = BigInt(v.trim());
  } else if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) return { issue: 'expected a decimal UInt64' };
    b = BigInt(v);
  } else if (typeof v === 'bigint') b = v;
  else return { issue: 'expected a decimal UInt64' };
  return b >= 0n && b <= UINT64_MAX ? b : { issue: 'outside the UInt64 range' };
}

function readInt(v: unknown): number | { issue: string } {
  if (typeof v === 'number') return Number.isInteger(v) ? v : { issue: 'expected an integer' };
  if (typeof v === 'string' && INTEGER.test(v)) return Number(v);
  return { issue: 'expected an integer' };
}

function readBool(v: unknown): boolean | { issue: string } {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && TRUE_FALSE.test(v)) return v.toLowerCase() === 'true';
  return { issue: 'expected True or False' };
}

/** UInt64 from a decimal string (how the scripts print it), a safe number, or a bigint. */
export const u64 = scalar(readU64);

/** Optional UInt64: absent, null or empty (Min/Max/Optimal print empty when unset, §1.4 [S4]). */
export const optU64 = scalar<bigint | undefined>((v) => (v === undefined || v === null || v === '' ? undefined : readU64(v))).optional();

/** Integer from a number or a numeric string. */
export const int = scalar(readInt);

export const optInt = scalar<number | undefined>((v) => (v === undefined || v === null ? undefined : readInt(v))).optional();

/** Boolean from true/false or the strings PowerShell prints ("True"/"False"). */
export const bool = scalar(readBool);

export const optBool = scalar<boolean | undefined>((v) => (v === undefined || v === null ? undefined : readBool(v))).optional();

export const optString = scalar<string | undefined>((v) => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : { issue: 'expected a string' })).optional();

/** Open enum: the known values, or any other string a newer host might print. */
export function openEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.union([z.enum(values), z.string()]);
}

/** One item or an array (PowerShell unrolls single-item arrays unless told not to). */
export function oneOrMany<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]), z.array(item));
}

/** `/Date(1700000000000)/` (PowerShell 5.1 ConvertTo-Json) or an ISO string (7, and our scripts) -> ISO. */
export const dateString = z.string().transform((s, ctx) => {
  const m = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(s.trim());
  const d = m ? new Date(Number(m[1])) : new Date(s);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: 'custom', message: `not a date: ${s}` });
    return z.NEVER;
  }
  return d.toISOString();
});

// ---------------------------------------------------------------------------------------------
// Records of the scripts (one flat object each, `type` says which)

const hostField = z.string().min(1);

/** Get-VMHostPartitionableGpu, projected (domain doc §1.1). */
export const gpuRecordSchema = z.object({
  type: z.literal('gpu'),
  host: hostField,
  name: z.string().min(1),
  validPartitionCounts: oneOrMany(int),
  partitionCount: int,
  supportsIncomingLiveMigration: optBool,
  totalVRAM: u64,
  availableVRAM: u64,
  minPartitionVRAM: u64,
  maxPartitionVRAM: u64,
  optimalPartitionVRAM: u64,
  totalEncode: u64,
  availableEncode: u64,
  minPartitionEncode: u64,
  maxPartitionEncode: u64,
  optimalPartitionEncode: u64,
  totalDecode: u64,
  availableDecode: u64,
  minPartitionDecode: u64,
  maxPartitionDecode: u64,
  optimalPartitionDecode: u64,
  totalCompute: u64,
  availableCompute: u64,
  minPartitionCompute: u64,
  maxPartitionCompute: u64,
  optimalPartitionCompute: u64,
  computerName: optString,
  isDeleted: optBool,
});

/**
 * Get-PnpDevice -Class Display, projected, plus the device properties the assigned status needs
 * (see assignedStatus.ts): PCI Express capability, SR-IOV support, and the driver's INF.
 */
export const pnpRecordSchema = z.object({
  type: z.literal('pnp'),
  host: hostField,
  instanceId: z.string().min(1),
  friendlyName: optString,
  manufacturer: optString,
  status: openEnum(['OK', 'Error', 'Degraded', 'Unknown']).optional(),
  class: optString,
  expressSpecVersion: optInt,
  sriovSupport: optInt,
  driverInf: optString,
  driverVersion: optString,
});

/** Get-VM, projected. */
export const vmRecordSchema = z.object({
  type: z.literal('vm'),
  host: hostField,
  name: z.string(),
  id: z.string().min(1),
  state: openEnum(['Running', 'Off', 'Saved', 'Paused', 'Starting', 'Stopping', 'Saving', 'Pausing', 'Resuming']),
  generation: int,
  automaticCheckpointsEnabled: optBool,
  lowMemoryMappedIoSpace: optU64,
  highMemoryMappedIoSpace: optU64,
  isClustered: optBool,
});

/** Get-VMGpuPartitionAdapter, projected (domain doc §1.4). */
export const adapterRecordSchema = z.object({
  type: z.literal('adapter'),
  host: hostField,
  instancePath: optString,
  currentPartitionVRAM: optU64,
  minPartitionVRAM: optU64,
  maxPartitionVRAM: optU64,
  optimalPartitionVRAM: optU64,
  currentPartitionEncode: optU64,
  minPartitionEncode: optU64,
  maxPartitionEncode: optU64,
  optimalPartitionEncode: optU64,
  currentPartitionDecode: optU64,
  minPartitionDecode: optU64,
  maxPartitionDecode: optU64,
  optimalPartitionDecode: optU64,
  currentPartitionCompute: optU64,
  minPartitionCompute: optU64,
  maxPartitionCompute: optU64,
  optimalPartitionCompute: optU64,
  partitionId: optInt,
  partitionVfLuid: optString,
  name: z.string().default('GPU Partition Settings'),
  id: z.string().min(1),
  vmId: z.string().min(1),
  vmName: z.string(),
  vmSnapshotId: z.string().default('00000000-0000-0000-0000-000000000000'),
  vmSnapshotName: z.string().nullish().transform((v) => v ?? ''),
  computerName: optString,
  isDeleted: optBool,
  vmCheckpointId: z.string().default('00000000-0000-0000-0000-000000000000'),
  vmCheckpointName: z.string().nullish().transform((v) => v ?? ''),
  supportsOutgoingLiveMigration: optBool,
});

/** Get-ClusterResource | Get-ClusterParameter OfflineAction (domain doc §1.9). */
export const offlineActionRecordSchema = z.object({
  type: z.literal('offlineAction'),
  host: optString,
  vmName: z.string(),
  vmId: optString,
  resource: optString,
  value: int,
});

/** Host facts for the prerequisite checks. */
export const hostFactsRecordSchema = z.object({
  type: z.literal('hostFacts'),
  host: hostField,
  osCaption: optString,
  osBuild: optInt,
  hyperVInstalled: optBool,
  iommuDmaBitTracking: optBool,
  requireSecureDeviceAssignment: optBool,
  requireSupportedDeviceAssignment: optBool,
  hostDriverVersion: optString,
});

export const clusterRecordSchema = z.object({ type: z.literal('cluster'), name: z.string().min(1) });

export const nodeRecordSchema = z.object({
  type: z.literal('node'),
  name: z.string().min(1),
  state: openEnum(['Up', 'Down', 'Paused', 'Joining', 'Unknown']).optional(),
});

/** One step of an operation (assign/unassign/set-count), what-if or done. */
export const stepRecordSchema = z.object({
  type: z.literal('step'),
  host: hostField,
  target: z.string(),
  action: openEnum(['stop-vm', 'add-adapter', 'remove-adapter', 'set-offline-action', 'start-vm', 'set-count']),
  command: z.string(),
  done: optBool,
});

/** The outcome of one item (a VM, or a GPU for set-count). */
export const itemRecordSchema = z.object({
  type: z.literal('item'),
  host: hostField,
  target: z.string(),
  ok: bool,
  error: optString,
  rolledBack: optBool,
  finalState: optString,
  initialState: optString,
  completedSteps: oneOrMany(z.string()),
  /** Set when the script stopped at a cancel/timeout request ('cancel' | 'timeout'). */
  interrupted: optString,
  /** With `interrupted`: true when the script never began this VM (nothing changed). */
  notStarted: optBool,
});

/** What recover.ps1 did for one VM after a stopped assign/unassign (src/hyperv/hypervBackend.ts). */
export const recoveryRecordSchema = z.object({
  type: z.literal('recovery'),
  host: hostField,
  target: z.string(),
  ok: bool,
  /** What it did, in order: stop-vm, remove-adapter, add-adapter, set-offline-action, start-vm. */
  actions: oneOrMany(z.string()),
  finalState: optString,
  /** Adapters it could not remove (added by the stopped operation). */
  extraAdapters: optInt,
  /** InstancePaths ('' = none) of removed adapters it could not add back. */
  missingAdapters: oneOrMany(z.string()),
  offlineActionRestored: optBool,
  error: optString,
});

/** guest.ps1: what `nvidia-smi -q -x` printed inside a VM (PowerShell Direct), as text for parseNvidiaSmiXml. */
export const guestRecordSchema = z.object({
  type: z.literal('guest'),
  host: hostField,
  target: z.string(),
  xml: z.string(),
});

/** An error the script caught and reported as data (a node that could not be read, a failed step). */
export const errorRecordSchema = z.object({
  host: optString,
  target: optString,
  op: optString,
  message: z.string(),
  category: optString,
  fullyQualifiedErrorId: optString,
});

export type GpuRecord = z.output<typeof gpuRecordSchema>;
export type PnpRecord = z.output<typeof pnpRecordSchema>;
export type VmRecord = z.output<typeof vmRecordSchema>;
export type AdapterRecord = z.output<typeof adapterRecordSchema>;
export type OfflineActionRecord = z.output<typeof offlineActionRecordSchema>;
export type HostFactsRecord = z.output<typeof hostFactsRecordSchema>;
export type ClusterRecord = z.output<typeof clusterRecordSchema>;
export type NodeRecord = z.output<typeof nodeRecordSchema>;
export type StepRecord = z.output<typeof stepRecordSchema>;
export type ItemRecord = z.output<typeof itemRecordSchema>;
export type RecoveryRecord = z.output<typeof recoveryRecordSchema>;
export type ScriptErrorRecord = z.output<typeof errorRecordSchema>;
export type GuestRecord = z.output<typeof guestRecordSchema>;

export type ScriptRecord = GpuRecord | PnpRecord | VmRecord | AdapterRecord | OfflineActionRecord | HostFactsRecord | ClusterRecord | NodeRecord | StepRecord | ItemRecord | RecoveryRecord | GuestRecord;

const RECORD_SCHEMAS: Record<string, z.ZodType> = {
  gpu: gpuRecordSchema,
  pnp: pnpRecordSchema,
  vm: vmRecordSchema,
  adapter: adapterRecordSchema,
  offlineAction: offlineActionRecordSchema,
  hostFacts: hostFactsRecordSchema,
  cluster: clusterRecordSchema,
  node: nodeRecordSchema,
  step: stepRecordSchema,
  item: itemRecordSchema,
  recovery: recoveryRecordSchema,
  guest: guestRecordSchema,
};

/** A record that did not fit: which host, which record, which field, and why. */
export interface RecordProblem {
  host?: string;
  record: string;
  field: string;
  message: string;
}

export function formatProblem(p: RecordProblem): string {
  return `${p.host ? `${p.host}: ` : ''}${p.record}: field "${p.field}" ${p.message}`;
}

function describeRecord(raw: Record<string, unknown>): string {
  const type = typeof raw.type === 'string' ? raw.type : 'record';
  const label = [raw.name, raw.vmName, raw.instanceId, raw.target].find((v) => typeof v === 'string' && v !== '');
  return label !== undefined ? `${type} "${String(label)}"` : type;
}

function pathOf(p: readonly PropertyKey[]): string {
  return p.map((s) => (typeof s === 'number' ? `[${s}]` : String(s))).join('.').replace(/\.\[/g, '[') || '(record)';
}

/** Parses every record; the ones that do not fit become problems. Unknown `type`s are ignored (forward compatible). */
export function parseRecords(raw: readonly unknown[]): { records: ScriptRecord[]; problems: RecordProblem[] } {
  const records: ScriptRecord[] = [];
  const problems: RecordProblem[] = [];
  raw.forEach((r, i) => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) {
      problems.push({ record: `record #${i}`, field: '(record)', message: 'is not an object' });
      return;
    }
    const o = r as Record<string, unknown>;
    const schema = typeof o.type === 'string' ? RECORD_SCHEMAS[o.type] : undefined;
    if (!schema) {
      if (typeof o.type !== 'string') {
        problems.push({ host: typeof o.host === 'string' ? o.host : undefined, record: `record #${i}`, field: 'type', message: 'is missing' });
      }
      return;
    }
    const res = schema.safeParse(o);
    if (res.success) {
      records.push(res.data as ScriptRecord);
    } else {
      const issue = res.error.issues[0];
      problems.push({
        host: typeof o.host === 'string' ? o.host : undefined,
        record: describeRecord(o),
        field: pathOf(issue.path),
        message: issue.message,
      });
    }
  });
  return { records, problems };
}

/** inventory.ps1's `nodes`: each node read, the hash of its records' JSON text, and whether it matched the caller's. */
const nodeHashSchema = z.object({ host: z.string().min(1), hash: z.string().min(1), unchanged: bool });
export type NodeHash = z.infer<typeof nodeHashSchema>;

/** The envelope's `nodes` list; entries that do not fit are left out (their node is then read in full next time). */
export function parseNodeHashes(raw: unknown): NodeHash[] {
  if (!Array.isArray(raw)) return [];
  const out: NodeHash[] = [];
  for (const r of raw) {
    const res = nodeHashSchema.safeParse(r);
    if (res.success) out.push(res.data);
  }
  return out;
}

/** Errors the script reported as data; a malformed one is kept as text rather than lost. */
export function parseErrors(raw: readonly unknown[]): ScriptErrorRecord[] {
  return raw.map((r) => {
    const res = errorRecordSchema.safeParse(r);
    if (res.success) {
      return res.data;
    }
    return { message: typeof r === 'string' ? r : JSON.stringify(r), host: undefined, target: undefined, op: undefined, category: undefined, fullyQualifiedErrorId: undefined };
  });
}
