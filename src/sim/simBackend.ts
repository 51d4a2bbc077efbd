/**
 * The in-process Backend over a SimWorld: inventory from the world, plans from the shared planner
 * (src/model/plan.ts), and an executor that runs each plan item step by step with rollback, so a
 * VM that was Running is Running afterwards whatever failed (architecture.md "Errors are values").
 */
import { CancelledError, type Backend, type CallOptions, type InventoryOptions } from '../model/backend';
import { resolveGpuName } from '../model/gpuIdentity';
import { FORCE_SHUTDOWN_OFFLINE_ACTION, planOperation } from '../model/plan';
import type {
  Inventory,
  ItemResult,
  OfflineAction,
  OperationPlan,
  OperationRequest,
  OperationResult,
  OutputRecord,
  OutputSink,
  PlanItem,
  PlanStep,
  StepAction,
  VmState,
} from '../model/types';
import { awaitFault } from './faults';
import { RESOURCE_KEYS, type SimAdapter } from './state';
import type { AddAdapterOptions, SimWorld } from './world';
import type { GpuPartitionAdapter } from '../model/types';

/** The SimWorld method each step calls (also the `operation` name fault injection matches). */
const STEP_OPERATION: Record<StepAction, string> = {
  'stop-vm': 'stopVm',
  'add-adapter': 'addGpuPartitionAdapter',
  'remove-adapter': 'removeGpuPartitionAdapter',
  'set-offline-action': 'setClusterParameter',
  'start-vm': 'startVm',
  'set-count': 'setPartitionCount',
};

const DONE_TEXT: Record<StepAction, (target: string, server: string) => string> = {
  'stop-vm': (t, s) => `Stopped VM '${t}' on ${s}.`,
  'add-adapter': (t, s) => `Added a GPU partition adapter to VM '${t}' on ${s}.`,
  'remove-adapter': (t, s) => `Removed the GPU partition adapter of VM '${t}' on ${s}.`,
  'set-offline-action': (t) => `Set OfflineAction of VM '${t}' to ${FORCE_SHUTDOWN_OFFLINE_ACTION} (Shutdown (Forced)).`,
  'start-vm': (t, s) => `Started VM '${t}' on ${s}.`,
  'set-count': (t, s) => `Partition count of GPU '${t}' on ${s} is now set.`,
};

/** What an item changed, so a failure after the VM stopped can be undone. */
interface Undo {
  stopped: boolean;
  added: GpuPartitionAdapter[];
  /** Raw copies of removed adapters (InstancePath pin and Min/Max/Optimal values as they were set). */
  removed: SimAdapter[];
  offlineActionBefore?: OfflineAction;
}

export class SimBackend implements Backend {
  readonly connection: string;
  private disposed = false;

  constructor(
    readonly world: SimWorld,
    connection: string,
  ) {
    this.connection = connection;
  }

  private check(signal?: AbortSignal): void {
    if (this.disposed) throw new Error(`The simulator backend '${this.connection}' was disposed.`);
    if (signal?.aborted) throw new CancelledError();
  }

  async inventory(options: InventoryOptions = {}): Promise<Inventory> {
    this.check(options.signal);
    const names = options.servers ?? this.world.state.servers.map((s) => s.name);
    // Delay/hang faults on 'inventory' model a slow or stuck node; 'fail' ones become Server.error in the world.
    for (const n of names) await awaitFault(this.world.faultFor(n, 'inventory'), options.signal);
    this.check(options.signal);
    const inv = this.world.inventory(options.servers, this.connection);
    for (const s of inv.servers) {
      if (s.error !== undefined) emit(options.sink, { stream: 'warning', host: s.name, message: `Server ${s.name} could not be read: ${s.error}` });
    }
    return inv;
  }

  async plan(request: OperationRequest, options: CallOptions = {}): Promise<OperationPlan> {
    this.check(options.signal);
    const inv = await this.inventory({ signal: options.signal, servers: serversOf(request) });
    return planOperation(inv, request);
  }

