/**
 * A Backend that runs the scripts in src/hyperv/scripts in one long-lived PowerShell process per
 * connection: against a real cluster or server (the cmdlets' own remoting), or against the Hyper-V
 * emulation module (target kind 'sim', the caller passes the bridge env and module).
 *
 * plan() = planOperation (src/model/plan.ts) over a fresh inventory of the servers involved: the
 * rules and refusals live once, in the model. The scripts' what-if mode returns the same steps and
 * commands (test/powershell/operations.test.ts checks both agree); execute() runs the plan's items
 * through the scripts, which re-read each VM and roll back on failure.
 *
 * "A VM that was Running before an operation is Running after it, whatever failed" (project standard):
 * - A cancel or timeout is first cooperative: the runner writes a cancel file the script polls between
 *   steps (RunOptions.cancelGraceMs); the script rolls the current VM back by itself.
 * - When the script cannot stop in time (stuck in a cmdlet), PowerShell crashes, or the call fails
 *   in any other way, the process is gone or its result is lost: execute() then runs recover.ps1 in a
 *   FRESH process with each unfinished VM's state before the operation (from the plan's inventory),
 *   which undoes what the step records show was begun and starts every VM that was Running. Each item
 *   says what happened: "Cancelled during step X; rolled back; VM running again", or which VM may be
 *   left Off and the commands to fix it by hand.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CancelledError, type Backend, type CallOptions, type InventoryOptions } from '../model/backend';
import { findServer, resolveGpuName } from '../model/gpuIdentity';
import { addAdapterCommand, offlineActionCommand, planOperation, removeAdapterCommand, startVmCommand } from '../model/plan';
import type { Inventory, ItemResult, OperationPlan, OperationRequest, OperationResult, OutputRecord, PlanItem, PlanStep, StepAction } from '../model/types';
import { inventoryFromRecords } from './inventoryMapper';
import { psQuote } from '../model/psQuote';
import { PowerShellError, PowerShellRunner, readEnvelope, type RunResult } from './runner';
import { formatProblem, parseErrors, parseNodeHashes, parseRecords, type GuestRecord, type ItemRecord, type RecordProblem, type RecoveryRecord, type ScriptRecord, type StepRecord } from './schemas';

export interface Credential {
  userName: string;
  password: string;
}

export interface HyperVTarget {
  /** 'cluster': Get-ClusterNode [-Cluster computerName]; 'server': one standalone host; 'sim': the local emulation (cluster if it has one). */
  kind: 'cluster' | 'server' | 'sim';
  computerName?: string;
  /** Asked on each call (SecretStorage in the extension); never logged, never in script text. */
  credential?: () => Promise<Credential | undefined>;
}

export interface HyperVBackendOptions {
  connection: string;
  target: HyperVTarget;
  pwshPath: string;
  /** Per-call timeout (ms); 0 = none. */
  timeoutMs?: number;
  /**
   * Timeout of one assign/unassign/set-count script call (ms); default timeoutMs. The call that can
   * leave a VM Off when a host stops answering, so it may want a bound of its own (a VM start can be
   * slow; an inventory of many nodes slower still).
   */
  operationTimeoutMs?: number;
  /** Folder of inventory.ps1 & co. (src/hyperv/scripts, dist/scripts in the .vsix). */
  scriptsDir: string;
  /** Extra environment for the PowerShell process (the sim bridge URL/token). */
  env?: Record<string, string>;
  /** Modules imported once when the process starts (the emulation module's .psd1 for 'sim'). */
  modules?: string[];
  /** Inventory fan-out throttle (nodes read at once). */
  throttle?: number;
  /**
   * After a cancel or timeout of assign/unassign/set-count, how long the script gets to stop between
   * steps and roll back by itself before its process is killed (ms). Default 30 s: a rollback stops
   * and starts a VM, which takes seconds on a real host.
   */
  cancelGraceMs?: number;
  /** Timeout of the recovery pass (recover.ps1 in a fresh process) after a kill (ms). Default 120 s. */
  recoveryTimeoutMs?: number;
  log?: (line: string) => void;
}

