import * as vscode from 'vscode';
import type { IpcCommand, IpcNotification } from './ipc';
import { pageHtml } from './html';
import type { Checked, MessageValidator } from './validate';
import type { WorkflowServices } from './services';

type Handler = { command: IpcCommand<any>; run: (params: any) => unknown };

/**
 * One open panel: renders its page, checks every inbound message with the panel's validator, and
 * dispatches the accepted ones to typed handlers. Rejected messages are logged at trace level and
 * have no other effect.
 */
export class PanelHost implements vscode.Disposable {
  private readonly handlers: Handler[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** Counts for tests and diagnostics. */
  readonly stats = { accepted: 0, rejected: 0, lastRejection: undefined as string | undefined };

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: WorkflowServices,
    private readonly validate: MessageValidator,
    page: string,
    title: string,
  ) {
    panel.webview.html = pageHtml(panel.webview, services.extensionUri, page, title);
    this.disposables.push(panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
    this.disposables.push(panel.onDidDispose(() => this.dispose()));
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  on<P>(command: IpcCommand<P>, run: (params: P) => unknown): this {
    this.handlers.push({ command, run });
    return this;
  }

  /**
   * The single entry for messages from the page (public so the extension-host test can push the
   * same raw values a hostile page would post). Returns what the validator decided.
   */
  receive(raw: unknown): Checked {
    const checked = this.validate(raw);
    if (!checked.ok) {
      this.stats.rejected++;
      this.stats.lastRejection = checked.rejection.reason;
      this.services.log.trace(`[webview ${this.panel.viewType}] ignored a message (${checked.rejection.reason}): ${checked.rejection.detail.slice(0, 500)}`);
      return checked;
    }
    const handler = this.handlers.find((h) => h.command.is(checked.message));
    if (!handler) {
      // Valid for the protocol but not handled here: a programming error, not an attack.
      this.services.log.warn(`[webview ${this.panel.viewType}] no handler for ${checked.message.method}`);
      return checked;
    }
    this.stats.accepted++;
    Promise.resolve()
      .then(() => handler.run(checked.message.params))
      .catch((err: unknown) => {
        this.services.log.error(`[webview ${this.panel.viewType}] ${checked.message.method} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('GPU Partitions: {0}', err instanceof Error ? err.message : String(err)));
      });
    return checked;
  }

  post<P>(notification: IpcNotification<P>, params: P): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(notification.message(params));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
