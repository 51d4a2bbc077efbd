/** A physical GPU of a server; when partitioned, its partitions are the children. */
import { deviceLocation, gpuName, shortDeviceId } from '../../model/gpuIdentity';
import { formatBytes, vramPerPartitionGiB } from '../../model/vram';
import { assignedStatusLabel, code, CONTEXT_PREFIX, exactBytes, exactValue, ids, joinParts, md, stateSegment, table } from './text';
import { deviceKey } from '../../model/gpuIdentity';
import type { GpuNode, ItemView, PartitionNode, PresentationContext } from './types';

/** GPU rows start expanded when the server has at most this many partitionable GPUs (`large` has 4). */
export const EXPAND_GPUS_UP_TO = 2;

export function gpuView(node: GpuNode, ctx: PresentationContext): ItemView {
  const { t } = ctx;
  const g = node.gpu;
  const p = g.partitionable;
  const gp = node.partitions;
  const busy = ctx.busy({ connection: node.connection, server: node.server.name, target: gpuName(g) });
  let description: string;
  if (p && gp) {
    description = joinParts([
      p.partitionCount === 1 ? t('1 partition') : t('{0} partitions', p.partitionCount),
      // Capacity (issue 8): held + pinned pending take a slot each.
      t('{0} assigned', gp.held.length + gp.pinnedPending.length),
      t('{0} free', gp.free),
      formatBytes(p.totalVRAM),
      gp.overcommitted && t('overcommitted'),
    ]);
  } else {
    description = assignedStatusLabel(g.assignedStatus, t);
  }
  const deviceProblem = g.device.status && g.device.status.toUpperCase() !== 'OK';
  if (deviceProblem) description = joinParts([description, t('device status {0}', g.device.status)]);

  // The details WAC shows for a selected GPU (domain doc §2 [S2]): name, ID, available encoder and
  // decoder, available VRAM, valid partition count, current partition count; plus totals.
  const rows: (readonly [string, string] | undefined)[] = [
    [t('Server'), md(node.server.name)],
    [t('Assigned status'), md(assignedStatusLabel(g.assignedStatus, t))],
    [t('Manufacturer'), md(g.device.manufacturer)],
    [t('Device'), code(shortDeviceId(g.device.instanceId) ?? g.device.instanceId)],
    [t('Location'), code(deviceLocation(g.device.instanceId))],
    [t('GPU ID (PnP instance)'), code(g.device.instanceId)],
    [t('Device status'), md(g.device.status)],
  ];
  if (p) {
    rows.push(
      [t('Name (partitionable GPU)'), code(p.name)],
      [t('Current partition count'), String(p.partitionCount)],
      [t('Valid partition counts'), p.validPartitionCounts.join(', ')],
      [t('VRAM per partition'), t('{0} GiB (TotalVRAM ÷ partition count)', p.partitionCount > 0 ? vramPerPartitionGiB(p.totalVRAM, p.partitionCount) : '0')],
      [t('Total VRAM'), exactBytes(p.totalVRAM, t)],
      [t('Available VRAM'), exactBytes(p.availableVRAM, t)],
      [t('Partition VRAM min / max / optimal'), [p.minPartitionVRAM, p.maxPartitionVRAM, p.optimalPartitionVRAM].map((v) => v.toString()).join(' / ')],
      [t('Total encode'), exactValue(p.totalEncode, t)],
      [t('Available encode'), exactValue(p.availableEncode, t)],
      [t('Total decode'), exactValue(p.totalDecode, t)],
      [t('Available decode'), exactValue(p.availableDecode, t)],
      [t('Total compute'), exactValue(p.totalCompute, t)],
      [t('Available compute'), exactValue(p.availableCompute, t)],
      p.supportsIncomingLiveMigration !== undefined ? [t('Supports incoming live migration'), p.supportsIncomingLiveMigration ? t('yes') : t('no')] : undefined,
    );
  }
  if (gp) {
    rows.push(
      [t('Held partitions'), String(gp.held.length)],
      [t('Pending (VM off, pinned here)'), String(gp.pinnedPending.length)],
      [t('Free partitions'), String(gp.free)],
    );
  }
  const warning = gp?.overcommitted
    ? `\n\n$(warning) ${md(t('More partitions are held or pinned than the partition count allows.'))}`
    : '';
  return {
    id: ids.gpu(node.connection, node.server.name, deviceKey(g.device.instanceId)),
    label: node.label,
    description: busy ?? description,
    tooltip: `**${md(node.label)}** · ${md(assignedStatusLabel(g.assignedStatus, t))}\n\n${table(rows)}${warning}`,
    contextValue: `${CONTEXT_PREFIX}.gpu.${stateSegment(g.assignedStatus)}`,
    icon: busy
      ? { id: 'loading~spin' }
      : deviceProblem || gp?.overcommitted
        ? { id: 'warning', color: 'list.warningForeground' }
        : { id: 'chip', color: g.assignedStatus === 'Partitioned' ? undefined : 'disabledForeground' },
    collapsible: gp ? (node.siblings <= EXPAND_GPUS_UP_TO ? 'expanded' : 'collapsed') : 'none',
  };
}

/** Held partitions (by PartitionId), adapters of Off VMs pinned to this GPU, then one row for all free slots. */
export function gpuChildren(node: GpuNode): PartitionNode[] {
  const gp = node.partitions;
  if (!gp) return [];
  const vmByName = new Map(node.server.vms.map((v) => [v.name.toLowerCase(), v]));
  const base = { nodeType: 'partition' as const, connection: node.connection, server: node.server, gpu: node.gpu };
  const rows: PartitionNode[] = [
    ...gp.held.map((held): PartitionNode => ({ ...base, state: 'held', held, vm: vmByName.get(held.vm.toLowerCase()) })),
    ...gp.pinnedPending.map((pending): PartitionNode => ({ ...base, state: 'pending', pending, vm: vmByName.get(pending.vm.toLowerCase()) })),
  ];
  // Free slots fold into one row: 16 identical "free" rows per GPU would bury the held ones.
  if (gp.free > 0) rows.push({ ...base, state: 'free', count: gp.free, partitionCount: gp.partitionCount });
  return rows;
}
