/**
 * Which partitions each GPU of a server has, from the VMs' partition adapters. Pure.
 *
 * Rules (domain doc §1.3, §1.4):
 * - "Partitions are resolved only when the VM is started" [S7]: an adapter on an Off VM holds nothing
 *   yet; it is *pending*. With an InstancePath it will resolve on that GPU (so it reserves a slot
 *   there); without one it resolves on whichever GPU has room at start (server-level pending).
 * - An adapter on a VM in any other state (Running, Paused, Saved, and the transitional states) holds
 *   a partition. Transitional states count as holding: it is the cautious reading, since such a VM is
 *   between holding and releasing and a count change must not race it.
 * - One partition per VM, and the VM and its partition are on the same host [S2, S4, S6, S9].
 */
import { deviceKey, gpuName } from './gpuIdentity';
import type { Gpu, GpuPartitionAdapter, Server, Vm, VmState } from './types';

export interface HeldPartition {
  vm: string;
  vmState: VmState;
  adapter: GpuPartitionAdapter;
  partitionId?: number;
  /** True when the adapter names no InstancePath and the GPU was inferred (the server has one partitionable GPU). */
  inferredGpu?: boolean;
}

export interface PendingAdapter {
  vm: string;
  vmState: VmState;
  adapter: GpuPartitionAdapter;
  /** The GPU Name the adapter is pinned to by InstancePath, if any. */
  gpu?: string;
}

export interface GpuPartitions {
  server: string;
  gpu: Gpu;
  /** Partitionable-GPU Name (device interface path). */
  name: string;
  partitionCount: number;
  held: HeldPartition[];
  /** Adapters of Off VMs pinned to this GPU by InstancePath: they take a slot when the VM starts. */
  pinnedPending: PendingAdapter[];
  /** PartitionCount - held - pinned pending, never below 0. */
  free: number;
  /** More held + pinned than PartitionCount (possible after a count was lowered outside WAC). */
  overcommitted: boolean;
}

export interface ServerPartitions {
  server: string;
  /** Partitioned GPUs only (those with a partitionable record), in inventory order. */
  gpus: GpuPartitions[];
  /** Adapters of Off VMs with no InstancePath: they resolve on some GPU of this server at start. */
  pending: PendingAdapter[];
  /** Held partitions whose GPU cannot be told (no InstancePath, several partitionable GPUs). */
  unlocated: HeldPartition[];
  /** Adapters whose InstancePath names no partitionable GPU of this server. */
  orphaned: (HeldPartition | PendingAdapter)[];
}

/** One partition per VM (domain doc §1.3 [S2]): true when the VM has any GPU partition adapter. */
export function vmHasPartition(vm: Vm): boolean {
  return vm.adapters.length > 0;
}

/** Whether an adapter of a VM in this state holds a resolved partition (see the file comment). */
export function stateHoldsPartition(state: VmState): boolean {
  return state !== 'Off';
}

export function serverPartitions(server: Server): ServerPartitions {
  const partitionable = server.gpus.filter((g) => g.partitionable !== undefined);
  const byKey = new Map<string, GpuPartitions>();
  const gpus: GpuPartitions[] = partitionable.map((g) => {
    const gp: GpuPartitions = {
      server: server.name,
      gpu: g,
      name: gpuName(g),
      partitionCount: g.partitionable!.partitionCount,
      held: [],
      pinnedPending: [],
      free: 0,
      overcommitted: false,
    };
    byKey.set(deviceKey(gp.name), gp);
    return gp;
  });
  const result: ServerPartitions = { server: server.name, gpus, pending: [], unlocated: [], orphaned: [] };

  for (const vm of server.vms) {
    for (const adapter of vm.adapters) {
      const target = adapter.instancePath ? byKey.get(deviceKey(adapter.instancePath)) : undefined;
      if (!stateHoldsPartition(vm.state)) {
        const p: PendingAdapter = { vm: vm.name, vmState: vm.state, adapter, gpu: target?.name };
        if (!adapter.instancePath) result.pending.push(p);
        else if (target) target.pinnedPending.push(p);
        else result.orphaned.push(p);
        continue;
      }
      const h: HeldPartition = { vm: vm.name, vmState: vm.state, adapter, partitionId: adapter.partitionId };
      if (target) target.held.push(h);
      else if (adapter.instancePath) result.orphaned.push(h);
      else if (gpus.length === 1) gpus[0].held.push({ ...h, inferredGpu: true });
      else result.unlocated.push(h);
    }
  }
  for (const gp of gpus) {
    gp.held.sort((a, b) => (a.partitionId ?? Number.MAX_SAFE_INTEGER) - (b.partitionId ?? Number.MAX_SAFE_INTEGER));
    const used = gp.held.length + gp.pinnedPending.length;
    gp.free = Math.max(0, gp.partitionCount - used);
    gp.overcommitted = used > gp.partitionCount;
  }
  return result;
}

/** The partitions of one GPU of a server (undefined when the GPU is unknown or not partitionable). */
export function gpuPartitions(server: Server, nameOrInstanceId: string): GpuPartitions | undefined {
  const key = deviceKey(nameOrInstanceId);
  return serverPartitions(server).gpus.find((gp) => deviceKey(gp.name) === key || deviceKey(gp.gpu.device.instanceId) === key);
}

/** Why a VM blocks a count change on a GPU. */
export interface GpuAssignment {
  vm: string;
  vmState: VmState;
  /** held: resolved partition; pinned: Off VM pinned by InstancePath; possible: running VM on this server whose GPU is unknown. */
  kind: 'held' | 'pinned' | 'possible';
}

/**
 * VMs that have a partition assigned on this GPU, in WAC's sense (domain doc §1.2 [S2]): a resolved
 * partition held by a VM, or an adapter pinned to the GPU by InstancePath. An adapter without
 * InstancePath on an Off VM pins no GPU. A held partition whose GPU cannot be told counts as
 * `possible` on every partitionable GPU of the server: the cautious reading for a blocking rule.
 */
export function gpuAssignments(server: Server, nameOrInstanceId: string): GpuAssignment[] {
  const sp = serverPartitions(server);
  const key = deviceKey(nameOrInstanceId);
  const gp = sp.gpus.find((g) => deviceKey(g.name) === key || deviceKey(g.gpu.device.instanceId) === key);
  if (!gp) return [];
  return [
    ...gp.held.map((h) => ({ vm: h.vm, vmState: h.vmState, kind: 'held' as const })),
    ...gp.pinnedPending.map((p) => ({ vm: p.vm, vmState: p.vmState, kind: 'pinned' as const })),
    ...sp.unlocated.map((h) => ({ vm: h.vm, vmState: h.vmState, kind: 'possible' as const })),
  ];
}

export function gpuHasAssignedPartition(server: Server, nameOrInstanceId: string): boolean {
  return gpuAssignments(server, nameOrInstanceId).length > 0;
}

/** A row of the tree under a GPU: a held partition, a pending adapter, or a free slot. */
export type PartitionSlot =
  | { kind: 'held'; held: HeldPartition }
  | { kind: 'pending'; pending: PendingAdapter }
  | { kind: 'free'; index: number };

/** Held partitions (by PartitionId), then pinned pending adapters, then one row per free slot. */
export function partitionSlots(gp: GpuPartitions): PartitionSlot[] {
  return [
    ...gp.held.map((held) => ({ kind: 'held' as const, held })),
    ...gp.pinnedPending.map((pending) => ({ kind: 'pending' as const, pending })),
    ...Array.from({ length: gp.free }, (_, index) => ({ kind: 'free' as const, index })),
  ];
}
