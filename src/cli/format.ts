/**
 * Human-readable output of `gpup`: plain-text tables for the inventory, the plan of an operation
 * (with its exact commands), its per-item results and the streamed records.
 */
import type {
  Gpu,
  GpuPartitionAdapter,
  Inventory,
  ItemResult,
  OperationPlan,
  OperationRequest,
  OperationResult,
  OutputRecord,
  PlanRefusal,
  Server,
  Vm,
} from '../model/types';
import { OFFLINE_ACTION_NAMES } from '../model/types';
import { sameDevice } from '../model/gpuIdentity';
import type { ServerPartitions } from '../model/partitions';
import { serverPartitions, stateHoldsPartition } from '../model/partitions';
import { formatBytes, vramPerPartitionGiB } from '../model/vram';

/** Left-aligned columns separated by two spaces; no trailing spaces. */
export function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function indent(lines: string[], by = '  '): string[] {
  return lines.map((l) => (l.length > 0 ? by + l : l));
}

/** Where an adapter's partition is, in words: which GPU (by index) and whether it is resolved. */
export function describeAdapter(server: Server, vm: Vm, adapter: GpuPartitionAdapter): string {
  const index = adapter.instancePath ? server.gpus.findIndex((g) => g.partitionable && sameDevice(g.partitionable.name, adapter.instancePath!)) : -1;
  const gpu = index >= 0 ? `GPU ${index}` : (adapter.instancePath ?? 'any GPU');
  if (stateHoldsPartition(vm.state)) {
    const id = adapter.partitionId !== undefined ? `, partition ${adapter.partitionId}` : '';
    const vram = adapter.currentPartitionVRAM !== undefined ? `, ${formatBytes(adapter.currentPartitionVRAM)}` : '';
    return `${gpu}${id}${vram}`;
  }
  // Partitions resolve only when the VM starts (domain doc §1.3 [S7]).
  return `${gpu}, pending (resolves when the VM starts)`;
}

function gpuRow(server: Server, partitions: ServerPartitions, gpu: Gpu, index: number): string[] {
  const p = gpu.partitionable;
  const gp = partitions.gpus.find((x) => x.gpu === gpu);
  const inUse = gp
    ? `${gp.held.length}/${gp.partitionCount}${gp.pinnedPending.length > 0 ? ` (+${gp.pinnedPending.length} pending)` : ''}${gp.overcommitted ? ' OVERCOMMITTED' : ''}`
    : '-';
  return [
    String(index),
    gpu.device.friendlyName,
    gpu.assignedStatus,
    gpu.device.status,
    p ? String(p.partitionCount) : '-',
    p ? p.validPartitionCounts.join(',') : '-',
    p ? formatBytes(p.totalVRAM) : '-',
    p ? `${vramPerPartitionGiB(p.totalVRAM, p.partitionCount)} GiB` : '-',
    inUse,
    p ? p.name : gpu.device.instanceId,
  ];
}

function vmRow(server: Server, vm: Vm): string[] {
  const partition = vm.adapters.length === 0 ? '-' : vm.adapters.map((a) => describeAdapter(server, vm, a)).join('; ');
  const offline = vm.offlineAction === undefined ? '-' : `${vm.offlineAction} (${OFFLINE_ACTION_NAMES[vm.offlineAction]})`;
  return [vm.name, vm.state, partition, offline];
}

export function formatInventory(inventory: Inventory): string {
  const out: string[] = [];
  const where = inventory.cluster ? `cluster ${inventory.cluster}` : 'standalone';
  out.push(`${inventory.connection} (${where}), ${inventory.servers.length} server(s), read at ${inventory.readAt}`);
  for (const server of inventory.servers) {
    out.push('');
    const host = server.host;
    const os = host?.osCaption ? ` - ${host.osCaption}${host.osBuild ? ` (build ${host.osBuild})` : ''}` : '';
    out.push(`Server ${server.name}${os}`);
    if (server.error) {
      out.push(`  error: ${server.error}`);
    }
    const partitions = serverPartitions(server);
    if (server.gpus.length === 0) {
      out.push('  GPUs: none found');
    } else {
      out.push('  GPUs:');
      out.push(
        ...indent(
          table(
            ['#', 'GPU', 'Status', 'PnP', 'Partitions', 'Valid counts', 'VRAM', 'VRAM/partition', 'In use', 'Name'],
            server.gpus.map((g, i) => gpuRow(server, partitions, g, i)),
          ),
          '    ',
        ),
      );
    }
    if (server.vms.length === 0) {
      out.push('  VMs: none');
    } else {
      out.push('  VMs:');
      out.push(...indent(table(['VM', 'State', 'GPU partition', 'Offline action'], server.vms.map((vm) => vmRow(server, vm))), '    '));
    }
  }
  return out.join('\n') + '\n';
}

