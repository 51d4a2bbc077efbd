import * as vscode from 'vscode';
import { findServer } from '../../model/gpuIdentity';
import { MESSAGES } from '../../model/messages';
import type { Inventory, Server } from '../../model/types';
import { webviewOptions } from '../html';
import { openPreview, runOperation } from '../operations';
import { PanelHost } from '../panelHost';
import type { WorkflowServices } from '../services';
import { assignVmRows, gpuOptions, type Localizer, vramOptions } from '../viewModels';
import * as P from './protocol';
import { assignValidator } from './schema';

const l10n: Localizer = { t: (message, args) => (args ? vscode.l10n.t(message, args) : vscode.l10n.t(message)) };

function strings(): P.AssignState['strings'] {
  return {
    title: vscode.l10n.t('Assign GPU partition to VM'),
    intro: vscode.l10n.t('Save workloads before you assign a partition. A VM can have one GPU partition, on the server it runs on.'),
    server: vscode.l10n.t('Choose the server'),
    vms: vscode.l10n.t('Virtual machines'),
    search: vscode.l10n.t('Search virtual machines'),
    selectAll: vscode.l10n.t('Select all'),
    noVms: vscode.l10n.t('No virtual machines match.'),
    vram: vscode.l10n.t('VRAM'),
    vramHelp: vscode.l10n.t('Select the available VRAM option. It must match the size of the partition count you configured.'),
    gpu: vscode.l10n.t('GPU (optional)'),
    anyGpu: vscode.l10n.t('Any GPU with a free partition'),
    offlineAction: vscode.l10n.t('Configure offline action for force shutdown'),
    offlineActionHelp: vscode.l10n.t('Recommended for high availability: when the cluster takes the VM offline (failover), it is shut down by force instead of saved, because a VM with a GPU partition cannot be saved. Sets the cluster resource OfflineAction to 3.'),
    powerCycleNote: vscode.l10n.t('Running VMs are turned off, get their partition, and are turned on again. VMs that are off stay off.'),
    assign: vscode.l10n.t('Assign partition'),
    previewScript: vscode.l10n.t('Preview script'),
    refresh: vscode.l10n.t('Refresh'),
    selectedCount: vscode.l10n.t('{0} selected'),
    nothingSelected: vscode.l10n.t('Select one or more virtual machines.'),
  };
}

/** The "Assign partition" form of one connection. */
export class AssignPanel {
  private static readonly open = new Map<string, AssignPanel>();
  readonly host: PanelHost;
  readonly connection: string;
  private server: string | undefined;
  private preselected: string[];
  private force: boolean;
  private epoch = 0;
  private running = false;
  private readonly storeSub: { dispose(): void };

  static show(services: WorkflowServices, connection: string, server?: string, vms: string[] = []): AssignPanel {
    const existing = AssignPanel.open.get(connection.toLowerCase());
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
    const panel = vscode.window.createWebviewPanel(P.viewType, vscode.l10n.t('Assign partition: {0}', connection), vscode.ViewColumn.Active, webviewOptions(services.extensionUri));
    return new AssignPanel(services, panel, { connection, server, selected: vms });
  }

  static revive(services: WorkflowServices, panel: vscode.WebviewPanel, persisted: P.AssignPersisted): AssignPanel {
    panel.webview.options = webviewOptions(services.extensionUri);
    return new AssignPanel(services, panel, persisted);
  }

  private constructor(
    private readonly services: WorkflowServices,
    panel: vscode.WebviewPanel,
    persisted: P.AssignPersisted,
  ) {
    this.connection = persisted.connection;
    this.server = persisted.server;
    this.preselected = persisted.selected ?? [];
    this.force = persisted.forceShutdownOfflineAction ?? false;
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'resources', 'gpu-partitions.svg');
    this.host = new PanelHost(panel, services, assignValidator, 'assign', panel.title);
    AssignPanel.open.set(this.connection.toLowerCase(), this);
    this.host
      .on(P.ready, () => this.sendState())
      .on(P.refresh, () => services.store.refresh(this.connection, this.server ? [this.server] : undefined))
      .on(P.serverChanged, (p) => {
        this.server = p.server;
        this.preselected = [];
        this.epoch++;
        return this.sendState();
      })
      .on(P.previewScript, (p) => openPreview(services, this.connection, this.request(p)))
      .on(P.assign, (p) => this.assign(p));
    this.storeSub = services.store.onDidChange((change) => {
      if (!this.running && change.connection?.toLowerCase() === this.connection.toLowerCase()) void this.sendState();
    });
    panel.onDidDispose(() => {
      this.storeSub.dispose();
      if (AssignPanel.open.get(this.connection.toLowerCase()) === this) AssignPanel.open.delete(this.connection.toLowerCase());
    });
  }

  private request(p: P.AssignParams) {
    return { kind: 'assign' as const, server: p.server, vms: p.vms, gpu: p.gpu, forceShutdownOfflineAction: p.forceShutdownOfflineAction };
  }

  private async inventory(): Promise<Inventory> {
    await this.services.store.ensureLoaded(this.connection);
    const snap = this.services.store.snapshot(this.connection);
    if (!snap?.inventory) throw new Error(snap?.error ?? vscode.l10n.t('No connection is named "{0}".', this.connection));
    return snap.inventory;
  }

  private async sendState(): Promise<void> {
    const inventory = await this.inventory();
    const server: Server | undefined = (this.server && findServer(inventory.servers, this.server)) || inventory.servers.find((s) => !s.error) || inventory.servers[0];
    this.server = server?.name;
    const options = server && !server.error ? vramOptions(l10n, server) : [];
    const problem = !server
      ? vscode.l10n.t('This connection has no servers.')
      : server.error
        ? vscode.l10n.t('This server could not be read: {0}', server.error)
        : options.length === 0
          ? vscode.l10n.t(MESSAGES.noPartitionableGpus)
          : undefined;
    this.host.post(P.stateChanged, {
      connection: this.connection,
      servers: inventory.servers.map((s) => s.name),
      server: server?.name ?? '',
      vms: server && !server.error ? assignVmRows(l10n, server) : [],
      vramOptions: options,
      gpuOptions: server && !server.error ? gpuOptions(l10n, server) : [],
      preselected: this.preselected,
      selectionEpoch: this.epoch,
      forceShutdownOfflineAction: this.force,
      problem,
      strings: strings(),
    });
  }

  private async assign(p: P.AssignParams): Promise<void> {
    if (this.running) return;
    const inventory = await this.inventory();
    const server = findServer(inventory.servers, p.server);
    // WAC: the VRAM value "must match the size of the partition count that you configured".
    const option = server ? vramOptions(l10n, server).find((o) => o.bytes === p.vramBytes) : undefined;
    if (!server || !option) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The VRAM option no longer matches the partition size configured on {0}. Refresh and choose again.', p.server));
      return this.sendState();
    }
    // With several partition sizes on one server, the size picks the GPU when none was chosen.
    const gpu = p.gpu ?? (vramOptions(l10n, server).length > 1 ? option.gpus[0] : undefined);
    if (gpu && !option.gpus.includes(gpu)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The chosen GPU is not configured to the chosen VRAM size.'));
      return;
    }
    this.force = p.forceShutdownOfflineAction;
    this.running = true;
    try {
      await runOperation(this.services, this.connection, this.request({ ...p, gpu }), { onView: (view) => this.host.post(P.operationChanged, view) });
    } finally {
      this.running = false;
      this.preselected = [];
      this.epoch++;
      await this.sendState();
    }
  }
}
