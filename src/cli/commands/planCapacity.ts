/** `gpup plan-capacity`: where would N VMs needing X GiB each fit, and what would a change disturb. */
import { deviceLocation } from '../../model/gpuIdentity';
import { planCapacity, type CapacityPlan, type ServerPlan } from '../../model/planner';
import { formatBytes } from '../../model/vram';
import { createBackend } from '../backend';
import type { CliIo } from '../commands';
import { table } from '../format';
import { toJson } from '../json';
import { bool, CONNECTION_FLAGS, connectionOptions, ExtraUsageError, parseFlags, str } from './flags';

export const PLAN_CAPACITY_USAGE =
  'gpup plan-capacity --sim <scenario|FILE> --vms N --vram-gib X [--json] [--backend sim|powershell] [--cluster NAME | --computer NAME]';
export const PLAN_CAPACITY_DESCRIPTION = 'Where would N VMs needing X GiB of VRAM each fit: per server now, and after changing its partition count.';

const UNAVAILABLE_TEXT: Record<NonNullable<ServerPlan['unavailable']>, string> = {
  unreachable: 'could not be read',
  noPartitionableGpu: 'no partitionable GPU',
  noCountBigEnough: 'no valid partition count gives partitions that large',
};

function changeCells(s: ServerPlan): string[] {
  if (!s.change) return ['-', '-', '-', s.unavailable ? UNAVAILABLE_TEXT[s.unavailable] : '-'];
  const c = s.change;
  const gpus = c.gpusToReconfigure.length === 0 ? 'none' : c.gpusToReconfigure.map((g) => `${deviceLocation(g.gpu)} ${g.from}->${g.to}`).join(', ');
  const shown = c.vmsToUnassign.slice(0, 4).map((v) => `${v.vm} (${v.state})`);
  const more = c.vmsToUnassign.length - shown.length;
  const vms = c.vmsToUnassign.length === 0 ? 'none' : `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  return [String(c.count), `${formatBytes(c.partitionVRAM)}${c.vramSource === 'derived' ? ' (est.)' : ''}`, String(c.fitAfter), `reconfigure: ${gpus}; unassign first: ${vms}${c.shortForExisting > 0 ? `; ${c.shortForExisting} assigned VM(s) would not get a partition back` : ''}`];
}

export function formatCapacityPlan(plan: CapacityPlan): string {
  const q = plan.question;
  const out: string[] = [`${q.vmCount} VM(s) needing ${q.vramGiB} GiB (${formatBytes(plan.needBytes)}) of VRAM each.`, ''];
  out.push(
    ...table(
      ['Server', 'Fit now', 'Count now', 'VRAM/partition now', 'Best count', 'VRAM/partition', 'Fit after', 'Change'],
      plan.servers.map((s) => {
        const counts = [...new Set(s.gpus.map((g) => g.partitionCount))].join(',') || '-';
        const vram = [...new Set(s.gpus.map((g) => formatBytes(g.partitionVRAM)))].join(', ') || '-';
        return [s.server, String(s.fitNow), counts, vram, ...changeCells(s)];
      }),
    ),
  );
  out.push('');
  const place = (p: { server: string; vms: number }[]) => (p.length === 0 ? 'nowhere' : p.map((x) => `${x.server}: ${x.vms}`).join(', '));
  out.push(`Now: ${plan.fitNow} fit${plan.fitsNow ? '' : ` (short of ${q.vmCount})`}. Placement: ${place(plan.placementNow)}.`);
  if (!plan.fitsNow) {
    out.push(
      plan.changesNeeded.length > 0
        ? `After changing ${plan.changesNeeded.join(', ')}: placement ${place(plan.placementAfter)}${plan.fitsAfter ? '' : ` (still short of ${q.vmCount}: at most ${plan.fitAfter} fit)`}.`
        : `No partition-count change makes room for them (at most ${plan.fitAfter} fit).`,
    );
  }
  out.push('"(est.)": VRAM per partition estimated from the current figures (never above what the driver reports; see src/model/planner.ts).');
  return out.join('\n') + '\n';
}

export async function runPlanCapacity(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(
    argv,
    { ...CONNECTION_FLAGS, '--json': { kind: 'bool' }, '--vms': { kind: 'string', required: true }, '--vram-gib': { kind: 'string', required: true } },
    PLAN_CAPACITY_USAGE,
  );
  const vmsText = str(flags, '--vms')!;
  const vramText = str(flags, '--vram-gib')!;
  if (!/^[1-9][0-9]*$/.test(vmsText) || Number(vmsText) > 100000) throw new ExtraUsageError(`--vms must be a positive whole number, got '${vmsText}'.`, PLAN_CAPACITY_USAGE);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(vramText) || Number(vramText) <= 0 || Number(vramText) > 1e6) {
    throw new ExtraUsageError(`--vram-gib must be a positive number of GiB (e.g. 3.5), got '${vramText}'.`, PLAN_CAPACITY_USAGE);
  }
  const connection = connectionOptions(flags, PLAN_CAPACITY_USAGE);
  const backend = await createBackend({ ...connection, mutating: false });
  try {
    const inventory = await backend.inventory({ signal: io.signal });
    const plan = planCapacity(inventory, { vmCount: Number(vmsText), vramGiB: Number(vramText) });
    io.stdout(bool(flags, '--json') ? toJson(plan) : formatCapacityPlan(plan));
    return 0;
  } finally {
    backend.dispose();
  }
}
