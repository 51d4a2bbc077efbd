/**
 * The handlers of `gpup`: parse, build the backend, run, print. Output goes through `CliIo` so the
 * same code serves the process (main.ts) and in-process callers.
 */
import type { Backend } from '../model/backend';
import { CancelledError } from '../model/backend';
import type { Inventory, OperationPlan, OperationRequest, OperationResult, OutputRecord } from '../model/types';
import { validateCountSelection } from '../model/validation';
import { createScenario, saveState } from '../sim/index';
import type { Command, ConnectionOptions, MutationOptions, OutputOptions } from './args';
import { helpText, parseArgs, UsageError, usageErrorText } from './args';
import { createBackend, scenarioNames } from './backend';
import { AuditLog } from '../audit/auditLog';
import { extraHelpText, isExtraCommand, runExtraCommand } from './commands/index';
import { defaultAuditLogPath } from './commands/history';
import { confirmPlan, NEED_YES_MESSAGE, type Prompter } from './confirm';
import { CliError } from './errors';
import { formatInventory, formatPlan, formatRecord, formatResult } from './format';
import { toJson } from './json';
import { partitionedGpus, resolveGpu, resolveServer } from './resolve';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Aborted on Ctrl+C: the backend stops between steps and rolls back what it started. */
  signal?: AbortSignal;
  /** The terminal to confirm a change on; absent when stdin is not a TTY (then --yes is needed). */
  prompter?: Prompter;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Runs one `gpup` invocation and returns its exit code. Never throws. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  // check, plan-capacity, guest-check, history: their own table (src/cli/commands/index.ts).
  if (isExtraCommand(argv[0])) return runExtraCommand(argv, io);
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (e) {
    return reportError(e, io, false);
  }
  const json = 'json' in command && command.json;
  try {
    return await dispatch(command, io);
  } catch (e) {
    return reportError(e, io, json);
  }
}

function reportError(e: unknown, io: CliIo, json: boolean): number {
  if (e instanceof UsageError) {
    io.stderr(usageErrorText(e));
    return EXIT_USAGE;
  }
  const message = e instanceof CliError || e instanceof CancelledError ? e.message : `Unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  if (json) {
    io.stdout(toJson({ ok: false, error: message }));
  }
  io.stderr(`gpup: ${message}\n`);
  return EXIT_FAILED;
}

async function dispatch(command: Command, io: CliIo): Promise<number> {
  switch (command.command) {
    case 'help':
      io.stdout(helpText(command.topic) + (command.topic ? '' : '\n' + extraHelpText()));
      return EXIT_OK;
    case 'sim-init':
      return simInit(command.scenario, command.out, io);
    case 'inventory':
      return withBackend(command, false, async (backend) => {
        const inventory = await backend.inventory({ signal: io.signal });
        io.stdout(command.json ? toJson(inventory) : formatInventory(inventory));
        return EXIT_OK;
      });
    case 'set-count':
    case 'assign':
    case 'unassign':
      return withBackend(command, true, (backend) => mutate(command, backend, io));
  }
}

function simInit(scenario: string, out: string, io: CliIo): number {
  const names = scenarioNames();
  if (!names.includes(scenario)) {
    throw new UsageError(`Unknown scenario '${scenario}'. Built-in scenarios: ${names.join(', ')}.`, 'sim init');
  }
  try {
    saveState(out, createScenario(scenario));
  } catch (e) {
    throw new CliError(`Cannot write '${out}': ${e instanceof Error ? e.message : String(e)}`);
  }
  io.stdout(`Wrote scenario '${scenario}' to ${out}. Use it with --sim ${out}.\n`);
  return EXIT_OK;
}

async function withBackend(options: ConnectionOptions, mutating: boolean, body: (backend: Backend) => Promise<number>): Promise<number> {
  const backend = await createBackend({ ...options, mutating });
  try {
    return await body(backend);
  } finally {
    backend.dispose();
  }
}

type MutatingCommand = Extract<Command, { command: 'set-count' | 'assign' | 'unassign' }>;

/** Builds the request from names resolved against the inventory (exact host spelling). */
async function buildRequest(command: MutatingCommand, backend: Backend, io: CliIo): Promise<{ request: OperationRequest; inventory: Inventory }> {
  // set-count is checked against the whole cluster (homogeneous sets, domain doc §2); assign and
  // unassign need only their server.
  const servers = command.command === 'set-count' ? undefined : [command.server];
  let inventory: Inventory = await backend.inventory({ servers, signal: io.signal });
  const target = inventory.servers.find((s) => s.name.toLowerCase() === command.server.toLowerCase());
  if (servers && (!target || target.error !== undefined)) {
    // Only on failure: read the whole cluster, to tell a misspelt server (and list the real ones)
    // from a server that exists but cannot be read.
    inventory = await backend.inventory({ signal: io.signal });
  }
  const server = resolveServer(inventory, command.server);
  const vmName = (vm: string) => server.vms.find((v) => v.name.toLowerCase() === vm.toLowerCase())?.name ?? vm;
  switch (command.command) {
    case 'set-count': {
      const gpus = command.gpu !== undefined ? [resolveGpu(server, command.gpu)] : partitionedGpus(server);
      if (gpus.length === 0) {
        throw new CliError(`Server ${server.name} has no Partitioned GPU. Run \`gpup inventory\` to see the status of its GPUs.`);
      }
      const targets = gpus.map((g) => ({ server: server.name, gpu: g.partitionable.name }));
      return { inventory, request: { kind: 'set-count', targets, count: command.count } };
    }
    case 'assign':
      return {
        inventory,
        request: {
          kind: 'assign',
          server: server.name,
          vms: command.vms.map(vmName),
          gpu: command.gpu !== undefined ? resolveGpu(server, command.gpu).partitionable.name : undefined,
          forceShutdownOfflineAction: command.forceShutdown,
        },
      };
    case 'unassign':
      return { inventory, request: { kind: 'unassign', server: server.name, vms: command.vms.map(vmName) } };
  }
}

