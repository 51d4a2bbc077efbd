/**
 * The capacity view as plain data (pure, no `vscode`): bars of partition slots per GPU, server by
 * server, with totals (src/model/capacity.ts), and the planner's answer (src/model/planner.ts) as
 * table rows. `t` is `vscode.l10n.t` (positional `{0}` arguments) or a test double.
 */
import { clusterCapacity, serverCapacity, type Capacity } from '../../model/capacity';
import { deviceKey } from '../../model/gpuIdentity';
import { serverPartitions, type HeldPartition, type PendingAdapter } from '../../model/partitions';
import type { CapacityPlan, ServerPlan } from '../../model/planner';
import type { Inventory, Server } from '../../model/types';
import { formatBytes } from '../../model/vram';
import { vmStateLabel } from '../../tree/nodes/text';
import type { Translate } from '../../tree/nodes/types';
import type { GpuBar, PlanRow, PlanView, ServerBars, Slot, Totals } from './protocol';
import { PALETTE_SIZE } from './protocol';

/** A VM's colour: a stable hash of its (case-insensitive) name, so a VM keeps its colour across refreshes and servers. */
export function vmColor(vm: string): number {
  let h = 2166136261;
  for (const ch of vm.toLowerCase()) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h % PALETTE_SIZE;
}

export function totalsOf(c: Capacity, t: Translate): Totals {
  return {
    total: c.total,
    assigned: c.assigned,
    free: c.free,
    stranded: c.stranded,
    totalVRAM: formatBytes(c.totalVRAM),
    freeVRAM: formatBytes(c.freeVRAM),
    text: [
      c.total === 1 ? t('1 partition') : t('{0} partitions', c.total),
      t('{0} assigned', c.assigned),
      t('{0} free', c.free),
      c.stranded > 0 ? t('{0} stranded', c.stranded) : undefined,
      t('{0} VRAM, {1} free', formatBytes(c.totalVRAM), formatBytes(c.freeVRAM)),
    ]
      .filter((x): x is string => !!x)
      .join(' · '),
  };
}

function heldSlot(h: HeldPartition, t: Translate): Slot {
  const state = vmStateLabel(h.vmState, t);
  const running = h.vmState === 'Running';
  return {
    kind: running ? 'running' : 'idle',
    vm: h.vm,
    state,
    color: vmColor(h.vm),
    title: running ? t('{0} ({1}) holds this partition', h.vm, state) : t('{0} ({1}) holds this partition without using it', h.vm, state),
  };
}

function pendingSlot(p: PendingAdapter, t: Translate, pinned: boolean): Slot {
  return {
    kind: 'pending',
    vm: p.vm,
    state: vmStateLabel(p.vmState, t),
    color: vmColor(p.vm),
    title: pinned
      ? t('Assigned to {0}, which is off: the slot is reserved until it starts', p.vm)
      : t('Assigned to {0}, which is off: it takes a slot on some GPU of this server when it starts', p.vm),
  };
}

export function serverBars(server: Server, labels: Map<string, string>, t: Translate): ServerBars {
  if (server.error) return { name: server.name, error: server.error, gpus: [], floating: [], orphaned: [] };
  const sp = serverPartitions(server);
  const cap = serverCapacity(sp);
  const gpus: GpuBar[] = sp.gpus.map((gp, i) => {
    const c = cap.gpus[i];
    const slots: Slot[] = [
      ...gp.held.map((h) => heldSlot(h, t)),
      ...gp.pinnedPending.map((p) => pendingSlot(p, t, true)),
      ...Array.from({ length: gp.free }, (): Slot => ({ kind: 'free', title: t('Free partition') })),
    ];
    return {
      label: labels.get(deviceKey(gp.gpu.device.instanceId)) ?? gp.gpu.device.friendlyName,
      name: gp.name,
      each: t('{0} × {1}', gp.partitionCount, formatBytes(c.partitionVRAM)),
      totals: totalsOf(c, t),
      slots,
      overcommitted: gp.overcommitted,
    };
  });
  const floating = [...sp.pending.map((p) => pendingSlot(p, t, false)), ...sp.unlocated.map((h) => heldSlot(h, t))];
  return {
    name: server.name,
    note: sp.gpus.length === 0 ? t('No partitionable GPUs have been found. Please check that you have a GPU with the correct GPU-P driver to proceed.') : undefined,
    totals: sp.gpus.length > 0 ? totalsOf(cap, t) : undefined,
    gpus,
    floating,
    floatingLabel: floating.length > 0 ? t('Not on a GPU yet (resolve when the VM starts) or GPU not known') : undefined,
    orphaned: sp.orphaned.map((o) => `${o.vm} (${vmStateLabel(o.vmState, t)})`),
  };
}

