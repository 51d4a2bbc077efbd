/** A Hyper-V host: its GPUs and its virtual machines, as two groups. */
import { serverCapacity } from '../../model/capacity';
import { capacityText, code, CONTEXT_PREFIX, ids, joinParts, md, table } from './text';
import type { GroupNode, ItemView, PresentationContext, ServerNode } from './types';

/** Servers of a small cluster start expanded; a big cluster (the `large` scenario has 16) starts folded. */
export const EXPAND_SERVERS_UP_TO = 4;

export function serverView(node: ServerNode, ctx: PresentationContext): ItemView {
  const { t } = ctx;
  const s = node.server;
  const busy = ctx.busy({ connection: node.connection, server: s.name, target: '' });
  const gpus = s.gpus.length;
  const vms = s.vms.length;
  const h = s.host;
  const yesNo = (v: boolean | undefined) => (v === undefined ? t('not reported') : v ? t('yes') : t('no'));
  const tooltip = [
    `**${md(s.name)}**`,
    '',
    table([
      [t('GPUs'), String(gpus)],
      [t('Virtual machines'), String(vms)],
      h?.osCaption ? [t('Operating system'), md(h.osCaption)] : undefined,
      h?.osBuild !== undefined ? [t('OS build'), String(h.osBuild)] : undefined,
      h ? [t('Hyper-V installed'), yesNo(h.hyperVInstalled)] : undefined,
      h ? [t('IOMMU DMA bit tracking'), yesNo(h.iommuDmaBitTracking)] : undefined,
      h?.requireSecureDeviceAssignment !== undefined ? [t('RequireSecureDeviceAssignment'), yesNo(h.requireSecureDeviceAssignment)] : undefined,
      h?.requireSupportedDeviceAssignment !== undefined ? [t('RequireSupportedDeviceAssignment'), yesNo(h.requireSupportedDeviceAssignment)] : undefined,
      h?.hostDriverVersion ? [t('GPU host driver'), code(h.hostDriverVersion)] : undefined,
    ]),
  ].join('\n');
  return {
    id: ids.server(node.connection, s.name),
    label: s.name,
    description: busy ?? joinParts([gpus === 1 ? t('1 GPU') : t('{0} GPUs', gpus), vms === 1 ? t('1 VM') : t('{0} VMs', vms), capacityText(serverCapacity(s), t)]),
    tooltip,
    contextValue: `${CONTEXT_PREFIX}.server`,
    icon: busy ? { id: 'loading~spin' } : { id: 'server' },
    collapsible: node.inventory.servers.length <= EXPAND_SERVERS_UP_TO ? 'expanded' : 'collapsed',
  };
}

export function serverChildren(node: ServerNode): GroupNode[] {
  return [
    { nodeType: 'group', group: 'gpus', connection: node.connection, server: node.server },
    { nodeType: 'group', group: 'vms', connection: node.connection, server: node.server },
  ];
}
