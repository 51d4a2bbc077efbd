/**
 * Prerequisite checks of GPU partitioning (GPU-P) on an inventory: one check per prerequisite of the
 * seed ("ホスト サーバーの前提条件", "VM の前提条件") and per known failure of domain doc §5. Pure: the
 * facts come from the inventory (HostFacts per server, Gpu, Vm, adapters), nothing is read here.
 *
 * Each result says pass / warn / fail, what it saw (evidence), and where one exists the exact
 * PowerShell that fixes it (values quoted with psQuote: a fix is text a person runs by hand, it is
 * never executed by this extension). Evidence and hints are English text plus a `{name}` template
 * and its arguments, so a UI can localise them with `vscode.l10n.t(template, args)`.
 *
 * Report shape: a failing or warning item (a GPU, a VM, a server) is one result; the items of a
 * check that pass are summarised in one `pass` result, so a 16-server cluster does not print 500
 * green lines.
 */
import { deviceLocation, gpuName } from './gpuIdentity';
import { findOrphanedAdapters } from './orphans';
import { psInteger, psQuote } from './psQuote';
import type { Gpu, GpuPartitionAdapter, Inventory, Server, Vm } from './types';
import { OFFLINE_ACTION_NAMES } from './types';
import { formatBytes, GIB } from './vram';

export type CheckStatus = 'pass' | 'warn' | 'fail';
export type CheckScopeKind = 'cluster' | 'server' | 'vm' | 'gpu';

export interface CheckScope {
  kind: CheckScopeKind;
  /** Cluster (or connection) name, server name, VM name or GPU Name (device interface path / PnP id). */
  name: string;
  /** The server of a VM or GPU. */
  server?: string;
  /** Short label for a GPU: `NVIDIA A2 (4&18416DC3&0&0000)`. */
  label?: string;
}

/** English text and the template + arguments it was made from (for localisation). */
export interface CheckText {
  text: string;
  template: string;
  args: Record<string, string | number>;
}

export const CHECK_IDS = [
  'server-reachable',
  'os-build',
  'hyperv-role',
  'partitionable-gpu',
  'gpu-pnp-state',
  'gpu-p-driver',
  'sr-iov',
  'iommu-dma-tracking',
  'device-assignment-policy',
  'gpu-homogeneous',
  'partition-count-uniform',
  'vgpu-driver-version',
  'live-migration-incoming',
  'vm-generation',
  'vm-automatic-checkpoints',
  'vm-mmio',
  'vm-offline-action',
  'vm-single-adapter',
  'live-migration-outgoing',
  'orphaned-adapter',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** English titles; the UI localises them (they are l10n keys). */
export const CHECK_TITLES: Record<CheckId, string> = {
  'server-reachable': 'Server can be read',
  'os-build': 'Windows Server 2025 / Azure Local (build 26100+ for live migration)',
  'hyperv-role': 'Hyper-V role installed',
  'partitionable-gpu': 'A partitionable GPU exists (GPU-P host driver)',
  'gpu-pnp-state': 'GPU device state (PnP)',
  'gpu-p-driver': 'GPU-P host driver on the GPU',
  'sr-iov': 'SR-IOV enabled',
  'iommu-dma-tracking': 'IOMMU DMA bit tracking',
  'device-assignment-policy': 'Device-assignment group policies',
  'gpu-homogeneous': 'Same GPU make, model and size on every server',
  'partition-count-uniform': 'Same partition count on every GPU',
  'vgpu-driver-version': 'NVIDIA vGPU 18+ host driver (live migration)',
  'live-migration-incoming': 'GPU accepts incoming live migration',
  'vm-generation': 'Generation 2 VMs',
  'vm-automatic-checkpoints': 'Automatic checkpoints off on GPU-P VMs',
  'vm-mmio': 'MMIO space of GPU-P VMs',
  'vm-offline-action': 'Offline action of clustered GPU-P VMs',
  'vm-single-adapter': 'One GPU partition per VM',
  'live-migration-outgoing': 'VM partition supports outgoing live migration',
  'orphaned-adapter': 'No orphaned GPU partition adapters',
};

/** Where each check's facts come from (domain doc sections and their sources; the seed is the Japanese WAC doc). */
export const CHECK_SOURCES: Record<CheckId, string> = {
  'server-reachable': 'domain doc §1.1 (inventory cmdlets)',
  'os-build': 'seed (ホスト サーバーの前提条件); domain doc §1.0, §1.10 [S3, S8]',
  'hyperv-role': 'seed (Hyper-V の役割)',
  'partitionable-gpu': 'seed (GPU ドライバーのインストールの確認); domain doc §1.1, §2 [S2, S6]',
  'gpu-pnp-state': 'domain doc §3 state machine [S16]; §5 pain points 1, 4 [S6]',
  'gpu-p-driver': 'domain doc §2 assigned status, §3 datacenter drivers [S2, S6, S16]',
  'sr-iov': 'seed (BIOS の SR-IOV); domain doc §2 Paravirtualization [S2]',
  'iommu-dma-tracking': 'seed (IOMMU DMA ビット追跡); domain doc §1.10 [S3]',
  'device-assignment-policy': 'domain doc §1.7 group policy, §5 pain point 6 [COMMUNITY S46]',
  'gpu-homogeneous': 'seed (同じ製造元、モデル、サイズ); domain doc §2 homogeneous set, §3 [S3, S4]',
  'partition-count-uniform': 'domain doc §1.2 [S2], §1.10 [S3]',
  'vgpu-driver-version': 'domain doc §1.10 [S3, S6, S8] (vGPU 18 = driver branch R570: INFERENCE)',
  'live-migration-incoming': 'domain doc §1.1, §1.10 [COMMUNITY S29, S34]',
  'vm-generation': 'domain doc §1.8 [S6, S16]',
  'vm-automatic-checkpoints': 'domain doc §1.7 checkpoints, §5 pain point 5 [COMMUNITY S47, S48]',
  'vm-mmio': 'domain doc §1.8 [S11, S14, S15], §5 pain points 2, 3 [S6]',
  'vm-offline-action': 'domain doc §1.9 [S2, S4, S17]',
  'vm-single-adapter': 'domain doc §1.3 [S2, S4, S6, S9]',
  'live-migration-outgoing': 'domain doc §1.4, §1.10 [S1]',
  'orphaned-adapter': 'domain doc §1.3 same host [S2, S4]; §5 pain point 4 [S6]',
};

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  scope: CheckScope;
  /** What was seen, in English. */
  evidence: string;
  evidenceText: CheckText;
  /** The exact PowerShell that fixes it (one command per line), when one exists. */
  fix?: string;
  /** What to do when no command can fix it (BIOS, hardware, reinstall), or what to know before running the fix. */
  hint?: string;
  hintText?: CheckText;
  /** Domain doc section and sources. */
  source: string;
}

