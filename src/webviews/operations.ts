import * as vscode from 'vscode';
import { confirmBeforePowerCycle } from '../connections/connections';
import { CancelledError } from '../model/backend';
import type { OperationPlan, OperationRequest, OperationResult, OutputRecord, StepAction } from '../model/types';
import { teeSink } from '../tree/busyRegistry';
import { auditOperation } from '../tree/historyAudit';
import type { ItemProgress, OperationView } from './ipc';
import { previewText } from './preview';
import type { WorkflowServices } from './services';

/** "Stopping VM…" etc.: the step text of the progress notification and the page. */
export function stepText(step: StepAction): string {
  switch (step) {
    case 'stop-vm':
      return vscode.l10n.t('Stopping VM…');
    case 'add-adapter':
      return vscode.l10n.t('Assigning partition…');
    case 'remove-adapter':
      return vscode.l10n.t('Unassigning partition…');
    case 'set-offline-action':
      return vscode.l10n.t('Setting offline action to force shutdown…');
    case 'start-vm':
      return vscode.l10n.t('Starting VM…');
    case 'set-count':
      return vscode.l10n.t('Configuring partition count…');
  }
}

function titleOf(request: OperationRequest): string {
  switch (request.kind) {
    case 'set-count':
      return vscode.l10n.t('Configuring partition count to {0}', request.count);
    case 'assign':
      return vscode.l10n.t('Assigning GPU partitions on {0}', request.server);
    case 'unassign':
      return vscode.l10n.t('Unassigning GPU partitions on {0}', request.server);
  }
}

function successText(request: OperationRequest): string {
  // WAC's notifications (domain doc §2 [S2]).
  switch (request.kind) {
    case 'set-count':
      return vscode.l10n.t('Partition count is successfully configured.');
    case 'assign':
      return vscode.l10n.t('Partition is successfully assigned.');
    case 'unassign':
      return vscode.l10n.t('Partition is successfully unassigned.');
  }
}

function touchedServers(request: OperationRequest): string[] {
  return request.kind === 'set-count' ? [...new Set(request.targets.map((t) => t.server))] : [request.server];
}

/** One line per item for the modal confirmation (a modal shows plain text only). */
function confirmDetail(plan: OperationPlan): string {
  const lines: string[] = [];
  if (plan.request.kind === 'set-count') {
    lines.push(vscode.l10n.t('These GPUs change to {0} partitions:', plan.request.count));
    for (const g of plan.gpusChanged) lines.push(`  • ${g.server}: ${g.gpu}`);
  } else {
    const cycled = plan.vmsPowerCycled;
    if (cycled.length > 0) {
      lines.push(vscode.l10n.t('These running VMs will be turned off and on again:'));
      for (const v of cycled) lines.push(`  • ${v.server}/${v.vm}`);
    }
    const others = plan.items.filter((i) => !cycled.some((c) => c.server === i.server && c.vm === i.target));
    if (others.length > 0) {
      lines.push(vscode.l10n.t('These VMs are not running and stay as they are:'));
      for (const i of others) lines.push(`  • ${i.server}/${i.target}`);
    }
    // Issue 7: the modal names the GPUs that change too (when the plan knows them: an assign to a
    // chosen GPU, an unassign of a resolved partition).
    if (plan.gpusChanged.length > 0) {
      lines.push(vscode.l10n.t('These GPUs change:'));
      for (const g of plan.gpusChanged) lines.push(`  • ${g.server}: ${g.gpu}`);
    }
  }
  if (plan.refusals.length > 0) {
    lines.push(vscode.l10n.t('Skipped:'));
    for (const r of plan.refusals) lines.push(`  • ${r.target}: ${r.message}`);
  }
  return lines.join('\n');
}

export interface RunOptions {
  /** Receives the per-item view while the operation runs (the form shows it). */
  onView?: (view: OperationView) => void;
}

/**
 * Plans, confirms, runs and reports one operation: the common path of the three forms and the
 * tree commands. Returns the result, or undefined when the user declined or nothing could run.
 */
