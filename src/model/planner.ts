/**
 * Capacity planner: "where would N VMs needing X GiB of VRAM each fit?". Pure.
 *
 * Per server it answers: how many of the N fit now (free partitions of at least X GiB), which
 * partition count (from ValidPartitionCounts) would give partitions of at least X GiB, how many fit
 * after changing the server's GPUs to that count, and what the change disturbs (the GPUs to
 * reconfigure and the VMs whose partitions on them must be unassigned first: WAC refuses to
 * reconfigure a GPU with an assigned partition, domain doc §1.2 [S2]).
 *
 * Per-partition VRAM of a count (documented choice):
 * - the GPU's current count: the driver's own MinPartitionVRAM ("Partition sizes are the same as the
 *   minPartitionVRAM found in Get-VMHostPartitionableGpu", §4 [S8]; for NVIDIA Min = Max = Optimal
 *   [S4]); `vramSource: 'reported'`.
 * - any other count c (`vramSource: 'derived'`): TotalVRAM / c times a reserve share, the smaller of
 *   the GPU's own share at its current count (MinPartitionVRAM × currentCount / TotalVRAM) and the
 *   smallest share ever observed (94.4 % at 16 partitions, §3 [S4]). The vendor reserves some
 *   memory and the share is not a formula (16 partitions: 94.4 %, 4 partitions: 96.1 % [S4]), and it
 *   shrinks as the count grows, so taking the smaller share errs on the small side: from 16 on an A2
 *   this gives 3.50 GiB at 4 where the driver really gives 3.56 GiB. A plan never promises a
 *   partition larger than the one the driver will make.
 *
 * Counting follows partitions.ts: a slot is taken by a resolved partition (held) or by an adapter of
 * an Off VM pinned to the GPU by InstancePath; an adapter with no InstancePath takes a slot on some
 * GPU of its server when its VM starts, so it is subtracted from the server's room.
 *
 * The change is per server and homogeneous: every partitionable GPU of the server goes to the chosen
 * count (mixed counts are not recommended, §2 [S2]); GPUs already at that count are left alone.
 * The chosen count is the largest valid count whose partitions are big enough (most partitions of
 * the needed size).
 */
import { gpuAssignments, serverPartitions, type GpuPartitions } from './partitions';
import type { Inventory, Server, VmState } from './types';
import { GIB } from './vram';

/** Smallest VRAM share observed: 16 × 939524096 of 15918030848 bytes on the A2/A16 (domain doc §3 [S4]). */
export const OBSERVED_MIN_SHARE = { num: 16n * 939524096n, den: 15918030848n } as const;

export interface CapacityQuestion {
  vmCount: number;
  /** VRAM each VM needs, in GiB (fractions allowed, e.g. 0.875). */
  vramGiB: number;
}

export type VramSource = 'reported' | 'derived';

export interface CountOption {
  count: number;
  /** Per-partition VRAM at this count (the smallest over the server's GPUs). */
  partitionVRAM: bigint;
  vramSource: VramSource;
  /** partitionVRAM >= the need. */
  bigEnough: boolean;
}

export interface GpuNow {
  gpu: string;
  partitionCount: number;
  partitionVRAM: bigint;
  /** Slots taken (held + pinned pending). */
  taken: number;
  free: number;
  bigEnough: boolean;
}

export interface DisturbedVm {
  vm: string;
  state: VmState;
  /** GPU Name the VM's partition is on (or may be on, for `possible`). */
  gpu: string;
  /** held: resolved partition; pinned: Off VM pinned by InstancePath; possible: running VM whose GPU is unknown. */
  kind: 'held' | 'pinned' | 'possible';
}

export interface CapacityChange {
  count: number;
  partitionVRAM: bigint;
  vramSource: VramSource;
  gpusToReconfigure: { gpu: string; from: number; to: number }[];
  /** VMs whose partitions on the reconfigured GPUs must be unassigned first (running ones are turned off for it). */
  vmsToUnassign: DisturbedVm[];
  /** New VMs that fit after the change, counting the unassigned VMs as assigned again. */
  fitAfter: number;
  /** Slots the change leaves short for the VMs already assigned on this server (they would not all get a partition back). */
  shortForExisting: number;
}

export type ServerUnavailable = 'unreachable' | 'noPartitionableGpu' | 'noCountBigEnough';