export interface ChecksSummary {
  pass: number;
  warn: number;
  fail: number;
}

// ---------------------------------------------------------------------------------------------
// Thresholds (each cites its source).

/** Live migration of GPU-P VMs needs OS build 26100+ (domain doc §1.10 [S8]; WS2025 = 26100 [COMMUNITY S34]). */
export const LIVE_MIGRATION_MIN_BUILD = 26100;
/**
 * Azure Stack HCI 22H2 (20349) and 23H2 (25398) support GPU-P without live migration (domain doc
 * §1.10: "doesn't support live migration… VMs can be automatically restarted" [S4, S18]).
 */
export const AZURE_STACK_HCI_BUILDS: readonly number[] = [20349, 25398];
/** "At least 8GB of IO space is needed" (domain doc §1.8 GPU-PV guidance [S11]); HighMMIO < 8 GB gives Code 43 / Code 12 (§5 [S6]). */
export const MIN_HIGH_MMIO = 8n * GIB;
/** The fix sets the GPU-PV guidance values: low 1GB, high 16GB, write-combining on (domain doc §1.8 [S11]). */
export const FIX_LOW_MMIO = '1GB';
export const FIX_HIGH_MMIO = '16GB';
/** NVIDIA vGPU 18 (needed for live migration, §1.10 [S3]) ships driver branch R570 [INFERENCE from NVIDIA's release numbering]. */
export const VGPU18_MIN_DRIVER_BRANCH = 570;
/** Registry key of the two Hyper-V device-assignment policies (domain doc §1.7 [COMMUNITY S46]). */
export const HYPERV_POLICY_KEY = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\HyperV';

// ---------------------------------------------------------------------------------------------

function fill(template: string, args: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : whole));
}

function t(template: string, args: Record<string, string | number> = {}): CheckText {
  return { text: fill(template, args), template, args };
}

interface Finding {
  status: CheckStatus;
  scope: CheckScope;
  evidence: CheckText;
  fix?: string;
  hint?: CheckText;
}

function result(id: CheckId, f: Finding): CheckResult {
  const r: CheckResult = {
    id,
    title: CHECK_TITLES[id],
    status: f.status,
    scope: f.scope,
    evidence: f.evidence.text,
    evidenceText: f.evidence,
    source: CHECK_SOURCES[id],
  };
  if (f.fix !== undefined) r.fix = f.fix;
  if (f.hint !== undefined) {
    r.hint = f.hint.text;
    r.hintText = f.hint;
  }
  return r;
}

interface Ctx {
  inventory: Inventory;
  /** Servers that could be read. */
  servers: Server[];
  clusterScope: CheckScope;
  clustered: boolean;
}

/**
 * Emits every non-passing finding of a check, plus one summary `pass` result for the passing ones
 * ("{passed} of {total} …"). No items: nothing to check, nothing emitted unless `whenNone` is given.
 */
/** `passSummary` is a `t('…')` text (so the l10n extractor collects it) whose `{passed}` and `{total}` are filled here. */
function collect(ctx: Ctx, id: CheckId, findings: Finding[], passSummary: CheckText, whenNone?: CheckText): CheckResult[] {
  const out = findings.filter((f) => f.status !== 'pass').map((f) => result(id, f));
  const passed = findings.filter((f) => f.status === 'pass');
  if (passed.length === 1 && findings.length === 1) {
    out.push(result(id, passed[0]));
  } else if (passed.length > 0) {
    out.push(result(id, { status: 'pass', scope: ctx.clusterScope, evidence: t(passSummary.template, { passed: passed.length, total: findings.length }) }));
  } else if (findings.length === 0 && whenNone) {
    out.push(result(id, { status: 'pass', scope: ctx.clusterScope, evidence: whenNone }));
  }
  return out;
}

const serverScope = (s: Server): CheckScope => ({ kind: 'server', name: s.name });
const vmScope = (s: Server, vm: Vm): CheckScope => ({ kind: 'vm', name: vm.name, server: s.name });
function gpuScope(s: Server, g: Gpu): CheckScope {
  return { kind: 'gpu', name: gpuName(g), server: s.name, label: `${g.device.friendlyName} (${deviceLocation(g.device.instanceId)})` };
}
const gpuP = (vm: Vm): boolean => vm.adapters.length > 0;

// ---------------------------------------------------------------------------------------------
// Server checks

function checkReachable(ctx: Ctx): CheckResult[] {
  const findings: Finding[] = ctx.inventory.servers.map((s) =>
    s.error
      ? { status: 'fail', scope: serverScope(s), evidence: t('{server} could not be read: {error}', { server: s.name, error: s.error }) }
      : { status: 'pass', scope: serverScope(s), evidence: t('{server} was read.', { server: s.name }) },
  );
  return collect(ctx, 'server-reachable', findings, t('{passed} of {total} servers were read.'));
}

