import * as vscode from 'vscode';
import { findServer } from '../../model/gpuIdentity';
import { runChecks, summarizeChecks, type CheckResult } from '../../model/checks';
import type { Inventory } from '../../model/types';
import { webviewOptions } from '../html';
import { PanelHost } from '../panelHost';
import type { WorkflowServices } from '../services';
import * as P from './protocol';
import { checksValidator } from './schema';
import { checksMarkdown, groupResults, summaryText, type Tr } from './viewModel';

export const tr: Tr = (message, args) => (args ? vscode.l10n.t(message, args) : vscode.l10n.t(message));

function strings(): P.ChecksState['strings'] {
  return {
    title: vscode.l10n.t('Check prerequisites'),
    runAgain: vscode.l10n.t('Run again'),
    export: vscode.l10n.t('Export as Markdown'),
    copy: vscode.l10n.t('Copy command'),
    copied: vscode.l10n.t('Copied to the clipboard.'),
    fix: vscode.l10n.t('Fix'),
    source: vscode.l10n.t('Source'),
    pass: vscode.l10n.t('Passed'),
    warn: vscode.l10n.t('Warning'),
    fail: vscode.l10n.t('Failed'),
    running: vscode.l10n.t('Reading the servers…'),
    expandAll: vscode.l10n.t('Expand all'),
    collapseAll: vscode.l10n.t('Collapse all'),
  };
}

/** What the report was made from: kept for the Markdown export. */
export interface ChecksReport {
  connection: string;
  server?: string;
  subject: string;
  readAt?: string;
  results: CheckResult[];
}

/** The inventory a check of `server` (or of the whole connection) runs on. */
export function checkScope(inventory: Inventory, server?: string): Inventory {
  if (!server) return inventory;
  const s = findServer(inventory.servers, server);
  return { ...inventory, servers: s ? [s] : [] };
}

/**
 * "Check prerequisites" report of a connection or one server: every check of src/model/checks.ts
 * (pass / warn / fail, evidence, the exact fix), grouped by check, exportable as Markdown.
 */
export class ChecksPanel {
  private static readonly open = new Map<string, ChecksPanel>();
  /** The panel that was active last (the palette's "Export as Markdown" exports it). */
  private static lastActive: ChecksPanel | undefined;
  readonly host: PanelHost;
  report: ChecksReport | undefined;
  private running = false;
  private error: string | undefined;

  static show(services: WorkflowServices, connection: string, server?: string): ChecksPanel {
    const existing = ChecksPanel.open.get(ChecksPanel.keyOf(connection, server));
    if (existing && !existing.host.isDisposed) {
      existing.host.panel.reveal();
      void existing.run(true);
      return existing;
    }
    const title = server ? vscode.l10n.t('Prerequisites: {0}', server) : vscode.l10n.t('Prerequisites: {0}', connection);
    const panel = vscode.window.createWebviewPanel(P.viewType, title, vscode.ViewColumn.Active, webviewOptions(services.extensionUri));
    return ChecksPanel.adopt(services, panel, connection, server);
  }

  /** A panel VS Code restored after a window reload: the same report, made again. */
  static revive(services: WorkflowServices, panel: vscode.WebviewPanel, connection: string, server?: string): ChecksPanel {
    panel.webview.options = webviewOptions(services.extensionUri);
    return ChecksPanel.adopt(services, panel, connection, server);
  }

  private static keyOf(connection: string, server?: string): string {
    return `${connection}\u0000${server ?? ''}`.toLowerCase();
  }

  private static adopt(services: WorkflowServices, panel: vscode.WebviewPanel, connection: string, server?: string): ChecksPanel {
    const key = ChecksPanel.keyOf(connection, server);
    const p = new ChecksPanel(services, panel, connection, server);
    ChecksPanel.open.set(key, p);
    panel.onDidDispose(() => {
      if (ChecksPanel.open.get(key) === p) ChecksPanel.open.delete(key);
      if (ChecksPanel.lastActive === p) ChecksPanel.lastActive = undefined;
    });
    return p;
  }

  /** The report to export from the palette: the active (or last active) checks panel's. */
  static latest(): ChecksPanel | undefined {
    const active = [...ChecksPanel.open.values()].find((p) => p.host.panel.active);
    return active ?? ChecksPanel.lastActive;
  }

  /** Resolves once the first report has been made (tests, and the export right after opening). */
  readonly ready: Promise<void>;

  private constructor(
    private readonly services: WorkflowServices,
    panel: vscode.WebviewPanel,
    readonly connection: string,
    readonly server: string | undefined,
  ) {
    panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'resources', 'gpu-partitions.svg');
    this.host = new PanelHost(panel, services, checksValidator, 'checks', panel.title);
    ChecksPanel.lastActive = this;
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) ChecksPanel.lastActive = this;
    });
    this.host
      .on(P.ready, () => this.post())
      .on(P.copyFix, async (p) => {
        await vscode.env.clipboard.writeText(p.text);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to the clipboard.'), 2000);
      })
      .on(P.exportMarkdown, () => vscode.commands.executeCommand('gpuPartitions.exportChecks'))
      .on(P.runAgain, () => this.run(true));
    this.ready = this.run(false);
  }

  markdown(): string | undefined {
    const r = this.report;
    return r ? checksMarkdown(r.subject, r.readAt, r.results, tr) : undefined;
  }

  /** Reads the inventory (again, when `fresh`) and runs the checks. */
  async run(fresh: boolean): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.error = undefined;
    this.post();
    try {
      const { store } = this.services;
      if (fresh) await store.refresh(this.connection, this.server ? [this.server] : undefined);
      else await store.ensureLoaded(this.connection);
      const snap = store.snapshot(this.connection);
      const inventory = snap?.inventory;
      if (!inventory) {
        this.error = vscode.l10n.t('{0} could not be read: {1}', this.connection, snap?.error ?? '');
        return;
      }
      const scoped = checkScope(inventory, this.server);
      if (this.server && scoped.servers.length === 0) {
        this.error = vscode.l10n.t('Server {0} is not in {1}.', this.server, this.connection);
        return;
      }
      const subject = this.server ? `${inventory.cluster ?? this.connection} / ${this.server}` : inventory.cluster ?? this.connection;
      this.report = {
        connection: this.connection,
        server: this.server,
        subject,
        readAt: vscode.l10n.t('Read at {0}', new Date(inventory.readAt).toLocaleString(vscode.env.language)),
        results: runChecks(scoped),
      };
      const s = summarizeChecks(this.report.results);
      this.services.log.info(`Prerequisite check of ${subject}: ${s.fail} failed, ${s.warn} warnings, ${s.pass} passed.`);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.running = false;
      this.post();
    }
  }

  private post(): void {
    const r = this.report;
    const results = r?.results ?? [];
    this.host.post(P.stateChanged, {
      connection: this.connection,
      server: this.server,
      subject: r?.subject ?? (this.server ? `${this.connection} / ${this.server}` : this.connection),
      readAt: r?.readAt,
      summary: summarizeChecks(results),
      summaryText: r ? summaryText(results, tr) : '',
      groups: groupResults(results, tr),
      running: this.running,
      error: this.error,
      strings: strings(),
    });
  }
}
