/** A partition row under a GPU (or under the GPUs group when its GPU is not known yet). */
import { deviceKey, gpuName } from '../../model/gpuIdentity';
import { formatBytes } from '../../model/vram';
import type { GpuPartitionAdapter } from '../../model/types';
import { code, CONTEXT_PREFIX, exactBytes, exactValue, ids, joinParts, md, table, vmStateIcon, vmStateLabel } from './text';
import type { FreePartitionsNode, ItemView, PartitionNode, PresentationContext } from './types';

export function partitionView(node: PartitionNode, ctx: PresentationContext): ItemView {
  if (node.state === 'free') return freeView(node, ctx);
  const { t } = ctx;
  const held = node.state === 'held' ? node.held : undefined;
  const entry = node.state === 'held' ? node.held : node.pending;
  const parentId = node.gpu ? ids.gpu(node.connection, node.server.name, deviceKey(node.gpu.device.instanceId)) : ids.group(node.connection, node.server.name, 'gpus');
  const busy = ctx.busy({ connection: node.connection, server: node.server.name, target: entry.vm });
  const placement =
    node.placement === 'unlocated'
      ? t('GPU not known (no instance path)')
      : node.placement === 'orphaned'
        ? t('its GPU is not on this server')
        : undefined;
  const orphaned = node.placement === 'orphaned';
  const description = orphaned
    ? joinParts([t('orphaned'), vmStateLabel(entry.vmState, t), placement])
    : held
    ? joinParts([held.partitionId !== undefined ? t('partition {0}', held.partitionId) : t('partition'), vmStateLabel(held.vmState, t), placement])
    : // Pending means the VM is Off (partitions resolve at start, domain doc §1.3 [S7]): the state is implied.
      joinParts([t('pending until start'), node.gpu ? undefined : placement ?? t('any GPU')]);
  const headline = orphaned
    ? t('Orphaned GPU partition adapter of {0}: its instance path names a GPU that is not on this server. Remove it (Remove orphaned adapter) and assign a new partition.', entry.vm)
    : held
      ? t('Partition held by {0}', entry.vm)
      : t('Partition assigned to {0}; it resolves when the VM starts', entry.vm);
  return {
    id: `${parentId}/${node.state}/${encodeURIComponent(entry.adapter.id.toLowerCase() || entry.vm.toLowerCase())}`,
    label: entry.vm,
    description: busy ?? description,
    tooltip: `**${md(headline)}**\n\n${adapterTable(entry.adapter, entry.vmState, t, node.gpu ? gpuName(node.gpu) : undefined)}`,
    // An orphaned adapter has its own contextValue (issue 8): "Remove orphaned adapter" applies to it.
    contextValue: orphaned ? `${CONTEXT_PREFIX}.orphan` : `${CONTEXT_PREFIX}.partition.${node.state}`,
    icon: busy ? { id: 'loading~spin' } : orphaned ? { id: 'warning', color: 'list.warningForeground' } : held ? vmStateIcon(held.vmState) : { id: 'watch' },
    collapsible: 'none',
  };
}

function freeView(node: FreePartitionsNode, ctx: PresentationContext): ItemView {
  const { t } = ctx;
  const p = node.gpu.partitionable;
  // The driver's own partition size (OptimalPartitionVRAM), not WAC's TotalVRAM ÷ count tip: the
  // vendor reserves memory, so a partition is smaller than the tip suggests (domain doc §3).
  const each = p && node.partitionCount > 0 ? formatBytes(p.optimalPartitionVRAM) : undefined;
  return {
    id: `${ids.gpu(node.connection, node.server.name, deviceKey(node.gpu.device.instanceId))}/free`,
    label: node.count === 1 ? t('1 free partition') : t('{0} free partitions', node.count),
    description: each ? t('{0} VRAM each', each) : undefined,
    tooltip: md(t('{0} of {1} partitions of this GPU are neither held by a running VM nor pinned to an Off VM.', node.count, node.partitionCount)),
    contextValue: `${CONTEXT_PREFIX}.partition.free`,
    icon: { id: 'circle-large' },
    collapsible: 'none',
  };
}

/**
 * The details WAC shows for a selected GPU partition (domain doc §2 [S2]): partition ID, VM ID,
 * instance path, partition VRAM, encode and decode; values exact as the cmdlet prints them.
 */
export function adapterTable(a: GpuPartitionAdapter, vmState: string, t: ItemContextT, gpu?: string): string {
  const triple = (cur?: bigint, min?: bigint, max?: bigint, opt?: bigint) =>
    [cur, min, max, opt].map((v) => (v === undefined ? '–' : v.toString())).join(' / ');
  return table([
    [t('Virtual machine'), md(a.vmName)],
    [t('VM state'), md(vmStateLabel(vmState, t))],
    [t('Partition ID'), a.partitionId !== undefined ? String(a.partitionId) : t('not resolved (VM not started)')],
    [t('VM ID'), code(a.vmId)],
    [t('Instance path'), a.instancePath ? code(a.instancePath) : gpu ? t('none (placed on {0})', gpu) : t('none: any partitionable GPU')],
    a.partitionVfLuid ? [t('Partition VF LUID'), code(a.partitionVfLuid)] : undefined,
    [t('Partition VRAM (current)'), exactBytes(a.currentPartitionVRAM, t)],
    [t('VRAM current / min / max / optimal'), triple(a.currentPartitionVRAM, a.minPartitionVRAM, a.maxPartitionVRAM, a.optimalPartitionVRAM)],
    [t('Encode current / min / max / optimal'), triple(a.currentPartitionEncode, a.minPartitionEncode, a.maxPartitionEncode, a.optimalPartitionEncode)],
    [t('Decode current / min / max / optimal'), triple(a.currentPartitionDecode, a.minPartitionDecode, a.maxPartitionDecode, a.optimalPartitionDecode)],
    [t('Compute current / min / max / optimal'), triple(a.currentPartitionCompute, a.minPartitionCompute, a.maxPartitionCompute, a.optimalPartitionCompute)],
    [t('Partition encode (current)'), exactValue(a.currentPartitionEncode, t)],
    [t('Partition decode (current)'), exactValue(a.currentPartitionDecode, t)],
    [t('Adapter ID'), code(a.id)],
  ]);
}

type ItemContextT = PresentationContext['t'];
