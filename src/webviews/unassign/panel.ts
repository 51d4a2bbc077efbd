import * as vscode from 'vscode';
import { findServer } from '../../model/gpuIdentity';
import { vmHasPartition } from '../../model/partitions';
import type { Inventory, Server } from '../../model/types';
import { webviewOptions } from '../html';
import { openPreview, runOperation } from '../operations';
import { PanelHost } from '../panelHost';
import type { WorkflowServices } from '../services';
import { type Localizer, unassignVmRows } from '../viewModels';
import * as P from './protocol';
import { unassignValidator } from './schema';

const l10n: Localizer = { t: (message, args) => (args ? vscode.l10n.t(message, args) : vscode.l10n.t(message)) };

function strings(): P.UnassignState['strings'] {
  return {
    title: vscode.l10n.t('Unassign GPU partition from VM'),
    intro: vscode.l10n.t('Save workloads before you unassign a partition. The partition goes back to the GPU and can be assigned to another VM.'),
    server: vscode.l10n.t('Choose the server'),
    vms: vscode.l10n.t('Choose virtual machine to unassign partition from'),
    search: vscode.l10n.t('Search virtual machines'),
    selectAll: vscode.l10n.t('Select all'),
    noVms: vscode.l10n.t('No virtual machine on this server has a GPU partition.'),
    powerCycleNote: vscode.l10n.t('Running VMs are turned off, lose their partition, and are turned on again. VMs that are off stay off.'),
    unassign: vscode.l10n.t('Unassign partition'),
    previewScript: vscode.l10n.t('Preview script'),
    refresh: vscode.l10n.t('Refresh'),
    selectedCount: vscode.l10n.t('{0} selected'),
    nothingSelected: vscode.l10n.t('Select one or more virtual machines.'),
  };
}

/** The "Unassign partition" form of one connection. */
export class UnassignPanel {
  private static readonly open = new Map<string, UnassignPanel>();
  readonly host: PanelHost;
  readonly connection: string;
  private server: string | undefined;
  private preselected: string[];
  private epoch = 0;
  private running = false;
  private readonly storeSub: { dispose(): void };

  static show(services: WorkflowServices, connection: string, server?: string, vms: string[] = []): UnassignPanel {
    const existing = UnassignPanel.open.get(connection.toLowerCase());
    if (existing && !existing.host.isDisposed) {
      existing.host.panel.reveal();
      if (server || vms.length) {
        existing.server = server ?? existing.server;
        existing.preselected = vms;
        existing.epoch++;
        void existing.sendState();
      }
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(P.viewType, vscode.l10n.t('Unassign partition: {0}', connection), vscode.ViewColumn.Active, webviewOptions(services.extensionUri));
    return new UnassignPanel(services, panel, { connection, server, selected: vms });
  }

  static revive(services: WorkflowServices, panel: vscode.WebviewPanel, persisted: P.UnassignPersisted): UnassignPanel {
    panel.webview.options = webviewOptions(services.extensionUri);
    return new UnassignPanel(services, panel, persisted);
  }

  private constructor(
    private readonly services: WorkflowServices,
    panel: vscode.WebviewPanel,
    persisted: P.UnassignPersisted,
  ) {
    this.connection = persisted.connection;
    this.server = persisted.server;
    this.preselected = persisted.selected ?? [];
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'resources', 'gpu-partitions.svg');
    this.host = new PanelHost(panel, services, unassignValidator, 'unassign', panel.title);
    UnassignPanel.open.set(this.connection.toLowerCase(), this);
    this.host
      .on(P.ready, () => this.sendState())
      .on(P.refresh, () => services.store.refresh(this.connection, this.server ? [this.server] : undefined))
      .on(P.serverChanged, (p) => {
        this.server = p.server;
        this.preselected = [];
        this.epoch++;
        return this.sendState();
      })
      .on(P.previewScript, (p) => openPreview(services, this.connection, { kind: 'unassign', server: p.server, vms: p.vms }))
      .on(P.unassign, (p) => this.unassign(p));
    this.storeSub = services.store.onDidChange((change) => {
      if (!this.running && change.connection?.toLowerCase() === this.connection.toLowerCase()) void this.sendState();
    });
    panel.onDidDispose(() => {
      this.storeSub.dispose();
      if (UnassignPanel.open.get(this.connection.toLowerCase()) === this) UnassignPanel.open.delete(this.connection.toLowerCase());
    });
  }

  private async inventory(): Promise<Inventory> {
    await this.services.store.ensureLoaded(this.connection);
    const snap = this.services.store.snapshot(this.connection);
    if (!snap?.inventory) throw new Error(snap?.error ?? vscode.l10n.t('No connection is named "{0}".', this.connection));
    return snap.inventory;
  }

  private async sendState(): Promise<void> {
    const inventory = await this.inventory();
    // Default server: the first one with a VM that has a partition, else the first readable one.
    const server: Server | undefined =
      (this.server && findServer(inventory.servers, this.server)) ||
      inventory.servers.find((s) => !s.error && s.vms.some(vmHasPartition)) ||
      inventory.servers.find((s) => !s.error) ||
      inventory.servers[0];
    this.server = server?.name;
    this.host.post(P.stateChanged, {
      connection: this.connection,
      servers: inventory.servers.map((s) => s.name),
      server: server?.name ?? '',
      vms: server && !server.error ? unassignVmRows(l10n, server) : [],
      preselected: this.preselected,
      selectionEpoch: this.epoch,
      problem: !server ? vscode.l10n.t('This connection has no servers.') : server.error ? vscode.l10n.t('This server could not be read: {0}', server.error) : undefined,
      strings: strings(),
    });
  }

  private async unassign(p: P.UnassignParams): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await runOperation(this.services, this.connection, { kind: 'unassign', server: p.server, vms: p.vms }, { onView: (view) => this.host.post(P.operationChanged, view) });
    } finally {
      this.running = false;
      this.preselected = [];
      this.epoch++;
      await this.sendState();
    }
  }
}