export type ScriptName = 'inventory' | 'assign' | 'unassign' | 'set-count' | 'recover' | 'guest';

const DEFAULT_CANCEL_GRACE_MS = 30_000;
const DEFAULT_RECOVERY_TIMEOUT_MS = 120_000;

/** Options of the guest check: the guest account for PowerShell Direct (default: the connection's credential). */
export interface GuestCallOptions extends CallOptions {
  guestCredential?: Credential;
}

export class HyperVBackend implements Backend {
  readonly connection: string;
  readonly runner: PowerShellRunner;
  private readonly scripts = new Map<ScriptName, string>();
  /** Nodes the cluster listed at the last full inventory (a hint for the next one). */
  private knownNodes: string[] | undefined;
  /**
   * Each node's records at its last read, by upper-case node name, with the hash inventory.ps1 gave
   * them: the script sends no records for a node whose hash is unchanged (issue 6), these stand in.
   */
  private readonly nodeRecords = new Map<string, { hash: string; records: ScriptRecord[] }>();

  constructor(private readonly options: HyperVBackendOptions) {
    this.connection = options.connection;
    this.runner = new PowerShellRunner({
      pwshPath: options.pwshPath,
      env: options.env,
      modules: options.modules,
      timeoutMs: options.timeoutMs,
      host: options.target.computerName ?? options.connection,
      log: options.log,
    });
  }

  /** The script text as sent: _common.ps1 then the script. Files are read once. */
  scriptText(name: ScriptName): string {
    let t = this.scripts.get(name);
    if (t === undefined) {
      const common = readFileSync(path.join(this.options.scriptsDir, '_common.ps1'), 'utf8');
      const body = readFileSync(path.join(this.options.scriptsDir, `${name}.ps1`), 'utf8');
      t = `${common}\n${body}`;
      this.scripts.set(name, t);
    }
    return t;
  }

  private async baseParams(): Promise<Record<string, unknown>> {
    const c = await this.options.target.credential?.();
    return c ? { credential: { userName: c.userName, password: c.password } } : {};
  }

  /**
   * Runs a script and returns its envelope (throws PowerShellError on a crash, timeout, fatal error or
   * malformed output). `timeoutMs` overrides the connection's timeout for this call.
   */
  async runScript(
    name: ScriptName,
    params: Record<string, unknown>,
    options: CallOptions = {},
    timeoutMs?: number,
    cancelGraceMs?: number,
  ): Promise<{ envelope: ReturnType<typeof readEnvelope>; result: RunResult }> {
    const full = { ...(await this.baseParams()), ...params };
    const result = await this.runner.run(this.scriptText(name), full, { name: `${name}.ps1`, sink: options.sink, signal: options.signal, timeoutMs, cancelGraceMs });
    return { envelope: readEnvelope(result, `${name}.ps1`), result };
  }