export async function runOperation(services: WorkflowServices, connection: string, request: OperationRequest, options: RunOptions = {}): Promise<OperationResult | undefined> {
  const { store, log } = services;
  const backend = store.backend(connection);
  const plan = await backend.plan(request);

  if (plan.items.length === 0) {
    const reasons = plan.refusals.map((r) => `${r.target}: ${r.message}`).join('\n');
    await vscode.window.showErrorMessage(vscode.l10n.t('Nothing can be done.'), { modal: true, detail: reasons || vscode.l10n.t('Nothing was selected.') });
    return undefined;
  }

  // Modal confirmation before anything is turned off or reconfigured (setting can turn it off).
  const needsConfirm = request.kind === 'set-count' || plan.vmsPowerCycled.length > 0 || plan.refusals.length > 0;
  if (needsConfirm && confirmBeforePowerCycle()) {
    const go = request.kind === 'set-count' ? vscode.l10n.t('Configure partition count') : request.kind === 'assign' ? vscode.l10n.t('Assign partition') : vscode.l10n.t('Unassign partition');
    const message =
      request.kind === 'set-count'
        ? vscode.l10n.t('Configure {0} GPU(s) to {1} partitions?', plan.gpusChanged.length, request.count)
        : plan.vmsPowerCycled.length > 0
          ? vscode.l10n.t('{0} running VM(s) will be turned off and on again. Save their workloads first.', plan.vmsPowerCycled.length)
          : vscode.l10n.t('Continue?');
    const answer = await vscode.window.showWarningMessage(message, { modal: true, detail: confirmDetail(plan) }, go);
    if (answer !== go) return undefined;
  }

  const items: ItemProgress[] = [
    ...plan.items.map((i) => ({ server: i.server, target: i.target, status: 'pending' as const })),
    ...plan.refusals.map((r) => ({ server: r.server, target: r.target, status: 'refused' as const, detail: r.message })),
  ];
  const view = (extra: Partial<OperationView> = {}): OperationView => ({ running: true, headline: titleOf(request), items: items.map((i) => ({ ...i })), ...extra });
  const emit = (extra?: Partial<OperationView>) => options.onView?.(view(extra));
  emit();

  log.info(`${titleOf(request)} (${connection})`);
  const stepSink = services.busy.stepSink(connection);
  let result: OperationResult | undefined;
  let cancelled = false;
  let cancelledResult: OperationResult | undefined;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: titleOf(request), cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        const total = plan.items.length;
        let done = 0;
        const progressSink = (record: OutputRecord) => {
          if (record.stream !== 'step' || !record.step || !record.target) return;
          const item = items.find((i) => i.target === record.target && (!record.host || i.server.toLowerCase() === record.host.toLowerCase()));
          if (!item) return;
          if (record.step === 'done') {
            done++;
            progress.report({ increment: 100 / total });
            return;
          }
          item.status = 'running';
          item.detail = stepText(record.step);
          progress.report({ message: `${record.target}: ${item.detail} (${Math.min(done + 1, total)}/${total})` });
          emit();
        };
        try {
          return await backend.execute(request, { sink: teeSink(services.outputSink, stepSink, progressSink), signal: abort.signal });
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (err) {
    if (err instanceof CancelledError || (err instanceof Error && err.name === 'CancelledError')) {
      cancelled = true;
      // Both backends attach what happened to each item before the cancel (the rollback included).
      cancelledResult = (err as { result?: OperationResult }).result;
      log.warn(vscode.l10n.t('The operation was cancelled.'));
    } else {
      for (const i of items) if (i.status === 'pending' || i.status === 'running') i.status = 'failed';
      emit({ running: false, ok: false, headline: err instanceof Error ? err.message : String(err) });
      await store.refresh(connection, touchedServers(request));
      throw err;
    }
  } finally {
    stepSink.dispose();
  }

  if (cancelled || !result) {
    // Items that finished before the cancel keep their result; the one cut short says what its
    // rollback did (the backend's text, e.g. "may be left Off; to fix it by hand run: Start-VM …").
    for (const r of cancelledResult?.items ?? []) {
      const item = items.find((i) => i.server === r.server && i.target === r.target);
      if (!item) continue;
      item.status = r.ok ? 'ok' : 'cancelled';
      item.detail = r.ok ? (r.finalState ? vscode.l10n.t('Done ({0}).', r.finalState) : vscode.l10n.t('Done.')) : r.error;
    }
    for (const i of items) if (i.status === 'pending' || i.status === 'running') i.status = 'cancelled';
    emit({ running: false, ok: false, headline: vscode.l10n.t('The operation was cancelled.') });
    const notes = (cancelledResult?.items ?? []).filter((r) => !r.ok && r.error).map((r) => `${r.target}: ${r.error}`);
    for (const n of notes) log.warn(n);
    void vscode.window.showWarningMessage([vscode.l10n.t('The operation was cancelled.'), ...notes].join(' '));
    await store.refresh(connection, touchedServers(request));
    return undefined;
  }

  // Audit log (issue 8): one JSON line per executed operation (src/tree/historyAudit.ts); never throws.
  await auditOperation(connection, plan, result);
  for (const r of result.items) {
    const item = items.find((i) => i.server === r.server && i.target === r.target);
    if (!item) continue;
    item.status = r.ok ? 'ok' : 'failed';
    item.detail = r.ok
      ? r.finalState
        ? vscode.l10n.t('Done ({0}).', r.finalState)
        : vscode.l10n.t('Done.')
      : r.rolledBack
        ? vscode.l10n.t('{0} (rolled back)', r.error ?? '')
        : r.error;
  }
  const failed = result.items.filter((i) => !i.ok);
  const headline = result.ok
    ? successText(request)
    : vscode.l10n.t('{0} of {1} failed.', failed.length + result.refusals.length, result.items.length + result.refusals.length);
  emit({ running: false, ok: result.ok, headline });
  // One summary line; the per-step records are already in the channel above it.
  log.info(`${headline} (${result.items.filter((i) => i.ok).length} ok, ${failed.length} failed, ${result.refusals.length} skipped)`);
  for (const f of failed) log.error(`${f.server}/${f.target}: ${f.error ?? ''}${f.rolledBack ? ' (rolled back)' : ''}`);

  if (result.ok) {
    // Issue 8: after an assign, offer the guest check (nvidia-smi in the VM) of a VM that now runs with its partition.
    const running = request.kind === 'assign' ? result.items.find((i) => i.ok && i.finalState === 'Running') : undefined;
    const checkGuest = vscode.l10n.t('Check guest driver');
    void vscode.window.showInformationMessage(successText(request), ...(running ? [checkGuest] : [])).then((answer) => {
      if (answer === checkGuest && running) void vscode.commands.executeCommand('gpuPartitions.guestCheck', { connection, server: running.server, vm: running.target });
    });
  } else {
    const showOutput = vscode.l10n.t('Show Output');
    const detail = [...failed.map((f) => `${f.target}: ${f.error ?? ''}`), ...result.refusals.map((r) => `${r.target}: ${r.message}`)].join('\n');
    void vscode.window.showErrorMessage(`${headline} ${detail}`, showOutput).then((a) => {
      if (a === showOutput) services.log.show(true);
    });
  }
  // Only the servers this operation touched are re-read.
  await store.refresh(connection, touchedServers(request));
  return result;
}

/** Opens the what-if plan of a request as an untitled PowerShell document. */
export async function openPreview(services: WorkflowServices, connection: string, request: OperationRequest): Promise<vscode.TextDocument> {
  const plan = await services.store.backend(connection).plan(request);
  const content = previewText(plan, connection, {
    header: vscode.l10n.t('What-if plan: nothing has run. These are the exact commands the operation would run, in order.'),
    refused: vscode.l10n.t('Skipped'),
    runAsAdmin: vscode.l10n.t('Run as Administrator on the server named above each block, or add -ComputerName.'),
  });
  const doc = await vscode.workspace.openTextDocument({ language: 'powershell', content });
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  return doc;
}
