/**
 * Unassign partition page <-> extension. Shared by both sides (no vscode, no zod).
 * Mirrors WAC's "Unassign GPU partition from VM" page (domain doc §2).
 */
import { IpcCommand, IpcNotification, type OperationView } from '../ipc';

export const scope = 'unassign';
export const viewType = 'gpuPartitions.unassignPartition';

export interface PartitionVmRow {
  name: string;
  state: string;
  running: boolean;
  /** The GPU(s) its adapters point at, or "resolves when the VM starts". */
  partition: string;
}

export interface UnassignState {
  connection: string;
  servers: string[];
  server: string;
  /** Only VMs with a GPU partition adapter. */
  vms: PartitionVmRow[];
  preselected: string[];
  /** Bumped when the extension wants `preselected` to replace the page's own selection. */
  selectionEpoch: number;
  problem?: string;
  strings: Record<UnassignString, string>;
}

export type UnassignString =
  | 'title'
  | 'intro'
  | 'server'
  | 'vms'
  | 'search'
  | 'selectAll'
  | 'noVms'
  | 'powerCycleNote'
  | 'unassign'
  | 'previewScript'
  | 'refresh'
  | 'selectedCount'
  | 'nothingSelected';

export interface UnassignParams {
  server: string;
  vms: string[];
}

export const ready = new IpcCommand<Record<string, never>>(scope, 'ready');
export const serverChanged = new IpcCommand<{ server: string }>(scope, 'serverChanged');
export const unassign = new IpcCommand<UnassignParams>(scope, 'unassign');
export const previewScript = new IpcCommand<UnassignParams>(scope, 'previewScript');
export const refresh = new IpcCommand<Record<string, never>>(scope, 'refresh');

export const stateChanged = new IpcNotification<UnassignState>(scope, 'state');
export const operationChanged = new IpcNotification<OperationView>(scope, 'operation');

export interface UnassignPersisted {
  connection: string;
  server?: string;
  selected?: string[];
}