export function describeRequest(request: OperationRequest): string {
  switch (request.kind) {
    case 'set-count': {
      const servers = [...new Set(request.targets.map((t) => t.server))].join(', ');
      return `set partition count to ${request.count} on ${request.targets.length} GPU(s) of ${servers}`;
    }
    case 'assign':
      return `assign a GPU partition to ${request.vms.join(', ')} on ${request.server}${request.gpu ? ` (GPU ${request.gpu})` : ''}${
        request.forceShutdownOfflineAction ? ', OfflineAction 3' : ''
      }`;
    case 'unassign':
      return `unassign the GPU partition of ${request.vms.join(', ')} on ${request.server}`;
  }
}

function refusalLines(refusals: PlanRefusal[]): string[] {
  return refusals.map((r) => `  ${r.server}/${r.target}: ${r.message} [${r.code}]`);
}

export function formatPlan(plan: OperationPlan): string {
  const out: string[] = [`What if: ${describeRequest(plan.request)}. Nothing is changed.`];
  if (plan.items.length === 0) {
    out.push('Nothing would run.');
  }
  for (const item of plan.items) {
    out.push('');
    out.push(`${item.server}/${item.target}${item.initialState ? ` (now ${item.initialState})` : ''}:`);
    item.steps.forEach((s, i) => out.push(`  ${i + 1}. ${s.action}: ${s.command}`));
  }
  if (plan.vmsPowerCycled.length > 0) {
    out.push('');
    out.push(`Turned off and on again: ${plan.vmsPowerCycled.map((v) => `${v.server}/${v.vm}`).join(', ')}`);
  }
  if (plan.refusals.length > 0) {
    out.push('');
    out.push('Refused:');
    out.push(...refusalLines(plan.refusals));
  }
  return out.join('\n') + '\n';
}

function itemLine(item: ItemResult): string[] {
  const status = item.ok ? 'ok' : 'FAILED';
  const state = item.finalState ? `, now ${item.finalState}` : '';
  const steps = item.completedSteps.length > 0 ? ` [${item.completedSteps.join(', ')}]` : '';
  const lines = [`  ${item.server}/${item.target}: ${status}${state}${steps}`];
  if (item.error) {
    lines.push(`    error: ${item.error}${item.rolledBack ? ' (rolled back)' : ''}`);
  }
  return lines;
}

export function formatResult(result: OperationResult): string {
  const out: string[] = [`${result.ok && result.refusals.length === 0 ? 'Done' : 'Not done'}: ${describeRequest(result.request)}.`];
  for (const item of result.items) {
    out.push(...itemLine(item));
  }
  if (result.refusals.length > 0) {
    out.push('Refused:');
    out.push(...refusalLines(result.refusals));
  }
  return out.join('\n') + '\n';
}

/** One streamed record as a line: `[host/target] message`, with the stream named unless it is plain output. */
export function formatRecord(record: OutputRecord): string {
  const where = [record.host, record.target].filter((x) => x !== undefined && x !== '').join('/');
  const prefix = where ? `[${where}] ` : '';
  const stream = record.stream === 'output' || record.stream === 'step' || record.stream === 'information' ? '' : `${record.stream.toUpperCase()}: `;
  const step = record.stream === 'step' && record.step && record.step !== 'done' ? `${record.step}: ` : '';
  return `${prefix}${stream}${step}${record.message}\n`;
}
