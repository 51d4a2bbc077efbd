/**
 * Turns an Inventory into what each page shows. Pure (no `vscode`): the extension passes its
 * localiser in as `l10n` (a wrapper of `vscode.l10n.t`), unit tests pass a stand-in.
 *
 * UInt64 values leave here as exact decimal strings: webview messages are JSON, which has no bigint.
 */
import { deviceLocation, findServer, gpuName, sameGpuRef } from '../model/gpuIdentity';
import { joinNames, MESSAGES } from '../model/messages';
import { planOperation } from '../model/plan';
import { gpuAssignments, serverPartitions, vmHasPartition } from '../model/partitions';
import type { AssignedStatus, Gpu, GpuPartitionAdapter, Inventory, Server, Vm } from '../model/types';
import type { CountSelectionValidation } from '../model/validation';
import { formatBytes, vramPerPartitionGiB } from '../model/vram';
import type { CountValidation, GpuRef, GpuRow, ServerSection } from './configureCount/protocol';
import type { GpuOption, VmRow, VramOption } from './assign/protocol';
import type { PartitionVmRow } from './unassign/protocol';
import type { DetailsField } from './details/protocol';
import type { UiMessage } from './ipc';

/** The localiser: `vscode.l10n.t` on the extension side (named `{placeholders}`). */
export interface Localizer {
  t(message: string, args?: Record<string, string | number | boolean>): string;
}

/** WAC's "Assigned status" labels, exact (domain doc §2 [S2]). */
export function statusLabel(l10n: Localizer, status: AssignedStatus): string {
  switch (status) {
    case 'Partitioned':
      return l10n.t('Partitioned');
    case 'ReadyForDDA':
      return l10n.t('Ready for DDA assignment');
    case 'Paravirtualization':
      return l10n.t('Paravirtualization');
    case 'NotAssignable':
      return l10n.t('Not assignable');
  }
}

export function vmStateLabel(l10n: Localizer, state: string): string {
  switch (state) {
    case 'Running':
      return l10n.t('Running');
    case 'Off':
      return l10n.t('Off');
    case 'Saved':
      return l10n.t('Saved');
    case 'Paused':
      return l10n.t('Paused');
    default:
      return state;
  }
}

/** A model finding in the user's language: the English text of messages.ts is the l10n key. */
export function localizeFinding(l10n: Localizer, code: string, args: Record<string, string | number> = {}): string {
  const template = (MESSAGES as Record<string, string>)[code];
  return template ? l10n.t(template, args) : code;
}

/**
 * A model Finding in the user's language. The English template of messages.ts is the l10n key; a
 * finding whose placeholders cannot be filled here keeps its English message.
 */
export function findingToUi(l10n: Localizer, f: { code: string; message: string; vms?: { vm: string }[] }): UiMessage {
  const template = (MESSAGES as Record<string, string>)[f.code];
  if (template && !/\{\w+\}/.test(template)) return { code: f.code, text: l10n.t(template) };
  if (template && f.code === 'assignedPartitionSelected' && f.vms) {
    return { code: f.code, text: l10n.t(template, { vms: joinNames(f.vms.map((v) => v.vm)) }) };
  }
  return { code: f.code, text: f.message };
}

// ---------------------------------------------------------------- configure partition count

export function configureCountSections(l10n: Localizer, inventory: Inventory): ServerSection[] {
  return inventory.servers.map((server) => {
    const gpus: GpuRow[] = [];
    const otherGpus: ServerSection['otherGpus'] = [];
    for (const gpu of server.gpus) {
      const p = gpu.partitionable;
      if (!p) {
        otherGpus.push({ friendlyName: gpu.device.friendlyName, status: statusLabel(l10n, gpu.assignedStatus) });
        continue;
      }
      gpus.push({
        server: server.name,
        gpu: p.name,
        friendlyName: `${gpu.device.friendlyName} (${deviceLocation(gpu.device.instanceId)})`,
        status: statusLabel(l10n, gpu.assignedStatus),
        manufacturer: gpu.device.manufacturer,
        partitionCount: p.partitionCount,
        totalVRAM: formatBytes(p.totalVRAM),
        totalVRAMBytes: p.totalVRAM.toString(),
        assignedTo: gpuAssignments(server, p.name).map((a) => a.vm),
      });
    }
    return { name: server.name, error: server.error, gpus, otherGpus };
  });
}

