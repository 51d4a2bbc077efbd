/**
 * Identity of a physical GPU across the two ways Windows names it. Pure: no `vscode`, no I/O.
 *
 * - `Get-VMHostPartitionableGpu` prints a device *interface* path as `Name`
 *   (`\\?\PCI#VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1#4&18416dc3&0&0000#{064092b3-…}`), domain doc §1.1 [S4];
 *   client GPU-PV devices append `\GPUPARAV` [COMMUNITY S27, S29].
 * - `Get-PnpDevice` prints the device *instance* id
 *   (`PCI\VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1\4&18416DC3&0&0000`).
 * Both carry the same hardware id and instance segment; Windows compares them case-insensitively
 * (the interface path shows the instance segment in lower case, PnP in upper case).
 */
import type { Gpu, Server } from './types';

/** A GPU of an inventory, named by server and by its partitionable-GPU Name (or PnP InstanceId). */
export interface GpuRef {
  server: string;
  gpu: string;
}

/** A VM of an inventory, named by server and VM name. */
export interface VmRef {
  server: string;
  vm: string;
}

const INTERFACE_PREFIX = '\\\\?\\';
const INTERFACE_CLASS_SUFFIX = /#\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i;
const GPUPARAV_SUFFIX = /\\GPUPARAV$/i;

/**
 * One canonical key for a device, whichever form it was given in: the upper-case PnP instance id
 * (`PCI\VEN_…\4&18416DC3&0&0000`). An interface path loses its `\\?\` prefix, its `#{class guid}`
 * and any `\GPUPARAV` suffix, and its `#` separators become `\`.
 */
export function deviceKey(nameOrInstanceId: string): string {
  let s = nameOrInstanceId.trim().replace(GPUPARAV_SUFFIX, '');
  if (s.startsWith(INTERFACE_PREFIX)) {
    s = s.slice(INTERFACE_PREFIX.length).replace(INTERFACE_CLASS_SUFFIX, '').replace(/#/g, '\\');
  }
  return s.toUpperCase();
}

/** True when a partitionable-GPU Name and a PnP InstanceId (or any two names) denote the same device. */
export function sameDevice(a: string, b: string): boolean {
  return deviceKey(a) === deviceKey(b);
}

/** The PnP InstanceId a partitionable-GPU Name (device interface path) refers to, upper-case. */
export function instanceIdFromGpuName(name: string): string {
  return deviceKey(name);
}

/** `VEN_10DE&DEV_25B6` from either form; undefined when the id is not a PCI id. */
export function shortDeviceId(nameOrInstanceId: string): string | undefined {
  const m = /VEN_([0-9A-F]{4})&DEV_([0-9A-F]{4})/i.exec(nameOrInstanceId);
  return m ? `VEN_${m[1].toUpperCase()}&DEV_${m[2].toUpperCase()}` : undefined;
}

/** The last segment of the instance id (`4&18416DC3&0&0000`): tells two GPUs of one model apart. */
export function deviceLocation(nameOrInstanceId: string): string {
  const key = deviceKey(nameOrInstanceId);
  const i = key.lastIndexOf('\\');
  return i >= 0 ? key.slice(i + 1) : key;
}

/** A short human label: `NVIDIA A2 (4&18416DC3&0&0000)`. */
export function gpuLabel(gpu: Gpu): string {
  return `${gpu.device.friendlyName} (${deviceLocation(gpu.device.instanceId)})`;
}

/** The name commands use for a GPU: its partitionable Name, else its PnP InstanceId. */
export function gpuName(gpu: Gpu): string {
  return gpu.partitionable?.name ?? gpu.device.instanceId;
}

/** The configuration WAC compares: manufacturer, model, VRAM size, partition count (domain doc §2 [S2]). */
export interface GpuConfig {
  manufacturer: string;
  model: string;
  totalVRAM: bigint;
  partitionCount: number;
}

export function gpuConfig(gpu: Gpu): GpuConfig | undefined {
  if (!gpu.partitionable) {
    return undefined;
  }
  return {
    manufacturer: gpu.device.manufacturer,
    model: gpu.device.friendlyName,
    totalVRAM: gpu.partitionable.totalVRAM,
    partitionCount: gpu.partitionable.partitionCount,
  };
}

/**
 * Key of a GPU's configuration: manufacturer + model (friendly name) + TotalVRAM + PartitionCount.
 * Two GPUs belong to the same homogeneous set exactly when their keys are equal. Undefined for a GPU
 * without a partitionable record (it has no partition count).
 */
export function gpuConfigKey(gpu: Gpu): string | undefined {
  const c = gpuConfig(gpu);
  return c ? JSON.stringify([c.manufacturer, c.model, c.totalVRAM.toString(), c.partitionCount]) : undefined;
}

/** Server by name; Windows computer names are case-insensitive. */
export function findServer<S extends { name: string }>(servers: readonly S[], name: string): S | undefined {
  const n = name.toUpperCase();
  return servers.find((s) => s.name.toUpperCase() === n);
}

/** GPU of a server by partitionable Name or PnP InstanceId (either form, any case). */
export function findGpu(server: Server, nameOrInstanceId: string): Gpu | undefined {
  const key = deviceKey(nameOrInstanceId);
  return server.gpus.find((g) => deviceKey(g.device.instanceId) === key || (g.partitionable !== undefined && deviceKey(g.partitionable.name) === key));
}

/** True when the two refs name the same GPU of the same server. */
export function sameGpuRef(a: GpuRef, b: GpuRef): boolean {
  return a.server.toUpperCase() === b.server.toUpperCase() && sameDevice(a.gpu, b.gpu);
}

/**
 * The name `-InstancePath` takes for a GPU given either way (partitionable Name or PnP InstanceId):
 * the partitionable Name as that server's inventory lists it (domain doc §1.3: InstancePath is the
 * Name printed by Get-VMHostPartitionableGpu). Undefined when the server or GPU is not in it. One
 * resolver for every backend (HyperVBackend and SimBackend), so a GPU named by its PnP id works the
 * same in process and through PowerShell.
 */
export function resolveGpuName(servers: readonly Server[], server: string, gpu: string): string | undefined {
  const s = findServer(servers, server);
  const g = s ? findGpu(s, gpu) : undefined;
  return g ? gpuName(g) : undefined;
}
