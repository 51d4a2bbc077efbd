/**
 * Capacity view page <-> extension (issue 8): every GPU drawn as a bar of its partitions, coloured
 * by the VM holding each and its power state, server by server, and the "where would N VMs of X GiB
 * fit?" planner. Shared by both sides (no vscode, no zod); every text arrives localised.
 */
import { IpcCommand, IpcNotification } from '../ipc';

export const scope = 'capacity';
export const viewType = 'gpuPartitions.capacity';

/**
 * running: held by a running VM; idle: held by a VM that is not running (saved, paused) so it uses
 * nothing; pending: assigned to a VM that is off (reserved, resolves at start); free.
 */
export type SlotKind = 'running' | 'idle' | 'pending' | 'free';

export interface Slot {
  kind: SlotKind;
  vm?: string;
  /** Localised VM state. */
  state?: string;
  /** Colour of the VM (index into the page's palette), stable for a VM name. */
  color?: number;
  /** Tooltip. */
  title: string;
}

/** Figures already formatted for display. */
export interface Totals {
  total: number;
  assigned: number;
  free: number;
  stranded: number;
  totalVRAM: string;
  freeVRAM: string;
  /** Localised one-liner: "16 partitions · 3 assigned · 13 free · 14.82 GiB". */
  text: string;
}

export interface GpuBar {
  label: string;
  /** Partitionable-GPU Name (tests, tooltips). */
  name: string;
  /** Localised "16 × 0.88 GiB". */
  each: string;
  totals: Totals;
  slots: Slot[];
  overcommitted: boolean;
}

export interface ServerBars {
  name: string;
  error?: string;
  /** Localised note when the server has no partitionable GPU. */
  note?: string;
  totals?: Totals;
  gpus: GpuBar[];
  /** Adapters whose GPU is not known yet (VM off, no InstancePath) or cannot be told. */
  floating: Slot[];
  floatingLabel?: string;
  /** Adapters naming a GPU that is not on the server. */
  orphaned: string[];
}

export interface PlanRow {
  server: string;
  fitNow: number;
  /** Localised cells. */
  countText: string;
  fitAfter: string;
  disturbs: string[];
  placedNow: number;
  placedAfter: number;
  changeNeeded: boolean;
}

export interface PlanView {
  vmCount: number;
  vramGiB: number;
  headline: string;
  verdict: 'fitsNow' | 'fitsAfter' | 'doesNotFit';
  rows: PlanRow[];
  note: string;
}

export interface CapacityState {
  connection: string;
  subject: string;
  readAt?: string;
  totals?: Totals;
  servers: ServerBars[];
  /** Palette size (the page defines the colours). */
  plan?: PlanView;
  loading: boolean;
  error?: string;
  /** The form's last values (restored after a reload). */
  question: { vmCount: number; vramGiB: number };
  strings: Record<CapacityString, string>;
}

export type CapacityString =
  | 'title'
  | 'refresh'
  | 'legend'
  | 'running'
  | 'idle'
  | 'pending'
  | 'free'
  | 'cluster'
  | 'formTitle'
  | 'vmCount'
  | 'vramGiB'
  | 'ask'
  | 'server'
  | 'fitNow'
  | 'countToServe'
  | 'fitAfter'
  | 'disturbs'
  | 'placement'
  | 'nothing'
  | 'invalid'
  | 'loading'
  | 'orphaned'
  | 'overcommitted';

export interface CapacityPersisted {
  connection?: string;
  vmCount?: number;
  vramGiB?: number;
}

/** Number of VM colours the page defines (`.c0` … `.c9`). */
export const PALETTE_SIZE = 10;

export const ready = new IpcCommand<Record<string, never>>(scope, 'ready');
export const refresh = new IpcCommand<Record<string, never>>(scope, 'refresh');
export const ask = new IpcCommand<{ vmCount: number; vramGiB: number }>(scope, 'ask');

export const stateChanged = new IpcNotification<CapacityState>(scope, 'state');
