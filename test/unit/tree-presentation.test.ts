import { strict as assert } from 'node:assert';
import type { Connection } from '../../src/connections/connectionConfig';
import type { ConnectionSnapshot } from '../../src/connections/inventoryStore';
import type { Inventory } from '../../src/model/types';
import { BusyRegistry } from '../../src/tree/busyRegistry';
import { childNodes, type ItemView, parentNode, presentNode, type PresentationContext, rootNodes, type TreeNode, type Translate } from '../../src/tree/presentation';
import { a2Gpu, a2Name, demoInventory, inventory, mixedInventory, server, vm } from './fixtures/inventories';

/** vscode.l10n.t's substitution of {0}, {1}…, with a marker so a test sees the string went through t. */
const t: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));

function ctxFor(snapshots: Record<string, ConnectionSnapshot>, busy = new BusyRegistry(t)): PresentationContext {
  return { t, snapshot: (name) => snapshots[name], busy: (target) => busy.get(target) };
}

const demoConn: Connection = { name: 'demo', kind: 'sim', scenario: 'demo' };

function loaded(connection: Connection, inv: Inventory): ConnectionSnapshot {
  return { connection, state: 'loaded', inventory: { ...inv, connection: connection.name } };
}

/** Walks the tree under `node` depth-first, with the views. */
function walk(node: TreeNode, ctx: PresentationContext, out: { node: TreeNode; view: ItemView; depth: number }[] = [], depth = 0) {
  out.push({ node, view: presentNode(node, ctx), depth });
  for (const c of childNodes(node, ctx) ?? []) walk(c, ctx, out, depth + 1);
  return out;
}

function serverOf(node: TreeNode): string | undefined {
  return 'server' in node && typeof node.server === 'object' ? node.server.name : undefined;
}

function find(rows: { view: ItemView }[], label: string, contextValue?: string): ItemView {
  const r = rows.find((x) => x.view.label === label && (!contextValue || x.view.contextValue === contextValue));
  assert.ok(r, `no row "${label}" ${contextValue ?? ''}; rows: ${rows.map((x) => `${x.view.label}[${x.view.contextValue}]`).join(', ')}`);
  return r.view;
}

