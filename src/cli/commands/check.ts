/** `gpup check`: the prerequisite checks of GPU partitioning on a cluster (or the simulator). Exit 1 when any check fails. */
import { renderChecksMarkdown, renderChecksText, runChecks, summarizeChecks } from '../../model/checks';
import { createBackend } from '../backend';
import type { CliIo } from '../commands';
import { toJson } from '../json';
import { bool, CONNECTION_FLAGS, connectionOptions, parseFlags } from './flags';

export const CHECK_USAGE = 'gpup check --sim <scenario|FILE> [--json | --markdown] [--backend sim|powershell] [--cluster NAME | --computer NAME]';
export const CHECK_DESCRIPTION = 'Check the prerequisites of GPU partitioning (pass / warn / fail, evidence, fix command). Exit 1 when a check fails.';

export async function runCheck(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(argv, { ...CONNECTION_FLAGS, '--json': { kind: 'bool' }, '--markdown': { kind: 'bool' } }, CHECK_USAGE);
  const connection = connectionOptions(flags, CHECK_USAGE);
  const backend = await createBackend({ ...connection, mutating: false });
  try {
    const inventory = await backend.inventory({ signal: io.signal });
    const results = runChecks(inventory);
    const summary = summarizeChecks(results);
    const ok = summary.fail === 0;
    if (bool(flags, '--json')) {
      io.stdout(toJson({ ok, connection: inventory.connection, cluster: inventory.cluster, readAt: inventory.readAt, summary, results }));
    } else if (bool(flags, '--markdown')) {
      io.stdout(renderChecksMarkdown(results, { subject: `${inventory.cluster ?? inventory.connection}, read at ${inventory.readAt}` }) + '\n');
    } else {
      io.stdout(renderChecksText(results));
    }
    return ok ? 0 : 1;
  } finally {
    backend.dispose();
  }
}
