/**
 * Domain types of Hyper-V GPU partitioning (GPU-P). Pure: no `vscode`, no I/O.
 *
 * Property names follow the cmdlets' own output (../shared/docs/gpu-p-domain.md §1.1, §1.4) in
 * camelCase. UInt64 values are `bigint` because real drivers report values such as
 * 18446744073709551615 (UInt64.MaxValue) that a JS number cannot hold.
 */

/** The four values of WAC's "Assigned status" column (domain doc §2, exact and complete list). */
export type AssignedStatus = 'Partitioned' | 'ReadyForDDA' | 'Paravirtualization' | 'NotAssignable';
export const ASSIGNED_STATUSES: readonly AssignedStatus[] = ['Partitioned', 'ReadyForDDA', 'Paravirtualization', 'NotAssignable'];

/** Hyper-V VMState as a string. Open: a host may report a state this list does not name. */
export type VmState = 'Running' | 'Off' | 'Saved' | 'Paused' | 'Starting' | 'Stopping' | 'Saving' | 'Pausing' | 'Resuming' | (string & {});

/** Cluster resource private property OfflineAction (domain doc §1.9, S17). Default 1 (Save). */
export type OfflineAction = 0 | 1 | 2 | 3;
export const OFFLINE_ACTION_NAMES: Record<OfflineAction, string> = {
  0: 'Turn Off',
  1: 'Save',
  2: 'Shutdown',
  3: 'Shutdown (Forced)',
};

/** Every property `Get-VMHostPartitionableGpu` prints (domain doc §1.1), except CimSession. */
export interface PartitionableGpu {
  /** Device interface path, `\\?\PCI#VEN_…#{064092b3-625e-43bf-9eb5-dc845897dd59}`. */
  name: string;
  validPartitionCounts: number[];
  partitionCount: number;
  /** WS2025 (build 26100+) only; absent on older hosts. */
  supportsIncomingLiveMigration?: boolean;
  totalVRAM: bigint;
  availableVRAM: bigint;
  minPartitionVRAM: bigint;
  maxPartitionVRAM: bigint;
  optimalPartitionVRAM: bigint;
  totalEncode: bigint;
  availableEncode: bigint;
  minPartitionEncode: bigint;
  maxPartitionEncode: bigint;
  optimalPartitionEncode: bigint;
  totalDecode: bigint;
  availableDecode: bigint;
  minPartitionDecode: bigint;
  maxPartitionDecode: bigint;
  optimalPartitionDecode: bigint;
  totalCompute: bigint;
  availableCompute: bigint;
  minPartitionCompute: bigint;
  maxPartitionCompute: bigint;
  optimalPartitionCompute: bigint;
  computerName: string;
  isDeleted: boolean;
}

/** A display-class PnP device (`Get-PnpDevice -Class Display`), the source of name, maker and status. */
export interface DisplayDevice {
  /** PnP InstanceId, `PCI\VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1\4&18416DC3&0&0000`. */
  instanceId: string;
  friendlyName: string;
  manufacturer: string;
  /** PnP Status: OK, Error, Degraded, Unknown. */
  status: string;
  /** PnP class (Display, or System for a DDA-dismounted device). */
  class: string;
}

/** One physical GPU of a server: its PnP device, joined with its partitionable-GPU record if any. */
export interface Gpu {
  device: DisplayDevice;
  /** Present only when the GPU-P driver exposes the GPU (status Partitioned). */
  partitionable?: PartitionableGpu;
  assignedStatus: AssignedStatus;
}

/** Every property `Get-VMGpuPartitionAdapter` prints (domain doc §1.4), except CimSession. */
export interface GpuPartitionAdapter {
  instancePath?: string;
  currentPartitionVRAM?: bigint;
  minPartitionVRAM?: bigint;
  maxPartitionVRAM?: bigint;
  optimalPartitionVRAM?: bigint;
  currentPartitionEncode?: bigint;
  minPartitionEncode?: bigint;
  maxPartitionEncode?: bigint;
  optimalPartitionEncode?: bigint;
  currentPartitionDecode?: bigint;
  minPartitionDecode?: bigint;
  maxPartitionDecode?: bigint;
  optimalPartitionDecode?: bigint;
  currentPartitionCompute?: bigint;
  minPartitionCompute?: bigint;
  maxPartitionCompute?: bigint;
  optimalPartitionCompute?: bigint;
  /** Unset until the VM starts and the partition resolves. */
  partitionId?: number;
  partitionVfLuid?: string;
  /** Always "GPU Partition Settings". */
  name: string;
  /** `Microsoft:<VMID upper>\<adapter GUID upper>`. */
  id: string;
  /** Lower-case GUID. */
  vmId: string;
  vmName: string;
  vmSnapshotId: string;
  vmSnapshotName: string;
  computerName: string;
  isDeleted: boolean;
  vmCheckpointId: string;
  vmCheckpointName: string;
  /** WS2025 only. */
  supportsOutgoingLiveMigration?: boolean;
}

