/**
 * Plans of an operation: which VMs stop, what runs, what restarts, and what is refused and why.
 * The same plan feeds the webview summary, the "what if" preview, the runner and the audit log.
 * Pure: reads an inventory, changes nothing.
 *
 * Every `PlanStep.command` is PowerShell a person could paste, with every value quoted by `psQuote`.
 * The runner does not execute these strings: scripts take their parameters as data.
 */
import { findGpu, findServer, gpuLabel, gpuName, type GpuRef, type VmRef } from './gpuIdentity';
import { formatMessage, joinNames, type MessageCode } from './messages';
import { gpuAssignments, serverPartitions, vmHasPartition } from './partitions';
import { psInteger, psQuote } from './psQuote';
import type {
  AssignRequest,
  Gpu,
  Inventory,
  OperationPlan,
  OperationRequest,
  PlanItem,
  PlanRefusal,
  PlanStep,
  Server,
  SetCountRequest,
  UnassignRequest,
  Vm,
} from './types';

/** OfflineAction "Shutdown (Forced)" (domain doc §1.9 [S17]), what WAC's checkbox sets. */
export const FORCE_SHUTDOWN_OFFLINE_ACTION = 3;

// ---------------------------------------------------------------------------------------------
// Commands (exact text a person could run by hand)
// ---------------------------------------------------------------------------------------------

export function stopVmCommand(server: string, vm: string): string {
  return `Stop-VM -Name ${psQuote(vm)} -ComputerName ${psQuote(server)} -Force`;
}

export function startVmCommand(server: string, vm: string): string {
  return `Start-VM -Name ${psQuote(vm)} -ComputerName ${psQuote(server)}`;
}

export function addAdapterCommand(server: string, vm: string, instancePath?: string): string {
  const base = `Add-VMGpuPartitionAdapter -VMName ${psQuote(vm)} -ComputerName ${psQuote(server)}`;
  return instancePath === undefined ? base : `${base} -InstancePath ${psQuote(instancePath)}`;
}

/** Without -AdapterId, every adapter of the VM is removed: one per VM is the rule (domain doc §1.3). */
export function removeAdapterCommand(server: string, vm: string): string {
  return `Remove-VMGpuPartitionAdapter -VMName ${psQuote(vm)} -ComputerName ${psQuote(server)}`;
}

/**
 * Domain doc §1.9 [S2, S4]: `Get-ClusterResource -name vmname | Set-ClusterParameter -Name "OfflineAction" -Value 3`.
 * The doc names the resource by the VM name, and so do we. (Failover Cluster Manager usually names a
 * VM's resource "Virtual Machine <name>"; where that differs, the runner must resolve the resource from
 * the VM's cluster group, and this preview line is the doc's form.)
 */
export function offlineActionCommand(cluster: string, vm: string, value: number = FORCE_SHUTDOWN_OFFLINE_ACTION): string {
  return `Get-ClusterResource -Cluster ${psQuote(cluster)} -Name ${psQuote(vm)} | Set-ClusterParameter -Name OfflineAction -Value ${psInteger(value)}`;
}

/**
 * The documented syntax of Set-VMHostPartitionableGpu has `-Name` only in the "Name" parameter set,
 * which has no `-ComputerName` (domain doc §1.2 [S1]); `-ComputerName` with `-Name` would not bind.
 * The form that binds is Get (which takes both) piped into Set (the Object set takes the GPU by value,
 * the pipeline form an HCI draft used [S7]).
 */
export function setCountCommand(server: string, gpu: string, count: number): string {
  return `Get-VMHostPartitionableGpu -ComputerName ${psQuote(server)} -Name ${psQuote(gpu)} | Set-VMHostPartitionableGpu -PartitionCount ${psInteger(count)}`;
}

// ---------------------------------------------------------------------------------------------
// Planning
// ---------------------------------------------------------------------------------------------

function refusal(server: string, target: string, code: MessageCode, args: Record<string, string | number>): PlanRefusal {
  return { server, target, code, message: formatMessage(code, args) };
}

