import * as vscode from 'vscode';
import { CancelledError } from '../model/backend';
import { findServer } from '../model/gpuIdentity';
import { assessGuest, isGuestProbe, parseNvidiaSmiXml, type GuestProbe } from '../model/nvidiaSmi';
import { vmHasPartition } from '../model/partitions';
import { SimGuestProbe } from '../sim/guest';
import type { TreeNode } from '../tree/presentation';
import type { Translate } from '../tree/nodes/types';
import { guestMarkdown } from '../webviews/guest/report';
import { loadInventory, pickConnection, pickServer, pickVms, toWorkflowServices } from '../webviews/pickers';
import { type CommandServices, connectionOf } from './services';

const t: Translate = (message, ...args) => vscode.l10n.t(message, ...args);

/** The VM a node stands for: a VM row or the VM of a partition row. */
function vmOf(node: TreeNode): { server: string; vm: string } | undefined {
  if (node.nodeType === 'vm') return { server: node.server.name, vm: node.vm.name };
  if (node.nodeType === 'partition' && node.state === 'held') return { server: node.server.name, vm: node.held.vm };
  return undefined;
}

/**
 * The probe of a connection: the simulator answers from its state; a real connection needs a
 * backend that can run PowerShell Direct (`Invoke-Command -VMName … { nvidia-smi -q -x }`).
 */
export function guestProbeFor(services: CommandServices, connection: string): GuestProbe | undefined {
  const backend = services.store.backend(connection);
  if (isGuestProbe(backend)) return backend;
  const c = services.store.connections().find((x) => x.name.toLowerCase() === connection.toLowerCase());
  return c?.kind === 'sim' ? new SimGuestProbe(backend) : undefined;
}

/**
 * `gpuPartitions.guestCheck`: runs `nvidia-smi -q -x` inside a running VM with a GPU partition and
 * shows driver version, virtualization mode, framebuffer and licence state in the Markdown
 * preview. Returns the Markdown (tests), or undefined when cancelled or impossible.
 */
export async function guestCheck(services: CommandServices, node?: TreeNode | { connection: string; server: string; vm: string }): Promise<string | undefined> {
  const ws = toWorkflowServices(services);
  let connection: string | undefined;
  let ref: { server: string; vm: string } | undefined;
  if (node && 'nodeType' in node) {
    connection = connectionOf(node);
    ref = vmOf(node);
  } else if (node) {
    connection = node.connection;
    ref = { server: node.server, vm: node.vm };
  } else {
    connection = await pickConnection(ws);
    if (!connection) return undefined;
    const inventory = await loadInventory(ws, connection);
    if (!inventory) return undefined;
    const running = (v: { state: string }) => v.state === 'Running';
    const server = await pickServer(inventory, vscode.l10n.t('Check guest driver: server'), (s) => s.vms.some((v) => running(v) && vmHasPartition(v)));
    if (!server) return undefined;
    const vms = await pickVms(server, vscode.l10n.t('Check guest driver: virtual machine'), (v) => running(v) && vmHasPartition(v));
    if (!vms) return undefined;
    ref = { server: server.name, vm: vms[0] };
  }
  if (!connection || !ref) return undefined;
  const probe = guestProbeFor(services, connection);
  if (!probe) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('The guest check of {0} needs the PowerShell backend to run nvidia-smi inside the VM (PowerShell Direct: Invoke-Command -VMName); this connection cannot do that yet.', connection),
    );
    return undefined;
  }
  const inventory = services.store.inventory(connection);
  const vm = inventory ? findServer(inventory.servers, ref.server)?.vms.find((v) => v.name.toLowerCase() === ref!.vm.toLowerCase()) : undefined;
  const partitionVRAM = vm?.adapters.find((a) => a.currentPartitionVRAM !== undefined)?.currentPartitionVRAM;

  let xml: string;
  try {
    xml = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Running nvidia-smi in {0}…', ref.vm), cancellable: true },
      async (_p, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          return await probe.nvidiaSmiXml(ref!.server, ref!.vm, { signal: abort.signal });
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (err) {
    if (err instanceof CancelledError || (err instanceof Error && err.name === 'CancelledError')) return undefined;
    const message = err instanceof Error ? err.message : String(err);
    services.channel.warn(`[${ref.server}] ${ref.vm}: guest check failed: ${message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Guest check of {0} failed: {1}', ref.vm, message));
    return undefined;
  }
  const check = assessGuest(parseNvidiaSmiXml(xml), partitionVRAM);
  services.channel.info(`[${ref.server}] ${ref.vm}: guest check ${check.status} (driver ${check.report.driverVersion ?? '?'})`);
  const markdown = guestMarkdown(ref.vm, ref.server, check, t, (m, a) => vscode.l10n.t(m, a));
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  try {
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
  } catch {
    await vscode.window.showTextDocument(doc, { preview: false });
  }
  return markdown;
}
