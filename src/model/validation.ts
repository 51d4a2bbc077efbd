/**
 * The results of WAC's "Configure partition count on GPUs" page for a selection of GPUs (domain doc
 * §2 [S2], Japanese seed lines 54-58): two warnings (the user may proceed) and two errors (blocking),
 * plus our own blocking errors for an empty or unusable selection. Pure.
 */
import { findGpu, findServer, gpuConfigKey, gpuLabel, gpuName, sameGpuRef, type GpuRef, type VmRef } from './gpuIdentity';
import { homogeneousSets } from './homogeneous';
import { formatMessage, joinNames, type MessageCode } from './messages';
import { gpuAssignments } from './partitions';
import type { Gpu, Inventory, Server } from './types';

export type FindingCode = Extract<
  MessageCode,
  | 'nothingSelected'
  | 'deselectedFromHomogeneousSet'
  | 'notAllSameConfiguration'
  | 'differentConfigurationsSelected'
  | 'assignedPartitionSelected'
  | 'gpuNotFound'
  | 'gpuNotPartitioned'
>;

export interface Finding {
  code: FindingCode;
  /** English text; the UI localises by `code`. */
  message: string;
  /** The GPUs the finding is about. */
  gpus?: GpuRef[];
  /** The VMs the finding is about (assignedPartitionSelected). */
  vms?: VmRef[];
}

export interface CountSelectionValidation {
  warnings: Finding[];
  /** Any error blocks the operation. */
  errors: Finding[];
  /** ValidPartitionCounts common to every selected GPU, largest first; empty when nothing usable is selected. */
  validCounts: number[];
}

interface Resolved {
  ref: GpuRef;
  server: Server;
  gpu: Gpu;
}

export function validateCountSelection(inventory: Inventory, selected: readonly GpuRef[]): CountSelectionValidation {
  const warnings: Finding[] = [];
  const errors: Finding[] = [];

  const unique: GpuRef[] = [];
  for (const ref of selected) if (!unique.some((u) => sameGpuRef(u, ref))) unique.push(ref);

  // Warning: not all GPUs across all servers share one configuration. Shown whatever is selected,
  // naming the GPUs outside the largest set (the one WAC pre-selects).
  const sets = homogeneousSets(inventory);
  if (sets.length > 1) {
    warnings.push({
      code: 'notAllSameConfiguration',
      message: formatMessage('notAllSameConfiguration'),
      gpus: sets.slice(1).flatMap((s) => s.members),
    });
  }

  if (unique.length === 0) {
    errors.push({ code: 'nothingSelected', message: formatMessage('nothingSelected') });
    return { warnings, errors, validCounts: [] };
  }

  const resolved: Resolved[] = [];
  for (const ref of unique) {
    const server = findServer(inventory.servers, ref.server);
    const gpu = server ? findGpu(server, ref.gpu) : undefined;
    if (!server || !gpu) {
      errors.push({ code: 'gpuNotFound', message: formatMessage('gpuNotFound', { gpu: ref.gpu, server: ref.server }), gpus: [ref] });
    } else if (gpu.assignedStatus !== 'Partitioned' || !gpu.partitionable) {
      errors.push({
        code: 'gpuNotPartitioned',
        message: formatMessage('gpuNotPartitioned', { gpu: gpuLabel(gpu), server: server.name, status: gpu.assignedStatus }),
        gpus: [ref],
      });
    } else {
      resolved.push({ ref: { server: server.name, gpu: gpuName(gpu) }, server, gpu });
    }
  }

  // Warning: one or more GPUs of a homogeneous set were left out while others of it are selected.
  const leftOut = sets
    .filter((s) => s.members.length > 1)
    .filter((s) => s.members.some((m) => resolved.some((r) => sameGpuRef(r.ref, m))))
    .flatMap((s) => s.members.filter((m) => !resolved.some((r) => sameGpuRef(r.ref, m))));
  if (leftOut.length > 0) {
    warnings.push({ code: 'deselectedFromHomogeneousSet', message: formatMessage('deselectedFromHomogeneousSet'), gpus: leftOut });
  }

  // Error: the selection mixes configurations. Named: the GPUs outside the selection's most common
  // configuration (ties: the configuration of the first selected GPU).
  const byKey = new Map<string, Resolved[]>();
  for (const r of resolved) {
    const key = gpuConfigKey(r.gpu)!;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  if (byKey.size > 1) {
    const groups = [...byKey.values()];
    const main = groups.reduce((best, g) => (g.length > best.length ? g : best), groups[0]);
    errors.push({
      code: 'differentConfigurationsSelected',
      message: formatMessage('differentConfigurationsSelected'),
      gpus: resolved.filter((r) => !main.includes(r)).map((r) => r.ref),
    });
  }

  // Error: a selected GPU has a partition assigned to a VM (held, or pinned by InstancePath).
  const blockedGpus: GpuRef[] = [];
  const vms: VmRef[] = [];
  for (const r of resolved) {
    const assignments = gpuAssignments(r.server, r.ref.gpu);
    if (assignments.length === 0) continue;
    blockedGpus.push(r.ref);
    for (const a of assignments) {
      if (!vms.some((v) => v.server === r.server.name && v.vm === a.vm)) vms.push({ server: r.server.name, vm: a.vm });
    }
  }
  if (blockedGpus.length > 0) {
    errors.push({
      code: 'assignedPartitionSelected',
      message: formatMessage('assignedPartitionSelected', { vms: joinNames(vms.map((v) => v.vm)) }),
      gpus: blockedGpus,
      vms,
    });
  }

  return { warnings, errors, validCounts: commonValidCounts(resolved.map((r) => r.gpu)) };
}

/** ValidPartitionCounts every GPU accepts, largest first. */
export function commonValidCounts(gpus: readonly Gpu[]): number[] {
  const lists = gpus.map((g) => g.partitionable?.validPartitionCounts ?? []);
  if (lists.length === 0) return [];
  const common = new Set(lists[0]);
  for (const l of lists.slice(1)) for (const c of [...common]) if (!l.includes(c)) common.delete(c);
  return [...common].sort((a, b) => b - a);
}