export interface ServerPlan {
  server: string;
  gpus: GpuNow[];
  /** Adapters of Off VMs with no InstancePath: each takes a slot of some GPU at start. */
  unplacedPending: number;
  /** New VMs of the requested size that fit without any change. */
  fitNow: number;
  /** Every valid count (common to all partitionable GPUs of the server), largest first. */
  options: CountOption[];
  /** The change that serves the request best; undefined when none can (see `unavailable`). */
  change?: CapacityChange;
  unavailable?: ServerUnavailable;
}

export interface Placement {
  server: string;
  vms: number;
}

export interface CapacityPlan {
  question: CapacityQuestion;
  /** X GiB in bytes. */
  needBytes: bigint;
  servers: ServerPlan[];
  /** Sum of fitNow / of max(fitNow, change.fitAfter). */
  fitNow: number;
  fitAfter: number;
  fitsNow: boolean;
  fitsAfter: boolean;
  /** Greedy placement of the N VMs: servers with the most room first (ties: inventory order). */
  placementNow: Placement[];
  /** The same after the changes of `changesNeeded`. */
  placementAfter: Placement[];
  /** Servers whose change is used by placementAfter (servers where fitNow was not enough). */
  changesNeeded: string[];
}

/** X GiB as bytes, exact to the KiB (no float error for values such as 0.875 or 3.5). */
export function gibToBytes(gib: number): bigint {
  if (!Number.isFinite(gib) || gib <= 0) throw new RangeError(`VRAM must be a positive number of GiB: ${gib}`);
  return BigInt(Math.round(gib * 1024 * 1024)) * 1024n;
}

/** The driver's per-partition VRAM for the current count (Min; Optimal when a client driver reports Min 0). */
export function reportedPartitionVRAM(gp: GpuPartitions): bigint {
  const p = gp.gpu.partitionable!;
  return p.minPartitionVRAM > 0n ? p.minPartitionVRAM : p.optimalPartitionVRAM;
}

/** Per-partition VRAM of a GPU at a count; see the file comment for the rule. */
export function partitionVRAMAt(gp: GpuPartitions, count: number): { vram: bigint; source: VramSource } {
  const p = gp.gpu.partitionable!;
  const current = reportedPartitionVRAM(gp);
  if (count === p.partitionCount) return { vram: current, source: 'reported' };
  const scaled = (current * BigInt(p.partitionCount)) / BigInt(count);
  const floor = (p.totalVRAM * OBSERVED_MIN_SHARE.num) / OBSERVED_MIN_SHARE.den / BigInt(count);
  return { vram: scaled < floor ? scaled : floor, source: 'derived' };
}

function commonCounts(gpus: GpuPartitions[]): number[] {
  const [first, ...rest] = gpus.map((g) => g.gpu.partitionable!.validPartitionCounts);
  return [...new Set(first)].filter((c) => rest.every((r) => r.includes(c))).sort((a, b) => b - a);
}

