/**
 * Partition capacity per GPU, server and cluster: total / assigned / free, plus "stranded" (assigned
 * to VMs that are Off, so reserved but not used). Counts follow `partitions.ts`. Pure.
 */
import { serverPartitions, type GpuPartitions, type ServerPartitions } from './partitions';
import type { Inventory, Server } from './types';

export interface Capacity {
  /** Sum of PartitionCount. */
  total: number;
  /** held + pending: every adapter that holds or will take a slot. */
  assigned: number;
  /** Resolved partitions of VMs that are not Off. */
  held: number;
  /** Adapters of Off VMs (pinned by InstancePath or not). */
  pending: number;
  /** max(0, total - assigned). */
  free: number;
  /** Assigned to VMs that are Off (equals `pending`: a reserved slot nobody uses). */
  stranded: number;
  /** Adapters whose GPU is not known (no InstancePath), included in assigned; their VRAM is charged at the server's largest partition size. */
  unlocated: number;
  /** Sum of TotalVRAM. */
  totalVRAM: bigint;
  /** Per-partition VRAM times the partitions located on each GPU. */
  assignedVRAM: bigint;
  /** Per-partition VRAM times the free slots of each GPU. */
  freeVRAM: bigint;
}

export interface GpuCapacity extends Capacity {
  server: string;
  gpu: string;
  partitionCount: number;
  /** The per-partition VRAM the driver reports for the current count (OptimalPartitionVRAM, domain doc §1.1 [S4]). */
  partitionVRAM: bigint;
}

export interface ServerCapacity extends Capacity {
  server: string;
  gpus: GpuCapacity[];
}

export interface ClusterCapacity extends Capacity {
  servers: ServerCapacity[];
}

function partitionVRAMOf(gp: GpuPartitions): bigint {
  return gp.gpu.partitionable?.optimalPartitionVRAM ?? 0n;
}

export function gpuCapacity(gp: GpuPartitions): GpuCapacity {
  const held = gp.held.length;
  const pending = gp.pinnedPending.length;
  const assigned = held + pending;
  const free = Math.max(0, gp.partitionCount - assigned);
  const per = partitionVRAMOf(gp);
  return {
    server: gp.server,
    gpu: gp.name,
    partitionCount: gp.partitionCount,
    partitionVRAM: per,
    total: gp.partitionCount,
    assigned,
    held,
    pending,
    free,
    stranded: pending,
    unlocated: 0,
    totalVRAM: gp.gpu.partitionable?.totalVRAM ?? 0n,
    assignedVRAM: per * BigInt(assigned),
    freeVRAM: per * BigInt(free),
  };
}

/** VRAM of `n` adapters whose GPU is not known: the largest partition size among `caps`. */
function floatingVRAM(caps: readonly Capacity[], n: number): bigint {
  if (n === 0) return 0n;
  return BigInt(n) * caps.reduce((m, c) => {
    const v = 'partitionVRAM' in c ? (c as GpuCapacity).partitionVRAM : 0n;
    return v > m ? v : m;
  }, 0n);
}

function maxZero(v: bigint): bigint {
  return v < 0n ? 0n : v;
}

/**
 * Totals of `caps`. `extraHeld` / `extraPending` are adapters whose GPU is not known (server level):
 * they take a slot on some GPU, so they are charged to the VRAM too, at the largest partition size
 * of the server (free VRAM is never overstated; on a homogeneous server it is exact).
 */
function sum(caps: readonly Capacity[], extraHeld: number, extraPending: number): Capacity {
  const total = caps.reduce((n, c) => n + c.total, 0);
  const held = caps.reduce((n, c) => n + c.held, 0) + extraHeld;
  const pending = caps.reduce((n, c) => n + c.pending, 0) + extraPending;
  const assigned = held + pending;
  return {
    total,
    assigned,
    held,
    pending,
    free: Math.max(0, total - assigned),
    stranded: pending,
    unlocated: caps.reduce((n, c) => n + c.unlocated, 0) + extraHeld + extraPending,
    totalVRAM: caps.reduce((n, c) => n + c.totalVRAM, 0n),
    assignedVRAM: caps.reduce((n, c) => n + c.assignedVRAM, 0n) + floatingVRAM(caps, extraHeld + extraPending),
    freeVRAM: maxZero(caps.reduce((n, c) => n + c.freeVRAM, 0n) - floatingVRAM(caps, extraHeld + extraPending)),
  };
}

/**
 * Server totals. Adapters without a known GPU (server-level pending, unlocated held) count as
 * assigned, so `free` can be lower than the sum of the GPUs' free slots; adapters naming a GPU that
 * is not on the server (orphaned) are left out: they hold nothing here.
 */
export function serverCapacity(server: Server | ServerPartitions): ServerCapacity {
  const sp = 'vms' in server ? serverPartitions(server) : server;
  const gpus = sp.gpus.map(gpuCapacity);
  return { server: sp.server, gpus, ...sum(gpus, sp.unlocated.length, sp.pending.length) };
}

export function clusterCapacity(inventory: Inventory): ClusterCapacity {
  const servers = inventory.servers.map((s) => serverCapacity(s));
  const totals = sum(servers, 0, 0);
  return { servers, ...totals };
}