/** Keeps only refs that still name a partitionable GPU of the inventory (after a refresh or reload). */
export function existingRefs(inventory: Inventory, refs: readonly GpuRef[]): GpuRef[] {
  const all = allPartitionableRefs(inventory);
  return refs.filter((r) => all.some((a) => sameGpuRef(a, r))).map((r) => all.find((a) => sameGpuRef(a, r))!);
}

export function allPartitionableRefs(inventory: Inventory): GpuRef[] {
  return inventory.servers.flatMap((s) => s.gpus.filter((g) => g.partitionable).map((g) => ({ server: s.name, gpu: gpuName(g) })));
}

/**
 * The tooltip under the Number of partitions dropdown, per count (domain doc §2 [S2]: 16 -> 8 on
 * an A2/A16 gives "1.85 GB"). The size is TotalVRAM / count in GiB; when the selection mixes VRAM
 * sizes (an error anyway) the smallest GPU decides.
 */
export function vramTips(l10n: Localizer, inventory: Inventory, selected: readonly GpuRef[], counts: readonly number[]): Record<string, string> {
  const totals = selected
    .map((r) => {
      const server = findServer(inventory.servers, r.server);
      return server?.gpus.find((g) => g.partitionable && sameGpuRef({ server: server.name, gpu: g.partitionable.name }, r))?.partitionable?.totalVRAM;
    })
    .filter((v): v is bigint => v !== undefined);
  const tips: Record<string, string> = {};
  if (totals.length === 0) return tips;
  const smallest = totals.reduce((a, b) => (b < a ? b : a));
  for (const c of counts) tips[String(c)] = localizeFinding(l10n, 'vramPerPartitionTip', { size: vramPerPartitionGiB(smallest, c) });
  return tips;
}

export function countValidationView(l10n: Localizer, inventory: Inventory, selected: readonly GpuRef[], seq: number, v: CountSelectionValidation): CountValidation {
  return {
    seq,
    warnings: v.warnings.map((w) => findingToUi(l10n, w)),
    errors: v.errors.map((e) => findingToUi(l10n, e)),
    validCounts: [...v.validCounts].sort((a, b) => b - a),
    vramTips: vramTips(l10n, inventory, selected, v.validCounts),
  };
}

// ---------------------------------------------------------------- assign

