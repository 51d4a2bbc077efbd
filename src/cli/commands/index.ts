/**
 * The issue-8 commands of `gpup` (check, plan-capacity, guest-check, history) as one table, so
 * commands.ts dispatches them with a single hook: `if (isExtraCommand(argv[0])) return runExtraCommand(argv, io)`.
 */
import { CancelledError } from '../../model/backend';
import { UsageError } from '../args';
import type { CliIo } from '../commands';
import { CliError } from '../errors';
import { toJson } from '../json';
import { CHECK_DESCRIPTION, CHECK_USAGE, runCheck } from './check';
import { ExtraUsageError } from './flags';
import { GUEST_CHECK_DESCRIPTION, GUEST_CHECK_USAGE, runGuestCheck } from './guestCheck';
import { HISTORY_DESCRIPTION, HISTORY_USAGE, runHistory } from './history';
import { PLAN_CAPACITY_DESCRIPTION, PLAN_CAPACITY_USAGE, runPlanCapacity } from './planCapacity';

export interface ExtraCommand {
  usage: string;
  description: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

export const EXTRA_COMMANDS: Record<string, ExtraCommand> = {
  check: { usage: CHECK_USAGE, description: CHECK_DESCRIPTION, run: runCheck },
  'plan-capacity': { usage: PLAN_CAPACITY_USAGE, description: PLAN_CAPACITY_DESCRIPTION, run: runPlanCapacity },
  'guest-check': { usage: GUEST_CHECK_USAGE, description: GUEST_CHECK_DESCRIPTION, run: runGuestCheck },
  history: { usage: HISTORY_USAGE, description: HISTORY_DESCRIPTION, run: runHistory },
};

export function isExtraCommand(name: string | undefined): boolean {
  return name !== undefined && Object.prototype.hasOwnProperty.call(EXTRA_COMMANDS, name);
}

/** Lines for `gpup --help`. */
export function extraHelpLines(): { commands: string[]; usages: string[] } {
  return {
    commands: Object.entries(EXTRA_COMMANDS).map(([name, c]) => `  ${name.padEnd(13)} ${c.description}`),
    usages: Object.values(EXTRA_COMMANDS).map((c) => `  ${c.usage}`),
  };
}

/** Runs `gpup <extra command> …`; never throws. Exit codes as the other commands: 0, 1 failed/refused, 2 usage. */
export async function runExtraCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const cmd = EXTRA_COMMANDS[name];
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`Usage: ${cmd.usage}\n\n${cmd.description}\n`);
    return 0;
  }
  const json = rest.includes('--json');
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof ExtraUsageError || e instanceof UsageError) {
      io.stderr(`gpup: ${e.message}\nUsage: ${cmd.usage}\n`);
      return 2;
    }
    const message = e instanceof CliError || e instanceof CancelledError ? e.message : `Unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    if (json) io.stdout(toJson({ ok: false, error: message }));
    io.stderr(`gpup: ${message}\n`);
    return 1;
  }
}

/** Appended to `gpup --help`. */
export function extraHelpText(): string {
  const { commands, usages } = extraHelpLines();
  return ['More commands:', ...commands, '', 'Usage:', ...usages, ''].join('\n') + '\n';
}
