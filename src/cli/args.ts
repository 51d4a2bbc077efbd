/**
 * Command-line parsing of `gpup`. Pure: no I/O, so it is unit-tested directly.
 *
 * Every command has its own list of accepted flags; anything else is a usage error (exit 2).
 * Both `--flag value` and `--flag=value` are accepted.
 */

export type BackendKind = 'sim' | 'powershell';
export const BACKEND_KINDS: readonly BackendKind[] = ['sim', 'powershell'];

/** Options shared by every command that talks to a backend. */
export interface ConnectionOptions {
  backend: BackendKind;
  /** `--sim <scenario|FILE>` */
  sim?: string;
  /** `--cluster NAME` (PowerShell backend) */
  cluster?: string;
  /** `--computer NAME` (PowerShell backend) */
  computer?: string;
}

export interface OutputOptions {
  json: boolean;
}

export interface MutationOptions {
  whatIf: boolean;
  /** Skips the terminal confirmation (src/cli/confirm.ts); required when stdin is not a TTY. */
  yes: boolean;
  /** `--audit-log FILE`: where the change is recorded (default $GPUP_AUDIT_LOG, else ~/.gpup/audit.jsonl). */
  auditLog?: string;
}

export type Command =
  | { command: 'help'; topic?: CommandName }
  | { command: 'sim-init'; scenario: string; out: string }
  | ({ command: 'inventory' } & ConnectionOptions & OutputOptions)
  | ({ command: 'set-count'; server: string; gpu?: string; count: number } & ConnectionOptions & OutputOptions & MutationOptions)
  | ({ command: 'assign'; server: string; vms: string[]; gpu?: string; forceShutdown: boolean } & ConnectionOptions & OutputOptions & MutationOptions)
  | ({ command: 'unassign'; server: string; vms: string[] } & ConnectionOptions & OutputOptions & MutationOptions);

export type CommandName = 'sim init' | 'inventory' | 'set-count' | 'assign' | 'unassign';
export const COMMAND_NAMES: readonly CommandName[] = ['sim init', 'inventory', 'set-count', 'assign', 'unassign'];

/** A usage error: exit code 2, with the usage line of the command it concerns. */
export class UsageError extends Error {
  constructor(message: string, readonly topic?: CommandName) {
    super(message);
    this.name = 'UsageError';
  }
}

const CONNECTION = '[--backend sim|powershell] [--cluster NAME | --computer NAME]';

/** One-line usage of each command (printed with every usage error). */
export const USAGE: Record<CommandName, string> = {
  'sim init': 'gpup sim init <scenario> --out FILE',
  inventory: `gpup inventory --sim <scenario|FILE> [--json] ${CONNECTION}`,
  'set-count': `gpup set-count --sim FILE --server S [--gpu NAME] --count N [--what-if] [--yes] [--json] [--audit-log FILE] ${CONNECTION}`,
  assign: `gpup assign --sim FILE --server S --vm NAME [--vm NAME ...] [--gpu NAME] [--force-shutdown] [--what-if] [--yes] [--json] [--audit-log FILE] ${CONNECTION}`,
  unassign: `gpup unassign --sim FILE --server S --vm NAME [--vm NAME ...] [--what-if] [--yes] [--json] [--audit-log FILE] ${CONNECTION}`,
};

const DESCRIPTION: Record<CommandName, string> = {
  'sim init': 'Write a simulator state file from a built-in scenario.',
  inventory: 'List servers, GPUs (partition count, VRAM, status) and VMs (state, partition).',
  'set-count': 'Set the partition count of GPUs on a server (without --gpu: every Partitioned GPU of the server).',
  assign: 'Assign a GPU partition to VMs. A running VM is turned off, changed and turned back on.',
  unassign: 'Remove the GPU partition of VMs. A running VM is turned off, changed and turned back on.',
};

const FLAG_HELP: Record<string, string> = {
  '--sim': 'simulator scenario name (inventory only) or state file written by `gpup sim init`',
  '--out': 'state file to write',
  '--server': 'server name as inventory shows it',
  '--gpu': 'GPU: its Name (device interface path), its index on the server (0, 1, ...) or its friendly name when unique',
  '--count': 'partition count, one of the GPU\'s ValidPartitionCounts',
  '--vm': 'VM name (repeat for several VMs)',
  '--force-shutdown': 'set the VM cluster resource OfflineAction to 3 (Shutdown (Forced)), as WAC\'s checkbox does',
  '--what-if': 'print the plan and the exact commands; change nothing',
  '--yes': 'do not ask before turning running VMs off and on',
  '--json': 'machine-readable output on stdout (UInt64 values as decimal strings)',
  '--backend': 'sim (default) or powershell',
  '--audit-log': 'audit log (JSON lines) the change is appended to; default $GPUP_AUDIT_LOG, else ~/.gpup/audit.jsonl',
  '--cluster': 'cluster to connect to (powershell backend)',
  '--computer': 'server to connect to (powershell backend)',
};

