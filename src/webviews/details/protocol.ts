/**
 * Details page <-> extension: WAC's "Selected item details" pane (domain doc §2), following the
 * tree selection. Shared by both sides (no vscode, no zod).
 */
import { IpcCommand, IpcNotification } from '../ipc';

export const scope = 'details';
export const viewType = 'gpuPartitions.details';

export interface DetailsField {
  label: string;
  /** Exact value as text (UInt64 in full decimal digits). */
  value: string;
  /** A friendlier rendering beside the exact value ("14.82 GiB"). */
  hint?: string;
}

export interface DetailsState {
  /** "GPU selected" / "GPU partition selected" / "Nothing selected". */
  heading: string;
  subject?: string;
  fields: DetailsField[];
  /** Shown when nothing with details is selected. */
  empty?: string;
  /** Echoed back by the page in its persisted state. */
  ref?: DetailsRef;
  strings: Record<DetailsString, string>;
}

export type DetailsString = 'title' | 'copy';

/** What the page keeps to restore after a reload: the selected item's identity. */
export interface DetailsPersisted {
  ref?: DetailsRef;
}

/** Identifies a GPU or a partition in an inventory. */
export type DetailsRef =
  | { kind: 'gpu'; connection: string; server: string; gpu: string }
  | { kind: 'partition'; connection: string; server: string; vm: string; adapterId: string };

export const ready = new IpcCommand<Record<string, never>>(scope, 'ready');
export const copyValue = new IpcCommand<{ value: string }>(scope, 'copyValue');

export const stateChanged = new IpcNotification<DetailsState>(scope, 'state');
