/**
 * `gpup guest-check`: runs `nvidia-smi -q -x` inside a VM and reports driver version, virtualization
 * mode, framebuffer and licence state. The simulator answers from its state (src/sim/guest.ts); a
 * backend that implements GuestProbe (the PowerShell backend, through
 * `Invoke-Command -VMName <vm> -ScriptBlock { nvidia-smi -q -x }`) runs the real command.
 */
import { assessGuest, isGuestProbe, NvidiaSmiParseError, parseNvidiaSmiXml, type GuestProbe } from '../../model/nvidiaSmi';
import { GuestCheckError, SimGuestProbe } from '../../sim/guest';
import { createBackend } from '../backend';
import type { CliIo } from '../commands';
import { CliError } from '../errors';
import { toJson } from '../json';
import { bool, CONNECTION_FLAGS, connectionOptions, parseFlags, str } from './flags';

export const GUEST_CHECK_USAGE = 'gpup guest-check --sim <scenario|FILE> --server S --vm NAME [--json] [--backend sim|powershell] [--cluster NAME | --computer NAME]';
export const GUEST_CHECK_DESCRIPTION = 'Run nvidia-smi inside a VM (PowerShell Direct) and show driver, virtualization mode, framebuffer and licence.';

export async function runGuestCheck(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = parseFlags(
    argv,
    { ...CONNECTION_FLAGS, '--json': { kind: 'bool' }, '--server': { kind: 'string', required: true }, '--vm': { kind: 'string', required: true } },
    GUEST_CHECK_USAGE,
  );
  const connection = connectionOptions(flags, GUEST_CHECK_USAGE);
  const serverName = str(flags, '--server')!;
  const vmName = str(flags, '--vm')!;
  const backend = await createBackend({ ...connection, mutating: false });
  try {
    let probe: GuestProbe;
    if (isGuestProbe(backend)) probe = backend;
    else if (connection.backend === 'sim') probe = new SimGuestProbe(backend);
    else throw new CliError('This backend cannot run commands inside a VM yet (PowerShell Direct: Invoke-Command -VMName … { nvidia-smi -q -x }).');

    const inventory = await backend.inventory({ servers: [serverName], signal: io.signal });
    const server = inventory.servers.find((s) => s.name.toUpperCase() === serverName.toUpperCase());
    const vm = server?.vms.find((v) => v.name.toUpperCase() === vmName.toUpperCase());
    const partitionVRAM = vm?.adapters.find((a) => a.currentPartitionVRAM !== undefined)?.currentPartitionVRAM;

    let xml: string;
    try {
      xml = await probe.nvidiaSmiXml(serverName, vmName, { signal: io.signal });
    } catch (e) {
      if (e instanceof GuestCheckError) throw new CliError(`${serverName}/${vmName}: ${e.message}`);
      throw e;
    }
    let check;
    try {
      check = assessGuest(parseNvidiaSmiXml(xml), partitionVRAM);
    } catch (e) {
      if (e instanceof NvidiaSmiParseError) throw new CliError(`${serverName}/${vmName}: ${e.message}`);
      throw e;
    }
    if (bool(flags, '--json')) {
      io.stdout(toJson({ ok: check.status !== 'fail', server: server?.name ?? serverName, vm: vm?.name ?? vmName, status: check.status, report: check.report, findings: check.findings }));
    } else {
      const r = check.report;
      const g = r.gpus[0];
      const lines = [
        `${server?.name ?? serverName}/${vm?.name ?? vmName}: ${check.status.toUpperCase()}`,
        `  Driver version      : ${r.driverVersion ?? '-'} (CUDA ${r.cudaVersion ?? '-'})`,
        `  GPU                 : ${g?.productName ?? '-'}`,
        `  Virtualization mode : ${g?.virtualizationMode ?? '-'}`,
        `  Framebuffer         : ${g?.fbMemoryTotalMiB ?? '-'} MiB total, ${g?.fbMemoryUsedMiB ?? '-'} MiB used`,
        `  License             : ${g?.licenseStatus ?? '-'}${g?.licensedProduct ? ` (${g.licensedProduct})` : ''}`,
        '',
        ...check.findings.map((f) => `  ${f.status.toUpperCase().padEnd(4)} ${f.message}`),
      ];
      io.stdout(lines.join('\n') + '\n');
    }
    return check.status === 'fail' ? 1 : 0;
  } finally {
    backend.dispose();
  }
}