  /** `fullRead`: ask for every node's records even when unchanged (after the node cache lost one). */
  async inventory(options: InventoryOptions = {}, fullRead = false): Promise<Inventory> {
    const t = this.options.target;
    const kind = t.kind === 'sim' ? 'auto' : t.kind;
    // 32 = Invoke-Command's own default ThrottleLimit.
    const params: Record<string, unknown> = { target: { kind, name: t.computerName }, throttle: this.options.throttle ?? 32 };
    if (options.servers?.length) params.servers = options.servers;
    // The node list of the last full read: the script reads those nodes while it asks the cluster for
    // its list, so a refresh is one round trip instead of two (issue 6).
    else if (this.knownNodes?.length) params.knownNodes = this.knownNodes;
    if (this.nodeRecords.size && !fullRead) params.knownHashes = Object.fromEntries([...this.nodeRecords].map(([k, v]) => [k, v.hash]));
    const { envelope } = await this.runScript('inventory', params, options);
    const merged = this.withKnownRecords(parseRecords(envelope.records), envelope.nodes);
    if (merged === undefined) {
      // A node said "unchanged" for records this backend no longer has: read everything again.
      this.nodeRecords.clear();
      if (fullRead) throw new PowerShellError('malformed', 'inventory.ps1 said a node was unchanged although it was asked for every node.', { script: 'inventory.ps1' });
      return this.inventory(options, true);
    }
    const parsed = merged;
    if (!options.servers?.length) {
      const listed = parsed.records.filter((r) => r.type === 'node').map((r) => (r as { name: string }).name);
      this.knownNodes = listed.length ? listed : undefined;
    }
    const nodes = parsed.records.filter((r) => r.type === 'node' || r.type === 'hostFacts' || r.type === 'pnp');
    if (!envelope.ok && nodes.length === 0) {
      const e = parseErrors(envelope.errors)[0];
      throw new PowerShellError('script', `Could not read ${t.computerName ?? this.connection}: ${e?.message ?? 'unknown error'}`, { script: 'inventory.ps1', host: e?.host });
    }
    const { inventory } = inventoryFromRecords(parsed, envelope.errors, this.connection, options.servers);
    return inventory;
  }

  /**
   * The records of a read with each unchanged node's records put back from the last read, in the
   * script's node order; caches the changed nodes' records. undefined when a node is "unchanged"
   * but its records are not here (the caller then reads in full).
   */
  private withKnownRecords(parsed: { records: ScriptRecord[]; problems: RecordProblem[] }, rawNodes: unknown): { records: ScriptRecord[]; problems: RecordProblem[] } | undefined {
    const nodes = parseNodeHashes(rawNodes);
    if (!nodes.length) return parsed;
    const up = (s: string): string => s.toUpperCase();
    const listed = new Set(nodes.map((n) => up(n.host)));
    const ofNode = (r: ScriptRecord): string | undefined => (r.type !== 'offlineAction' && 'host' in r && typeof r.host === 'string' && listed.has(up(r.host)) ? up(r.host) : undefined);
    const fresh = new Map<string, ScriptRecord[]>();
    const rest: ScriptRecord[] = [];
    for (const r of parsed.records) {
      const k = ofNode(r);
      if (k === undefined) rest.push(r);
      else {
        const list = fresh.get(k);
        if (list) list.push(r);
        else fresh.set(k, [r]);
      }
    }
    const records: ScriptRecord[] = [];
    for (const n of nodes) {
      const k = up(n.host);
      if (n.unchanged) {
        const known = this.nodeRecords.get(k);
        if (!known || known.hash !== n.hash) return undefined;
        records.push(...known.records);
        continue;
      }
      const mine = fresh.get(k) ?? [];
      records.push(...mine);
      // Records that did not fit are not kept: the next read sends the node in full and reports them again.
      if (parsed.problems.some((p) => p.host !== undefined && up(p.host) === k)) this.nodeRecords.delete(k);
      else this.nodeRecords.set(k, { hash: n.hash, records: mine });
    }
    return { records: [...records, ...rest], problems: parsed.problems };
  }

