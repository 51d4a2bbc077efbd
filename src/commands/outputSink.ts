/**
 * Writes every backend record to the "GPU Partitions" LogOutputChannel as `[host] target: message`.
 * Only types come from `vscode`, so the mapping is unit-tested with a fake channel.
 */
import type { LogOutputChannel } from 'vscode';
import type { OutputRecord, OutputSink } from '../model/types';

/** The part of a LogOutputChannel the sink uses. */
export type LogLines = Pick<LogOutputChannel, 'trace' | 'debug' | 'info' | 'warn' | 'error'>;

/** `[host] target: message`, leaving out the parts a record does not have. */
export function formatOutputRecord(record: OutputRecord): string {
  const host = record.host ? `[${record.host}] ` : '';
  const target = record.target ? `${record.target}: ` : '';
  // A step record's message is the command it runs; say which step it is.
  const step = record.stream === 'step' && record.step && record.step !== 'done' ? `${record.step} ` : '';
  return `${host}${target}${step}${record.message}`;
}

/** Log level of each stream: errors and warnings as such, verbose/debug below info, everything else info. */
export function logLevelOf(record: OutputRecord): keyof LogLines {
  switch (record.stream) {
    case 'error':
      return 'error';
    case 'warning':
      return 'warn';
    case 'verbose':
      return 'debug';
    case 'debug':
    case 'progress':
      return 'trace';
    default:
      return 'info';
  }
}

export function createOutputSink(channel: LogLines): OutputSink {
  return (record) => {
    const line = formatOutputRecord(record);
    channel[logLevelOf(record)](line);
  };
}
