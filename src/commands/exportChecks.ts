import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ChecksPanel } from '../webviews/checks/panel';
import type { CommandServices } from './services';

export type ExportTarget = 'untitled' | 'file';

/**
 * Puts an exported text where the user wants it: an untitled document (the default, nothing is
 * written) or a file chosen in the save dialog. `target` skips the question (tests, scripts).
 */
export async function exportDocument(
  content: string,
  options: { language: string; defaultName: string; filters: Record<string, string[]>; target?: ExportTarget },
): Promise<vscode.TextDocument | vscode.Uri | undefined> {
  let target = options.target;
  if (!target) {
    const untitled = { label: vscode.l10n.t('Open as an untitled document'), target: 'untitled' as const };
    const file = { label: vscode.l10n.t('Save to a file…'), target: 'file' as const };
    target = (await vscode.window.showQuickPick([untitled, file], { title: vscode.l10n.t('Export'), placeHolder: vscode.l10n.t('Where should the export go?') }))?.target;
  }
  if (!target) return undefined;
  if (target === 'untitled') {
    const doc = await vscode.workspace.openTextDocument({ language: options.language, content });
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    return doc;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export'),
    defaultUri: folder ? vscode.Uri.joinPath(folder, options.defaultName) : vscode.Uri.file(path.join(os.homedir(), options.defaultName)),
    filters: options.filters,
  });
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, Buffer.from(content, 'utf8'));
  void vscode.window.showInformationMessage(vscode.l10n.t('Exported to {0}.', uri.fsPath));
  return uri;
}

/** `gpuPartitions.exportChecks`: the report of the active (or last) "Check prerequisites" panel as Markdown. */
export async function exportChecks(_services: CommandServices, target?: ExportTarget): Promise<vscode.TextDocument | vscode.Uri | undefined> {
  const panel = ChecksPanel.latest();
  if (panel) await panel.ready;
  const markdown = panel?.markdown();
  if (!panel || !markdown) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Run "Check prerequisites" first; its report is what is exported.'));
    return undefined;
  }
  const stamp = new Date().toISOString().slice(0, 10);
  const name = `gpu-prerequisites-${(panel.server ?? panel.connection).replace(/[^\w.-]+/g, '_')}-${stamp}.md`;
  return exportDocument(markdown, { language: 'markdown', defaultName: name, filters: { Markdown: ['md'] }, target: target === 'file' || target === 'untitled' ? target : undefined });
}