describe('tree/presentation', () => {
  it('root: one cluster row per connection, an error row for a failed one, and for a bad settings entry', () => {
    const broken: Connection = { name: 'prod', kind: 'cluster', computerName: 'azl-prod' };
    const ctx = ctxFor({ demo: loaded(demoConn, demoInventory()), prod: { connection: broken, state: 'error', error: 'WinRM cannot complete the operation.' } });
    const roots = rootNodes([demoConn, broken], [{ index: 2, reason: 'The entry has no "name".' }], ctx);
    const views = roots.map((n) => presentNode(n, ctx));
    assert.deepEqual(views.map((v) => [v.label, v.contextValue]), [
      ['demo', 'gpuPartitions.cluster'],
      ['prod', 'gpuPartitions.error'],
      ['Settings entry 3', 'gpuPartitions.error'],
    ]);
    assert.equal(views[1].description, 'WinRM cannot complete the operation.');
    assert.equal(views[1].icon.id, 'error');
    assert.match(views[1].tooltip!, /WinRM cannot complete the operation\./);
    assert.equal(views[0].description, 'azl-demo · 4 servers · 127/128 partitions free · 118.60 GiB · simulated');
    assert.equal(views[0].collapsible, 'expanded');
  });

  it('a cluster not read yet has no children (the provider loads it), and shows a spinner while loading', () => {
    const idle = ctxFor({ demo: { connection: demoConn, state: 'idle' } });
    const node: TreeNode = { nodeType: 'cluster', connection: demoConn };
    assert.equal(childNodes(node, idle), undefined);
    const loading = ctxFor({ demo: { connection: demoConn, state: 'loading' } });
    const v = presentNode(node, loading);
    assert.equal(v.icon.id, 'loading~spin');
    assert.equal(v.description, 'Loading…');
  });

  it('demo: server, groups, GPUs with key figures, free partitions folded, render-01 pending at server level', () => {
    const ctx = ctxFor({ demo: loaded(demoConn, demoInventory()) });
    const rows = walk({ nodeType: 'cluster', connection: demoConn }, ctx);
    const n01 = find(rows, 'AZL-N01');
    assert.equal(n01.contextValue, 'gpuPartitions.server');
    assert.equal(n01.description, '2 GPUs · 4 VMs · 31/32 partitions free · 29.65 GiB');
    assert.equal(n01.icon.id, 'server');
    assert.equal(find(rows, 'AZL-N02').description, '2 GPUs · 0 VMs · 32/32 partitions free · 29.65 GiB');

    const gpus = rows.filter((r) => r.node.nodeType === 'gpu' && r.node.server.name === 'AZL-N01').map((r) => r.view);
    assert.deepEqual(gpus.map((g) => g.label), ['NVIDIA A2 #1', 'NVIDIA A2 #2']);
    assert.equal(gpus[0].description, '16 partitions · 0 assigned · 16 free · 14.82 GiB');
    assert.equal(gpus[0].contextValue, 'gpuPartitions.gpu.partitioned');
    assert.equal(gpus[0].icon.id, 'chip');
    // Exact UInt64 in the tooltip, not only the rounded figure.
    assert.match(gpus[0].tooltip!, /15918030848 \(14\.82 GiB\)/);
    assert.notEqual(gpus[0].id, gpus[1].id);

    const free = rows.filter((r) => r.view.contextValue === 'gpuPartitions.partition.free' && serverOf(r.node) === 'AZL-N01');
    assert.equal(free.length, 2, 'one folded free row per GPU, not 16');
    assert.equal(free[0].view.label, '16 free partitions');
    assert.equal(free[0].view.description, '896.00 MiB VRAM each'); // the driver's OptimalPartitionVRAM at 16 [S4]

    const pending = find(rows, 'render-01', 'gpuPartitions.partition.pending');
    assert.equal(pending.description, 'pending until start · any GPU');
    assert.equal(pending.icon.id, 'watch');
    const gpuGroup = rows.find((r) => r.view.contextValue === 'gpuPartitions.group.gpus' && serverOf(r.node) === 'AZL-N01')!.view;
    assert.equal(gpuGroup.label, 'GPUs');
    assert.equal(gpuGroup.description, '2 · 32 free · 1 pending');
  });

  it('VM rows: contextValue from state and partition, power icon, partition badge', () => {
    const ctx = ctxFor({ demo: loaded(demoConn, mixedInventory()) });
    const rows = walk({ nodeType: 'cluster', connection: demoConn }, ctx);
    const vmRow = (name: string) => find(rows.filter((r) => r.node.nodeType === 'vm'), name);
    assert.equal(vmRow('cad-ws-01').contextValue, 'gpuPartitions.vm.running.withPartition');
    assert.equal(vmRow('cad-ws-01').description, 'Running · GPU partition 0');
    assert.equal(vmRow('cad-ws-01').icon.id, 'vm-running');
    assert.equal(vmRow('cad-ws-02').contextValue, 'gpuPartitions.vm.running.noPartition');
    assert.equal(vmRow('cad-ws-02').description, 'Running');
    assert.equal(vmRow('render-01').contextValue, 'gpuPartitions.vm.off.withPartition');
    assert.equal(vmRow('render-01').description, 'Off · GPU partition at start');
    assert.equal(vmRow('render-01').icon.id, 'vm-outline');
    assert.equal(vmRow('archive-01').contextValue, 'gpuPartitions.vm.saved.noPartition');
    // The regexes of the package.json menus select exactly the right VM rows.
    const assign = /^gpuPartitions\.vm\.[^.]+\.noPartition$/;
    const unassign = /^gpuPartitions\.(vm\.[^.]+\.withPartition|partition\.(held|pending))$/;
    assert.ok(assign.test(vmRow('cad-ws-02').contextValue) && !assign.test(vmRow('cad-ws-01').contextValue));
    assert.ok(unassign.test(vmRow('cad-ws-01').contextValue) && !unassign.test(vmRow('archive-01').contextValue));

    const held = find(rows, 'cad-ws-01', 'gpuPartitions.partition.held');
    assert.equal(held.description, 'partition 0 · Running');
    const gpu1 = rows.find((r) => r.node.nodeType === 'gpu' && r.node.server.name === 'AZL-N01')!;
    assert.equal(gpu1.view.description, '16 partitions · 1 assigned · 15 free · 14.82 GiB');
    // The held row sits under the first GPU, before its free row.
    const under = (childNodes(gpu1.node, ctx) ?? []).map((n) => presentNode(n, ctx).label);
    assert.deepEqual(under, ['cad-ws-01', '15 free partitions']);
  });

  it('a GPU that is not partitioned shows its WAC status and no partitions; a server error becomes an error row', () => {
    const s1 = server('H1', [a2Gpu('H1', 1, 0, { status: 'ReadyForDDA' })], [vm('H1', 'x', 'Paused')]);
    const s2 = { ...server('H2', []), error: 'Access is denied.' };
    const conn: Connection = { name: 'lab', kind: 'server', computerName: 'h1' };
    const ctx = ctxFor({ lab: loaded(conn, inventory([s1, s2], undefined)) });
    const rows = walk({ nodeType: 'cluster', connection: conn }, ctx);
    const gpu = rows.find((r) => r.node.nodeType === 'gpu')!.view;
    assert.equal(gpu.contextValue, 'gpuPartitions.gpu.readyfordda');
    assert.equal(gpu.description, 'Ready for DDA assignment');
    assert.equal(gpu.collapsible, 'none');
    const group = rows.find((r) => r.view.contextValue === 'gpuPartitions.group.gpus')!.view;
    assert.equal(group.description, 'no partitionable GPU');
    assert.match(group.tooltip!, /No partitionable GPUs have been found/);
    const err = find(rows, 'H2');
    assert.equal(err.contextValue, 'gpuPartitions.error');
    assert.equal(err.description, 'Access is denied.');
    assert.equal(find(rows, 'x').contextValue, 'gpuPartitions.vm.paused.noPartition');
  });

  it('a failed refresh keeps the older servers under an error row', () => {
    const ctx = ctxFor({ demo: { connection: demoConn, state: 'error', error: 'timed out', inventory: demoInventory() } });
    const roots = rootNodes([demoConn], [], ctx);
    assert.equal(roots[0].nodeType, 'cluster');
    const kids = childNodes(roots[0], ctx)!;
    assert.equal(kids.length, 5);
    assert.deepEqual(presentNode(kids[0], ctx).contextValue, 'gpuPartitions.error');
    assert.equal(presentNode(kids[0], ctx).description, 'timed out');
  });

  it('busy nodes show a spinner and the step; the held partition row follows its VM', () => {
    const busy = new BusyRegistry(t);
    const ctx = ctxFor({ demo: loaded(demoConn, mixedInventory()) }, busy);
    const sink = busy.stepSink('demo');
    sink({ time: '', stream: 'step', host: 'azl-n01', target: 'cad-ws-01', step: 'stop-vm', message: 'Stop-VM' });
    sink({ time: '', stream: 'step', host: 'AZL-N04', target: a2Name(4, 0), step: 'set-count', message: 'Set-VMHostPartitionableGpu' });
    let rows = walk({ nodeType: 'cluster', connection: demoConn }, ctx);
    const vmView = find(rows.filter((r) => r.node.nodeType === 'vm'), 'cad-ws-01');
    assert.equal(vmView.description, 'Stopping VM…');
    assert.equal(vmView.icon.id, 'loading~spin');
    assert.equal(find(rows, 'cad-ws-01', 'gpuPartitions.partition.held').description, 'Stopping VM…');
    const n04gpu = rows.find((r) => r.node.nodeType === 'gpu' && r.node.server.name === 'AZL-N04')!.view;
    assert.equal(n04gpu.description, 'Configuring partition count…');
    sink({ time: '', stream: 'step', host: 'AZL-N01', target: 'cad-ws-01', step: 'add-adapter', message: 'Add-VMGpuPartitionAdapter' });
    rows = walk({ nodeType: 'cluster', connection: demoConn }, ctx);
    assert.equal(find(rows.filter((r) => r.node.nodeType === 'vm'), 'cad-ws-01').description, 'Assigning partition…');
    sink({ time: '', stream: 'step', host: 'AZL-N01', target: 'cad-ws-01', step: 'done', message: 'done' });
    sink.dispose();
    rows = walk({ nodeType: 'cluster', connection: demoConn }, ctx);
    assert.equal(find(rows.filter((r) => r.node.nodeType === 'vm'), 'cad-ws-01').description, 'Running · GPU partition 0');
    assert.equal(rows.find((r) => r.node.nodeType === 'gpu' && r.node.server.name === 'AZL-N04')!.view.description, '8 partitions · 0 assigned · 8 free · 14.82 GiB');
  });

  it('ids are unique and stable across re-reads; tooltips escape host-supplied names', () => {
    const inv = mixedInventory();
    inv.servers[0].vms.push(vm('AZL-N01', 'evil*_[x](y)', 'Off'));
    const ctx = ctxFor({ demo: loaded(demoConn, inv) });
    const rows = walk({ nodeType: 'cluster', connection: demoConn }, ctx);
    const ids = rows.map((r) => r.view.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate TreeItem ids');
    const again = walk({ nodeType: 'cluster', connection: demoConn }, ctxFor({ demo: loaded(demoConn, inv) })).map((r) => r.view.id);
    assert.deepEqual(again, ids);
    const evil = find(rows, 'evil*_[x](y)');
    assert.match(evil.tooltip!, /\*\*evil\\\*\\_\\\[x\\\]\\\(y\\\)\*\*/);
  });

  it('overcommitted GPU and big servers: warning icon, folded rows', () => {
    const s = server('S', [a2Gpu('S', 1, 0, { count: 1 })], [
      vm('S', 'a', 'Running', { adapter: { instancePath: a2Name(1, 0), partitionId: 0 } }),
      vm('S', 'b', 'Off', { adapter: { instancePath: a2Name(1, 0) } }),
    ]);
    const conn: Connection = { name: 'x', kind: 'sim' };
    const ctx = ctxFor({ x: loaded(conn, inventory([s, server('T', []), server('U', []), server('V', []), server('W', [])])) });
    const rows = walk({ nodeType: 'cluster', connection: conn }, ctx);
    const gpu = rows.find((r) => r.node.nodeType === 'gpu')!.view;
    assert.equal(gpu.icon.id, 'warning');
    assert.equal(gpu.description, '1 partition · 2 assigned · 0 free · 14.82 GiB · overcommitted');
    assert.equal(find(rows, 'S').collapsible, 'collapsed', 'five servers start folded');
    assert.equal(find(rows, 'b', 'gpuPartitions.partition.pending').description, 'pending until start');
  });
});

describe('tree/presentation parentNode', () => {
  it('every row of the demo tree finds a parent with the id of the row above it', () => {
    const ctx = ctxFor({ demo: loaded(demoConn, mixedInventory()) });
    const check = (node: TreeNode, parentId: string | undefined) => {
      const p = parentNode(node, ctx);
      assert.equal(p ? presentNode(p, ctx).id : undefined, parentId, presentNode(node, ctx).label);
      for (const c of childNodes(node, ctx) ?? []) check(c, presentNode(node, ctx).id);
    };
    check({ nodeType: 'cluster', connection: demoConn }, undefined);
  });
});
