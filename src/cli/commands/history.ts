/** `gpup history`: the operation history (audit log, JSON lines) as text, JSON or Markdown. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../audit/auditLog';
import { renderAuditMarkdown, renderAuditText } from '../../model/audit';
import type { CliIo } from '../commands';
import { toJson } from '../json';
import { bool, ExtraUsageError, parseFlags, str } from './flags';

export const HISTORY_USAGE = 'gpup history [--audit-log FILE] [--json | --markdown]';
export const HISTORY_DESCRIPTION = 'Show the operation history (who, when, target, plan, result, script hash).';

/** Where the CLI keeps its audit log: $GPUP_AUDIT_LOG, else ~/.gpup/audit.jsonl. */
export function defaultAuditLogPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.GPUP_AUDIT_LOG && env.GPUP_AUDIT_LOG !== '' ? env.GPUP_AUDIT_LOG : join(homedir(), '.gpup', 'audit.jsonl');
}

export async function runHistory(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(argv, { '--audit-log': { kind: 'string' }, '--json': { kind: 'bool' }, '--markdown': { kind: 'bool' } }, HISTORY_USAGE);
  if (bool(flags, '--json') && bool(flags, '--markdown')) throw new ExtraUsageError('Give either --json or --markdown, not both.', HISTORY_USAGE);
  const log = new AuditLog(str(flags, '--audit-log') ?? defaultAuditLogPath());
  const { records, skipped } = await log.read();
  if (skipped > 0) io.stderr(`gpup: warning: ${skipped} unreadable line(s) in ${log.filePath} were skipped\n`);
  if (bool(flags, '--json')) io.stdout(toJson({ file: log.filePath, records, skipped }));
  else if (bool(flags, '--markdown')) io.stdout(renderAuditMarkdown(records) + '\n');
  else io.stdout(renderAuditText(records));
  return 0;
}
