import * as vscode from 'vscode';
import { planCapacity } from '../../model/planner';
import type { Translate } from '../../tree/nodes/types';
import { webviewOptions } from '../html';
import { PanelHost } from '../panelHost';
import type { WorkflowServices } from '../services';
import * as P from './protocol';
import { capacityValidator } from './schema';
import { capacityBars, planView } from './viewModel';

const t: Translate = (message, ...args) => vscode.l10n.t(message, ...args);

function strings(): P.CapacityState['strings'] {
  return {
    title: vscode.l10n.t('GPU capacity'),
    refresh: vscode.l10n.t('Refresh'),
    legend: vscode.l10n.t('Legend'),
    running: vscode.l10n.t('Held by a running VM'),
    idle: vscode.l10n.t('Held by a VM that is not running (saved, paused): stranded'),
    pending: vscode.l10n.t('Assigned to a VM that is off: stranded until it starts'),
    free: vscode.l10n.t('Free'),
    cluster: vscode.l10n.t('Cluster total'),
    formTitle: vscode.l10n.t('Where would N VMs needing X GiB each fit?'),
    vmCount: vscode.l10n.t('Number of VMs (N)'),
    vramGiB: vscode.l10n.t('VRAM per VM in GiB (X)'),
    ask: vscode.l10n.t('Find room'),
    server: vscode.l10n.t('Server'),
    fitNow: vscode.l10n.t('Fit now'),
    countToServe: vscode.l10n.t('Partition count that serves it'),
    fitAfter: vscode.l10n.t('Fit after the change'),
    disturbs: vscode.l10n.t('What the change disturbs'),
    placement: vscode.l10n.t('Placed (now → after)'),
    nothing: vscode.l10n.t('nothing'),
    invalid: vscode.l10n.t('Enter a whole number of VMs (1 or more) and a VRAM size in GiB greater than 0.'),
    loading: vscode.l10n.t('Reading the servers…'),
    orphaned: vscode.l10n.t('Orphaned adapters (their GPU is not on this server)'),
    overcommitted: vscode.l10n.t('More partitions are held or pinned than the partition count allows.'),
  };
}

/**
 * "GPU capacity" of one connection: bars of partitions per GPU, server by server, coloured by VM
 * and power state, with totals, and the capacity planner's form. Follows the store: a refresh of
 * the connection (from the tree or after an operation) redraws it.
 */
export class CapacityPanel {
  private static readonly open = new Map<string, CapacityPanel>();
  readonly host: PanelHost;
  private question = { vmCount: 4, vramGiB: 2 };
  private plan: P.PlanView | undefined;
  private error: string | undefined;
  private readonly storeSub: { dispose(): void };

  static show(services: WorkflowServices, connection: string): CapacityPanel {
    const existing = CapacityPanel.open.get(connection.toLowerCase());
    if (existing && !existing.host.isDisposed) {
      existing.host.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(P.viewType, vscode.l10n.t('Capacity: {0}', connection), vscode.ViewColumn.Active, webviewOptions(services.extensionUri));
    return new CapacityPanel(services, panel, connection);
  }

  /** A panel VS Code restored after a window reload, with the planner question the page kept (answered again). */
  static revive(services: WorkflowServices, panel: vscode.WebviewPanel, connection: string, question?: { vmCount: number; vramGiB: number }): CapacityPanel {
    panel.webview.options = webviewOptions(services.extensionUri);
    const p = new CapacityPanel(services, panel, connection);
    if (question) void p.ready.then(() => p.ask(question.vmCount, question.vramGiB));
    return p;
  }

  /** Resolves when the first state was computed. */
  readonly ready: Promise<void>;

  private constructor(
    private readonly services: WorkflowServices,
    panel: vscode.WebviewPanel,
    readonly connection: string,
  ) {
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'resources', 'gpu-partitions.svg');
    this.host = new PanelHost(panel, services, capacityValidator, 'capacity', panel.title);
    CapacityPanel.open.set(connection.toLowerCase(), this);
    this.host
      .on(P.ready, () => this.post())
      .on(P.refresh, async () => {
        await services.store.refresh(connection);
        this.post();
      })
      .on(P.ask, (q) => this.ask(q.vmCount, q.vramGiB));
    this.storeSub = services.store.onDidChange((change) => {
      if (!change.connection || change.connection.toLowerCase() === connection.toLowerCase()) {
        if (this.plan) this.ask(this.question.vmCount, this.question.vramGiB, false);
        this.post();
      }
    });
    panel.onDidDispose(() => {
      this.storeSub.dispose();
      if (CapacityPanel.open.get(connection.toLowerCase()) === this) CapacityPanel.open.delete(connection.toLowerCase());
    });
    this.ready = services.store.ensureLoaded(connection).then(() => this.post());
  }

  /** Answers the planner question on the current inventory (and posts it unless `post` is false). Returns the answer for tests. */
  ask(vmCount: number, vramGiB: number, post = true): P.PlanView | undefined {
    this.question = { vmCount, vramGiB };
    const inventory = this.services.store.inventory(this.connection);
    if (!inventory) return undefined;
    try {
      this.plan = planView(planCapacity(inventory, this.question), t);
      this.error = undefined;
    } catch (err) {
      this.plan = undefined;
      this.error = err instanceof Error ? err.message : String(err);
    }
    if (post) this.post();
    return this.plan;
  }

  /** The state the page shows (public for tests). */
  state(): P.CapacityState {
    const snap = this.services.store.snapshot(this.connection);
    const inventory = snap?.inventory;
    const base = { connection: this.connection, question: this.question, strings: strings(), plan: this.plan, loading: snap?.state === 'loading' };
    if (!inventory) {
      return { ...base, subject: this.connection, servers: [], error: snap?.error ?? this.error };
    }
    const bars = capacityBars(inventory, t);
    return {
      ...base,
      subject: inventory.cluster ?? this.connection,
      readAt: vscode.l10n.t('Read at {0}', new Date(inventory.readAt).toLocaleString(vscode.env.language)),
      totals: bars.totals,
      servers: bars.servers,
      error: this.error,
    };
  }

  private post(): void {
    this.host.post(P.stateChanged, this.state());
  }
}