function checkOsBuild(ctx: Ctx): CheckResult[] {
  const findings = ctx.servers.map((s): Finding => {
    const caption = s.host?.osCaption ?? '';
    const build = s.host?.osBuild;
    const args = { server: s.name, caption: caption || 'unknown OS', build: build ?? 'unknown' };
    if (build === undefined) {
      return { status: 'warn', scope: serverScope(s), evidence: t('The OS build of {server} was not read ({caption}).', args) };
    }
    if (build >= LIVE_MIGRATION_MIN_BUILD) {
      // "for customers that require clustering for unplanned downtime, you must use Windows Server 2025 Datacenter" (§1.10 [S3]).
      if (ctx.clustered && /Windows Server/i.test(caption) && !/Datacenter/i.test(caption)) {
        return {
          status: 'warn',
          scope: serverScope(s),
          evidence: t('{server} runs {caption} (build {build}). Clustering GPU-P VMs for unplanned downtime needs Windows Server 2025 Datacenter.', args),
        };
      }
      return { status: 'pass', scope: serverScope(s), evidence: t('{server} runs {caption} (build {build}): GPU-P and live migration of GPU-P VMs are supported.', args) };
    }
    if (AZURE_STACK_HCI_BUILDS.includes(build) || /Azure Stack HCI/i.test(caption)) {
      return {
        status: 'warn',
        scope: serverScope(s),
        evidence: t('{server} runs {caption} (build {build}): GPU-P works, but GPU-P VMs cannot live migrate before build 26100; they restart on another server.', args),
        hint: t('Update {server} to Azure Local 24H2 or later (build 26100+) for live migration.', args),
      };
    }
    return {
      status: 'fail',
      scope: serverScope(s),
      evidence: t('{server} runs {caption} (build {build}). GPU partitioning needs Windows Server 2025 or Azure Local.', args),
      hint: t('Install Windows Server 2025 (Datacenter for clustering) or Azure Local on {server}.', args),
    };
  });
  return collect(ctx, 'os-build', findings, t('{passed} of {total} servers run build 26100 or later.'));
}

function checkHyperV(ctx: Ctx): CheckResult[] {
  const findings = ctx.servers.map((s): Finding => {
    const installed = s.host?.hyperVInstalled;
    if (installed === true) return { status: 'pass', scope: serverScope(s), evidence: t('The Hyper-V role is installed on {server}.', { server: s.name }) };
    if (installed === undefined) return { status: 'warn', scope: serverScope(s), evidence: t('Whether the Hyper-V role is installed on {server} was not read.', { server: s.name }) };
    return {
      status: 'fail',
      scope: serverScope(s),
      evidence: t('The Hyper-V role is not installed on {server}.', { server: s.name }),
      fix: `Install-WindowsFeature -ComputerName ${psQuote(s.name)} -Name Hyper-V -IncludeManagementTools -Restart`,
      hint: t('The server restarts to finish the installation.'),
    };
  });
  return collect(ctx, 'hyperv-role', findings, t('The Hyper-V role is installed on {passed} of {total} servers.'));
}

function statusList(s: Server): string {
  return s.gpus.map((g) => `${g.device.friendlyName}: ${g.assignedStatus}`).join(', ');
}

function checkPartitionableGpu(ctx: Ctx): CheckResult[] {
  const findings = ctx.servers.map((s): Finding => {
    const n = s.gpus.filter((g) => g.partitionable !== undefined).length;
    if (n > 0) return { status: 'pass', scope: serverScope(s), evidence: t('{server} has {count} partitionable GPU(s).', { server: s.name, count: n }) };
    if (s.gpus.length === 0) {
      return {
        status: 'fail',
        scope: serverScope(s),
        evidence: t('{server} has no GPU: Get-VMHostPartitionableGpu returns nothing and no display device was found.', { server: s.name }),
        hint: t('Install the same GPU model as on the other servers (see the OEM documentation).'),
      };
    }
    return {
      status: 'fail',
      scope: serverScope(s),
      // WAC's empty-state text (domain doc §2 [S2]).
      evidence: t(
        'Get-VMHostPartitionableGpu returns nothing on {server} ({gpus}). No partitionable GPUs have been found. Please check that you have a GPU with the correct GPU-P driver to proceed.',
        { server: s.name, gpus: statusList(s) },
      ),
      hint: t('Install the NVIDIA vGPU host driver (nvgridswhci.inf) on {server}; see the per-GPU results below.', { server: s.name }),
    };
  });
  return collect(ctx, 'partitionable-gpu', findings, t('{passed} of {total} servers have a partitionable GPU.'));
}

function allGpus(ctx: Ctx): { s: Server; g: Gpu }[] {
  return ctx.servers.flatMap((s) => s.gpus.map((g) => ({ s, g })));
}

function checkPnp(ctx: Ctx): CheckResult[] {
  const findings = allGpus(ctx).map(({ s, g }): Finding => {
    const args = { server: s.name, gpu: g.device.friendlyName, status: g.device.status, instanceId: g.device.instanceId };
    if (g.device.status === 'OK') return { status: 'pass', scope: gpuScope(s, g), evidence: t('{gpu} on {server}: PnP status OK.', args) };
    if (g.device.status === 'Error') {
      return {
        status: 'fail',
        scope: gpuScope(s, g),
        evidence: t('{gpu} on {server}: PnP status Error ({instanceId}).', args),
        // "No host driver: GPUs appear in Get-PnpDevice -Status Error as 3D Video Controller" (§3 [S16]).
        hint: t('A GPU without a driver shows as "3D Video Controller" with status Error. Install the NVIDIA vGPU host driver; a disabled or unknown device after a driver update needs the driver reinstalled (error codes 43, 48F, 003).'),
      };
    }
    return {
      status: 'warn',
      scope: gpuScope(s, g),
      evidence: t('{gpu} on {server}: PnP status {status} ({instanceId}).', args),
      // Disabled + dismounted for DDA shows Unknown (§3 [S16]).
      hint: t('Status Unknown usually means the GPU is disabled and dismounted for DDA; mount it back to the host to use it for GPU-P.'),
    };
  });
  return collect(ctx, 'gpu-pnp-state', findings, t('{passed} of {total} GPUs report PnP status OK.'));
}

