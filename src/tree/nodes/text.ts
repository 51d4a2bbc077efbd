/**
 * Shared wording and formatting of the tree. Pure: every user-visible string passes through the
 * `t` function given by the caller (vscode.l10n.t in the extension).
 */
import { formatBytes, isUInt64Max } from '../../model/vram';
import type { AssignedStatus, StepAction, VmState } from '../../model/types';
import type { Translate } from './types';

export const CONTEXT_PREFIX = 'gpuPartitions';

/** The spinner description of a running step (OutputRecord.step), as the tree shows it. */
export function stepDescription(step: StepAction, t: Translate): string {
  switch (step) {
    case 'stop-vm':
      return t('Stopping VM…');
    case 'add-adapter':
      return t('Assigning partition…');
    case 'remove-adapter':
      return t('Removing partition…');
    case 'set-offline-action':
      return t('Setting offline action…');
    case 'start-vm':
      return t('Starting VM…');
    case 'set-count':
      return t('Configuring partition count…');
    default:
      return t('Working…');
  }
}

/** WAC's "Assigned status" wording (domain doc §2 [S2], exact and complete list). */
export function assignedStatusLabel(status: AssignedStatus | string, t: Translate): string {
  switch (status) {
    case 'Partitioned':
      return t('Partitioned');
    case 'ReadyForDDA':
      return t('Ready for DDA assignment');
    case 'Paravirtualization':
      return t('Paravirtualization');
    case 'NotAssignable':
      return t('Not assignable');
    default:
      return status;
  }
}

/** Hyper-V VMState names, localised; a state this list does not know is shown as the host printed it. */
export function vmStateLabel(state: VmState, t: Translate): string {
  switch (state) {
    case 'Running':
      return t('Running');
    case 'Off':
      return t('Off');
    case 'Saved':
      return t('Saved');
    case 'Paused':
      return t('Paused');
    case 'Starting':
      return t('Starting');
    case 'Stopping':
      return t('Stopping');
    case 'Saving':
      return t('Saving');
    case 'Pausing':
      return t('Pausing');
    case 'Resuming':
      return t('Resuming');
    default:
      return state;
  }
}

/** Codicon of a VM by power state. */
export function vmStateIcon(state: VmState): { id: string; color?: string } {
  switch (state) {
    case 'Running':
      return { id: 'vm-running', color: 'charts.green' };
    case 'Off':
      return { id: 'vm-outline' };
    case 'Saved':
      return { id: 'vm', color: 'charts.blue' };
    case 'Paused':
      return { id: 'debug-pause', color: 'charts.yellow' };
    default:
      // Starting, Stopping, Saving, Pausing, Resuming and unknown states: between two states.
      return { id: 'vm-active', color: 'charts.yellow' };
  }
}

/** Context-value segment of a state: lower case, no spaces (names.md: `gpuPartitions.vm.<state lower>.…`). */
export function stateSegment(state: string): string {
  return state.toLowerCase().replace(/[^a-z0-9]/g, '') || 'unknown';
}

/** " · " between the parts that are present. */
export function joinParts(parts: readonly (string | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(' · ');
}

/** Escapes text a host or user supplied (VM names, messages) for a MarkdownString. */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

/** Inline code span that survives backticks inside (device paths never have them, messages might). */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** An exact UInt64 byte value followed by its binary-unit reading: `15918030848 (14.82 GiB)`. */
export function exactBytes(value: bigint | undefined, t: Translate): string {
  if (value === undefined) return t('not reported');
  if (isUInt64Max(value)) return t('{0} (UInt64.MaxValue, not a real size)', value.toString());
  return `${value.toString()} (${formatBytes(value)})`;
}

/** An exact UInt64 unit-less value (encode, decode, compute). */
export function exactValue(value: bigint | undefined, t: Translate): string {
  if (value === undefined) return t('not reported');
  if (isUInt64Max(value)) return t('{0} (UInt64.MaxValue)', value.toString());
  return value.toString();
}

/** A two-column Markdown table; values are already Markdown. */
export function table(rows: readonly (readonly [string, string] | undefined)[]): string {
  const body = rows.filter((r): r is readonly [string, string] => !!r).map(([k, v]) => `| ${md(k)} | ${v.replace(/\n/g, ' ')} |`);
  return ['| | |', '|---|---|', ...body].join('\n');
}

/** Path-safe segment for TreeItem ids. */
export function idPart(s: string): string {
  return encodeURIComponent(s.toLowerCase());
}

/** Stable TreeItem ids, built from names only (never from object identity). */
export const ids = {
  cluster: (connection: string) => `${CONTEXT_PREFIX}:c:${idPart(connection)}`,
  error: (connection: string | undefined, key: string) => `${CONTEXT_PREFIX}:e:${idPart(connection ?? '')}:${idPart(key)}`,
  server: (connection: string, server: string) => `${ids.cluster(connection)}/s/${idPart(server)}`,
  group: (connection: string, server: string, group: 'gpus' | 'vms') => `${ids.server(connection, server)}/${group}`,
  gpu: (connection: string, server: string, deviceKey: string) => `${ids.group(connection, server, 'gpus')}/${idPart(deviceKey)}`,
  vm: (connection: string, server: string, vmId: string) => `${ids.group(connection, server, 'vms')}/${idPart(vmId)}`,
};

/** A fenced block for multi-line text (error messages), with a fence longer than any backtick run inside. */
export function codeBlock(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

/**
 * Capacity of a server or cluster in a description (issue 8): "31/32 partitions free · 29.64 GiB"
 * (free of total, total VRAM); undefined when it has no partitions.
 */
export function capacityText(c: { total: number; free: number; totalVRAM: bigint }, t: Translate): string | undefined {
  if (c.total === 0) return undefined;
  return joinParts([t('{0}/{1} partitions free', c.free, c.total), formatBytes(c.totalVRAM)]);
}
