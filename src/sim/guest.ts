/**
 * The simulator's answer to the guest check: what `nvidia-smi -q -x` prints inside a GPU-P VM
 * (virtualization mode VGPU, framebuffer = the partition's VRAM, a vGPU licence), in the element
 * layout of real nvidia-smi output (nvsmi_device_v13.dtd; compare test/fixtures/nvidia-smi/). Every
 * guess is named in choices.ts. The PowerShell backend runs the real command instead:
 * `Invoke-Command -VMName <vm> -ScriptBlock { nvidia-smi -q -x }`.
 */
import type { Backend, CallOptions } from '../model/backend';
import { nvidiaReleaseFromWindowsVersion } from '../model/checks';
import { deviceKey } from '../model/gpuIdentity';
import type { GuestProbe } from '../model/nvidiaSmi';
import type { Gpu, GpuPartitionAdapter, HostFacts, Server, Vm } from '../model/types';
import {
  GUEST_CUDA_BY_BRANCH,
  GUEST_DRIVER_FALLBACK,
  GUEST_FB_RESERVED_MIB,
  GUEST_FB_USED_MIB,
  GUEST_LICENSE_DAYS,
  GUEST_LICENSED_PRODUCT,
  GUEST_PRODUCT_NAME,
  TEXT_GUEST_NO_DRIVER,
  TEXT_GUEST_VM_NOT_RUNNING,
} from './choices';

const MiB = 1024n * 1024n;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** nvidia-smi's timestamp: `Fri Nov 27 05:18:35 2026` (UTC here). */
function smiTimestamp(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** The licence expiry as nvidia-smi prints it, without zero padding: `2026-7-7 16:1:44 GMT`. */
function licenseExpiry(d: Date): string {
  return `${d.getUTCFullYear()}-${d.getUTCMonth() + 1}-${d.getUTCDate()} ${d.getUTCHours()}:${d.getUTCMinutes()}:${d.getUTCSeconds()} GMT`;
}

export interface SimGuestOptions {
  /** The time of the check (timestamp, licence expiry). Default: now. */
  now?: Date;
  host?: HostFacts;
}

/** The guest driver release for a host driver (same release; see choices.ts). */
export function guestDriverVersion(host?: HostFacts): string {
  const rel = host?.hostDriverVersion ? nvidiaReleaseFromWindowsVersion(host.hostDriverVersion) : undefined;
  return rel?.release ?? GUEST_DRIVER_FALLBACK;
}

function cudaFor(driver: string): string {
  const branch = Number(driver.split('.')[0]);
  return GUEST_CUDA_BY_BRANCH.find((c) => branch >= c.minBranch)?.cuda ?? GUEST_CUDA_BY_BRANCH[GUEST_CUDA_BY_BRANCH.length - 1].cuda;
}

/** `nvidia-smi -q -x` of a GPU-P guest holding `adapter`'s partition of `gpu`. */
export function simNvidiaSmiXml(vm: Vm, adapter: GpuPartitionAdapter, gpu: Gpu, options: SimGuestOptions = {}): string {
  const now = options.now ?? new Date();
  const p = gpu.partitionable;
  const partitionVRAM = adapter.currentPartitionVRAM ?? p?.optimalPartitionVRAM ?? 0n;
  const total = Number(partitionVRAM / MiB);
  const used = GUEST_FB_USED_MIB;
  const reserved = GUEST_FB_RESERVED_MIB;
  const driver = guestDriverVersion(options.host);
  const product = p ? GUEST_PRODUCT_NAME(gpu.device.friendlyName, p.totalVRAM, p.partitionCount) : gpu.device.friendlyName;
  const expiry = new Date(now.getTime() + GUEST_LICENSE_DAYS * 86_400_000);
  const busId = `00000000:00:${String((adapter.partitionId ?? 0) + 1).padStart(2, '0')}.0`;
  // PCI ids from the host device (VEN_10DE&DEV_25B6&SUBSYS_157E10DE): nvidia-smi prints DEV+VEN and the subsystem.
  const ids = /VEN_([0-9A-F]{4})&DEV_([0-9A-F]{4})&SUBSYS_([0-9A-F]{8})/i.exec(gpu.device.instanceId);
  const uuid = `GPU-${vm.id}`;
  return [
    '<?xml version="1.0" ?>',
    '<!DOCTYPE nvidia_smi_log SYSTEM "nvsmi_device_v13.dtd">',
    '<nvidia_smi_log>',
    `\t<timestamp>${smiTimestamp(now)}</timestamp>`,
    `\t<driver_version>${esc(driver)}</driver_version>`,
    `\t<cuda_version>${cudaFor(driver)}</cuda_version>`,
    '\t<attached_gpus>1</attached_gpus>',
    `\t<gpu id="${busId}">`,
    `\t\t<product_name>${esc(product)}</product_name>`,
    '\t\t<product_brand>NVIDIA RTX</product_brand>',
    '\t\t<display_mode>Requested functionality has been deprecated</display_mode>',
    '\t\t<persistence_mode>N/A</persistence_mode>',
    '\t\t<driver_model>',
    '\t\t\t<current_dm>WDDM</current_dm>',
    '\t\t\t<pending_dm>WDDM</pending_dm>',
    '\t\t</driver_model>',
    `\t\t<uuid>${uuid}</uuid>`,
    '\t\t<gpu_virtualization_mode>',
    '\t\t\t<virtualization_mode>VGPU</virtualization_mode>',
    '\t\t\t<host_vgpu_mode>N/A</host_vgpu_mode>',
    '\t\t\t<vgpu_heterogeneous_mode>N/A</vgpu_heterogeneous_mode>',
    '\t\t</gpu_virtualization_mode>',
    '\t\t<vgpu_software_licensed_product>',
    `\t\t\t<licensed_product_name>${esc(GUEST_LICENSED_PRODUCT)}</licensed_product_name>`,
    `\t\t\t<license_status>Licensed (Expiry: ${licenseExpiry(expiry)})</license_status>`,
    '\t\t</vgpu_software_licensed_product>',
    '\t\t<pci>',
    `\t\t\t<pci_device_id>${ids ? `${ids[2]}${ids[1]}`.toUpperCase() : 'N/A'}</pci_device_id>`,
    `\t\t\t<pci_bus_id>${busId}</pci_bus_id>`,
    `\t\t\t<pci_sub_system_id>${ids ? ids[3].toUpperCase() : 'N/A'}</pci_sub_system_id>`,
    '\t\t</pci>',
    '\t\t<fb_memory_usage>',
    `\t\t\t<total>${total} MiB</total>`,
    `\t\t\t<reserved>${reserved} MiB</reserved>`,
    `\t\t\t<used>${used} MiB</used>`,
    `\t\t\t<free>${Math.max(0, total - reserved - used)} MiB</free>`,
    '\t\t</fb_memory_usage>',
    '\t\t<processes>',
    '\t\t</processes>',
    '\t</gpu>',
    '',
    '</nvidia_smi_log>',
    '',
  ].join('\n');
}

/** Why a guest check could not produce output (the text the real command prints, or ours). */
export class GuestCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuestCheckError';
  }
}

