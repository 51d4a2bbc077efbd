/**
 * Flag parsing of the issue-8 commands (check, plan-capacity, guest-check, history). Same rules as
 * args.ts: `--flag value` or `--flag=value`, unknown flags and missing values are usage errors.
 */
import type { BackendKind, ConnectionOptions } from '../args';
import { BACKEND_KINDS } from '../args';

/** A usage error of one of these commands (exit 2), with the usage line to print. */
export class ExtraUsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
    this.name = 'ExtraUsageError';
  }
}

export type FlagSpec = { kind: 'string' | 'bool'; required?: boolean };
export type Flags = Map<string, string | true>;

export const CONNECTION_FLAGS: Record<string, FlagSpec> = {
  '--sim': { kind: 'string' },
  '--backend': { kind: 'string' },
  '--cluster': { kind: 'string' },
  '--computer': { kind: 'string' },
};

export function parseFlags(argv: readonly string[], specs: Record<string, FlagSpec>, usage: string): Flags {
  const values: Flags = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new ExtraUsageError(`Unexpected argument '${arg}'.`, usage);
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = specs[flag];
    if (!spec) throw new ExtraUsageError(`Unknown option '${flag}'.`, usage);
    if (values.has(flag)) throw new ExtraUsageError(`Option '${flag}' was given more than once.`, usage);
    if (spec.kind === 'bool') {
      if (eq > 0) throw new ExtraUsageError(`Option '${flag}' takes no value.`, usage);
      values.set(flag, true);
      continue;
    }
    let value = eq > 0 ? arg.slice(eq + 1) : argv[i + 1];
    if (eq < 0) {
      if (value === undefined || value.startsWith('--')) throw new ExtraUsageError(`Option '${flag}' needs a value.`, usage);
      i++;
    }
    if (value === '') throw new ExtraUsageError(`Option '${flag}' needs a non-empty value.`, usage);
    values.set(flag, value as string);
  }
  for (const [flag, spec] of Object.entries(specs)) {
    if (spec.required && !values.has(flag)) throw new ExtraUsageError(`Missing required option '${flag}'.`, usage);
  }
  return values;
}

export function str(flags: Flags, flag: string): string | undefined {
  const v = flags.get(flag);
  return typeof v === 'string' ? v : undefined;
}

export function bool(flags: Flags, flag: string): boolean {
  return flags.get(flag) === true;
}

export function connectionOptions(flags: Flags, usage: string): ConnectionOptions {
  const backendText = str(flags, '--backend') ?? 'sim';
  if (!(BACKEND_KINDS as readonly string[]).includes(backendText)) {
    throw new ExtraUsageError(`--backend must be 'sim' or 'powershell', got '${backendText}'.`, usage);
  }
  const options: ConnectionOptions = {
    backend: backendText as BackendKind,
    sim: str(flags, '--sim'),
    cluster: str(flags, '--cluster'),
    computer: str(flags, '--computer'),
  };
  if (options.cluster !== undefined && options.computer !== undefined) throw new ExtraUsageError('Give either --cluster or --computer, not both.', usage);
  if (options.backend === 'sim' && options.sim === undefined) throw new ExtraUsageError('Missing --sim <scenario|FILE> (or use --backend powershell).', usage);
  if (options.backend === 'sim' && (options.cluster !== undefined || options.computer !== undefined)) {
    throw new ExtraUsageError('--cluster and --computer need --backend powershell.', usage);
  }
  return options;
}