export interface Vm {
  name: string;
  /** Lower-case GUID. */
  id: string;
  state: VmState;
  generation: number;
  computerName: string;
  adapters: GpuPartitionAdapter[];
  /** Set when the VM is a clustered role; undefined on a standalone host. */
  offlineAction?: OfflineAction;
  automaticCheckpointsEnabled?: boolean;
  lowMemoryMappedIoSpace?: bigint;
  highMemoryMappedIoSpace?: bigint;
}

/** Host facts read by the prerequisite checks; every field optional because older hosts lack some. */
export interface HostFacts {
  osCaption?: string;
  osBuild?: number;
  hyperVInstalled?: boolean;
  iommuDmaBitTracking?: boolean;
  /** HKLM\SOFTWARE\Policies\Microsoft\Windows\HyperV RequireSecureDeviceAssignment / RequireSupportedDeviceAssignment. */
  requireSecureDeviceAssignment?: boolean;
  requireSupportedDeviceAssignment?: boolean;
  hostDriverVersion?: string;
}

export interface Server {
  name: string;
  gpus: Gpu[];
  vms: Vm[];
  host?: HostFacts;
  /** Set when this server could not be read; the others still render. */
  error?: string;
}

export interface Inventory {
  /** Connection name as the user configured it. */
  connection: string;
  /** Cluster name, or undefined for a standalone server. */
  cluster?: string;
  servers: Server[];
  /** ISO time the inventory was read. */
  readAt: string;
}

/** A request to change something. Targets are names exactly as the host reports them. */
export type OperationRequest = SetCountRequest | AssignRequest | UnassignRequest;

export interface SetCountRequest {
  kind: 'set-count';
  /** GPUs to reconfigure, by server and partitionable-GPU Name (device interface path). */
  targets: { server: string; gpu: string }[];
  count: number;
}

export interface AssignRequest {
  kind: 'assign';
  server: string;
  vms: string[];
  /** Optional `-InstancePath` (a partitionable GPU Name) to choose the physical GPU. */
  gpu?: string;
  /** Set the VM cluster resource's OfflineAction to 3 (force shutdown), as WAC's checkbox does. */
  forceShutdownOfflineAction: boolean;
}

export interface UnassignRequest {
  kind: 'unassign';
  server: string;
  vms: string[];
}

export type OperationKind = OperationRequest['kind'];

export type StepAction = 'stop-vm' | 'add-adapter' | 'remove-adapter' | 'set-offline-action' | 'start-vm' | 'set-count';

export interface PlanStep {
  action: StepAction;
  server: string;
  /** VM name, or GPU Name for set-count. */
  target: string;
  /** The exact PowerShell a person could run by hand to do this step. */
  command: string;
}

/** One VM (assign/unassign) or one GPU (set-count) of a plan. */
export interface PlanItem {
  server: string;
  target: string;
  steps: PlanStep[];
  /** VM state before the operation; the executor restores Running if it was Running. */
  initialState?: VmState;
}

export interface PlanRefusal {
  server: string;
  target: string;
  /** Stable code for the UI to localise, and an English message for the CLI and logs. */
  code: string;
  message: string;
}

export interface OperationPlan {
  request: OperationRequest;
  items: PlanItem[];
  refusals: PlanRefusal[];
  /** VMs that will be turned off and on again, as "server/vm". */
  vmsPowerCycled: { server: string; vm: string }[];
  gpusChanged: { server: string; gpu: string }[];
}

export interface ItemResult {
  server: string;
  target: string;
  ok: boolean;
  error?: string;
  /** True when a failure after the VM was stopped was undone. */
  rolledBack?: boolean;
  finalState?: VmState;
  completedSteps: StepAction[];
}

export interface OperationResult {
  request: OperationRequest;
  ok: boolean;
  items: ItemResult[];
  refusals: PlanRefusal[];
}

/** Stream of a record written while an operation or inventory runs. */
export type OutputStream = 'step' | 'output' | 'information' | 'warning' | 'verbose' | 'debug' | 'error' | 'progress';

export interface OutputRecord {
  /** ISO time the record was produced. */
  time: string;
  stream: OutputStream;
  message: string;
  host?: string;
  /** VM or GPU the record is about. */
  target?: string;
  /** For stream 'step': the action now running on target (drives the tree spinner). */
  step?: StepAction | 'done';
}

export type OutputSink = (record: OutputRecord) => void;
