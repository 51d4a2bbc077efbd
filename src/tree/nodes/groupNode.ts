/** The "GPUs" and "Virtual machines" groups under a server. */
import { deviceKey } from '../../model/gpuIdentity';
import { serverPartitions, stateHoldsPartition } from '../../model/partitions';
import { CONTEXT_PREFIX, ids, joinParts, md } from './text';
import type { GpuNode, GroupNode, ItemView, PartitionNode, PresentationContext, TreeNode, VmNode } from './types';

/** A server's VM list starts expanded up to this many VMs (the `large` scenario has 32 per server). */
export const EXPAND_VMS_UP_TO = 8;

export function groupView(node: GroupNode, ctx: PresentationContext): ItemView {
  const { t } = ctx;
  const s = node.server;
  if (node.group === 'gpus') {
    const sp = serverPartitions(s);
    const free = sp.gpus.reduce((n, g) => n + g.free, 0);
    const pending = sp.pending.length;
    const description =
      s.gpus.length === 0
        ? t('none')
        : sp.gpus.length === 0
          ? t('no partitionable GPU')
          : joinParts([String(s.gpus.length), t('{0} free', free), pending > 0 && t('{0} pending', pending)]);
    // WAC's empty state of the GPU partitions tab, exact text (domain doc §2 [S2]).
    const tooltip = sp.gpus.length === 0 ? md(t('No partitionable GPUs have been found. Please check that you have a GPU with the correct GPU-P driver to proceed.')) : undefined;
    return {
      id: ids.group(node.connection, s.name, 'gpus'),
      label: t('GPUs'),
      description,
      tooltip,
      contextValue: `${CONTEXT_PREFIX}.group.gpus`,
      icon: { id: 'circuit-board' },
      collapsible: s.gpus.length > 0 || sp.pending.length > 0 ? 'expanded' : 'none',
    };
  }
  const running = s.vms.filter((v) => v.state === 'Running').length;
  return {
    id: ids.group(node.connection, s.name, 'vms'),
    label: t('Virtual machines'),
    description: s.vms.length === 0 ? t('none') : joinParts([String(s.vms.length), t('{0} running', running)]),
    contextValue: `${CONTEXT_PREFIX}.group.vms`,
    icon: { id: 'vm' },
    collapsible: s.vms.length === 0 ? 'none' : s.vms.length <= EXPAND_VMS_UP_TO ? 'expanded' : 'collapsed',
  };
}

/**
 * GPUs group: every GPU of the server (partitionable or not), then partitions that belong to no
 * single GPU row: adapters of Off VMs without InstancePath (they resolve on some GPU at start),
 * held partitions whose GPU cannot be told, and adapters naming a GPU the server does not have.
 * VMs group: every VM, by name.
 */
export function groupChildren(node: GroupNode): TreeNode[] {
  const s = node.server;
  const connection = node.connection;
  if (node.group === 'vms') {
    return [...s.vms]
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }))
      .map((vm): VmNode => ({ nodeType: 'vm', connection, server: s, vm }));
  }
  const sp = serverPartitions(s);
  const byKey = new Map(sp.gpus.map((gp) => [deviceKey(gp.gpu.device.instanceId), gp]));
  const sameModel = new Map<string, number>();
  for (const g of s.gpus) sameModel.set(g.device.friendlyName, (sameModel.get(g.device.friendlyName) ?? 0) + 1);
  const seen = new Map<string, number>();
  const vmByName = new Map(s.vms.map((v) => [v.name.toLowerCase(), v]));
  const nodes: TreeNode[] = s.gpus.map((gpu): GpuNode => {
    const name = gpu.device.friendlyName;
    const k = (seen.get(name) ?? 0) + 1;
    seen.set(name, k);
    return {
      nodeType: 'gpu',
      connection,
      server: s,
      gpu,
      partitions: byKey.get(deviceKey(gpu.device.instanceId)),
      label: (sameModel.get(name) ?? 0) > 1 ? `${name} #${k}` : name,
      siblings: sp.gpus.length,
    };
  });
  for (const pending of sp.pending) {
    nodes.push({ nodeType: 'partition', state: 'pending', connection, server: s, pending, vm: vmByName.get(pending.vm.toLowerCase()) } satisfies PartitionNode);
  }
  for (const held of sp.unlocated) {
    nodes.push({ nodeType: 'partition', state: 'held', connection, server: s, held, vm: vmByName.get(held.vm.toLowerCase()), placement: 'unlocated' });
  }
  for (const o of sp.orphaned) {
    const vm = vmByName.get(o.vm.toLowerCase());
    nodes.push(stateHoldsPartition(o.vmState)
      ? { nodeType: 'partition', state: 'held', connection, server: s, held: { vm: o.vm, vmState: o.vmState, adapter: o.adapter, partitionId: o.adapter.partitionId }, vm, placement: 'orphaned' }
      : { nodeType: 'partition', state: 'pending', connection, server: s, pending: { vm: o.vm, vmState: o.vmState, adapter: o.adapter }, vm, placement: 'orphaned' });
  }
  return nodes;
}
