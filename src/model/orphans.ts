/**
 * Orphaned GPU partition adapters: an adapter whose InstancePath names a GPU that is not (or no
 * longer) a partitionable GPU of the VM's server. It happens when a GPU is removed, replaced, moved
 * to DDA or loses its GPU-P driver (domain doc §3 state machine, §5 pain point 4 [S6]) while a VM
 * keeps its adapter; "Both the VM and the GPU partition need to be on the same host machine" (§1.3
 * [S2, S4]). The remedy is to remove the adapter: an unassign of that VM. Pure.
 */
import { deviceKey, findGpu } from './gpuIdentity';
import { serverPartitions } from './partitions';
import type { GpuPartitionAdapter, Inventory, Server, VmState } from './types';

export interface OrphanedAdapter {
  server: string;
  vm: string;
  vmState: VmState;
  adapter: GpuPartitionAdapter;
  /** The InstancePath the adapter names. */
  instancePath: string;
  /**
   * `missing`: no GPU of the server has that device path; `notPartitionable`: the GPU is there but
   * the GPU-P driver no longer exposes it (its assigned status is not Partitioned).
   */
  reason: 'missing' | 'notPartitionable';
}

/** Orphaned adapters of one server, in VM order. A server that could not be read has none. */
export function serverOrphanedAdapters(server: Server): OrphanedAdapter[] {
  if (server.error) return [];
  const sp = serverPartitions(server);
  const out: OrphanedAdapter[] = [];
  for (const o of sp.orphaned) {
    const instancePath = o.adapter.instancePath ?? '';
    const gpu = instancePath ? findGpu(server, instancePath) : undefined;
    out.push({
      server: server.name,
      vm: o.vm,
      vmState: o.vmState,
      adapter: o.adapter,
      instancePath,
      reason: gpu && deviceKey(gpu.device.instanceId) === deviceKey(instancePath) ? 'notPartitionable' : 'missing',
    });
  }
  return out;
}

/** Every orphaned adapter of the inventory, server by server. */
export function findOrphanedAdapters(inventory: Inventory): OrphanedAdapter[] {
  return inventory.servers.flatMap(serverOrphanedAdapters);
}
