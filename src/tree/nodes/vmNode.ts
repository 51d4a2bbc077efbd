/** A virtual machine of a server: power state icon, partition badge. */
import { stateHoldsPartition, vmHasPartition } from '../../model/partitions';
import { OFFLINE_ACTION_NAMES } from '../../model/types';
import { adapterTable } from './partitionNode';
import { code, CONTEXT_PREFIX, exactBytes, ids, joinParts, md, stateSegment, table, vmStateIcon, vmStateLabel } from './text';
import type { ItemView, PresentationContext, VmNode } from './types';

export function vmView(node: VmNode, ctx: PresentationContext): ItemView {
  const { t } = ctx;
  const vm = node.vm;
  const busy = ctx.busy({ connection: node.connection, server: node.server.name, target: vm.name });
  const has = vmHasPartition(vm);
  const adapter = vm.adapters[0];
  let badge: string | undefined;
  if (adapter) {
    if (!stateHoldsPartition(vm.state)) badge = t('GPU partition at start');
    else badge = adapter.partitionId !== undefined ? t('GPU partition {0}', adapter.partitionId) : t('GPU partition');
    if (vm.adapters.length > 1) badge = joinParts([badge, t('{0} adapters', vm.adapters.length)]);
  }
  const offline = vm.offlineAction !== undefined ? `${vm.offlineAction} (${OFFLINE_ACTION_NAMES[vm.offlineAction] ?? '?'})` : undefined;
  const rows = table([
    [t('State'), md(vmStateLabel(vm.state, t))],
    [t('VM ID'), code(vm.id)],
    [t('Generation'), String(vm.generation)],
    [t('Server'), md(vm.computerName || node.server.name)],
    [t('Cluster offline action'), offline ? md(offline) : t('not clustered')],
    vm.automaticCheckpointsEnabled !== undefined ? [t('Automatic checkpoints'), vm.automaticCheckpointsEnabled ? t('yes') : t('no')] : undefined,
    vm.lowMemoryMappedIoSpace !== undefined ? [t('Low MMIO space'), exactBytes(vm.lowMemoryMappedIoSpace, t)] : undefined,
    vm.highMemoryMappedIoSpace !== undefined ? [t('High MMIO space'), exactBytes(vm.highMemoryMappedIoSpace, t)] : undefined,
    [t('GPU partition adapters'), String(vm.adapters.length)],
  ]);
  const adapters = vm.adapters.map((a, i) => `\n\n**${md(t('GPU partition adapter {0}', i + 1))}**\n\n${adapterTable(a, vm.state, t)}`).join('');
  return {
    id: ids.vm(node.connection, node.server.name, vm.id || vm.name),
    label: vm.name,
    description: busy ?? joinParts([vmStateLabel(vm.state, t), badge]),
    tooltip: `**${md(vm.name)}**\n\n${rows}${adapters}`,
    contextValue: `${CONTEXT_PREFIX}.vm.${stateSegment(vm.state)}.${has ? 'withPartition' : 'noPartition'}`,
    icon: busy ? { id: 'loading~spin' } : vmStateIcon(vm.state),
    collapsible: 'none',
  };
}
