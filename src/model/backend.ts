import type { Inventory, OperationPlan, OperationRequest, OperationResult, OutputSink } from './types';

/**
 * The one seam between the UI/CLI and whatever changes a cluster. The tree, the commands, the
 * webviews and the CLI never know whether they hold a SimBackend (in-process simulator) or a
 * HyperVBackend (real PowerShell, against a real host or the emulation module).
 */
export interface Backend {
  /** Connection name as configured by the user (or the scenario name for the simulator). */
  readonly connection: string;

  /** Reads servers, GPUs, adapters and VMs. `servers` limits the read to those servers (targeted refresh). */
  inventory(options?: InventoryOptions): Promise<Inventory>;

  /** What-if: the plan and exact commands of an operation, nothing changed. */
  plan(request: OperationRequest, options?: CallOptions): Promise<OperationPlan>;

  /**
   * Runs an operation item by item: one item's failure does not stop the others, and a VM that was
   * Running before is Running after, whatever failed (rollback).
   */
  execute(request: OperationRequest, options?: CallOptions): Promise<OperationResult>;

  dispose(): void;
}

export interface CallOptions {
  sink?: OutputSink;
  signal?: AbortSignal;
}

export interface InventoryOptions extends CallOptions {
  servers?: string[];
}

/** Thrown when a call is cancelled through its AbortSignal. */
export class CancelledError extends Error {
  constructor(message = 'The operation was cancelled.') {
    super(message);
    this.name = 'CancelledError';
  }
}
