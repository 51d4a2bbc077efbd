/**
 * "Operation history" view (gpuPartitions.history): the audit log's records, newest first (time,
 * operation, targets, result), with the plan's commands in the tooltip.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AuditLog } from '../audit/auditLog';
import { redactingAuditLog, type SecretRedactor } from '../connections/secretRedactor';
import type { AuditRecord } from '../model/audit';
import type { OperationKind } from '../model/types';
import { AUDIT_FILE_NAME, auditLog, onDidRecord, setAuditLog } from './historyAudit';

export function operationKindLabel(kind: OperationKind | string): string {
  switch (kind) {
    case 'set-count':
      return vscode.l10n.t('Configure partition count');
    case 'assign':
      return vscode.l10n.t('Assign partition');
    case 'unassign':
      return vscode.l10n.t('Unassign partition');
    default:
      return kind;
  }
}

function resultText(r: AuditRecord['result']): string {
  if (r.ok) return vscode.l10n.t('succeeded ({0})', r.succeeded);
  return vscode.l10n.t('{0} succeeded, {1} failed, {2} refused', r.succeeded, r.failed, r.refused);
}

function mdEscape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export class HistoryProvider implements vscode.TreeDataProvider<AuditRecord>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<AuditRecord | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly sub = onDidRecord(() => this.emitter.fire(undefined));
  /** Lines of the file that could not be read (shown in the view's message). */
  skipped = 0;
  onSkipped?: (n: number) => void;

  refresh(): void {
    this.emitter.fire(undefined);
  }

  /** Every record, newest first. */
  async records(): Promise<AuditRecord[]> {
    const log = auditLog();
    if (!log) return [];
    const { records, skipped } = await log.read();
    this.skipped = skipped;
    this.onSkipped?.(skipped);
    return [...records].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  }

  async getChildren(element?: AuditRecord): Promise<AuditRecord[]> {
    if (element) return [];
    return this.records();
  }

  getTreeItem(r: AuditRecord): vscode.TreeItem {
    const when = new Date(r.time);
    const item = new vscode.TreeItem(`${when.toLocaleString(vscode.env.language)}  ${operationKindLabel(r.kind)}`);
    item.id = `${r.time}/${r.kind}/${r.connection}/${r.scriptSha256}`;
    item.description = `${r.targets.join(', ')} · ${resultText(r.result)}`;
    item.iconPath = r.result.ok ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')) : new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    item.contextValue = `gpuPartitions.history.${r.result.ok ? 'ok' : 'failed'}`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${mdEscape(operationKindLabel(r.kind))}** · ${mdEscape(r.time)}\n\n`);
    md.appendMarkdown(`${mdEscape(vscode.l10n.t('User'))}: ${mdEscape(r.user)}  \n${mdEscape(vscode.l10n.t('Connection'))}: ${mdEscape(r.connection)}  \n`);
    md.appendMarkdown(`${mdEscape(vscode.l10n.t('Result'))}: ${mdEscape(resultText(r.result))}  \nSHA-256: \`${r.scriptSha256.slice(0, 16)}…\`\n\n`);
    if (r.plan.length > 0) md.appendCodeblock(r.plan.map((s) => s.command).join('\n'), 'powershell');
    for (const e of r.result.errors) md.appendMarkdown(`\n- ${mdEscape(e)}`);
    item.tooltip = md;
    return item;
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}

/** Sets the extension's audit log to `<globalStorage>/audit.jsonl` and creates the history view. */
export function registerHistoryView(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel, redactor?: SecretRedactor): { provider: HistoryProvider; disposables: vscode.Disposable[] } {
  const file = new AuditLog(path.join(context.globalStorageUri.fsPath, AUDIT_FILE_NAME));
  // Issue 7: the audit log writer is one of the redacted sinks (no password ever reaches the file).
  setAuditLog(redactor ? redactingAuditLog(file, redactor) : file, (m) => channel.warn(m));
  const provider = new HistoryProvider();
  const view = vscode.window.createTreeView('gpuPartitions.history', { treeDataProvider: provider, showCollapseAll: false });
  provider.onSkipped = (n) => {
    view.message = n > 0 ? vscode.l10n.t('{0} line(s) of the audit log could not be read and are not shown.', n) : undefined;
  };
  return { provider, disposables: [provider, view, { dispose: () => setAuditLog(undefined) }] };
}