function checkDriver(ctx: Ctx): CheckResult[] {
  const findings = allGpus(ctx).map(({ s, g }): Finding => {
    const args = { server: s.name, gpu: g.device.friendlyName, status: g.assignedStatus };
    switch (g.assignedStatus) {
      case 'Partitioned':
      case 'Paravirtualization':
        // Paravirtualization: "the GPU has the partitioned driver capability installed but SR-IOV … isn't enabled" (§2 [S2]): the driver is right.
        return { status: 'pass', scope: gpuScope(s, g), evidence: t('{gpu} on {server} has a GPU-P capable driver (status {status}).', args) };
      case 'ReadyForDDA':
        return {
          status: 'fail',
          scope: gpuScope(s, g),
          evidence: t('{gpu} on {server} is "Ready for DDA assignment", not partitionable.', args),
          // The install command of the vGPU host driver (§3 [S16]); datacenter drivers must go first (§3 [S6]).
          fix: 'pnputil /add-driver .\\nvgridswhci.inf /install /force',
          hint: t(
            'A datacenter (non-vGPU) NVIDIA driver, a missing licence or a DDA-dismounted GPU shows this status. Remove the datacenter driver first ("NVIDIA\'s vGPU drivers do not update or replace datacenter version drivers"), then run the fix on {server} in the Display.Driver folder of the vGPU host driver package.',
            { server: s.name },
          ),
        };
      case 'NotAssignable':
        return {
          status: 'fail',
          scope: gpuScope(s, g),
          evidence: t('{gpu} on {server} is "Not assignable": an older PCI-style device or switch port that cannot be used for GPU-P.', args),
          hint: t('Use a supported GPU (Windows Server 2025: NVIDIA A2, A10, A16, A40, L2, L4, L40, L40S).'),
        };
      default:
        return { status: 'warn', scope: gpuScope(s, g), evidence: t('{gpu} on {server} reports status {status}.', args) };
    }
  });
  return collect(ctx, 'gpu-p-driver', findings, t('{passed} of {total} GPUs have a GPU-P capable driver.'));
}

function checkSrIov(ctx: Ctx): CheckResult[] {
  const findings = allGpus(ctx)
    .filter(({ g }) => g.assignedStatus === 'Partitioned' || g.assignedStatus === 'Paravirtualization')
    .map(({ s, g }): Finding => {
      const args = { server: s.name, gpu: g.device.friendlyName };
      if (g.assignedStatus === 'Partitioned') return { status: 'pass', scope: gpuScope(s, g), evidence: t('{gpu} on {server} is Partitioned: SR-IOV is on.', args) };
      return {
        status: 'fail',
        scope: gpuScope(s, g),
        evidence: t('{gpu} on {server} is "Paravirtualization": the partitioned driver is installed but SR-IOV on the server is not enabled.', args),
        hint: t('Enable virtualization support and SR-IOV in the BIOS of {server} (ask the system vendor if the setting is not found), then restart it.', args),
      };
    });
  return collect(ctx, 'sr-iov', findings, t('SR-IOV is on for {passed} of {total} GPUs with a GPU-P driver.'));
}

function checkIommu(ctx: Ctx): CheckResult[] {
  const findings = ctx.servers.map((s): Finding => {
    const v = s.host?.iommuDmaBitTracking;
    if (v === true) return { status: 'pass', scope: serverScope(s), evidence: t('{server} has an IOMMU with DMA bit tracking.', { server: s.name }) };
    if (v === undefined) return { status: 'warn', scope: serverScope(s), evidence: t('Whether {server} supports IOMMU DMA bit tracking was not read.', { server: s.name }) };
    return {
      status: 'fail',
      scope: serverScope(s),
      evidence: t('{server} has no IOMMU DMA bit tracking: GPU-P VMs cannot live migrate; they are restarted where GPU resources are available.', { server: s.name }),
      hint: t('Needs a CPU with IOMMU DMA bit tracking (Intel VT-d / AMD-Vi; e.g. AMD EPYC 7002 and later, 4th Gen Intel Xeon SP) with it enabled in the BIOS.'),
    };
  });
  return collect(ctx, 'iommu-dma-tracking', findings, t('{passed} of {total} servers have IOMMU DMA bit tracking.'));
}

function checkPolicies(ctx: Ctx): CheckResult[] {
  const findings = ctx.servers.map((s): Finding => {
    const secure = s.host?.requireSecureDeviceAssignment;
    const supported = s.host?.requireSupportedDeviceAssignment;
    const set = [secure === true ? 'RequireSecureDeviceAssignment' : undefined, supported === true ? 'RequireSupportedDeviceAssignment' : undefined].filter(
      (x): x is string => x !== undefined,
    );
    if (set.length > 0) {
      return {
        status: 'fail',
        scope: serverScope(s),
        // The VM-start error this causes, as users report it (§1.7 [COMMUNITY S46]).
        evidence: t(
          '{policies} is set on {server}. Starting a GPU-P VM fails with: "Could not allocate partitionable GPU device … that is not compliant with currently set group policy. See HyperV\\RequireSecureDeviceAssignment and HyperV\\RequireSupportedDeviceAssignment for more details."',
          { server: s.name, policies: set.join(' and ') },
        ),
        fix: set
          .map(
            (name) =>
              `Invoke-Command -ComputerName ${psQuote(s.name)} -ScriptBlock { Set-ItemProperty -Path ${psQuote(HYPERV_POLICY_KEY)} -Name ${psQuote(name)} -Value 0 }`,
          )
          .join('\n'),
        hint: t('When a domain Group Policy sets the value, change that policy instead: the next policy refresh writes it back.'),
      };
    }
    if (secure === undefined || supported === undefined) {
      return { status: 'warn', scope: serverScope(s), evidence: t('The device-assignment policies of {server} were not read.', { server: s.name }) };
    }
    return { status: 'pass', scope: serverScope(s), evidence: t('Neither device-assignment policy is set on {server}.', { server: s.name }) };
  });
  return collect(ctx, 'device-assignment-policy', findings, t('No device-assignment policy blocks GPU-P on {passed} of {total} servers.'));
}