  /**
   * The guest check (GuestProbe, src/model/nvidiaSmi.ts): guest.ps1 enters the VM's host and runs
   * `nvidia-smi -q -x` in the VM through PowerShell Direct (`Invoke-Command -VMName`); returns the XML.
   * Throws an Error naming the VM when the VM is not running, PowerShell Direct is refused or
   * nvidia-smi is missing or fails.
   *
   * Limitation: the extension does not ask for a guest account yet, so without `guestCredential` the
   * connection's (host) credential is offered to the guest as well; that works where the same
   * domain account may log on to the VM, otherwise PowerShell Direct refuses and the error says so.
   */
  async nvidiaSmiXml(server: string, vm: string, options: GuestCallOptions = {}): Promise<string> {
    const guest = options.guestCredential ?? (await this.options.target.credential?.());
    const params: Record<string, unknown> = { server, vm };
    if (guest) params.guestCredential = { userName: guest.userName, password: guest.password };
    const { envelope } = await this.runScript('guest', params, { sink: options.sink, signal: options.signal });
    const { records } = parseRecords(envelope.records);
    const rec = records.find((r): r is GuestRecord => r.type === 'guest');
    if (envelope.ok && rec) return rec.xml;
    const e = parseErrors(envelope.errors)[0];
    throw new PowerShellError('script', e?.message ?? `Guest check of '${vm}' on ${server}: guest.ps1 returned no nvidia-smi report.`, { script: 'guest.ps1', host: e?.host ?? server });
  }

  async plan(request: OperationRequest, options: CallOptions = {}): Promise<OperationPlan> {
    const inv = await this.inventory({ servers: serversOf(request), sink: options.sink, signal: options.signal });
    return planOperation(inv, request);
  }

  /** The scripts' own what-if: the steps and exact commands they would run now, nothing changed. */
  async whatIf(request: OperationRequest, options: CallOptions = {}): Promise<PlanStep[]> {
    const { name, params } = scriptFor(request, undefined, await this.clusterName(request, options));
    const { envelope } = await this.runScript(name, { ...params, whatIf: true }, options);
    const { records } = parseRecords(envelope.records);
    return records.filter((r): r is StepRecord => r.type === 'step').map((s) => ({ action: s.action as StepAction, server: s.host, target: s.target, command: s.command }));
  }

  async execute(request: OperationRequest, options: CallOptions = {}): Promise<OperationResult> {
    const inv = await this.inventory({ servers: serversOf(request), sink: options.sink, signal: options.signal });
    const plan = planOperation(inv, request);
    const items: ItemResult[] = [];
    const result: OperationResult = { request, ok: false, items, refusals: plan.refusals };
    if (plan.items.length === 0) {
      result.ok = plan.refusals.length === 0;
      return result;
    }
    if (options.signal?.aborted) throw new CancelledError();
    // -InstancePath is the partitionable GPU's Name even when the request named the GPU by its PnP
    // instance id (the plan's command shows the resolved name, and the script runs that).
    const resolved = request.kind === 'assign' && request.gpu !== undefined ? resolveGpuName(inv.servers, request.server, request.gpu) : undefined;
    const effective: OperationRequest = request.kind === 'assign' && resolved !== undefined ? { ...request, gpu: resolved } : request;
    const { name, params } = scriptFor(effective, plan.items, inv.cluster);
    // Which steps each VM began, from the step records as they stream (the recovery pass needs them
    // when the script's own result is lost).
    const progress = new StepProgress();
    const sink = (r: OutputRecord): void => {
      progress.add(r);
      options.sink?.(r);
    };
    let run: { envelope: ReturnType<typeof readEnvelope>; result: RunResult };
    try {
      run = await this.runScript(name, params, { sink, signal: options.signal }, this.options.operationTimeoutMs, this.options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS);
    } catch (e) {
      // Nothing ran when the process could not even start.
      if (request.kind === 'set-count' || (e instanceof PowerShellError && e.kind === 'start')) throw e;
      return this.recoverAfter(result, plan, inv, progress, e, options);
    }
    const { envelope } = run;
    const interrupted = run.result.interruption;
    const { records, problems } = parseRecords(envelope.records);
    const results = records.filter((r): r is ItemRecord => r.type === 'item');
    for (const item of plan.items) {
      const r = results.find((x) => x.target === item.target && x.host.toUpperCase() === item.server.toUpperCase());
      if (!r) {
        const why = problems.length ? problems.map(formatProblem).join('; ') : 'the script reported no result for it';
        items.push({ server: item.server, target: item.target, ok: false, error: why, completedSteps: [] });
        continue;
      }
      const ir: ItemResult = { server: item.server, target: item.target, ok: r.ok, completedSteps: r.completedSteps as StepAction[] };
      if (r.error !== undefined) ir.error = r.error;
      if (r.rolledBack !== undefined) ir.rolledBack = r.rolledBack;
      if (r.finalState !== undefined) ir.finalState = r.finalState;
      if (r.interrupted !== undefined && interrupted) ir.error = stoppedItemText(interrupted.message, r, item, progress, request.kind === 'set-count' ? 'GPU' : 'VM');
      items.push(ir);
    }
    result.ok = plan.refusals.length === 0 && items.every((i) => i.ok);
    if (interrupted?.reason === 'cancel') throw cancelledWith(result);
    return result;
  }

