/**
 * The tree's nodes as one discriminated union (`nodeType`, the vscode-kubernetes-tools shape,
 * style.md). Nodes are plain objects over the model; they hold no data of their own: the
 * InventoryStore does. Pure: no `vscode` import.
 *
 * Command handlers receive these objects as their first argument (the clicked node) and, with
 * multi-select, the selected nodes as the second.
 */
import type { Connection } from '../../connections/connectionConfig';
import type { ConnectionSnapshot } from '../../connections/inventoryStore';
import type { GpuPartitions, HeldPartition, PendingAdapter } from '../../model/partitions';
import type { Gpu, Inventory, Server, Vm } from '../../model/types';
import type { BusyTarget } from '../busyRegistry';

/** `vscode.l10n.t` or a test double. Pure code localises only through a function named `t` (the l10n extractor looks for it). */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

export interface ClusterNode {
  nodeType: 'cluster';
  connection: Connection;
}

export interface ErrorNode {
  nodeType: 'error';
  /** connection: the connection could not be read; server: one server could not; setting: a bad settings entry; refresh: the last refresh failed but older data is shown. */
  scope: 'connection' | 'server' | 'setting' | 'refresh';
  /** Connection name (absent for a settings entry without a name). */
  connection?: string;
  server?: string;
  label: string;
  message: string;
  /** Unique within the parent, for the stable TreeItem id. */
  key: string;
}

export interface ServerNode {
  nodeType: 'server';
  connection: string;
  inventory: Inventory;
  server: Server;
}

export interface GroupNode {
  nodeType: 'group';
  group: 'gpus' | 'vms';
  connection: string;
  server: Server;
}

export interface GpuNode {
  nodeType: 'gpu';
  connection: string;
  server: Server;
  gpu: Gpu;
  /** Partition rows of the GPU; undefined when it is not partitionable. */
  partitions?: GpuPartitions;
  /** Label, made unique among the server's GPUs of the same model. */
  label: string;
  /** How many partitionable GPUs the server has (collapses GPU rows on big servers). */
  siblings: number;
}

/** A held partition, a pending adapter (VM Off), or the free slots of a GPU folded into one row. */
export type PartitionNode = HeldPartitionNode | PendingPartitionNode | FreePartitionsNode;

export interface HeldPartitionNode {
  nodeType: 'partition';
  state: 'held';
  connection: string;
  server: Server;
  /** The GPU the partition is on; undefined when it cannot be told (no InstancePath, several GPUs) or is not on this server. */
  gpu?: Gpu;
  held: HeldPartition;
  vm?: Vm;
  /** 'unlocated': GPU unknown; 'orphaned': its InstancePath names no GPU of the server. */
  placement?: 'unlocated' | 'orphaned';
}

export interface PendingPartitionNode {
  nodeType: 'partition';
  state: 'pending';
  connection: string;
  server: Server;
  /** The GPU the adapter is pinned to by InstancePath; undefined: resolves on any GPU at start. */
  gpu?: Gpu;
  pending: PendingAdapter;
  vm?: Vm;
  placement?: 'orphaned';
}

export interface FreePartitionsNode {
  nodeType: 'partition';
  state: 'free';
  connection: string;
  server: Server;
  gpu: Gpu;
  /** Number of free slots folded into this row (>= 1). */
  count: number;
  partitionCount: number;
}

export interface VmNode {
  nodeType: 'vm';
  connection: string;
  server: Server;
  vm: Vm;
}

export type TreeNode = ClusterNode | ErrorNode | ServerNode | GroupNode | GpuNode | PartitionNode | VmNode;

/** What a node needs from outside: translations, the store's snapshot, the busy registry. */
export interface PresentationContext {
  t: Translate;
  snapshot(connection: string): ConnectionSnapshot | undefined;
  busy(target: BusyTarget): string | undefined;
}

export type Collapsible = 'none' | 'collapsed' | 'expanded';

/** Everything a TreeItem is built from, as plain data (the provider maps it to vscode types). */
export interface ItemView {
  /** Stable id: keeps expansion and selection across refreshes. */
  id: string;
  label: string;
  description?: string;
  /** Markdown text of the tooltip. */
  tooltip?: string;
  contextValue: string;
  /** Codicon id (`vm-running`, `loading~spin`) and an optional theme colour id. */
  icon: { id: string; color?: string };
  collapsible: Collapsible;
}
