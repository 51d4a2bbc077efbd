/** A connection, server or settings entry that could not be used: a row with the message instead of a broken tree. */
import type { Server } from '../../model/types';
import { codeBlock, CONTEXT_PREFIX, ids, md } from './text';
import type { ErrorNode, ItemView, PresentationContext } from './types';

export function errorNodeForServer(connection: string, server: Server): ErrorNode {
  return { nodeType: 'error', scope: 'server', connection, server: server.name, label: server.name, message: server.error ?? '', key: `server-${server.name}` };
}

export function errorView(node: ErrorNode, ctx: PresentationContext): ItemView {
  const { t } = ctx;
  const firstLine = node.message.split(/\r?\n/, 1)[0] ?? '';
  const what =
    node.scope === 'connection'
      ? t('This connection could not be read.')
      : node.scope === 'server'
        ? t('This server could not be read; the other servers are shown.')
        : node.scope === 'refresh'
          ? t('The last refresh failed; the servers below are from the previous read.')
          : t('This entry of the setting gpuPartitions.clusters cannot be used.');
  const busy = node.connection && node.scope === 'server' ? ctx.busy({ connection: node.connection, server: node.server ?? '', target: '' }) : undefined;
  return {
    id: ids.error(node.connection, node.key),
    label: node.label,
    description: busy ?? (firstLine || t('Error')),
    tooltip: [`$(error) **${md(node.label)}**`, '', md(what), '', node.message ? codeBlock(node.message) : ''].join('\n'),
    contextValue: `${CONTEXT_PREFIX}.error`,
    icon: busy ? { id: 'loading~spin' } : { id: 'error', color: 'list.errorForeground' },
    collapsible: 'none',
  };
}