  /**
   * After the script's process was killed (timeout or cancel not honoured in time, crash) or its
   * result was lost: recover.ps1 in a fresh process puts every unfinished VM back as the plan's
   * inventory saw it. Not cancellable (a half-done recovery is what it prevents); it has its own timeout.
   */
  private async recoverAfter(result: OperationResult, plan: OperationPlan, inv: Inventory, progress: StepProgress, cause: unknown, options: CallOptions): Promise<OperationResult> {
    const reason = causeText(cause, this.options.operationTimeoutMs ?? this.options.timeoutMs);
    const request = plan.request;
    const unfinished = plan.items.filter((i) => !progress.done(i));
    const note = (stream: OutputRecord['stream'], message: string, target?: string, server?: string): void =>
      options.sink?.({ time: new Date().toISOString(), stream, message, host: server ?? (request.kind === 'set-count' ? undefined : request.server), target });
    note('warning', `${(cause as Error)?.message ?? String(cause)} Checking ${unfinished.length} VM(s) and putting back what was begun, in a fresh PowerShell process.`);
    const recovered = new Map<string, RecoveryRecord>();
    let recoveryError: string | undefined;
    if (unfinished.length > 0) {
      const params = {
        items: unfinished.map((i) => {
          const vm = findServer(inv.servers, i.server)?.vms.find((v) => v.name === i.target);
          const touchesOffline = i.steps.some((s) => s.action === 'set-offline-action');
          return {
            server: i.server,
            vm: i.target,
            initialState: i.initialState ?? vm?.state,
            adapters: (vm?.adapters ?? []).map((a) => ({ id: a.id, instancePath: a.instancePath })),
            offlineAction: touchesOffline && vm?.offlineAction !== undefined ? vm.offlineAction : undefined,
            cluster: inv.cluster,
          };
        }),
      };
      try {
        const { envelope } = await this.runScript('recover', params, { sink: options.sink }, this.options.recoveryTimeoutMs ?? DEFAULT_RECOVERY_TIMEOUT_MS);
        const { records, problems } = parseRecords(envelope.records);
        for (const r of records) if (r.type === 'recovery') recovered.set(itemKey(r.host, r.target), r);
        if (problems.length) recoveryError = problems.map(formatProblem).join('; ');
      } catch (e) {
        recoveryError = (e as Error)?.message ?? String(e);
      }
    }
    for (const item of plan.items) {
      const began = progress.began(item);
      if (progress.done(item)) {
        // This VM finished before the stop: its change stands.
        result.items.push({ server: item.server, target: item.target, ok: true, completedSteps: began });
        continue;
      }
      const rec = recovered.get(itemKey(item.server, item.target));
      const ir: ItemResult = { server: item.server, target: item.target, ok: false, completedSteps: progress.completed(item) };
      const at = progress.current(item);
      const where = at ? ` during step "${at}"` : ' before this VM was begun';
      if (rec?.ok) {
        if (rec.finalState !== undefined) ir.finalState = rec.finalState as ItemResult['finalState'];
        if (at || rec.actions.length > 0) {
          ir.rolledBack = true;
          ir.error = `${reason}${where}; rolled back; ${item.initialState === 'Running' ? 'VM running again' : `VM ${rec.finalState ?? item.initialState} as before`}.`;
        } else {
          ir.error = `${reason} before this VM was begun; nothing was changed.`;
        }
      } else {
        ir.rolledBack = false;
        const why = rec?.error ?? recoveryError ?? (rec ? leftOver(rec, item) : 'the recovery reported nothing for it');
        ir.error = `${reason}${where}; recovery failed: ${why}. ${manualFix(item, request, inv, rec)}`;
        if (rec?.finalState !== undefined) ir.finalState = rec.finalState as ItemResult['finalState'];
        note('error', ir.error, item.target, item.server);
      }
      result.items.push(ir);
    }
    result.ok = false;
    if (cause instanceof CancelledError) throw cancelledWith(result);
    return result;
  }

