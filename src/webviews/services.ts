import type * as vscode from 'vscode';
import type { InventoryStore } from '../connections/inventoryStore';
import type { OutputSink } from '../model/types';
import type { BusyRegistry } from '../tree/busyRegistry';

/**
 * What the workflow commands and panels need from the extension shell (built in activate()).
 * Kept narrow so the panels can be driven by a test with fakes.
 */
export interface WorkflowServices {
  readonly extensionUri: vscode.Uri;
  /** Inventories and backends per connection; `refresh(connection, servers)` after an operation. */
  readonly store: InventoryStore;
  /** Spinner + step text on tree nodes, fed by `busy.stepSink(connection)`. */
  readonly busy: BusyRegistry;
  /** The LogOutputChannel "GPU Partitions". */
  readonly log: vscode.LogOutputChannel;
  /** Writes operation records to the output channel. */
  readonly outputSink: OutputSink;
}