async function mutate(command: MutatingCommand & OutputOptions & MutationOptions, backend: Backend, io: CliIo): Promise<number> {
  const { request, inventory } = await buildRequest(command, backend, io);
  const plan: OperationPlan = await backend.plan(request, { signal: io.signal });

  // WAC's checks of the "Configure partition count" page (domain doc §2 [S2]): warnings are shown and
  // do not block; errors block. The plan refuses the assigned-partition case too; it is shown once.
  const findings = request.kind === 'set-count' ? validateCountSelection(inventory, request.targets) : { warnings: [], errors: [] };
  const errors = findings.errors.filter((f) => f.code !== 'assignedPartitionSelected' || plan.refusals.length === 0);
  for (const w of findings.warnings) {
    io.stderr(`gpup: warning: ${w.message}\n`);
  }
  // Refusal messages name their VM or GPU already.
  const blockers = [...errors.map((e) => e.message), ...plan.refusals.map((r) => r.message)];
  const findingsJson = { warnings: findings.warnings, errors };

  if (command.whatIf) {
    io.stdout(command.json ? toJson({ whatIf: true, ok: blockers.length === 0, ...findingsJson, plan }) : formatPlan(plan) + errorLines(errors));
    io.stderr(refusalSummary(blockers));
    return blockers.length === 0 ? EXIT_OK : EXIT_FAILED;
  }

  // Nothing runs when everything is refused, nor when a partition-count change is blocked at all:
  // WAC does not let it proceed (domain doc §2 [S2]), and half the GPUs changed would break the
  // homogeneous set. Per-VM refusals of assign/unassign do not stop the other VMs.
  if (plan.items.length === 0 || (request.kind === 'set-count' && blockers.length > 0)) {
    io.stdout(
      command.json
        ? toJson({ whatIf: false, ok: false, ...findingsJson, plan })
        : formatPlan(plan).replace(/^What if: (.*)\. Nothing is changed\./, 'Refused: $1. Nothing was changed.') + errorLines(errors),
    );
    io.stderr(refusalSummary([...blockers, 'Nothing was changed.']));
    return EXIT_FAILED;
  }

  // Issue 7: ask on a terminal before anything changes; without one, only --yes runs it.
  const answer = await confirmPlan(plan, { yes: command.yes, prompter: io.prompter, write: io.stderr });
  if (answer === 'need-yes') {
    io.stderr(`gpup: ${NEED_YES_MESSAGE}\n`);
    return EXIT_USAGE;
  }
  if (answer === 'no') {
    io.stderr('gpup: Not confirmed. Nothing was changed.\n');
    return EXIT_FAILED;
  }

  // Streamed records go to stderr under --json so stdout stays one JSON document.
  const sink = (record: OutputRecord) => (command.json ? io.stderr : io.stdout)(formatRecord(record));
  let result: OperationResult;
  try {
    result = await backend.execute(request, { sink, signal: io.signal });
  } catch (e) {
    // A cancelled run still reports what each item did (and what was rolled back) when the backend has it.
    const partial = e instanceof CancelledError ? (e as CancelledError & { result?: OperationResult }).result : undefined;
    if (!partial) throw e;
    result = { ...partial, ok: false };
  }
  await recordAudit(command, plan, result, io);
  const ok = result.ok && result.refusals.length === 0 && result.items.every((i) => i.ok);
  io.stdout(command.json ? toJson({ whatIf: false, ...result, ok }) : formatResult(result));
  if (!ok) {
    const reasons = [
      ...result.refusals.map((r) => r.message),
      ...result.items.filter((i) => !i.ok).map((i) => `${i.target}: ${i.error ?? 'failed'}${i.rolledBack ? ' (rolled back)' : ''}`),
    ];
    io.stderr(refusalSummary(reasons));
    return EXIT_FAILED;
  }
  return EXIT_OK;
}

/** The name a CLI run records as its connection: the --sim scenario or file, or the PowerShell target. */
function connectionName(c: ConnectionOptions): string {
  return c.backend === 'sim' ? `sim:${c.sim ?? ''}` : (c.cluster ?? c.computer ?? 'localhost');
}

/**
 * Appends the executed change to the audit log (issue 8): `--audit-log FILE`, else $GPUP_AUDIT_LOG,
 * else ~/.gpup/audit.jsonl. A write failure is a warning: the change itself happened.
 */
async function recordAudit(command: MutatingCommand & MutationOptions, plan: OperationPlan, result: OperationResult, io: CliIo): Promise<void> {
  const log = new AuditLog(command.auditLog ?? defaultAuditLogPath());
  try {
    await log.record({ connection: connectionName(command), plan, result });
  } catch (e) {
    io.stderr(`gpup: warning: the audit log ${log.filePath} could not be written: ${e instanceof Error ? e.message : String(e)}\n`);
  }
}

function errorLines(errors: { message: string }[]): string {
  return errors.length === 0 ? '' : ['', 'Blocked:', ...errors.map((e) => `  ${e.message}`)].join('\n') + '\n';
}

function refusalSummary(messages: string[]): string {
  return messages.map((m) => `gpup: ${m}\n`).join('');
}
