/**
 * Assign partition page <-> extension. Shared by both sides (no vscode, no zod).
 * Mirrors WAC's "Assign GPU partition to VM" page (domain doc §2).
 */
import { IpcCommand, IpcNotification, type OperationView } from '../ipc';

export const scope = 'assign';
export const viewType = 'gpuPartitions.assignPartition';

export interface VmRow {
  name: string;
  /** Localised VM state ("Running"). */
  state: string;
  running: boolean;
  /** Set when the VM cannot be chosen (it already has a partition): the localised reason. */
  disabledReason?: string;
}

/** One VRAM choice: the partition size the server's GPUs are configured to. */
export interface VramOption {
  /** Exact bytes as a decimal string (UInt64). */
  bytes: string;
  label: string;
  /** GPUs (partitionable Name) configured to this size. */
  gpus: string[];
}

export interface GpuOption {
  /** Partitionable GPU Name, passed as -InstancePath. */
  name: string;
  label: string;
  vramBytes: string;
}

export interface AssignState {
  connection: string;
  servers: string[];
  server: string;
  vms: VmRow[];
  vramOptions: VramOption[];
  gpuOptions: GpuOption[];
  /** VMs ticked when the page opens (from the tree selection, or before a reload). */
  preselected: string[];
  /** Bumped when the extension wants `preselected` to replace the page's own selection. */
  selectionEpoch: number;
  forceShutdownOfflineAction: boolean;
  /** The server could not be read, or has no partitionable GPU: shown instead of the form. */
  problem?: string;
  strings: Record<AssignString, string>;
}

export type AssignString =
  | 'title'
  | 'intro'
  | 'server'
  | 'vms'
  | 'search'
  | 'selectAll'
  | 'noVms'
  | 'vram'
  | 'vramHelp'
  | 'gpu'
  | 'anyGpu'
  | 'offlineAction'
  | 'offlineActionHelp'
  | 'powerCycleNote'
  | 'assign'
  | 'previewScript'
  | 'refresh'
  | 'selectedCount'
  | 'nothingSelected';

export interface AssignParams {
  server: string;
  vms: string[];
  /** Exact bytes of the chosen VRAM option; must equal the configured partition size. */
  vramBytes: string;
  gpu?: string;
  forceShutdownOfflineAction: boolean;
}

/** Page -> extension. */
export const ready = new IpcCommand<Record<string, never>>(scope, 'ready');
export const serverChanged = new IpcCommand<{ server: string }>(scope, 'serverChanged');
export const assign = new IpcCommand<AssignParams>(scope, 'assign');
export const previewScript = new IpcCommand<AssignParams>(scope, 'previewScript');
export const refresh = new IpcCommand<Record<string, never>>(scope, 'refresh');

/** Extension -> page. */
export const stateChanged = new IpcNotification<AssignState>(scope, 'state');
export const operationChanged = new IpcNotification<OperationView>(scope, 'operation');

export interface AssignPersisted {
  connection: string;
  server?: string;
  selected?: string[];
  forceShutdownOfflineAction?: boolean;
}
