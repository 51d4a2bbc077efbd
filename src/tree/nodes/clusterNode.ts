/** A configured connection (cluster, single server, or simulator) at the root of the tree. */
import type { InvalidConnection } from '../../connections/connectionConfig';
import type { Connection } from '../../connections/connectionConfig';
import { errorNodeForServer } from './errorNode';
import { clusterCapacity } from '../../model/capacity';
import { capacityText, code, CONTEXT_PREFIX, ids, joinParts, md, table } from './text';
import type { ClusterNode, ErrorNode, ItemView, PresentationContext, TreeNode } from './types';

/** The root rows: one per connection (an error node when it could not be read), then bad settings entries. */
export function rootNodes(connections: readonly Connection[], invalid: readonly InvalidConnection[], ctx: PresentationContext): TreeNode[] {
  const nodes: TreeNode[] = connections.map((connection) => {
    const snap = ctx.snapshot(connection.name);
    if (snap?.state === 'error' && !snap.inventory) {
      const error: ErrorNode = { nodeType: 'error', scope: 'connection', connection: connection.name, label: connection.name, message: snap.error ?? '', key: 'connection' };
      return error;
    }
    return { nodeType: 'cluster', connection } satisfies ClusterNode;
  });
  for (const bad of invalid) {
    nodes.push({
      nodeType: 'error',
      scope: 'setting',
      connection: bad.name,
      label: bad.name ?? ctx.t('Settings entry {0}', bad.index + 1),
      message: bad.reason,
      key: `setting-${bad.index}`,
    });
  }
  return nodes;
}

export function clusterView(node: ClusterNode, ctx: PresentationContext): ItemView {
  const { t } = ctx;
  const c = node.connection;
  const snap = ctx.snapshot(c.name);
  const inv = snap?.inventory;
  const sim = c.kind === 'sim';
  const busy = ctx.busy({ connection: c.name, server: '', target: '' });
  const loading = snap?.state === 'loading';
  let description: string;
  if (busy) description = busy;
  else if (loading && !inv) description = t('Loading…');
  else if (inv) {
    const n = inv.servers.length;
    description = joinParts([
      inv.cluster && inv.cluster.toLowerCase() !== c.name.toLowerCase() ? inv.cluster : undefined,
      n === 1 ? t('1 server') : t('{0} servers', n),
      capacityText(clusterCapacity({ ...inv, servers: inv.servers.filter((s) => !s.error) }), t),
      sim && t('simulated'),
      loading && t('refreshing…'),
    ]);
  } else {
    description = joinParts([c.kind === 'sim' ? c.scenario ?? 'demo' : c.computerName, sim && t('simulated')]);
  }
  const kindLabel = c.kind === 'cluster' ? t('Failover cluster') : c.kind === 'server' ? t('Hyper-V server') : t('Simulated cluster (changes nothing real)');
  const tooltip = [
    `**${md(c.name)}** · ${md(kindLabel)}`,
    '',
    table([
      c.kind !== 'sim' ? [t('Computer name'), code(c.computerName)] : undefined,
      c.kind !== 'sim' && c.userName ? [t('User name'), code(c.userName)] : undefined,
      c.kind === 'sim' ? [t('Scenario'), code(c.scenario ?? 'demo')] : undefined,
      c.kind === 'sim' && c.stateFile ? [t('State file'), code(c.stateFile)] : undefined,
      inv?.cluster ? [t('Cluster'), md(inv.cluster)] : undefined,
      inv ? [t('Servers'), String(inv.servers.length)] : undefined,
      inv ? [t('Read at'), md(inv.readAt)] : undefined,
    ]),
  ].join('\n');
  return {
    id: ids.cluster(c.name),
    label: c.name,
    description,
    tooltip,
    contextValue: `${CONTEXT_PREFIX}.cluster`,
    icon: busy || loading ? { id: 'loading~spin' } : { id: sim ? 'beaker' : c.kind === 'server' ? 'server' : 'server-environment' },
    collapsible: 'expanded',
  };
}

/**
 * The servers of a loaded connection. A server the backend could not read is an error node; a
 * refresh that failed after an earlier success shows as an error row above the (older) servers.
 * Returns undefined when nothing was loaded yet (the provider then loads and asks again).
 */
export function clusterChildren(node: ClusterNode, ctx: PresentationContext): TreeNode[] | undefined {
  const name = node.connection.name;
  const snap = ctx.snapshot(name);
  if (!snap?.inventory) return snap?.state === 'error' ? [] : undefined;
  const children: TreeNode[] = [];
  if (snap.state === 'error' && snap.error) {
    children.push({ nodeType: 'error', scope: 'refresh', connection: name, label: ctx.t('Refresh failed'), message: snap.error, key: 'refresh' });
  }
  const inventory = snap.inventory;
  for (const server of inventory.servers) {
    children.push(server.error ? errorNodeForServer(name, server) : { nodeType: 'server', connection: name, inventory, server });
  }
  return children;
}