/** NVIDIA's Windows driver version `31.0.15.5160` is release 551.60: the last five digits of the last two fields. */
export function nvidiaReleaseFromWindowsVersion(version: string): { branch: number; release: string } | undefined {
  const m = /^\d+\.\d+\.(\d+)\.(\d{4})$/.exec(version.trim());
  if (!m) return undefined;
  const digits = (m[1] + m[2]).slice(-5);
  if (digits.length < 5) return undefined;
  return { branch: Number(digits.slice(0, 3)), release: `${digits.slice(0, 3)}.${digits.slice(3)}` };
}

function checkVgpuDriver(ctx: Ctx): CheckResult[] {
  const findings = ctx.servers
    .filter((s) => s.host?.hostDriverVersion !== undefined && s.gpus.some((g) => g.partitionable))
    .map((s): Finding => {
      const version = s.host!.hostDriverVersion!;
      const rel = nvidiaReleaseFromWindowsVersion(version);
      const args = { server: s.name, version, release: rel?.release ?? '?', branch: VGPU18_MIN_DRIVER_BRANCH };
      if (!rel) return { status: 'warn', scope: serverScope(s), evidence: t('The host driver version {version} of {server} is not an NVIDIA version this check understands.', args) };
      if (rel.branch >= VGPU18_MIN_DRIVER_BRANCH) {
        return { status: 'pass', scope: serverScope(s), evidence: t('{server} runs host driver {version} (release {release}): vGPU 18 or later.', args) };
      }
      return {
        status: 'warn',
        scope: serverScope(s),
        evidence: t('{server} runs host driver {version} (release {release}), older than vGPU 18 (R{branch}): GPU-P VMs cannot live migrate.', args),
        hint: t('Install NVIDIA vGPU software 18 or later on the hosts and in the VMs (guest and host drivers must be compatible).'),
      };
    });
  return collect(ctx, 'vgpu-driver-version', findings, t('{passed} of {total} servers run a vGPU 18+ host driver.'));
}

function checkIncomingLm(ctx: Ctx): CheckResult[] {
  const findings = allGpus(ctx)
    .filter(({ g }) => g.partitionable !== undefined)
    .map(({ s, g }): Finding => {
      const v = g.partitionable!.supportsIncomingLiveMigration;
      const args = { server: s.name, gpu: g.device.friendlyName };
      if (v === true) return { status: 'pass', scope: gpuScope(s, g), evidence: t('{gpu} on {server}: SupportsIncomingLiveMigration is True.', args) };
      if (v === undefined) {
        return {
          status: 'warn',
          scope: gpuScope(s, g),
          evidence: t('{gpu} on {server} does not report SupportsIncomingLiveMigration (the property exists from build 26100).', args),
        };
      }
      return {
        status: 'fail',
        scope: gpuScope(s, g),
        evidence: t('{gpu} on {server}: SupportsIncomingLiveMigration is False; GPU-P VMs cannot live migrate to it.', args),
        hint: t('Live migration needs IOMMU DMA bit tracking, NVIDIA vGPU 18+ and build 26100+ on every server; see those checks.'),
      };
    });
  return collect(ctx, 'live-migration-incoming', findings, t('{passed} of {total} partitionable GPUs accept incoming live migration.'));
}

// ---------------------------------------------------------------------------------------------
// Cluster checks

function describeConfig(g: Gpu): string {
  const p = g.partitionable!;
  // Friendly names usually start with the maker ("NVIDIA A2"); do not print it twice.
  const model = g.device.friendlyName.toUpperCase().startsWith(g.device.manufacturer.toUpperCase())
    ? g.device.friendlyName
    : `${g.device.manufacturer} ${g.device.friendlyName}`;
  return `${model}, ${formatBytes(p.totalVRAM)}`;
}

function checkHomogeneous(ctx: Ctx): CheckResult[] {
  const groups = new Map<string, { label: string; where: Set<string>; count: number }>();
  for (const { s, g } of allGpus(ctx)) {
    if (!g.partitionable) continue;
    const key = JSON.stringify([g.device.manufacturer.toUpperCase(), g.device.friendlyName.toUpperCase(), g.partitionable.totalVRAM.toString()]);
    const entry = groups.get(key) ?? { label: describeConfig(g), where: new Set<string>(), count: 0 };
    entry.where.add(s.name);
    entry.count++;
    groups.set(key, entry);
  }
  if (groups.size === 0) return [];
  const list = [...groups.values()].sort((a, b) => b.count - a.count);
  const describe = list.map((e) => `${e.label} (${e.count} on ${[...e.where].join(', ')})`).join('; ');
  if (list.length === 1) {
    return [result('gpu-homogeneous', { status: 'pass', scope: ctx.clusterScope, evidence: t('All {count} partitionable GPUs are {config}.', { count: list[0].count, config: list[0].label }) })];
  }
  return [
    result('gpu-homogeneous', {
      status: 'fail',
      scope: ctx.clusterScope,
      evidence: t('The partitionable GPUs differ in make, model or size: {configs}. Mixing is unsupported.', { configs: describe }),
      hint: t('Install GPUs of the same manufacturer, model and size in every server of the cluster.'),
    }),
  ];
}