/** Why a VM is greyed out in the Assign page (WAC greys out VMs that already have a partition). */
export function assignVmRows(l10n: Localizer, server: Server): VmRow[] {
  return server.vms
    .map((vm) => ({
      name: vm.name,
      state: vmStateLabel(l10n, vm.state),
      running: vm.state === 'Running',
      disabledReason: vmHasPartition(vm)
        ? l10n.t('Already has a GPU partition ({where}).', { where: adapterWhere(l10n, server, vm.adapters[0]) })
        : assignRefusal(l10n, server, vm),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Any other reason the planner would refuse this VM (Saved, Paused, a transitional state, generation 1):
 * the form greys it out with the planner's own reason instead of letting the run refuse it later.
 */
function assignRefusal(l10n: Localizer, server: Server, vm: Vm): string | undefined {
  const inventory: Inventory = { connection: '', servers: [server], readAt: '' };
  const refusal = planOperation(inventory, { kind: 'assign', server: server.name, vms: [vm.name], forceShutdownOfflineAction: false }).refusals[0];
  if (!refusal) return undefined;
  const args: Record<string, string | number> = { vm: vm.name, state: vm.state, generation: vm.generation };
  return refusal.code in MESSAGES ? localizeFinding(l10n, refusal.code, args) : refusal.message;
}

/** Where an adapter's partition is: its GPU, or "resolves when the VM starts". */
export function adapterWhere(l10n: Localizer, server: Server, adapter: GpuPartitionAdapter | undefined): string {
  if (!adapter) return '';
  if (adapter.instancePath) {
    const gpu = server.gpus.find((g) => g.partitionable && sameGpuRef({ server: server.name, gpu: g.partitionable.name }, { server: server.name, gpu: adapter.instancePath! }));
    return gpu ? gpuShortLabel(gpu) : adapter.instancePath;
  }
  return l10n.t('GPU chosen when the VM starts');
}

export function gpuShortLabel(gpu: Gpu): string {
  return `${gpu.device.friendlyName} (${deviceLocation(gpu.device.instanceId)})`;
}

/**
 * The VRAM option (WAC: "must match the size of the partition count that you configured"): one
 * option per distinct partition size among the server's partitioned GPUs, which is
 * OptimalPartitionVRAM (equal to Min and Max for NVIDIA GPU-P, domain doc §1.1 [S4]).
 */
export function vramOptions(l10n: Localizer, server: Server): VramOption[] {
  const bySize = new Map<string, VramOption>();
  for (const g of server.gpus) {
    const p = g.partitionable;
    if (!p || g.assignedStatus !== 'Partitioned') continue;
    const key = p.optimalPartitionVRAM.toString();
    let opt = bySize.get(key);
    if (!opt) {
      opt = {
        bytes: key,
        label: l10n.t('{size} per partition ({count} partitions per GPU)', { size: formatBytes(p.optimalPartitionVRAM), count: p.partitionCount }),
        gpus: [],
      };
      bySize.set(key, opt);
    }
    opt.gpus.push(p.name);
  }
  return [...bySize.values()];
}

export function gpuOptions(l10n: Localizer, server: Server): GpuOption[] {
  const sp = serverPartitions(server);
  return sp.gpus
    .filter((gp) => gp.gpu.assignedStatus === 'Partitioned')
    .map((gp) => ({
      name: gp.name,
      label: l10n.t('{gpu}: {free} of {count} partitions free', { gpu: gpuShortLabel(gp.gpu), free: gp.free, count: gp.partitionCount }),
      vramBytes: gp.gpu.partitionable!.optimalPartitionVRAM.toString(),
    }));
}

// ---------------------------------------------------------------- unassign

export function unassignVmRows(l10n: Localizer, server: Server): PartitionVmRow[] {
  return server.vms
    .filter(vmHasPartition)
    .map((vm) => ({ name: vm.name, state: vmStateLabel(l10n, vm.state), running: vm.state === 'Running', partition: adapterWhere(l10n, server, vm.adapters[0]) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

// ---------------------------------------------------------------- details

const u64 = (v: bigint | undefined): string => (v === undefined ? '' : v.toString());

/** WAC "GPU selected" details: name, ID, available encoder and decoder, available VRAM, valid partition counts, current partition count. */
export function gpuDetails(l10n: Localizer, gpu: Gpu): DetailsField[] {
  const p = gpu.partitionable;
  const fields: DetailsField[] = [
    { label: l10n.t('GPU name'), value: gpu.device.friendlyName },
    { label: l10n.t('GPU ID'), value: gpu.device.instanceId },
    { label: l10n.t('Assigned status'), value: statusLabel(l10n, gpu.assignedStatus) },
  ];
  if (p) {
    fields.push(
      { label: l10n.t('Available encoder'), value: u64(p.availableEncode) },
      { label: l10n.t('Available decoder'), value: u64(p.availableDecode) },
      { label: l10n.t('Available VRAM'), value: u64(p.availableVRAM), hint: formatBytes(p.availableVRAM) },
      { label: l10n.t('Valid partition counts'), value: p.validPartitionCounts.join(', ') },
      { label: l10n.t('Current partition count'), value: String(p.partitionCount) },
      { label: l10n.t('Total VRAM'), value: u64(p.totalVRAM), hint: formatBytes(p.totalVRAM) },
      { label: l10n.t('Partition VRAM'), value: u64(p.optimalPartitionVRAM), hint: formatBytes(p.optimalPartitionVRAM) },
      { label: l10n.t('Instance path'), value: p.name },
    );
  }
  return fields;
}

/** WAC "GPU partition selected" details: partition ID, VM ID, instance path, partition VRAM, encode, decode. */
export function partitionDetails(l10n: Localizer, vm: Vm, a: GpuPartitionAdapter): DetailsField[] {
  const unresolved = l10n.t('(resolves when the VM starts)');
  return [
    { label: l10n.t('Partition ID'), value: a.partitionId === undefined ? unresolved : String(a.partitionId) },
    { label: l10n.t('VM'), value: vm.name },
    { label: l10n.t('VM ID'), value: a.vmId || vm.id },
    { label: l10n.t('Instance path'), value: a.instancePath ?? unresolved },
    { label: l10n.t('Partition VRAM'), value: a.currentPartitionVRAM === undefined ? unresolved : u64(a.currentPartitionVRAM), hint: a.currentPartitionVRAM === undefined ? undefined : formatBytes(a.currentPartitionVRAM) },
    { label: l10n.t('Partition encode'), value: a.currentPartitionEncode === undefined ? unresolved : u64(a.currentPartitionEncode) },
    { label: l10n.t('Partition decode'), value: a.currentPartitionDecode === undefined ? unresolved : u64(a.currentPartitionDecode) },
    { label: l10n.t('Adapter ID'), value: a.id },
  ];
}