function emptyPlan(request: OperationRequest): OperationPlan {
  return { request, items: [], refusals: [], vmsPowerCycled: [], gpusChanged: [] };
}

function addGpuChanged(plan: OperationPlan, ref: GpuRef): void {
  if (!plan.gpusChanged.some((g) => g.server === ref.server && g.gpu === ref.gpu)) plan.gpusChanged.push(ref);
}

export function planOperation(inventory: Inventory, request: OperationRequest): OperationPlan {
  switch (request.kind) {
    case 'set-count':
      return planSetCount(inventory, request);
    case 'assign':
      return planAssign(inventory, request);
    case 'unassign':
      return planUnassign(inventory, request);
  }
}

/** A server that exists and was read, or the refusal saying why not. */
function usableServer(inventory: Inventory, name: string): Server | PlanRefusal {
  const server = findServer(inventory.servers, name);
  if (!server) return refusal(name, name, 'serverNotFound', { server: name });
  if (server.error !== undefined) return refusal(server.name, server.name, 'serverUnavailable', { server: server.name, error: server.error });
  return server;
}

function isRefusal(x: unknown): x is PlanRefusal {
  return typeof x === 'object' && x !== null && 'code' in x && 'message' in x;
}

function planSetCount(inventory: Inventory, request: SetCountRequest): OperationPlan {
  const plan = emptyPlan(request);
  if (request.targets.length === 0) {
    plan.refusals.push(refusal('', '', 'noTargets', {}));
    return plan;
  }
  const seen = new Set<string>();
  for (const target of request.targets) {
    const server = usableServer(inventory, target.server);
    if (isRefusal(server)) {
      plan.refusals.push({ ...server, target: target.gpu });
      continue;
    }
    const gpu = findGpu(server, target.gpu);
    if (!gpu) {
      plan.refusals.push(refusal(server.name, target.gpu, 'gpuNotFound', { gpu: target.gpu, server: server.name }));
      continue;
    }
    const name = gpuName(gpu);
    const dedupe = `${server.name.toUpperCase()}|${name.toUpperCase()}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    if (gpu.assignedStatus !== 'Partitioned' || !gpu.partitionable) {
      plan.refusals.push(refusal(server.name, name, 'gpuNotPartitioned', { gpu: gpuLabel(gpu), server: server.name, status: gpu.assignedStatus }));
      continue;
    }
    // Set-VMHostPartitionableGpu -PartitionCount must be one of ValidPartitionCounts (domain doc §1.2 [S2]).
    if (!gpu.partitionable.validPartitionCounts.includes(request.count)) {
      plan.refusals.push(
        refusal(server.name, name, 'countNotValid', {
          count: request.count,
          gpu: gpuLabel(gpu),
          valid: gpu.partitionable.validPartitionCounts.join(', '),
        }),
      );
      continue;
    }
    // WAC: a GPU with a partition assigned to a VM cannot be reconfigured; unassign first (§1.2 [S2, S7]).
    const assigned = gpuAssignments(server, name);
    if (assigned.length > 0) {
      plan.refusals.push(
        refusal(server.name, name, 'gpuHasAssignedPartition', {
          gpu: gpuLabel(gpu),
          server: server.name,
          vms: joinNames([...new Set(assigned.map((a) => a.vm))]),
        }),
      );
      continue;
    }
    plan.items.push({
      server: server.name,
      target: name,
      steps: [{ action: 'set-count', server: server.name, target: name, command: setCountCommand(server.name, name, request.count) }],
    });
    addGpuChanged(plan, { server: server.name, gpu: name });
  }
  return plan;
}

/** A VM on the server by name (Hyper-V VM names are case-insensitive and need not be unique). */
function findVm(server: Server, name: string): Vm | PlanRefusal {
  const n = name.toUpperCase();
  const matches = server.vms.filter((v) => v.name.toUpperCase() === n);
  if (matches.length === 0) return refusal(server.name, name, 'vmNotFound', { vm: name });
  if (matches.length > 1) return refusal(server.name, name, 'vmNameAmbiguous', { vm: name, server: server.name });
  return matches[0];
}

/**
 * Whether the VM can go through an add/remove now, and whether it must be power-cycled.
 *
 * WAC turns a running VM off, changes the adapter, and turns it back on (domain doc §1.3, §2 [S2]).
 * WAC says nothing of Saved or Paused VMs. We refuse both ("resume or shut down first"): stopping a
 * Saved VM means discarding its saved state (Stop-VM -TurnOff) or restoring it first, and a Paused
 * guest cannot answer the graceful shutdown Stop-VM asks for; either way the user's running state
 * would be lost or the stop would hang, which no "assign" click should do silently. Transitional
 * states (Starting, Saving, …) and states we do not know are refused until they settle.
 */
function powerCheck(server: Server, vm: Vm): { cycle: boolean } | PlanRefusal {
  switch (vm.state) {
    case 'Off':
      return { cycle: false };
    case 'Running':
      return { cycle: true };
    case 'Saved':
      return refusal(server.name, vm.name, 'vmSaved', { vm: vm.name });
    case 'Paused':
      return refusal(server.name, vm.name, 'vmPaused', { vm: vm.name });
    default:
      return refusal(server.name, vm.name, 'vmBusy', { vm: vm.name, state: vm.state });
  }
}

function vmItem(server: Server, vm: Vm, cycle: boolean, middle: PlanStep[]): PlanItem {
  const steps: PlanStep[] = [];
  if (cycle) steps.push({ action: 'stop-vm', server: server.name, target: vm.name, command: stopVmCommand(server.name, vm.name) });
  steps.push(...middle);
  if (cycle) steps.push({ action: 'start-vm', server: server.name, target: vm.name, command: startVmCommand(server.name, vm.name) });
  return { server: server.name, target: vm.name, steps, initialState: vm.state };
}

function uniqueNames(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const n of names) if (!out.some((o) => o.toUpperCase() === n.toUpperCase())) out.push(n);
  return out;
}

function planAssign(inventory: Inventory, request: AssignRequest): OperationPlan {
  const plan = emptyPlan(request);
  const server = usableServer(inventory, request.server);
  if (isRefusal(server)) {
    plan.refusals.push(server);
    return plan;
  }
  const names = uniqueNames(request.vms);
  if (names.length === 0) {
    plan.refusals.push(refusal(server.name, '', 'noTargets', {}));
    return plan;
  }

  // The physical GPU, when the request names one (-InstancePath); it must be on the VM's own server
  // ("Both the VM and the GPU partition need to be on the same host machine", domain doc §1.3 [S2]).
  let gpu: Gpu | undefined;
  if (request.gpu !== undefined) {
    gpu = findGpu(server, request.gpu);
    const gpuRefusal = !gpu
      ? refusal(server.name, request.gpu, 'gpuNotFound', { gpu: request.gpu, server: server.name })
      : gpu.assignedStatus !== 'Partitioned' || !gpu.partitionable
        ? refusal(server.name, gpuName(gpu), 'gpuNotPartitioned', { gpu: gpuLabel(gpu), server: server.name, status: gpu.assignedStatus })
        : undefined;
    if (gpuRefusal) {
      for (const n of names) plan.refusals.push({ ...gpuRefusal, target: n });
      return plan;
    }
  }
  const instancePath = gpu ? gpuName(gpu) : undefined;

  // Capacity: slots left on the chosen GPU, and on the server as a whole (adapters without a known
  // GPU take a slot somewhere on the server when their VM starts).
  const sp = serverPartitions(server);
  let serverFree = sp.gpus.reduce((n, g) => n + g.free, 0) - sp.pending.length - sp.unlocated.length;
  let gpuFree = instancePath ? (sp.gpus.find((g) => g.name === instancePath)?.free ?? 0) : Infinity;

  for (const name of names) {
    const vm = findVm(server, name);
    if (isRefusal(vm)) {
      plan.refusals.push(vm);
      continue;
    }
    // One partition per VM (domain doc §1.3 [S2]; WAC greys out VMs that already have one).
    if (vmHasPartition(vm)) {
      plan.refusals.push(refusal(server.name, vm.name, 'vmAlreadyHasPartition', { vm: vm.name }));
      continue;
    }
    // "GPU-P is supported for Generation 2 VMs" (domain doc §1.8 [S6]).
    if (vm.generation !== 2) {
      plan.refusals.push(refusal(server.name, vm.name, 'vmGeneration', { vm: vm.name, generation: vm.generation }));
      continue;
    }
    const power = powerCheck(server, vm);
    if (isRefusal(power)) {
      plan.refusals.push(power);
      continue;
    }
    // OfflineAction is a property of the VM's cluster resource: nothing to set on a standalone host.
    const setOffline = request.forceShutdownOfflineAction && vm.offlineAction !== FORCE_SHUTDOWN_OFFLINE_ACTION;
    if (request.forceShutdownOfflineAction && (inventory.cluster === undefined || vm.offlineAction === undefined)) {
      plan.refusals.push(refusal(server.name, vm.name, 'vmNotClustered', { vm: vm.name }));
      continue;
    }
    if (gpu && gpuFree <= 0) {
      plan.refusals.push(refusal(server.name, vm.name, 'gpuFull', { gpu: gpuLabel(gpu), server: server.name, vm: vm.name }));
      continue;
    }
    if (serverFree <= 0) {
      plan.refusals.push(refusal(server.name, vm.name, 'serverFull', { server: server.name, vm: vm.name }));
      continue;
    }
    gpuFree--;
    serverFree--;

    const middle: PlanStep[] = [
      { action: 'add-adapter', server: server.name, target: vm.name, command: addAdapterCommand(server.name, vm.name, instancePath) },
    ];
    if (setOffline) {
      middle.push({ action: 'set-offline-action', server: server.name, target: vm.name, command: offlineActionCommand(inventory.cluster!, vm.name) });
    }
    plan.items.push(vmItem(server, vm, power.cycle, middle));
    if (power.cycle) plan.vmsPowerCycled.push({ server: server.name, vm: vm.name });
    // The GPU whose partitions change is known only when the request pins one; otherwise the
    // partition resolves at start on a GPU Hyper-V picks.
    if (instancePath) addGpuChanged(plan, { server: server.name, gpu: instancePath });
  }
  return plan;
}

function planUnassign(inventory: Inventory, request: UnassignRequest): OperationPlan {
  const plan = emptyPlan(request);
  const server = usableServer(inventory, request.server);
  if (isRefusal(server)) {
    plan.refusals.push(server);
    return plan;
  }
  const names = uniqueNames(request.vms);
  if (names.length === 0) {
    plan.refusals.push(refusal(server.name, '', 'noTargets', {}));
    return plan;
  }
  const sp = serverPartitions(server);
  for (const name of names) {
    const vm = findVm(server, name);
    if (isRefusal(vm)) {
      plan.refusals.push(vm);
      continue;
    }
    if (!vmHasPartition(vm)) {
      plan.refusals.push(refusal(server.name, vm.name, 'vmNoPartition', { vm: vm.name }));
      continue;
    }
    const power = powerCheck(server, vm);
    if (isRefusal(power)) {
      plan.refusals.push(power);
      continue;
    }
    plan.items.push(
      vmItem(server, vm, power.cycle, [
        { action: 'remove-adapter', server: server.name, target: vm.name, command: removeAdapterCommand(server.name, vm.name) },
      ]),
    );
    if (power.cycle) plan.vmsPowerCycled.push({ server: server.name, vm: vm.name });
    // GPUs whose partitions this frees: where the VM holds one, or is pinned.
    for (const gp of sp.gpus) {
      if (gp.held.some((h) => h.vm === vm.name) || gp.pinnedPending.some((p) => p.vm === vm.name)) {
        addGpuChanged(plan, { server: server.name, gpu: gp.name });
      }
    }
  }
  return plan;
}

/** True when nothing of the plan was refused. */
export function planIsClean(plan: OperationPlan): boolean {
  return plan.refusals.length === 0;
}

/** The plan's commands in order, one per line: the "what if" preview a person can paste. */
export function planScript(plan: OperationPlan): string {
  return plan.items.flatMap((i) => i.steps.map((s) => s.command)).join('\n');
}