  private async clusterName(request: OperationRequest, options: CallOptions): Promise<string | undefined> {
    if (request.kind !== 'assign' || !request.forceShutdownOfflineAction) return undefined;
    if (this.options.target.kind === 'cluster' && this.options.target.computerName) return this.options.target.computerName;
    return (await this.inventory({ servers: [request.server], sink: options.sink, signal: options.signal })).cluster;
  }

  dispose(): void {
    void this.runner.dispose();
  }
}

function itemKey(server: string, target: string): string {
  return `${server.toUpperCase()}\u0000${target}`;
}

/** The steps each VM began, read from the step records as they stream ('done' = it finished). */
class StepProgress {
  private readonly steps = new Map<string, StepAction[]>();
  private readonly finished = new Set<string>();

  add(r: OutputRecord): void {
    if (r.stream !== 'step' || !r.step || r.target === undefined || r.host === undefined) return;
    const k = itemKey(r.host, r.target);
    if (r.step === 'done') {
      this.finished.add(k);
      return;
    }
    const list = this.steps.get(k) ?? [];
    list.push(r.step);
    this.steps.set(k, list);
  }

  began(i: PlanItem): StepAction[] {
    return [...(this.steps.get(itemKey(i.server, i.target)) ?? [])];
  }

  done(i: PlanItem): boolean {
    return this.finished.has(itemKey(i.server, i.target));
  }

  /** The step in progress when the call stopped (the last one begun), if any. */
  current(i: PlanItem): StepAction | undefined {
    const b = this.began(i);
    return b[b.length - 1];
  }

  /** Steps begun before the current one (so finished). */
  completed(i: PlanItem): StepAction[] {
    return this.began(i).slice(0, -1);
  }
}

/** "Cancelled" / "Timed out after N ms" / "PowerShell stopped": the cause, as the start of a sentence. */
function causeText(cause: unknown, timeoutMs: number | undefined): string {
  if (cause instanceof CancelledError) return 'Cancelled';
  if (cause instanceof PowerShellError) {
    if (cause.kind === 'timeout') return timeoutMs ? `Timed out after ${timeoutMs} ms` : 'Timed out';
    if (cause.kind === 'crashed') return 'PowerShell stopped unexpectedly';
    return `Failed (${cause.message})`;
  }
  return `Failed (${(cause as Error)?.message ?? String(cause)})`;
}

/** An item's message after the script stopped by itself on a cancel or timeout request. */
function stoppedItemText(message: string, r: ItemRecord, item: PlanItem, progress: StepProgress, noun: 'VM' | 'GPU'): string {
  const cause = message.charAt(0).toUpperCase() + message.slice(1);
  if (r.notStarted) return `${cause} before this ${noun} was begun; nothing was changed.`;
  const at = progress.current(item);
  const where = at ? ` during step "${at}"` : '';
  if (r.rolledBack === true || (r.rolledBack === undefined && r.completedSteps.length === 0)) {
    const state = item.initialState === 'Running' ? 'VM running again' : `VM ${r.finalState ?? item.initialState} as before`;
    return `${cause}${where}; rolled back; ${state}.`;
  }
  return `${cause}${where}; rollback failed: ${r.error ?? 'see the output'}.`;
}