/** GPU labels as the tree numbers them ("NVIDIA A2 #1", "#2") so the view and the tree agree. */
export function gpuLabels(server: Server): Map<string, string> {
  const count = new Map<string, number>();
  for (const g of server.gpus) count.set(g.device.friendlyName, (count.get(g.device.friendlyName) ?? 0) + 1);
  const seen = new Map<string, number>();
  const out = new Map<string, string>();
  for (const g of server.gpus) {
    const k = (seen.get(g.device.friendlyName) ?? 0) + 1;
    seen.set(g.device.friendlyName, k);
    out.set(deviceKey(g.device.instanceId), (count.get(g.device.friendlyName) ?? 0) > 1 ? `${g.device.friendlyName} #${k}` : g.device.friendlyName);
  }
  return out;
}

export function capacityBars(inventory: Inventory, t: Translate): { totals: Totals; servers: ServerBars[] } {
  return {
    totals: totalsOf(clusterCapacity({ ...inventory, servers: inventory.servers.filter((s) => !s.error) }), t),
    servers: inventory.servers.map((s) => serverBars(s, gpuLabels(s), t)),
  };
}

function countText(s: ServerPlan, t: Translate): string {
  if (s.unavailable === 'unreachable') return t('server could not be read');
  if (s.unavailable === 'noPartitionableGpu') return t('no partitionable GPU');
  if (s.unavailable === 'noCountBigEnough' || !s.change) return t('no partition count gives partitions this large');
  const size = formatBytes(s.change.partitionVRAM);
  const from = [...new Set(s.gpus.map((g) => g.partitionCount))].join('/');
  const base = s.change.gpusToReconfigure.length === 0 ? t('{0} (current) × {1}', s.change.count, size) : t('{0} × {1} (now {2})', s.change.count, size, from);
  return s.change.vramSource === 'derived' ? `${base} ${t('(estimated)')}` : base;
}

function disturbs(s: ServerPlan, t: Translate): string[] {
  const c = s.change;
  if (!c || c.gpusToReconfigure.length === 0) return [];
  const out = [t('Reconfigure {0} GPU(s) to {1} partitions', c.gpusToReconfigure.length, c.count)];
  for (const v of c.vmsToUnassign) {
    const state = vmStateLabel(v.state, t);
    out.push(
      v.kind === 'held'
        ? t('Unassign {0} ({1}): it is turned off for the change', v.vm, state)
        : v.kind === 'pinned'
          ? t('Unassign {0} ({1}): its adapter is pinned to a GPU that changes', v.vm, state)
          : t('{0} ({1}) may hold a partition on a GPU that changes', v.vm, state),
    );
  }
  if (c.shortForExisting > 0) out.push(t('{0} VM(s) already assigned would not all get a partition back', c.shortForExisting));
  return out;
}

/** The planner's answer as the form shows it. */
export function planView(plan: CapacityPlan, t: Translate): PlanView {
  const n = plan.question.vmCount;
  const size = formatBytes(plan.needBytes);
  const verdict: PlanView['verdict'] = plan.fitsNow ? 'fitsNow' : plan.fitsAfter ? 'fitsAfter' : 'doesNotFit';
  const headline =
    verdict === 'fitsNow'
      ? t('{0} VM(s) needing {1} each fit now, without any change.', n, size)
      : verdict === 'fitsAfter'
        ? t('{0} VM(s) needing {1} each fit after changing the partition count on {2}.', n, size, plan.changesNeeded.join(', '))
        : t('{0} VM(s) needing {1} each do not fit: at most {2} fit, even after changing partition counts.', n, size, plan.fitAfter);
  const now = new Map(plan.placementNow.map((p) => [p.server, p.vms]));
  const after = new Map(plan.placementAfter.map((p) => [p.server, p.vms]));
  const rows: PlanRow[] = plan.servers.map((s) => ({
    server: s.server,
    fitNow: s.fitNow,
    countText: countText(s, t),
    fitAfter: s.change ? String(s.change.fitAfter) : '–',
    disturbs: disturbs(s, t),
    placedNow: now.get(s.server) ?? 0,
    placedAfter: after.get(s.server) ?? 0,
    changeNeeded: plan.changesNeeded.includes(s.server),
  }));
  return {
    vmCount: n,
    vramGiB: plan.question.vramGiB,
    headline,
    verdict,
    rows,
    note: t('A partition count change applies to every GPU of a server; a GPU with an assigned partition cannot be reconfigured, so those VMs are unassigned first. Sizes at other counts are estimated on the small side.'),
  };
}
