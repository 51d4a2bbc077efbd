import * as vscode from 'vscode';
import { sameGpuRef } from '../../model/gpuIdentity';
import { defaultSelection } from '../../model/homogeneous';
import type { Inventory } from '../../model/types';
import { validateCountSelection } from '../../model/validation';
import { webviewOptions } from '../html';
import { openPreview, runOperation } from '../operations';
import { PanelHost } from '../panelHost';
import type { WorkflowServices } from '../services';
import { configureCountSections, countValidationView, existingRefs, type Localizer } from '../viewModels';
import * as P from './protocol';
import { configureCountValidator } from './schema';

const l10n: Localizer = { t: (message, args) => (args ? vscode.l10n.t(message, args) : vscode.l10n.t(message)) };

function strings(): P.ConfigureCountState['strings'] {
  return {
    title: vscode.l10n.t('Configure partition count on GPUs'),
    intro: vscode.l10n.t('For each server, the GPUs installed on it. Select a homogeneous set: GPUs of the same size, manufacturer, model number and number of partitions. A homogeneous set is selected for you when one is found.'),
    serverError: vscode.l10n.t('This server could not be read:'),
    colSelect: vscode.l10n.t('Select'),
    colName: vscode.l10n.t('Name'),
    colStatus: vscode.l10n.t('Status'),
    colManufacturer: vscode.l10n.t('Manufacturer'),
    colPartitionCount: vscode.l10n.t('Partition count'),
    colTotalVram: vscode.l10n.t('Total VRAM'),
    assignedTo: vscode.l10n.t('Partition assigned to:'),
    notPartitionable: vscode.l10n.t('Not partitionable'),
    numberOfPartitions: vscode.l10n.t('Number of partitions'),
    noValidCounts: vscode.l10n.t('No partition count is valid for every selected GPU.'),
    configure: vscode.l10n.t('Configure partition count'),
    previewScript: vscode.l10n.t('Preview script'),
    refresh: vscode.l10n.t('Refresh'),
    selectedCount: vscode.l10n.t('{0} of {1} GPUs selected'),
    running: vscode.l10n.t('Running…'),
    noGpus: vscode.l10n.t('No partitionable GPUs have been found. Please check that you have a GPU with the correct GPU-P driver to proceed.'),
  };
}

/** The "Configure partition count" form of one connection. */
export class ConfigureCountPanel {
  private static readonly open = new Map<string, ConfigureCountPanel>();
  readonly host: PanelHost;
  /** The page's current selection (last selectionChanged), kept to re-render after a refresh. */
  private selected: P.GpuRef[] | undefined;
  private count: number | undefined;
  private running = false;
  private readonly storeSub: { dispose(): void };

  static show(services: WorkflowServices, connection: string, preselect?: P.GpuRef[]): ConfigureCountPanel {
    const existing = ConfigureCountPanel.open.get(connection.toLowerCase());
    if (existing && !existing.host.isDisposed) {
      existing.host.panel.reveal();
      if (preselect?.length) {
        existing.selected = preselect;
        void existing.sendState();
      }
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(P.viewType, vscode.l10n.t('Configure partition count: {0}', connection), vscode.ViewColumn.Active, webviewOptions(services.extensionUri));
    return new ConfigureCountPanel(services, panel, { connection, selected: preselect });
  }

  /** For the serializer: a panel VS Code restored after a window reload. */
  static revive(services: WorkflowServices, panel: vscode.WebviewPanel, persisted: P.ConfigureCountPersisted): ConfigureCountPanel {
    panel.webview.options = webviewOptions(services.extensionUri);
    return new ConfigureCountPanel(services, panel, persisted);
  }

  private constructor(
    private readonly services: WorkflowServices,
    panel: vscode.WebviewPanel,
    persisted: P.ConfigureCountPersisted,
  ) {
    this.connection = persisted.connection;
    this.selected = persisted.selected;
    this.count = persisted.count;
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'resources', 'gpu-partitions.svg');
    this.host = new PanelHost(panel, services, configureCountValidator, 'configureCount', panel.title);
    ConfigureCountPanel.open.set(this.connection.toLowerCase(), this);
    this.host
      .on(P.ready, () => this.sendState())
      .on(P.refresh, () => this.refresh())
      .on(P.selectionChanged, (p) => this.onSelection(p.seq, p.selected))
      .on(P.previewScript, (p) => this.preview(p.selected, p.count))
      .on(P.configure, (p) => this.configure(p.selected, p.count));
    this.storeSub = services.store.onDidChange((change) => {
      if (!this.running && change.connection?.toLowerCase() === this.connection.toLowerCase()) void this.sendState();
    });
    panel.onDidDispose(() => {
      this.storeSub.dispose();
      if (ConfigureCountPanel.open.get(this.connection.toLowerCase()) === this) ConfigureCountPanel.open.delete(this.connection.toLowerCase());
    });
  }

  readonly connection: string;

  private async inventory(): Promise<Inventory> {
    await this.services.store.ensureLoaded(this.connection);
    const snap = this.services.store.snapshot(this.connection);
    if (!snap?.inventory) throw new Error(snap?.error ?? vscode.l10n.t('No connection is named "{0}".', this.connection));
    return snap.inventory;
  }

  private async sendState(): Promise<void> {
    const inventory = await this.inventory();
    const selected = this.selected ? existingRefs(inventory, this.selected) : defaultSelection(inventory);
    this.selected = selected;
    this.host.post(P.stateChanged, {
      connection: this.connection,
      servers: configureCountSections(l10n, inventory),
      selected,
      count: this.count,
      strings: strings(),
    });
  }

  private async refresh(): Promise<void> {
    await this.services.store.refresh(this.connection);
  }

  private async onSelection(seq: number, selected: P.GpuRef[]): Promise<void> {
    this.selected = selected;
    const inventory = await this.inventory();
    this.host.post(P.validationChanged, countValidationView(l10n, inventory, selected, seq, validateCountSelection(inventory, selected)));
  }

  private async preview(selected: P.GpuRef[], count: number): Promise<void> {
    await openPreview(this.services, this.connection, { kind: 'set-count', targets: dedupe(selected), count });
  }

  private async configure(selected: P.GpuRef[], count: number): Promise<void> {
    if (this.running) return;
    // The page disables the button on errors; the extension does not trust that and re-checks.
    const inventory = await this.inventory();
    const v = validateCountSelection(inventory, selected);
    if (v.errors.length > 0 || !v.validCounts.includes(count)) {
      this.host.post(P.validationChanged, countValidationView(l10n, inventory, selected, -1, v));
      void vscode.window.showErrorMessage(v.errors[0] ? countValidationView(l10n, inventory, selected, -1, v).errors[0].text : vscode.l10n.t('Partition count {0} is not valid for the selected GPUs.', count));
      return;
    }
    this.selected = selected;
    this.count = count;
    this.running = true;
    try {
      await runOperation(this.services, this.connection, { kind: 'set-count', targets: dedupe(selected), count }, { onView: (view) => this.host.post(P.operationChanged, view) });
    } finally {
      this.running = false;
      // After a change every GPU has the new count: keep the same GPUs selected.
      await this.sendState();
    }
  }
}

function dedupe(refs: readonly P.GpuRef[]): P.GpuRef[] {
  const out: P.GpuRef[] = [];
  for (const r of refs) if (!out.some((o) => sameGpuRef(o, r))) out.push({ server: r.server, gpu: r.gpu });
  return out;
}
