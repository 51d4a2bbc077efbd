/**
 * Audit records of changes (who, when, which connection, what was asked, the plan, the result, and
 * a hash of what ran). Pure: building, summarising, reading JSON lines and rendering. The file I/O
 * and the hashing live in src/audit/auditLog.ts.
 *
 * A record only carries the request, the plan (steps with the commands a person could run), and the
 * result: none of them holds a credential (connections keep passwords out of the model), so nothing
 * secret is ever written.
 */
import type { OperationKind, OperationPlan, OperationRequest, OperationResult, PlanStep } from './types';

export const AUDIT_RECORD_VERSION = 1;

export interface AuditResultSummary {
  ok: boolean;
  succeeded: number;
  failed: number;
  refused: number;
  /** "server/target: error" of each failed item and refusal. */
  errors: string[];
}

export interface AuditRecord {
  v: number;
  /** ISO time the operation finished. */
  time: string;
  /** OS user name of whoever ran it. */
  user: string;
  /** Connection name as configured (never credentials). */
  connection: string;
  kind: OperationKind;
  /** "server/target" of every item the request names. */
  targets: string[];
  request: OperationRequest;
  /** The plan steps (with commands) that were to run. */
  plan: PlanStep[];
  result: AuditResultSummary;
  /** Hex SHA-256 of the script text run (PowerShell backend) or of the plan's commands (simulator). */
  scriptSha256: string;
  /** What the hash covers. */
  scriptKind: 'script' | 'plan-commands';
}

export function requestTargets(request: OperationRequest): string[] {
  switch (request.kind) {
    case 'set-count':
      return request.targets.map((t) => `${t.server}/${t.gpu}`);
    case 'assign':
    case 'unassign':
      return request.vms.map((vm) => `${request.server}/${vm}`);
  }
}

/** The plan's commands, one per line, in order: what the simulator's hash covers. */
export function planCommandsText(plan: OperationPlan): string {
  return plan.items.flatMap((i) => i.steps.map((s) => s.command)).join('\n');
}

export function summarizeResult(result: OperationResult): AuditResultSummary {
  const failed = result.items.filter((i) => !i.ok);
  return {
    ok: result.ok && result.refusals.length === 0,
    succeeded: result.items.length - failed.length,
    failed: failed.length,
    refused: result.refusals.length,
    errors: [
      ...failed.map((i) => `${i.server}/${i.target}: ${i.error ?? 'failed'}${i.rolledBack ? ' (rolled back)' : ''}`),
      ...result.refusals.map((r) => `${r.server}/${r.target}: ${r.message}`),
    ],
  };
}

export interface AuditInput {
  time: string;
  user: string;
  connection: string;
  plan: OperationPlan;
  result: OperationResult;
  scriptSha256: string;
  scriptKind: AuditRecord['scriptKind'];
}

export function buildAuditRecord(input: AuditInput): AuditRecord {
  return {
    v: AUDIT_RECORD_VERSION,
    time: input.time,
    user: input.user,
    connection: input.connection,
    kind: input.result.request.kind,
    targets: requestTargets(input.result.request),
    request: input.result.request,
    plan: input.plan.items.flatMap((i) => i.steps),
    result: summarizeResult(input.result),
    scriptSha256: input.scriptSha256,
    scriptKind: input.scriptKind,
  };
}

/** One JSON line (no newline inside: JSON.stringify escapes them). */
export function auditLine(record: AuditRecord): string {
  return JSON.stringify(record) + '\n';
}

function isRecord(x: unknown): x is AuditRecord {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return typeof r.time === 'string' && typeof r.kind === 'string' && typeof r.connection === 'string' && Array.isArray(r.targets) && typeof r.result === 'object';
}

/**
 * Reads JSON lines. Tolerant: a blank line, a line that is not JSON (a write cut short by a crash)
 * or not a record is skipped and counted, so one bad line does not hide the history.
 */
export function parseAuditLines(text: string): { records: AuditRecord[]; skipped: number } {
  const records: AuditRecord[] = [];
  let skipped = 0;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    try {
      const x: unknown = JSON.parse(line);
      if (isRecord(x)) records.push(x);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
}

export function describeAuditResult(r: AuditResultSummary): string {
  if (r.ok) return `ok (${r.succeeded})`;
  return `${r.succeeded} ok, ${r.failed} failed, ${r.refused} refused`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** Operation history as Markdown (export): a table, newest first, then each record's commands. */
export function renderAuditMarkdown(records: readonly AuditRecord[]): string {
  const sorted = [...records].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  const out = ['# GPU partitioning operation history', '', '| Time | User | Connection | Operation | Targets | Result | Script SHA-256 |', '|---|---|---|---|---|---|---|'];
  for (const r of sorted) {
    out.push(
      `| ${cell(r.time)} | ${cell(r.user)} | ${cell(r.connection)} | ${cell(r.kind)} | ${cell(r.targets.join(', '))} | ${cell(describeAuditResult(r.result))} | \`${r.scriptSha256.slice(0, 12)}\` |`,
    );
  }
  out.push('');
  for (const r of sorted) {
    out.push(`## ${r.time} ${r.kind} (${r.connection})`, '');
    if (r.plan.length > 0) out.push('```powershell', ...r.plan.map((s) => s.command), '```', '');
    for (const e of r.result.errors) out.push(`- ${e}`);
    if (r.result.errors.length > 0) out.push('');
  }
  return out.join('\n');
}

/** Plain-text history for the CLI, newest first. */
export function renderAuditText(records: readonly AuditRecord[]): string {
  if (records.length === 0) return 'No operations recorded.\n';
  const sorted = [...records].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  return sorted.map((r) => `${r.time}  ${r.user}  ${r.connection}  ${r.kind}  ${r.targets.join(', ')}  ${describeAuditResult(r.result)}  sha256:${r.scriptSha256.slice(0, 12)}`).join('\n') + '\n';
}
