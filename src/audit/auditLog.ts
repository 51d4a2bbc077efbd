/**
 * The audit log file: JSON lines appended, one record per change (src/model/audit.ts). No `vscode`
 * import: the extension passes a path under its global storage, the CLI its own path, tests a temp
 * file. Appends are single `appendFile` calls of one line each, so concurrent writers interleave
 * whole lines, and a crash can cut at most the last line (which the reader skips).
 */
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { auditLine, buildAuditRecord, parseAuditLines, planCommandsText, type AuditRecord } from '../model/audit';
import type { OperationPlan, OperationResult } from '../model/types';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The OS user name; "unknown" where the platform cannot tell (userInfo throws on some containers). */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

export interface RecordInput {
  connection: string;
  plan: OperationPlan;
  result: OperationResult;
  /** The script text that ran (PowerShell backend). Without it the plan's commands are hashed. */
  scriptText?: string;
  /** Defaults: now, the OS user. */
  time?: Date;
  user?: string;
}

export function makeAuditRecord(input: RecordInput): AuditRecord {
  const hashed = input.scriptText ?? planCommandsText(input.plan);
  return buildAuditRecord({
    time: (input.time ?? new Date()).toISOString(),
    user: input.user ?? currentUser(),
    connection: input.connection,
    plan: input.plan,
    result: input.result,
    scriptSha256: sha256Hex(hashed),
    scriptKind: input.scriptText !== undefined ? 'script' : 'plan-commands',
  });
}

export class AuditLog {
  constructor(readonly filePath: string) {}

  async append(record: AuditRecord): Promise<void> {
    await mkdir(dirname(this.filePath), { recursive: true });
    await appendFile(this.filePath, auditLine(record), { encoding: 'utf8', mode: 0o600 });
  }

  /** Builds the record from a plan and its result and appends it; returns what was written. */
  async record(input: RecordInput): Promise<AuditRecord> {
    const rec = makeAuditRecord(input);
    await this.append(rec);
    return rec;
  }

  /** Every readable record, oldest first; a missing file is an empty history. */
  async read(): Promise<{ records: AuditRecord[]; skipped: number }> {
    let text: string;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: 0 };
      throw e;
    }
    return parseAuditLines(text);
  }
}
