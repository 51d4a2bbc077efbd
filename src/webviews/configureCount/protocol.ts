/**
 * Configure partition count page <-> extension. Shared by both sides (no vscode, no zod).
 * The page mirrors WAC's "Configure partition count on GPUs" page (domain doc §2).
 */
import { IpcCommand, IpcNotification, type OperationView, type UiMessage } from '../ipc';

export const scope = 'configureCount';
export const viewType = 'gpuPartitions.configureCount';

/** A GPU by server and partitionable-GPU Name (device interface path), as in SetCountRequest. */
export interface GpuRef {
  server: string;
  gpu: string;
}

export interface GpuRow extends GpuRef {
  friendlyName: string;
  /** Localised WAC "Assigned status". */
  status: string;
  manufacturer: string;
  partitionCount: number;
  /** "14.82 GiB", with the exact bytes in `totalVRAMBytes` for the tooltip. */
  totalVRAM: string;
  totalVRAMBytes: string;
  /** VMs holding or waiting for a partition of this GPU; non-empty makes selecting it an error. */
  assignedTo: string[];
}

export interface ServerSection {
  name: string;
  /** The server could not be read; its GPUs are missing. */
  error?: string;
  gpus: GpuRow[];
  /** GPUs that are not partitionable (WAC shows them with their status, not selectable). */
  otherGpus: { friendlyName: string; status: string }[];
}

export interface ConfigureCountState {
  connection: string;
  servers: ServerSection[];
  /** The initial selection: the homogeneous set, or what the user had before a reload. */
  selected: GpuRef[];
  /** The count preselected in the dropdown, if any. */
  count?: number;
  strings: Record<ConfigureCountString, string>;
}

export interface CountValidation {
  /** The selection this answers (the page ignores stale answers). */
  seq: number;
  warnings: UiMessage[];
  errors: UiMessage[];
  /** ValidPartitionCounts common to the selection, largest first. */
  validCounts: number[];
  /** Localised tooltip per count: "Each partition gets 1.85 GB of VRAM." */
  vramTips: Record<string, string>;
}

export type ConfigureCountString =
  | 'title'
  | 'intro'
  | 'serverError'
  | 'colSelect'
  | 'colName'
  | 'colStatus'
  | 'colManufacturer'
  | 'colPartitionCount'
  | 'colTotalVram'
  | 'assignedTo'
  | 'notPartitionable'
  | 'numberOfPartitions'
  | 'noValidCounts'
  | 'configure'
  | 'previewScript'
  | 'refresh'
  | 'selectedCount'
  | 'running'
  | 'noGpus';

/** Page -> extension. */
export const ready = new IpcCommand<{ seq?: number }>(scope, 'ready');
export const selectionChanged = new IpcCommand<{ seq: number; selected: GpuRef[] }>(scope, 'selectionChanged');
export const configure = new IpcCommand<{ selected: GpuRef[]; count: number }>(scope, 'configure');
export const previewScript = new IpcCommand<{ selected: GpuRef[]; count: number }>(scope, 'previewScript');
export const refresh = new IpcCommand<Record<string, never>>(scope, 'refresh');

/** Extension -> page. */
export const stateChanged = new IpcNotification<ConfigureCountState>(scope, 'state');
export const validationChanged = new IpcNotification<CountValidation>(scope, 'validation');
export const operationChanged = new IpcNotification<OperationView>(scope, 'operation');

/** What the page keeps with `vscode.setState` so the panel restores after a window reload. */
export interface ConfigureCountPersisted {
  connection: string;
  selected?: GpuRef[];
  count?: number;
}
