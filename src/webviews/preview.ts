/**
 * The "Preview script" text: the plan's exact commands as a PowerShell document a person can read,
 * copy and run by hand. Pure (no `vscode`).
 *
 * The commands come from the plan, where every value is already quoted with psQuote (model). What
 * this file adds are comments, and host-supplied names inside a comment are made single-line: a VM
 * named "x<newline>Remove-Item …" must not turn into a runnable line of the document.
 */
import type { OperationPlan } from '../model/types';

export interface PreviewTexts {
  header: string;
  refused: string;
  runAsAdmin: string;
}

/** Text safe inside a `#` line comment: no line breaks of any kind, no control characters. */
export function commentSafe(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u0085]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function previewText(plan: OperationPlan, connection: string, texts: PreviewTexts): string {
  const lines: string[] = [];
  const req = plan.request;
  lines.push(`# ${commentSafe(texts.header)}`);
  lines.push(`# ${commentSafe(texts.runAsAdmin)}`);
  lines.push(`# connection: ${commentSafe(connection)}`);
  switch (req.kind) {
    case 'set-count':
      lines.push(`# operation: set-count, PartitionCount ${req.count}, ${req.targets.length} GPU(s)`);
      break;
    case 'assign':
      lines.push(`# operation: assign, server ${commentSafe(req.server)}, VMs ${req.vms.map(commentSafe).join(', ')}`);
      lines.push(`#   InstancePath: ${req.gpu ? commentSafe(req.gpu) : '(any GPU with room)'}; OfflineAction 3 (force shutdown): ${req.forceShutdownOfflineAction ? 'yes' : 'no'}`);
      break;
    case 'unassign':
      lines.push(`# operation: unassign, server ${commentSafe(req.server)}, VMs ${req.vms.map(commentSafe).join(', ')}`);
      break;
  }
  for (const item of plan.items) {
    lines.push('');
    lines.push(`# ---- ${commentSafe(item.server)} / ${commentSafe(item.target)}${item.initialState ? ` (${commentSafe(String(item.initialState))})` : ''}`);
    for (const step of item.steps) {
      lines.push(`# ${step.action}`);
      // A step command is one logical line; if a backend ever returned a multi-line one it is
      // kept as is (it is PowerShell text the backend produced with quoted values, not a name).
      lines.push(step.command);
    }
  }
  if (plan.refusals.length > 0) {
    lines.push('');
    for (const r of plan.refusals) lines.push(`# ${commentSafe(texts.refused)}: ${commentSafe(r.server)} / ${commentSafe(r.target)}: ${commentSafe(r.message)}`);
  }
  lines.push('');
  return lines.join('\n');
}