function planServer(server: Server, need: bigint): ServerPlan {
  if (server.error) return { server: server.name, gpus: [], unplacedPending: 0, fitNow: 0, options: [], unavailable: 'unreachable' };
  const sp = serverPartitions(server);
  const gpus = sp.gpus.filter((g) => g.gpu.assignedStatus === 'Partitioned');
  const unplacedPending = sp.pending.length;
  const now: GpuNow[] = gpus.map((gp) => {
    const vram = reportedPartitionVRAM(gp);
    const taken = gp.held.length + gp.pinnedPending.length;
    return { gpu: gp.name, partitionCount: gp.partitionCount, partitionVRAM: vram, taken, free: gp.free, bigEnough: vram >= need };
  });
  // Unpinned pending adapters and held partitions whose GPU is unknown take slots somewhere on the
  // server: they are charged to the big-enough GPUs' room (the cautious reading).
  const floating = unplacedPending + sp.unlocated.length;
  const fitNow = Math.max(0, now.filter((g) => g.bigEnough).reduce((n, g) => n + g.free, 0) - floating);
  if (gpus.length === 0) return { server: server.name, gpus: now, unplacedPending, fitNow: 0, options: [], unavailable: 'noPartitionableGpu' };

  const options: CountOption[] = commonCounts(gpus).map((count) => {
    const per = gpus.map((gp) => partitionVRAMAt(gp, count));
    const min = per.reduce((m, p) => (p.vram < m.vram ? p : m));
    return { count, partitionVRAM: min.vram, vramSource: per.every((p) => p.source === 'reported') ? 'reported' : 'derived', bigEnough: min.vram >= need };
  });
  const best = options.find((o) => o.bigEnough);
  if (!best) return { server: server.name, gpus: now, unplacedPending, fitNow, options, unavailable: 'noCountBigEnough' };

  const reconfigure = gpus.filter((gp) => gp.partitionCount !== best.count);
  const vmsToUnassign: DisturbedVm[] = [];
  const seen = new Set<string>();
  for (const gp of reconfigure) {
    for (const a of gpuAssignments(server, gp.name)) {
      const key = `${a.vm}\u0000${a.kind === 'possible' ? '' : gp.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      vmsToUnassign.push({ vm: a.vm, state: a.vmState, gpu: gp.name, kind: a.kind });
    }
  }
  // After the change every GPU is at best.count; all slots the server's VMs take now are taken again.
  const slots = gpus.length * best.count;
  const takenAll = gpus.reduce((n, gp) => n + gp.held.length + gp.pinnedPending.length, 0) + floating;
  return {
    server: server.name,
    gpus: now,
    unplacedPending,
    fitNow,
    options,
    change: {
      count: best.count,
      partitionVRAM: best.partitionVRAM,
      vramSource: best.vramSource,
      gpusToReconfigure: reconfigure.map((gp) => ({ gpu: gp.name, from: gp.partitionCount, to: best.count })),
      vmsToUnassign,
      fitAfter: Math.max(0, slots - takenAll),
      shortForExisting: Math.max(0, takenAll - slots),
    },
  };
}

function place(n: number, room: { server: string; fit: number; order: number }[]): Placement[] {
  const sorted = [...room].filter((r) => r.fit > 0).sort((a, b) => b.fit - a.fit || a.order - b.order);
  const out: Placement[] = [];
  let left = n;
  for (const r of sorted) {
    if (left === 0) break;
    const take = Math.min(left, r.fit);
    out.push({ server: r.server, vms: take });
    left -= take;
  }
  return out;
}

export function planCapacity(inventory: Inventory, question: CapacityQuestion): CapacityPlan {
  if (!Number.isSafeInteger(question.vmCount) || question.vmCount < 1) throw new RangeError(`The number of VMs must be a positive integer: ${question.vmCount}`);
  const need = gibToBytes(question.vramGiB);
  const servers = inventory.servers.map((s) => planServer(s, need));
  const fitNow = servers.reduce((n, s) => n + s.fitNow, 0);

  const placementNow = place(
    question.vmCount,
    servers.map((s, order) => ({ server: s.server, fit: s.fitNow, order })),
  );
  // After: only as many changes as needed. Servers without a change keep fitNow; a change is used on
  // a server when it adds room, taking the servers that gain most first, until N fit.
  const gains = servers
    .map((s, order) => ({ s, order, gain: s.change && !s.change.gpusToReconfigure.length ? 0 : Math.max(0, (s.change?.fitAfter ?? 0) - s.fitNow) }))
    .filter((g) => g.gain > 0)
    .sort((a, b) => b.gain - a.gain || a.s.change!.vmsToUnassign.length - b.s.change!.vmsToUnassign.length || a.order - b.order);
  const changed = new Set<string>();
  let room = fitNow;
  for (const g of gains) {
    if (room >= question.vmCount) break;
    changed.add(g.s.server);
    room += g.gain;
  }
  const afterRoom = servers.map((s, order) => ({ server: s.server, fit: changed.has(s.server) ? s.change!.fitAfter : s.fitNow, order }));
  const fitAfter = servers.reduce((n, s) => n + Math.max(s.fitNow, s.change?.fitAfter ?? 0), 0);
  return {
    question,
    needBytes: need,
    servers,
    fitNow,
    fitAfter,
    fitsNow: fitNow >= question.vmCount,
    fitsAfter: fitAfter >= question.vmCount,
    placementNow,
    placementAfter: place(question.vmCount, afterRoom),
    changesNeeded: servers.filter((s) => changed.has(s.server)).map((s) => s.server),
  };
}