type FlagKind = 'string' | 'multi' | 'bool';

interface FlagSpec {
  kind: FlagKind;
  required?: boolean;
}

const CONNECTION_FLAGS: Record<string, FlagSpec> = {
  '--sim': { kind: 'string' },
  '--backend': { kind: 'string' },
  '--cluster': { kind: 'string' },
  '--computer': { kind: 'string' },
  '--json': { kind: 'bool' },
};

const MUTATION_FLAGS: Record<string, FlagSpec> = {
  ...CONNECTION_FLAGS,
  '--what-if': { kind: 'bool' },
  '--yes': { kind: 'bool' },
  '--audit-log': { kind: 'string' },
  '--server': { kind: 'string', required: true },
};

const FLAGS: Record<CommandName, Record<string, FlagSpec>> = {
  'sim init': { '--out': { kind: 'string', required: true } },
  inventory: CONNECTION_FLAGS,
  'set-count': { ...MUTATION_FLAGS, '--gpu': { kind: 'string' }, '--count': { kind: 'string', required: true } },
  assign: { ...MUTATION_FLAGS, '--vm': { kind: 'multi', required: true }, '--gpu': { kind: 'string' }, '--force-shutdown': { kind: 'bool' } },
  unassign: { ...MUTATION_FLAGS, '--vm': { kind: 'multi', required: true } },
};

const HELP_FLAGS = new Set(['--help', '-h']);

/** Parses `argv` (without `node` and the script). Throws UsageError. */
export function parseArgs(argv: readonly string[]): Command {
  if (argv.length === 0) {
    throw new UsageError('No command given.');
  }
  const [first, ...rest] = argv;
  if (HELP_FLAGS.has(first) || first === 'help') {
    const topic = rest.length > 0 ? commandName(rest.join(' ')) : undefined;
    if (rest.length > 0 && !topic) {
      throw new UsageError(`Unknown command '${rest.join(' ')}'.`);
    }
    return { command: 'help', topic };
  }

  let name: CommandName;
  let args: string[];
  if (first === 'sim') {
    if (rest[0] === undefined || HELP_FLAGS.has(rest[0])) {
      return { command: 'help', topic: 'sim init' };
    }
    if (rest[0] !== 'init') {
      throw new UsageError(`Unknown command 'sim ${rest[0]}'. The only sim command is 'sim init'.`, 'sim init');
    }
    name = 'sim init';
    args = rest.slice(1);
  } else {
    const found = commandName(first);
    if (!found) {
      throw new UsageError(`Unknown command '${first}'.`);
    }
    name = found;
    args = rest;
  }

  if (args.some((a) => HELP_FLAGS.has(a))) {
    return { command: 'help', topic: name };
  }

  const { values, positionals } = parseFlags(name, args);

  switch (name) {
    case 'sim init': {
      if (positionals.length !== 1) {
        throw new UsageError(positionals.length === 0 ? 'Missing <scenario>.' : `Unexpected argument '${positionals[1]}'.`, name);
      }
      return { command: 'sim-init', scenario: positionals[0], out: str(values, '--out')! };
    }
    case 'inventory':
      noPositionals(name, positionals);
      return { command: 'inventory', ...connection(name, values), json: bool(values, '--json') };
    case 'set-count':
      noPositionals(name, positionals);
      return {
        command: 'set-count',
        server: str(values, '--server')!,
        gpu: str(values, '--gpu'),
        count: parseCount(str(values, '--count')!, name),
        ...connection(name, values),
        json: bool(values, '--json'),
        ...mutation(values),
      };
    case 'assign':
      noPositionals(name, positionals);
      return {
        command: 'assign',
        server: str(values, '--server')!,
        vms: uniqueVms(values, name),
        gpu: str(values, '--gpu'),
        forceShutdown: bool(values, '--force-shutdown'),
        ...connection(name, values),
        json: bool(values, '--json'),
        ...mutation(values),
      };
    case 'unassign':
      noPositionals(name, positionals);
      return {
        command: 'unassign',
        server: str(values, '--server')!,
        vms: uniqueVms(values, name),
        ...connection(name, values),
        json: bool(values, '--json'),
        ...mutation(values),
      };
  }
}

type Values = Map<string, string[] | true>;

function parseFlags(name: CommandName, args: readonly string[]): { values: Values; positionals: string[] } {
  const specs = FLAGS[name];
  const values: Values = new Map();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const spec = specs[flag];
    if (!spec) {
      throw new UsageError(`Unknown option '${flag}' for '${name}'.`, name);
    }
    if (spec.kind === 'bool') {
      if (inline !== undefined) {
        throw new UsageError(`Option '${flag}' takes no value.`, name);
      }
      values.set(flag, true);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = args[i + 1];
      // A value never starts with `--`: `--server --vm x` means the value of --server is missing.
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`Option '${flag}' needs a value.`, name);
      }
      value = next;
      i++;
    }
    if (value === '') {
      throw new UsageError(`Option '${flag}' needs a non-empty value.`, name);
    }
    const prev = values.get(flag);
    if (spec.kind === 'string' && prev !== undefined) {
      throw new UsageError(`Option '${flag}' was given more than once.`, name);
    }
    values.set(flag, [...(Array.isArray(prev) ? prev : []), value]);
  }
  for (const [flag, spec] of Object.entries(specs)) {
    if (spec.required && !values.has(flag)) {
      throw new UsageError(`Missing required option '${flag}'.`, name);
    }
  }
  return { values, positionals };
}