function checkUniformCount(ctx: Ctx): CheckResult[] {
  const gpus = allGpus(ctx).filter(({ g }) => g.partitionable !== undefined);
  if (gpus.length === 0) return [];
  const counts = new Map<number, number>();
  for (const { g } of gpus) counts.set(g.partitionable!.partitionCount, (counts.get(g.partitionable!.partitionCount) ?? 0) + 1);
  if (counts.size === 1) {
    return [
      result('partition-count-uniform', {
        status: 'pass',
        scope: ctx.clusterScope,
        evidence: t('All {count} partitionable GPUs have partition count {partitionCount}.', { count: gpus.length, partitionCount: gpus[0].g.partitionable!.partitionCount }),
      }),
    ];
  }
  // Target: the count most GPUs have (ties: the larger count, which keeps more partitions).
  const target = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0][0];
  const off = gpus.filter(({ g }) => g.partitionable!.partitionCount !== target && g.partitionable!.validPartitionCounts.includes(target));
  const summary = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${n} GPU(s) at ${c}`).join(', ');
  const fix = off
    .map(({ s, g }) => `Set-VMHostPartitionableGpu -ComputerName ${psQuote(s.name)} -Name ${psQuote(g.partitionable!.name)} -PartitionCount ${psInteger(target)}`)
    .join('\n');
  return [
    result('partition-count-uniform', {
      status: 'fail',
      scope: ctx.clusterScope,
      evidence: t('Partition counts differ: {summary}. Live migration and failover need the same count on every node.', { summary }),
      fix: fix || undefined,
      hint: t('Unassign the partitions of the GPUs to change first: a GPU whose partition is assigned to a VM cannot be reconfigured.'),
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// VM checks (VMs with a GPU partition adapter)

function gpuVms(ctx: Ctx): { s: Server; vm: Vm }[] {
  return ctx.servers.flatMap((s) => s.vms.filter(gpuP).map((vm) => ({ s, vm })));
}

const NO_GPU_VMS = 'No VM has a GPU partition adapter.';

function checkGeneration(ctx: Ctx): CheckResult[] {
  const findings = gpuVms(ctx).map(({ s, vm }): Finding => {
    const args = { vm: vm.name, server: s.name, generation: vm.generation };
    if (vm.generation === 2) return { status: 'pass', scope: vmScope(s, vm), evidence: t('{vm} on {server} is generation 2.', args) };
    return {
      status: 'fail',
      scope: vmScope(s, vm),
      evidence: t('{vm} on {server} is generation {generation}; GPU-P is supported for generation 2 VMs only.', args),
      hint: t('The generation of a VM cannot be changed: create a generation 2 VM and move the workload (its disks need GPT/UEFI boot).'),
    };
  });
  return collect(ctx, 'vm-generation', findings, t('{passed} of {total} GPU-P VMs are generation 2.'), t(NO_GPU_VMS));
}

function checkCheckpoints(ctx: Ctx): CheckResult[] {
  const findings = gpuVms(ctx).map(({ s, vm }): Finding => {
    const args = { vm: vm.name, server: s.name };
    if (vm.automaticCheckpointsEnabled === false) return { status: 'pass', scope: vmScope(s, vm), evidence: t('{vm} on {server}: automatic checkpoints are off.', args) };
    if (vm.automaticCheckpointsEnabled === undefined) return { status: 'warn', scope: vmScope(s, vm), evidence: t('Whether {vm} on {server} takes automatic checkpoints was not read.', args) };
    return {
      status: 'fail',
      scope: vmScope(s, vm),
      evidence: t(
        '{vm} on {server} takes automatic checkpoints. A VM with a GPU partition cannot be checkpointed ("…because it is assigned one or more GPUP partitions"), and the automatic checkpoint at start makes the VM fail to start.',
        args,
      ),
      fix: `Set-VM -Name ${psQuote(vm.name)} -ComputerName ${psQuote(s.name)} -AutomaticCheckpointsEnabled $false`,
    };
  });
  return collect(ctx, 'vm-automatic-checkpoints', findings, t('Automatic checkpoints are off on {passed} of {total} GPU-P VMs.'), t(NO_GPU_VMS));
}

function checkMmio(ctx: Ctx): CheckResult[] {
  const findings = gpuVms(ctx).map(({ s, vm }): Finding => {
    const high = vm.highMemoryMappedIoSpace;
    const args = { vm: vm.name, server: s.name, high: high === undefined ? 'unknown' : formatBytes(high), min: formatBytes(MIN_HIGH_MMIO) };
    if (high === undefined) return { status: 'warn', scope: vmScope(s, vm), evidence: t('The MMIO space of {vm} on {server} was not read.', args) };
    if (high >= MIN_HIGH_MMIO) return { status: 'pass', scope: vmScope(s, vm), evidence: t('{vm} on {server}: high MMIO space {high}.', args) };
    return {
      status: 'fail',
      scope: vmScope(s, vm),
      evidence: t(
        '{vm} on {server} has {high} of high MMIO space (Hyper-V default 512 MB; at least {min} is needed). Too little gives "GPU Partition: Error Insufficient system resources exist to complete the requested service." at start, or Code 12 / Code 43 in the guest.',
        args,
      ),
      fix: `Set-VM -Name ${psQuote(vm.name)} -ComputerName ${psQuote(s.name)} -GuestControlledCacheTypes $true -LowMemoryMappedIoSpace ${FIX_LOW_MMIO} -HighMemoryMappedIoSpace ${FIX_HIGH_MMIO}`,
      hint: t('The VM must be off to change its MMIO space.'),
    };
  });
  return collect(ctx, 'vm-mmio', findings, t('{passed} of {total} GPU-P VMs have at least 8 GiB of high MMIO space.'), t(NO_GPU_VMS));
}

function checkOfflineAction(ctx: Ctx): CheckResult[] {
  const findings = gpuVms(ctx)
    .filter(({ vm }) => vm.offlineAction !== undefined)
    .map(({ s, vm }): Finding => {
      const action = vm.offlineAction!;
      const args = { vm: vm.name, server: s.name, value: action, name: OFFLINE_ACTION_NAMES[action] };
      if (action === 3) return { status: 'pass', scope: vmScope(s, vm), evidence: t('{vm} on {server}: OfflineAction 3 ({name}).', args) };
      const fix = `Get-ClusterResource -Name ${psQuote(vm.name)} | Set-ClusterParameter -Name OfflineAction -Value 3`;
      const hint = t('Run it on a node of the cluster. If a failure occurs, shut the VM down, drain the server and fail the VM over by hand.');
      // The docs set 3 so that the cluster force-shuts the VM down instead of saving it (§1.9 [S2, S4]).
      // A running VM holds its partition now: taking its role offline would try the Save, so fail.
      // An Off VM with a pending adapter holds nothing yet; WAC calls the checkbox optional and
      // recommended (§2 [S2]), so warn.
      if (vm.state !== 'Off') {
        return {
          status: 'fail',
          scope: vmScope(s, vm),
          evidence: t('{vm} on {server} is a clustered GPU-P VM in state {state} with OfflineAction {value} ({name}): taking its role offline saves it instead of shutting it down (the docs set 3, force shutdown).', {
            ...args,
            state: vm.state,
          }),
          fix,
          hint,
        };
      }
      return {
        status: 'warn',
        scope: vmScope(s, vm),
        evidence: t('{vm} on {server} is a clustered GPU-P VM with OfflineAction {value} ({name}); the docs set 3 (force shutdown) before it runs with its partition.', args),
        fix,
        hint,
      };
    });
  return collect(ctx, 'vm-offline-action', findings, t('{passed} of {total} clustered GPU-P VMs have OfflineAction 3.'), t('No clustered VM has a GPU partition adapter.'));
}

function checkSingleAdapter(ctx: Ctx): CheckResult[] {
  const findings = gpuVms(ctx).map(({ s, vm }): Finding => {
    const args = { vm: vm.name, server: s.name, count: vm.adapters.length };
    if (vm.adapters.length === 1) return { status: 'pass', scope: vmScope(s, vm), evidence: t('{vm} on {server} has one GPU partition adapter.', args) };
    return {
      status: 'warn',
      scope: vmScope(s, vm),
      evidence: t('{vm} on {server} has {count} GPU partition adapters; Windows Admin Center and Azure Local support a single partition per VM.', args),
      fix: vm.adapters
        .slice(1)
        .map((a) => `Remove-VMGpuPartitionAdapter -ComputerName ${psQuote(s.name)} -VMName ${psQuote(vm.name)} -AdapterId ${psQuote(a.id)}`)
        .join('\n'),
      hint: t('The VM must be off to remove an adapter.'),
    };
  });
  return collect(ctx, 'vm-single-adapter', findings, t('{passed} of {total} GPU-P VMs have a single GPU partition.'), t(NO_GPU_VMS));
}

function checkOutgoingLm(ctx: Ctx): CheckResult[] {
  // Every adapter that reports the property is judged ("can be used to pre-validate a live migration",
  // §1.4 [S1]). A missing value is only a warning on a resolved partition: an adapter of a VM that
  // never started may not carry it yet.
  const findings = gpuVms(ctx).flatMap(({ s, vm }) =>
    vm.adapters
      .filter((a: GpuPartitionAdapter) => a.supportsOutgoingLiveMigration !== undefined || a.partitionId !== undefined)
      .map((a): Finding => {
        const args = { vm: vm.name, server: s.name };
        if (a.supportsOutgoingLiveMigration === true) return { status: 'pass', scope: vmScope(s, vm), evidence: t('{vm} on {server}: SupportsOutgoingLiveMigration is True.', args) };
        if (a.supportsOutgoingLiveMigration === undefined) {
          return { status: 'warn', scope: vmScope(s, vm), evidence: t('The partition of {vm} on {server} does not report SupportsOutgoingLiveMigration (the property exists from build 26100).', args) };
        }
        return {
          status: 'fail',
          scope: vmScope(s, vm),
          evidence: t('{vm} on {server}: SupportsOutgoingLiveMigration is False; the VM cannot live migrate and restarts elsewhere on failover.', args),
          hint: t('Live migration needs IOMMU DMA bit tracking, NVIDIA vGPU 18+ in host and guest, and build 26100+.'),
        };
      }),
  );
  return collect(ctx, 'live-migration-outgoing', findings, t('{passed} of {total} GPU partition adapters support outgoing live migration.'), t('No GPU partition adapter reports SupportsOutgoingLiveMigration.'));
}

/** The commands that remove an orphaned adapter: an unassign, with the VM off during the change. */
export function orphanRemovalCommands(server: string, vm: string, adapterId: string, vmState: string): string[] {
  const remove = `Remove-VMGpuPartitionAdapter -ComputerName ${psQuote(server)} -VMName ${psQuote(vm)} -AdapterId ${psQuote(adapterId)}`;
  if (vmState === 'Off') return [remove];
  return [`Stop-VM -ComputerName ${psQuote(server)} -Name ${psQuote(vm)}`, remove, `Start-VM -ComputerName ${psQuote(server)} -Name ${psQuote(vm)}`];
}

function checkOrphans(ctx: Ctx): CheckResult[] {
  const orphans = findOrphanedAdapters({ ...ctx.inventory, servers: ctx.servers });
  const out = orphans.map((o) =>
    result('orphaned-adapter', {
      status: 'fail',
      scope: { kind: 'vm', name: o.vm, server: o.server },
      // One literal per t() call, so the l10n extractor collects both texts.
      evidence:
        o.reason === 'missing'
          ? t('{vm} on {server} has a GPU partition adapter for {instancePath}, a GPU that is not on {server}.', { vm: o.vm, server: o.server, instancePath: o.instancePath })
          : t('{vm} on {server} has a GPU partition adapter for {instancePath}, a GPU that is no longer partitionable.', { vm: o.vm, server: o.server, instancePath: o.instancePath }),
      fix: orphanRemovalCommands(o.server, o.vm, o.adapter.id, o.vmState).join('\n'),
      hint: t('Unassign the partition of {vm} (the VM is turned off for the change and on again if it was running), then assign a new one.', { vm: o.vm }),
    }),
  );
  if (out.length === 0) {
    out.push(result('orphaned-adapter', { status: 'pass', scope: ctx.clusterScope, evidence: t('Every GPU partition adapter names a partitionable GPU of its server, or none.') }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/** Runs every check, in the order of CHECK_IDS. */
export function runChecks(inventory: Inventory): CheckResult[] {
  const servers = inventory.servers.filter((s) => !s.error);
  const ctx: Ctx = {
    inventory,
    servers,
    clusterScope: { kind: 'cluster', name: inventory.cluster ?? inventory.connection },
    clustered: inventory.cluster !== undefined,
  };
  const byId: Record<CheckId, (c: Ctx) => CheckResult[]> = {
    'server-reachable': checkReachable,
    'os-build': checkOsBuild,
    'hyperv-role': checkHyperV,
    'partitionable-gpu': checkPartitionableGpu,
    'gpu-pnp-state': checkPnp,
    'gpu-p-driver': checkDriver,
    'sr-iov': checkSrIov,
    'iommu-dma-tracking': checkIommu,
    'device-assignment-policy': checkPolicies,
    'gpu-homogeneous': checkHomogeneous,
    'partition-count-uniform': checkUniformCount,
    'vgpu-driver-version': checkVgpuDriver,
    'live-migration-incoming': checkIncomingLm,
    'vm-generation': checkGeneration,
    'vm-automatic-checkpoints': checkCheckpoints,
    'vm-mmio': checkMmio,
    'vm-offline-action': checkOfflineAction,
    'vm-single-adapter': checkSingleAdapter,
    'live-migration-outgoing': checkOutgoingLm,
    'orphaned-adapter': checkOrphans,
  };
  return CHECK_IDS.flatMap((id) => byId[id](ctx));
}

export function summarizeChecks(results: readonly CheckResult[]): ChecksSummary {
  const s: ChecksSummary = { pass: 0, warn: 0, fail: 0 };
  for (const r of results) s[r.status]++;
  return s;
}

/** Worst status of a list (fail > warn > pass); pass for an empty list. */
export function worstStatus(results: readonly CheckResult[]): CheckStatus {
  if (results.some((r) => r.status === 'fail')) return 'fail';
  if (results.some((r) => r.status === 'warn')) return 'warn';
  return 'pass';
}

export function scopeLabel(scope: CheckScope): string {
  switch (scope.kind) {
    case 'cluster':
      return scope.name;
    case 'server':
      return scope.name;
    case 'vm':
      return `${scope.server}/${scope.name}`;
    case 'gpu':
      return `${scope.server}/${scope.label ?? scope.name}`;
  }
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

const STATUS_WORD: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

export interface ChecksMarkdownOptions {
  /** Heading; default "GPU partitioning prerequisite check". */
  title?: string;
  /** Connection / cluster and read time, printed under the heading. */
  subject?: string;
}

/**
 * The report as Markdown (export): summary, then failures and warnings with their evidence and fix
 * commands in PowerShell blocks, then a table of what passed.
 */
export function renderChecksMarkdown(results: readonly CheckResult[], options: ChecksMarkdownOptions = {}): string {
  const s = summarizeChecks(results);
  const out: string[] = [`# ${options.title ?? 'GPU partitioning prerequisite check'}`, ''];
  if (options.subject) out.push(options.subject, '');
  out.push(`**${s.fail} failed, ${s.warn} warnings, ${s.pass} passed.**`, '');
  for (const status of ['fail', 'warn'] as const) {
    const list = results.filter((r) => r.status === status);
    if (list.length === 0) continue;
    out.push(`## ${status === 'fail' ? 'Failed' : 'Warnings'}`, '');
    for (const r of list) {
      out.push(`### ${STATUS_WORD[r.status]}: ${r.title} (${scopeLabel(r.scope)})`, '', r.evidence, '');
      if (r.hint) out.push(`> ${r.hint}`, '');
      if (r.fix) out.push('```powershell', r.fix, '```', '');
      out.push(`Source: ${r.source}`, '');
    }
  }
  const passed = results.filter((r) => r.status === 'pass');
  if (passed.length > 0) {
    out.push('## Passed', '', '| Check | Scope | Evidence |', '|---|---|---|');
    for (const r of passed) out.push(`| ${mdCell(r.title)} | ${mdCell(scopeLabel(r.scope))} | ${mdCell(r.evidence)} |`);
    out.push('');
  }
  return out.join('\n');
}

/** Plain-text report for the CLI: one line per result, fix commands indented under it. */
export function renderChecksText(results: readonly CheckResult[]): string {
  const s = summarizeChecks(results);
  const out: string[] = [];
  for (const r of results) {
    out.push(`${STATUS_WORD[r.status]}  ${r.title} [${scopeLabel(r.scope)}]`);
    out.push(`      ${r.evidence}`);
    if (r.hint) out.push(`      hint: ${r.hint}`);
    if (r.fix) for (const line of r.fix.split('\n')) out.push(`      fix:  ${line}`);
  }
  out.push('', `${s.fail} failed, ${s.warn} warnings, ${s.pass} passed.`);
  return out.join('\n') + '\n';
}
