/**
 * The extension's audit log (issue 8): every executed operation appends one JSON line to
 * `<globalStorage>/audit.jsonl` (src/audit/auditLog.ts), and the "Operation history" view follows
 * it. No `vscode` import: activation sets the log, the operation runner calls `auditOperation`.
 */
import { AuditLog } from '../audit/auditLog';
import type { AuditRecord } from '../model/audit';
import type { OperationPlan, OperationResult } from '../model/types';

let current: AuditLog | undefined;
const listeners = new Set<(record: AuditRecord) => void>();
let warn: (message: string) => void = () => undefined;

export const AUDIT_FILE_NAME = 'audit.jsonl';

/** Called once at activation (and by tests) with the log file; `onWarning` receives write failures. */
export function setAuditLog(log: AuditLog | undefined, onWarning?: (message: string) => void): void {
  current = log;
  if (onWarning) warn = onWarning;
}

export function auditLog(): AuditLog | undefined {
  return current;
}

export function onDidRecord(listener: (record: AuditRecord) => void): { dispose(): void } {
  listeners.add(listener);
  return { dispose: () => listeners.delete(listener) };
}

/**
 * Appends the record of an executed operation. Never throws: a full disk must not turn a finished
 * change into an error (the change happened); the failure is reported through `onWarning`.
 */
export async function auditOperation(connection: string, plan: OperationPlan, result: OperationResult): Promise<AuditRecord | undefined> {
  const log = current;
  if (!log) return undefined;
  try {
    const record = await log.record({ connection, plan, result });
    for (const l of listeners) l(record);
    return record;
  } catch (err) {
    warn(`The audit log ${log.filePath} could not be written: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