/** The GPU a VM's partition is on: its InstancePath, or the only partitionable GPU of the server. */
export function gpuOfAdapter(server: Server, adapter: GpuPartitionAdapter): Gpu | undefined {
  if (adapter.instancePath) {
    const key = deviceKey(adapter.instancePath);
    return server.gpus.find((g) => g.partitionable && deviceKey(g.partitionable.name) === key);
  }
  const partitionable = server.gpus.filter((g) => g.partitionable);
  return partitionable.length === 1 ? partitionable[0] : undefined;
}

/** What the simulated VM answers to `nvidia-smi -q -x`, read from an inventory. Throws GuestCheckError. */
export function simGuestAnswer(server: Server, vm: Vm, options: SimGuestOptions = {}): string {
  if (vm.state !== 'Running') throw new GuestCheckError(TEXT_GUEST_VM_NOT_RUNNING(vm.name));
  const adapter = vm.adapters.find((a) => a.partitionId !== undefined) ?? vm.adapters[0];
  const gpu = adapter ? gpuOfAdapter(server, adapter) : undefined;
  if (!adapter || !gpu) throw new GuestCheckError(TEXT_GUEST_NO_DRIVER);
  return simNvidiaSmiXml(vm, adapter, gpu, { ...options, host: options.host ?? server.host });
}

/** The simulator's probe: answers from the backend's inventory (any Backend over a SimWorld). */
export class SimGuestProbe implements GuestProbe {
  constructor(
    private readonly backend: Backend,
    private readonly now?: () => Date,
  ) {}

  async nvidiaSmiXml(serverName: string, vmName: string, options: CallOptions = {}): Promise<string> {
    const inv = await this.backend.inventory({ servers: [serverName], signal: options.signal });
    const server = inv.servers.find((s) => s.name.toUpperCase() === serverName.toUpperCase());
    if (!server) throw new GuestCheckError(`Server '${serverName}' was not found.`);
    if (server.error) throw new GuestCheckError(server.error);
    const vm = server.vms.find((v) => v.name.toUpperCase() === vmName.toUpperCase());
    // Hyper-V's own text for an unknown VM (domain doc §1.7 [COMMUNITY S38]).
    if (!vm) throw new GuestCheckError(`Hyper-V was unable to find a virtual machine with name "${vmName}".`);
    return simGuestAnswer(server, vm, { now: this.now?.() });
  }
}