  async execute(request: OperationRequest, options: CallOptions = {}): Promise<OperationResult> {
    const { sink, signal } = options;
    this.check(signal);
    const inv = await this.inventory({ signal, servers: serversOf(request) });
    const plan = planOperation(inv, request);
    // -InstancePath takes the partitionable GPU's Name; a GPU named by its PnP instance id resolves to
    // it exactly as HyperVBackend does (one resolver, src/model/gpuIdentity.ts).
    const resolved = request.kind === 'assign' && request.gpu !== undefined ? resolveGpuName(inv.servers, request.server, request.gpu) : undefined;
    const effective: OperationRequest = request.kind === 'assign' && resolved !== undefined ? { ...request, gpu: resolved } : request;
    for (const r of plan.refusals) emit(sink, { stream: 'warning', host: r.server, target: r.target, message: r.message });
    const result: OperationResult = { request, ok: plan.refusals.length === 0, items: [], refusals: plan.refusals };
    for (let i = 0; i < plan.items.length; i++) {
      const item = plan.items[i];
      const r = await this.runItem(effective, item, sink, signal);
      result.items.push(r);
      if (!r.ok) result.ok = false;
      if (r.cancelled) {
        for (const rest of plan.items.slice(i + 1)) {
          result.items.push({ server: rest.server, target: rest.target, ok: false, error: new CancelledError().message, completedSteps: [], finalState: rest.initialState });
        }
        for (const x of result.items) delete (x as ItemResult & { cancelled?: boolean }).cancelled;
        const err = new CancelledError() as CancelledError & { result?: OperationResult };
        err.result = result;
        throw err;
      }
      delete (r as ItemResult & { cancelled?: boolean }).cancelled;
    }
    return result;
  }

  dispose(): void {
    this.disposed = true;
  }

  // -------------------------------------------------------------------------------------------

  private rawAdapters(server: string, vm: string): SimAdapter[] {
    const s = this.world.state.servers.find((x) => x.name.toUpperCase() === server.toUpperCase());
    const v = s?.vms.find((x) => x.name.toUpperCase() === vm.toUpperCase());
    return (v?.adapters ?? []).map((a) => ({ ...a, resolved: undefined }));
  }

  private vmState(server: string, vm: string): VmState | undefined {
    try {
      return this.world.getVms(server, vm)[0]?.state;
    } catch {
      return undefined;
    }
  }

  private async runItem(request: OperationRequest, item: PlanItem, sink: OutputSink | undefined, signal: AbortSignal | undefined): Promise<ItemResult & { cancelled?: boolean }> {
    const completed: StepAction[] = [];
    const undo: Undo = { stopped: false, added: [], removed: [] };
    const isVmItem = request.kind !== 'set-count';
    let error: string | undefined;
    let cancelled = false;
    let failedStep: PlanStep | undefined;

    for (const step of item.steps) {
      try {
        // Cancellation is honoured between steps; a delay/hang fault can be cut short by it too.
        if (signal?.aborted) throw new CancelledError();
        emit(sink, { stream: 'step', host: step.server, target: step.target, step: step.action, message: step.command });
        await awaitFault(this.world.faultFor(step.server, STEP_OPERATION[step.action]), signal);
        this.runStep(request, step, undo);
        completed.push(step.action);
        emit(sink, { stream: 'information', host: step.server, target: step.target, message: DONE_TEXT[step.action](step.target, step.server) });
      } catch (e) {
        cancelled = e instanceof CancelledError;
        error = (e as Error).message;
        failedStep = step;
        break;
      }
    }

    let rolledBack: boolean | undefined;
    if (error !== undefined) {
      emit(sink, { stream: 'error', host: item.server, target: item.target, step: failedStep?.action, message: `${failedStep?.action ?? 'step'} failed: ${error}` });
      if (isVmItem && (undo.stopped || undo.added.length || undo.removed.length || undo.offlineActionBefore !== undefined)) {
        const rbError = this.rollback(item, undo, sink);
        rolledBack = rbError === undefined;
        if (rbError !== undefined) error = `${error} Rollback failed: ${rbError}`;
      }
    }
    emit(sink, { stream: 'step', host: item.server, target: item.target, step: 'done', message: error === undefined ? 'done' : `failed: ${error}` });

    const r: ItemResult & { cancelled?: boolean } = { server: item.server, target: item.target, ok: error === undefined, completedSteps: completed };
    if (error !== undefined) r.error = error;
    if (rolledBack !== undefined) r.rolledBack = rolledBack;
    if (isVmItem) r.finalState = this.vmState(item.server, item.target);
    if (cancelled) r.cancelled = true;
    return r;
  }

