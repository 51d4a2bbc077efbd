/**
 * Homogeneous sets: "GPUs of the same size, manufacturer, model number, and number of partitions"
 * (domain doc §2 [S2]), across all servers of an inventory. Only Partitioned GPUs have a partition
 * count, so only they form sets. Pure.
 */
import { gpuConfig, gpuConfigKey, gpuName, type GpuConfig, type GpuRef } from './gpuIdentity';
import type { Inventory } from './types';

export interface HomogeneousSet extends GpuConfig {
  /** `gpuConfigKey` of every member. */
  key: string;
  /** Members in inventory order (server order, then GPU order). */
  members: GpuRef[];
}

function compareText(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * All homogeneous sets of the inventory, largest first. Ties are broken by the first member's server
 * name, then its GPU Name (case-insensitive), so the order does not depend on the order servers
 * answered in.
 */
export function homogeneousSets(inventory: Inventory): HomogeneousSet[] {
  const sets = new Map<string, HomogeneousSet>();
  for (const server of inventory.servers) {
    for (const gpu of server.gpus) {
      if (gpu.assignedStatus !== 'Partitioned') continue;
      const key = gpuConfigKey(gpu);
      const config = gpuConfig(gpu);
      if (key === undefined || config === undefined) continue;
      let set = sets.get(key);
      if (!set) {
        set = { key, ...config, members: [] };
        sets.set(key, set);
      }
      set.members.push({ server: server.name, gpu: gpuName(gpu) });
    }
  }
  const firstOf = (s: HomogeneousSet): GpuRef =>
    [...s.members].sort((a, b) => compareText(a.server, b.server) || compareText(a.gpu, b.gpu))[0];
  return [...sets.values()].sort((a, b) => {
    if (a.members.length !== b.members.length) return b.members.length - a.members.length;
    const fa = firstOf(a);
    const fb = firstOf(b);
    return compareText(fa.server, fb.server) || compareText(fa.gpu, fb.gpu) || compareText(a.key, b.key);
  });
}

/**
 * The selection WAC starts with: it "auto-selects a homogeneous set if it finds one" (domain doc §2
 * [S2]). We take the largest set. When no two GPUs share a configuration and there is more than one
 * GPU, there is no homogeneous set to find, so nothing is pre-selected (the draft says WAC errors in
 * that case [S7]); a lone Partitioned GPU is its own set and is selected.
 */
export function defaultSelection(inventory: Inventory): GpuRef[] {
  const sets = homogeneousSets(inventory);
  if (sets.length === 0) return [];
  if (sets[0].members.length < 2 && sets.length > 1) return [];
  return [...sets[0].members];
}