/** The commands that put a VM back by hand when recovery could not: exactly which VM, exactly what. */
function manualFix(item: PlanItem, request: OperationRequest, inv: Inventory, rec: RecoveryRecord | undefined): string {
  const vm = findServer(inv.servers, item.server)?.vms.find((v) => v.name === item.target);
  const cmds: string[] = [];
  const unknown = rec === undefined;
  if (request.kind === 'assign' && (unknown || (rec.extraAdapters ?? 0) > 0) && (vm?.adapters.length ?? 0) === 0) {
    cmds.push(removeAdapterCommand(item.server, item.target));
  }
  if (request.kind === 'unassign') {
    const missing = unknown ? (vm?.adapters ?? []).map((a) => a.instancePath ?? '') : rec.missingAdapters;
    for (const ip of missing) cmds.push(addAdapterCommand(item.server, item.target, ip === '' ? undefined : ip));
  }
  if (item.steps.some((s) => s.action === 'set-offline-action') && vm?.offlineAction !== undefined && inv.cluster && (unknown || rec.offlineActionRestored === false)) {
    cmds.push(offlineActionCommand(inv.cluster, item.target, vm.offlineAction));
  }
  if (item.initialState === 'Running' && (unknown || rec.finalState !== 'Running')) cmds.push(startVmCommand(item.server, item.target));
  const off = item.initialState === 'Running' && rec?.finalState !== 'Running' ? `VM '${item.target}' on ${item.server} may be left Off` : `VM '${item.target}' on ${item.server} may not be as it was`;
  return cmds.length ? `${off}; to fix it by hand run: ${cmds.join('; ')}` : `${off}; check it with Get-VM -ComputerName ${psQuote(item.server)} | Where-Object Name -eq ${psQuote(item.target)}.`;
}

/** What a recovery that reported no error still left undone. */
function leftOver(rec: RecoveryRecord, item: PlanItem): string {
  const parts: string[] = [];
  if ((rec.extraAdapters ?? 0) > 0) parts.push(`${rec.extraAdapters} GPU partition adapter(s) the operation added are still there`);
  if (rec.missingAdapters.length > 0) parts.push(`${rec.missingAdapters.length} GPU partition adapter(s) the operation removed are still missing`);
  if (item.initialState === 'Running' && rec.finalState !== 'Running') parts.push(`the VM is ${rec.finalState ?? 'not Running'}`);
  return parts.length ? parts.join('; ') : 'the VM could not be read';
}

function cancelledWith(result: OperationResult): CancelledError {
  const err = new CancelledError() as CancelledError & { result?: OperationResult };
  err.result = result;
  return err;
}

function serversOf(request: OperationRequest): string[] {
  if (request.kind === 'set-count') return [...new Set(request.targets.map((t) => t.server))];
  return [request.server];
}

/** The script and its parameters for a request; `items` (the plan's) limits the targets when given. */
function scriptFor(request: OperationRequest, items: { server: string; target: string }[] | undefined, cluster: string | undefined): { name: ScriptName; params: Record<string, unknown> } {
  switch (request.kind) {
    case 'set-count':
      return { name: 'set-count', params: { targets: items ? items.map((i) => ({ server: i.server, gpu: i.target })) : request.targets, count: request.count } };
    case 'assign':
      return {
        name: 'assign',
        params: {
          server: request.server,
          vms: items ? items.map((i) => i.target) : request.vms,
          gpu: request.gpu,
          forceShutdownOfflineAction: request.forceShutdownOfflineAction,
          cluster,
        },
      };
    case 'unassign':
      return { name: 'unassign', params: { server: request.server, vms: items ? items.map((i) => i.target) : request.vms } };
  }
}
