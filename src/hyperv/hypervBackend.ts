/**
 * A Backend that runs the scripts in src/hyperv/scripts in one long-lived PowerShell process per
 * connection: against a real cluster or server (the cmdlets' own remoting), or against the Hyper-V
 * emulation module (target kind 'sim', the caller passes the bridge env and module).
 *
 * plan() = planOperation (src/model/plan.ts) over a fresh inventory of the servers involved: the
 * rules and refusals live once, in the model. The scripts' what-if mode returns the same steps and
 * commands (test/powershell/operations.test.ts checks both agree); execute() runs the plan's items
 * through the scripts, which re-read each VM and roll back on failure.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CancelledError, type Backend, type CallOptions, type InventoryOptions } from '../model/backend';
import { findGpu, findServer, gpuName } from '../model/gpuIdentity';
import { planOperation } from '../model/plan';
import type { Inventory, ItemResult, OperationPlan, OperationRequest, OperationResult, PlanStep, StepAction } from '../model/types';
import { inventoryFromEnvelope } from './inventoryMapper';
import { PowerShellError, PowerShellRunner, readEnvelope, type RunResult } from './runner';
import { formatProblem, parseErrors, parseRecords, type ItemRecord, type StepRecord } from './schemas';

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
  /** Folder of inventory.ps1 & co. (src/hyperv/scripts, dist/scripts in the .vsix). */
  scriptsDir: string;
  /** Extra environment for the PowerShell process (the sim bridge URL/token). */
  env?: Record<string, string>;
  /** Modules imported once when the process starts (the emulation module's .psd1 for 'sim'). */
  modules?: string[];
  /** Inventory fan-out throttle (nodes read at once). */
  throttle?: number;
  log?: (line: string) => void;
}

export type ScriptName = 'inventory' | 'assign' | 'unassign' | 'set-count';

export class HyperVBackend implements Backend {
  readonly connection: string;
  readonly runner: PowerShellRunner;
  private readonly scripts = new Map<ScriptName, string>();
  /** Nodes the cluster listed at the last full inventory (a hint for the next one). */
  private knownNodes: string[] | undefined;

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
  ): Promise<{ envelope: ReturnType<typeof readEnvelope>; result: RunResult }> {
    const full = { ...(await this.baseParams()), ...params };
    const result = await this.runner.run(this.scriptText(name), full, { name: `${name}.ps1`, sink: options.sink, signal: options.signal, timeoutMs });
    return { envelope: readEnvelope(result, `${name}.ps1`), result };
  }

  async inventory(options: InventoryOptions = {}): Promise<Inventory> {
    const t = this.options.target;
    const kind = t.kind === 'sim' ? 'auto' : t.kind;
    // 32 = Invoke-Command's own default ThrottleLimit.
    const params: Record<string, unknown> = { target: { kind, name: t.computerName }, throttle: this.options.throttle ?? 32 };
    if (options.servers?.length) params.servers = options.servers;
    // The node list of the last full read: the script reads those nodes while it asks the cluster for
    // its list, so a refresh is one round trip instead of two (issue 6).
    else if (this.knownNodes?.length) params.knownNodes = this.knownNodes;
    const { envelope } = await this.runScript('inventory', params, options);
    const parsed = parseRecords(envelope.records);
    if (!options.servers?.length) {
      const listed = parsed.records.filter((r) => r.type === 'node').map((r) => (r as { name: string }).name);
      this.knownNodes = listed.length ? listed : undefined;
    }
    const nodes = parsed.records.filter((r) => r.type === 'node' || r.type === 'hostFacts' || r.type === 'pnp');
    if (!envelope.ok && nodes.length === 0) {
      const e = parseErrors(envelope.errors)[0];
      throw new PowerShellError('script', `Could not read ${t.computerName ?? this.connection}: ${e?.message ?? 'unknown error'}`, { script: 'inventory.ps1', host: e?.host });
    }
    const { inventory } = inventoryFromEnvelope(envelope, this.connection, options.servers);
    return inventory;
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
    if (plan.items.length > 0) {
      if (options.signal?.aborted) throw new CancelledError();
      // -InstancePath is the partitionable GPU's Name even when the request named the GPU by its PnP
      // instance id (the plan's command shows the resolved name, and the script runs that).
      const resolved = request.kind === 'assign' && request.gpu !== undefined ? resolveGpu(inv, request.server, request.gpu) : undefined;
      const effective: OperationRequest = request.kind === 'assign' && resolved !== undefined ? { ...request, gpu: resolved } : request;
      const { name, params } = scriptFor(effective, plan.items, inv.cluster);
      const { envelope } = await this.runScript(name, params, options);
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
        items.push(ir);
      }
    }
    return { request, ok: plan.refusals.length === 0 && items.every((i) => i.ok), items, refusals: plan.refusals };
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

function resolveGpu(inv: Inventory, server: string, gpu: string): string | undefined {
  const s = findServer(inv.servers, server);
  const g = s ? findGpu(s, gpu) : undefined;
  return g ? gpuName(g) : undefined;
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
