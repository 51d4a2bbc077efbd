import * as vscode from 'vscode';
import { gpuName } from '../model/gpuIdentity';
import { vmHasPartition } from '../model/partitions';
import type { OperationRequest } from '../model/types';
import { commonValidCounts } from '../model/validation';
import type { TreeNode } from '../tree/presentation';
import { openPreview } from '../webviews/operations';
import { loadInventory, pickConnection, pickCount, pickGpus, pickServer, pickVms, toWorkflowServices } from '../webviews/pickers';
import { type CommandServices, connectionOf, selectedNodes } from './services';

/**
 * `gpuPartitions.previewScript`: the what-if plan of an operation as an untitled PowerShell
 * document (nothing runs). From the tree: a VM without a partition previews an assign (without
 * the offline action; the Assign form previews with its options), a VM or partition with a
 * partition previews an unassign, GPUs preview a partition-count change (asks for the count).
 * From the palette: asks for the operation and its targets. The forms have their own button.
 */
export async function previewScript(services: CommandServices, node?: TreeNode, nodes?: TreeNode[]): Promise<vscode.TextDocument | undefined> {
  const ws = toWorkflowServices(services);
  const targets = selectedNodes(node, nodes);
  const connection = targets.length ? connectionOf(targets[0]) : await pickConnection(ws);
  if (!connection) return undefined;
  const request = targets.length ? await fromNodes(targets, connection) : await fromPalette(ws, connection);
  if (!request) return undefined;
  return openPreview(ws, connection, request);
}

async function fromNodes(targets: TreeNode[], connection: string): Promise<OperationRequest | undefined> {
  const gpus = targets.filter((n): n is Extract<TreeNode, { nodeType: 'gpu' }> => n.nodeType === 'gpu' && !!n.gpu.partitionable);
  if (gpus.length > 0) {
    const count = await pickCount(commonValidCounts(gpus.map((g) => g.gpu)), gpus[0].gpu.partitionable?.partitionCount);
    if (count === undefined) return undefined;
    return { kind: 'set-count', targets: gpus.map((g) => ({ server: g.server.name, gpu: gpuName(g.gpu) })), count };
  }
  const first = targets[0];
  const server = 'server' in first && first.server && typeof first.server === 'object' ? first.server.name : undefined;
  if (!server) return undefined;
  const vms: { vm: string; has: boolean }[] = [];
  for (const n of targets) {
    if (n.nodeType === 'vm' && n.server.name === server) vms.push({ vm: n.vm.name, has: vmHasPartition(n.vm) });
    if (n.nodeType === 'partition' && n.state === 'held' && n.server.name === server) vms.push({ vm: n.held.vm, has: true });
    if (n.nodeType === 'partition' && n.state === 'pending' && n.server.name === server) vms.push({ vm: n.pending.vm, has: true });
  }
  if (vms.length === 0) return undefined;
  const unassign = vms[0].has;
  const names = [...new Set(vms.filter((v) => v.has === unassign).map((v) => v.vm))];
  return unassign ? { kind: 'unassign', server, vms: names } : { kind: 'assign', server, vms: names, forceShutdownOfflineAction: false };
}

async function fromPalette(ws: ReturnType<typeof toWorkflowServices>, connection: string): Promise<OperationRequest | undefined> {
  const kinds = [
    { label: vscode.l10n.t('Configure partition count'), op: 'set-count' as const },
    { label: vscode.l10n.t('Assign partition'), op: 'assign' as const },
    { label: vscode.l10n.t('Unassign partition'), op: 'unassign' as const },
  ];
  const pick = await vscode.window.showQuickPick(kinds, { title: vscode.l10n.t('Preview script'), placeHolder: vscode.l10n.t('Which operation?') });
  if (!pick) return undefined;
  const inventory = await loadInventory(ws, connection);
  if (!inventory) return undefined;
  if (pick.op === 'set-count') {
    const refs = await pickGpus(inventory, vscode.l10n.t('Preview script: GPUs'));
    if (!refs) return undefined;
    const gpus = refs.map((r) => inventory.servers.find((s) => s.name === r.server)!.gpus.find((g) => gpuName(g) === r.gpu)!);
    const count = await pickCount(commonValidCounts(gpus), gpus[0]?.partitionable?.partitionCount);
    return count === undefined ? undefined : { kind: 'set-count', targets: refs, count };
  }
  const wantPartition = pick.op === 'unassign';
  const server = await pickServer(inventory, vscode.l10n.t('Preview script: server'));
  if (!server) return undefined;
  const vms = await pickVms(server, vscode.l10n.t('Preview script: virtual machines'), (v) => vmHasPartition(v) === wantPartition);
  if (!vms) return undefined;
  return pick.op === 'assign' ? { kind: 'assign', server: server.name, vms, forceShutdownOfflineAction: false } : { kind: 'unassign', server: server.name, vms };
}
