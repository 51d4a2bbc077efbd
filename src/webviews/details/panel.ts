import * as vscode from 'vscode';
import { findGpu, findServer, gpuName } from '../../model/gpuIdentity';
import type { TreeNode } from '../../tree/nodes/types';
import { webviewOptions } from '../html';
import { PanelHost } from '../panelHost';
import type { WorkflowServices } from '../services';
import { gpuDetails, gpuShortLabel, type Localizer, partitionDetails } from '../viewModels';
import * as P from './protocol';
import { detailsValidator } from './schema';

const l10n: Localizer = { t: (message, args) => (args ? vscode.l10n.t(message, args) : vscode.l10n.t(message)) };

/** The details reference of a tree node, or undefined for nodes without details (WAC shows GPUs and partitions). */
export function detailsRef(node: TreeNode | undefined): P.DetailsRef | undefined {
  if (!node) return undefined;
  if (node.nodeType === 'gpu') return { kind: 'gpu', connection: node.connection, server: node.server.name, gpu: gpuName(node.gpu) };
  if (node.nodeType === 'partition' && node.state !== 'free') {
    const adapter = node.state === 'held' ? node.held.adapter : node.pending.adapter;
    const vm = node.state === 'held' ? node.held.vm : node.pending.vm;
    return { kind: 'partition', connection: node.connection, server: node.server.name, vm, adapterId: adapter.id };
  }
  return undefined;
}

/** WAC's "Selected item details" as a panel beside the editor that follows the tree selection. */
export class DetailsPanel {
  private static current: DetailsPanel | undefined;
  readonly host: PanelHost;
  private ref: P.DetailsRef | undefined;
  private shownValues = new Set<string>();
  private readonly storeSub: { dispose(): void };

  static show(services: WorkflowServices, ref: P.DetailsRef | undefined): DetailsPanel {
    const existing = DetailsPanel.current;
    if (existing && !existing.host.isDisposed) {
      existing.host.panel.reveal(undefined, true);
      if (ref) existing.select(ref);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(P.viewType, vscode.l10n.t('GPU Partitions: Details'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(services.extensionUri));
    return new DetailsPanel(services, panel, ref);
  }

  static revive(services: WorkflowServices, panel: vscode.WebviewPanel, persisted: P.DetailsPersisted): DetailsPanel {
    panel.webview.options = webviewOptions(services.extensionUri);
    return new DetailsPanel(services, panel, persisted.ref);
  }

  /** Called on every tree selection change: updates the panel when it is open, never opens it. */
  static follow(node: TreeNode | undefined): void {
    const ref = detailsRef(node);
    const p = DetailsPanel.current;
    if (ref && p && !p.host.isDisposed) p.select(ref);
  }

  private constructor(
    private readonly services: WorkflowServices,
    panel: vscode.WebviewPanel,
    ref: P.DetailsRef | undefined,
  ) {
    this.ref = ref;
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'resources', 'gpu-partitions.svg');
    this.host = new PanelHost(panel, services, detailsValidator, 'details', panel.title);
    DetailsPanel.current = this;
    this.host
      .on(P.ready, () => this.sendState())
      .on(P.copyValue, async (p) => {
        // Only a value the pane shows right now: the page cannot use this to fill the clipboard.
        if (!this.shownValues.has(p.value)) {
          services.log.trace(`[webview ${P.viewType}] ignored copyValue of a value not shown`);
          return;
        }
        await vscode.env.clipboard.writeText(p.value);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to the clipboard.'), 2000);
      });
    this.storeSub = services.store.onDidChange((change) => {
      if (this.ref && change.connection?.toLowerCase() === this.ref.connection.toLowerCase()) void this.sendState();
    });
    panel.onDidDispose(() => {
      this.storeSub.dispose();
      if (DetailsPanel.current === this) DetailsPanel.current = undefined;
    });
  }

  private render(state: P.DetailsState): void {
    this.shownValues = new Set(state.fields.map((f) => f.value));
    this.host.post(P.stateChanged, state);
  }

  select(ref: P.DetailsRef): void {
    this.ref = ref;
    void this.sendState();
  }

  private strings(): P.DetailsState['strings'] {
    return { title: vscode.l10n.t('Details'), copy: vscode.l10n.t('Copy value') };
  }

  private async sendState(): Promise<void> {
    const ref = this.ref;
    const none = (empty: string) => this.render({ heading: vscode.l10n.t('Selected item details'), fields: [], empty, ref, strings: this.strings() });
    if (!ref) return none(vscode.l10n.t('Select a GPU or a GPU partition in the GPU Partitions view.'));
    await this.services.store.ensureLoaded(ref.connection);
    const inventory = this.services.store.inventory(ref.connection);
    const server = inventory ? findServer(inventory.servers, ref.server) : undefined;
    if (!server) return none(vscode.l10n.t('The selected item is no longer there.'));
    if (ref.kind === 'gpu') {
      const gpu = findGpu(server, ref.gpu);
      if (!gpu) return none(vscode.l10n.t('The selected item is no longer there.'));
      this.render({ heading: vscode.l10n.t('GPU selected'), subject: `${server.name} / ${gpuShortLabel(gpu)}`, fields: gpuDetails(l10n, gpu), ref, strings: this.strings() });
      return;
    }
    const vm = server.vms.find((v) => v.name === ref.vm);
    const adapter = vm?.adapters.find((a) => a.id === ref.adapterId) ?? vm?.adapters[0];
    if (!vm || !adapter) return none(vscode.l10n.t('The selected item is no longer there.'));
    this.render({ heading: vscode.l10n.t('GPU partition selected'), subject: `${server.name} / ${vm.name}`, fields: partitionDetails(l10n, vm, adapter), ref, strings: this.strings() });
  }
}