function commandName(word: string): CommandName | undefined {
  return (COMMAND_NAMES as readonly string[]).includes(word) ? (word as CommandName) : undefined;
}

function str(values: Values, flag: string): string | undefined {
  const v = values.get(flag);
  return Array.isArray(v) ? v[0] : undefined;
}

function bool(values: Values, flag: string): boolean {
  return values.get(flag) === true;
}

function noPositionals(name: CommandName, positionals: string[]): void {
  if (positionals.length > 0) {
    throw new UsageError(`Unexpected argument '${positionals[0]}'.`, name);
  }
}

function uniqueVms(values: Values, name: CommandName): string[] {
  const vms = values.get('--vm');
  const list = Array.isArray(vms) ? vms : [];
  const seen = new Set<string>();
  for (const vm of list) {
    // VM names are case-insensitive on Hyper-V.
    const key = vm.toLowerCase();
    if (seen.has(key)) {
      throw new UsageError(`VM '${vm}' was given more than once.`, name);
    }
    seen.add(key);
  }
  return list;
}

/** Partition counts are UInt16 (domain doc §1.2 [S1]); anything else is a usage error. */
export function parseCount(text: string, name: CommandName = 'set-count'): number {
  if (!/^[0-9]+$/.test(text)) {
    throw new UsageError(`--count must be a whole number, got '${text}'.`, name);
  }
  const n = Number(text);
  if (n < 1 || n > 65535) {
    throw new UsageError(`--count must be between 1 and 65535, got ${text}.`, name);
  }
  return n;
}

function connection(name: CommandName, values: Values): ConnectionOptions {
  const backendText = str(values, '--backend') ?? 'sim';
  if (!(BACKEND_KINDS as readonly string[]).includes(backendText)) {
    throw new UsageError(`--backend must be 'sim' or 'powershell', got '${backendText}'.`, name);
  }
  const backend = backendText as BackendKind;
  const options: ConnectionOptions = {
    backend,
    sim: str(values, '--sim'),
    cluster: str(values, '--cluster'),
    computer: str(values, '--computer'),
  };
  if (options.cluster !== undefined && options.computer !== undefined) {
    throw new UsageError('Give either --cluster or --computer, not both.', name);
  }
  if (backend === 'sim') {
    if (options.sim === undefined) {
      throw new UsageError(
        name === 'inventory'
          ? 'Missing --sim <scenario|FILE> (or use --backend powershell).'
          : 'Missing --sim FILE. Create one with `gpup sim init <scenario> --out FILE`.',
        name,
      );
    }
    if (options.cluster !== undefined || options.computer !== undefined) {
      throw new UsageError('--cluster and --computer need --backend powershell.', name);
    }
  }
  return options;
}

function mutation(values: Values): MutationOptions {
  const auditLog = str(values, '--audit-log');
  return { whatIf: bool(values, '--what-if'), yes: bool(values, '--yes'), ...(auditLog !== undefined ? { auditLog } : {}) };
}

/** `gpup --help` (no topic) or `gpup <cmd> --help`. */
export function helpText(topic?: CommandName): string {
  if (!topic) {
    const lines = [
      'gpup: GPU partitioning (GPU-P) of Azure Local / Hyper-V clusters, or of the built-in simulator.',
      '',
      'Commands:',
      ...COMMAND_NAMES.map((c) => `  ${c.padEnd(10)} ${DESCRIPTION[c]}`),
      '',
      'Usage:',
      ...COMMAND_NAMES.map((c) => `  ${USAGE[c]}`),
      '',
      'Exit codes: 0 success, 1 refused or failed (stderr says why), 2 usage error.',
      'Run `gpup <command> --help` for the options of a command.',
    ];
    return lines.join('\n') + '\n';
  }
  const lines = [`Usage: ${USAGE[topic]}`, '', DESCRIPTION[topic], '', 'Options:'];
  const flags = Object.keys(FLAGS[topic]);
  for (const flag of flags) {
    lines.push(`  ${flag.padEnd(17)} ${FLAG_HELP[flag] ?? ''}`);
  }
  lines.push(`  ${'--help'.padEnd(17)} this help`);
  return lines.join('\n') + '\n';
}

/** The short text printed on stderr with a usage error. */
export function usageErrorText(error: UsageError): string {
  const usage = error.topic ? USAGE[error.topic] : 'gpup <sim init|inventory|set-count|assign|unassign> ... (gpup --help)';
  return `gpup: ${error.message}\nUsage: ${usage}\n`;
}