  private runStep(request: OperationRequest, step: PlanStep, undo: Undo): void {
    const w = this.world;
    switch (step.action) {
      case 'stop-vm':
        w.stopVm(step.server, step.target);
        undo.stopped = true;
        return;
      case 'add-adapter': {
        const gpu = request.kind === 'assign' ? request.gpu : undefined;
        undo.added.push(w.addGpuPartitionAdapter(step.server, step.target, gpu === undefined ? {} : { instancePath: gpu }));
        return;
      }
      case 'remove-adapter': {
        // Keep what was removed so a rollback can put the same settings back.
        const before = this.rawAdapters(step.server, step.target);
        w.removeGpuPartitionAdapter(step.server, step.target);
        undo.removed.push(...before);
        return;
      }
      case 'set-offline-action': {
        const before = Number(w.getClusterParameter(step.target, 'OfflineAction').value) as OfflineAction;
        w.setClusterParameter(step.target, 'OfflineAction', FORCE_SHUTDOWN_OFFLINE_ACTION);
        undo.offlineActionBefore = before;
        return;
      }
      case 'start-vm':
        w.startVm(step.server, step.target);
        undo.stopped = false;
        return;
      case 'set-count':
        if (request.kind !== 'set-count') throw new Error(`set-count step in a ${request.kind} plan`);
        w.setPartitionCount(step.server, step.target, request.count);
        return;
    }
  }

  /**
   * Undoes an item after a failure: adapter changes reversed, OfflineAction restored, and the VM
   * started again if it was Running. Not cancellable (a half-done rollback is what it prevents), and
   * it bypasses delay/hang faults. Returns an error text when some part could not be undone.
   */
  private rollback(item: PlanItem, undo: Undo, sink: OutputSink | undefined): string | undefined {
    const w = this.world;
    const errors: string[] = [];
    const note = (message: string): void => emit(sink, { stream: 'warning', host: item.server, target: item.target, message });
    const attempt = (what: string, f: () => void): void => {
      try {
        f();
        note(`Rollback: ${what}.`);
      } catch (e) {
        errors.push(`${what}: ${(e as Error).message}`);
        emit(sink, { stream: 'error', host: item.server, target: item.target, message: `Rollback: could not ${what}: ${(e as Error).message}` });
      }
    };
    const vmIsOff = (): boolean => this.vmState(item.server, item.target) === 'Off';

    if (vmIsOff()) {
      for (const a of undo.added) attempt('removed the added GPU partition adapter', () => w.removeGpuPartitionAdapter(item.server, item.target, a.id));
      for (const a of undo.removed) {
        const values: AddAdapterOptions = {};
        for (const k of RESOURCE_KEYS) if (a[k] !== undefined) values[k] = a[k];
        if (a.instancePath !== undefined) values.instancePath = a.instancePath;
        attempt('re-added the removed GPU partition adapter', () => w.addGpuPartitionAdapter(item.server, item.target, values));
      }
    } else if (undo.added.length || undo.removed.length) {
      errors.push('the VM is not Off, so its adapter change could not be undone');
    }
    if (undo.offlineActionBefore !== undefined) {
      const v = undo.offlineActionBefore;
      attempt(`restored OfflineAction ${v}`, () => w.setClusterParameter(item.target, 'OfflineAction', v));
    }
    if (item.initialState === 'Running' && this.vmState(item.server, item.target) !== 'Running') {
      attempt(`started VM '${item.target}' again`, () => w.startVm(item.server, item.target));
    }
    return errors.length ? errors.join('; ') : undefined;
  }
}

function serversOf(request: OperationRequest): string[] {
  if (request.kind === 'set-count') return [...new Set(request.targets.map((t) => t.server))];
  return [request.server];
}

function emit(sink: OutputSink | undefined, r: Omit<OutputRecord, 'time'>): void {
  sink?.({ time: new Date().toISOString(), ...r });
}
