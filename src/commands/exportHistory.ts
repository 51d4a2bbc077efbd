import * as vscode from 'vscode';
import { auditLine, renderAuditMarkdown } from '../model/audit';
import { auditLog } from '../tree/historyAudit';
import { exportDocument, type ExportTarget } from './exportChecks';
import type { CommandServices } from './services';

export type HistoryFormat = 'markdown' | 'jsonl';

/** `gpuPartitions.exportHistory`: the operation history as Markdown or JSON lines (untitled document or file). */
export async function exportHistory(_services: CommandServices, format?: HistoryFormat, target?: ExportTarget): Promise<vscode.TextDocument | vscode.Uri | undefined> {
  const log = auditLog();
  if (!log) return undefined;
  const { records } = await log.read();
  if (records.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No operations recorded yet.'));
    return undefined;
  }
  let fmt = format === 'markdown' || format === 'jsonl' ? format : undefined;
  if (!fmt) {
    const md = { label: vscode.l10n.t('Markdown'), description: vscode.l10n.t('a table and each operation\'s commands'), format: 'markdown' as const };
    const jl = { label: vscode.l10n.t('JSON lines'), description: vscode.l10n.t('one record per line, as stored'), format: 'jsonl' as const };
    fmt = (await vscode.window.showQuickPick([md, jl], { title: vscode.l10n.t('Export history'), placeHolder: vscode.l10n.t('Format') }))?.format;
  }
  if (!fmt) return undefined;
  const stamp = new Date().toISOString().slice(0, 10);
  const sorted = [...records].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return fmt === 'markdown'
    ? exportDocument(renderAuditMarkdown(records), { language: 'markdown', defaultName: `gpu-partitions-history-${stamp}.md`, filters: { Markdown: ['md'] }, target })
    : exportDocument(sorted.map(auditLine).join(''), { language: 'jsonl', defaultName: `gpu-partitions-history-${stamp}.jsonl`, filters: { 'JSON lines': ['jsonl'] }, target });
}
