/**
 * The simulated Azure Local world: cmdlet-shaped operations over a SimState, enforcing the rules of
 * the real Hyper-V GPU-P and FailoverClusters cmdlets (domain doc §1, §6). The one source of truth
 * for simulated behaviour: SimBackend calls it in process, and the PowerShell emulation module calls
 * it over the HTTP bridge.
 */
import { randomUUID } from 'crypto';
import type {
  DisplayDevice,
  Gpu,
  GpuPartitionAdapter,
  HostFacts,
  Inventory,
  OfflineAction,
  PartitionableGpu,
  Server,
  Vm,
} from '../model/types';
import { gpuModel, profileFor, type PartitionProfile } from './catalog';
import * as choices from './choices';
import {
  SimError,
  TEXT_ADAPTER_NOT_FOUND,
  TEXT_CHECKPOINT_GPUP,
  TEXT_GROUP_POLICY,
  TEXT_INSUFFICIENT_RESOURCES,
  TEXT_VM_NOT_FOUND,
  type SimErrorCategory,
} from './errors';
import {
  RESOURCE_KEYS,
  assignedStatusOf,
  instanceIdOfPartitionableName,
  isPartitionable,
  partitionableNameOf,
  type ResourceValues,
  type SimAdapter,
  type SimFault,
  type SimGpu,
  type SimServer,
  type SimState,
  type SimVm,
} from './state';

export interface SimWorldOptions {
  /** Called after every mutation (the CLI saves the state file here). */
  onChange?: (state: SimState) => void;
}

export interface AddAdapterOptions extends ResourceValues {
  instancePath?: string;
}

export interface ClusterNodeInfo {
  name: string;
  state: 'Up' | 'Down' | 'Paused';
}

export interface ClusterResourceInfo {
  name: string;
  ownerNode: string;
  resourceType: 'Virtual Machine';
  state: string;
}

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
const eq = (a: string, b: string): boolean => a.toUpperCase() === b.toUpperCase();

/** FNV-1a, for stable PartitionVfLuid values. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export class SimWorld {
  readonly state: SimState;
  private readonly onChange?: (state: SimState) => void;

  constructor(state: SimState, options: SimWorldOptions = {}) {
    this.state = state;
    this.onChange = options.onChange;
  }

  // -------------------------------------------------------------------------------------------
  // Fault injection

  private matches(f: SimFault, host: string, operation: string): boolean {
    return (f.host === '*' || eq(f.host, host)) && (f.operation === '*' || f.operation === operation) && (f.times === undefined || f.times > 0);
  }

  private consume(f: SimFault): void {
    if (f.times !== undefined) {
      f.times -= 1;
      this.changed();
    }
  }

  /**
   * The 'delay' or 'hang' fault for an async caller (SimBackend, the HTTP bridge) to await before
   * calling the sync method; consumes one `times`. 'fail' faults are applied by the methods themselves.
   */
  faultFor(host: string, operation: string): SimFault | undefined {
    const f = this.state.faults.find((x) => x.kind !== 'fail' && this.matches(x, host, operation));
    if (f) this.consume(f);
    return f;
  }

  /** Whether any fault (of any kind) is still active: the bridge then answers every read one by one. */
  hasActiveFaults(): boolean {
    return this.state.faults.some((f) => f.times === undefined || f.times > 0);
  }

  private applyFail(host: string, operation: string): void {
    const f = this.state.faults.find((x) => x.kind === 'fail' && this.matches(x, host, operation));
    if (!f) return;
    this.consume(f);
    const message = f.message ?? choices.TEXT_INJECTED_FAULT(operation, host);
    let category: SimErrorCategory = 'InvalidOperation';
    if (/access is denied/i.test(message)) category = 'PermissionDenied';
    else if (/insufficient system resources/i.test(message)) category = 'ResourceUnavailable';
    else if (/timed? ?out|within the time/i.test(message)) category = 'OperationTimeout';
    throw new SimError(message, category, operation, 'OperationFailed');
  }

  private changed(): void {
    this.onChange?.(this.state);
  }

  // -------------------------------------------------------------------------------------------
  // Lookups

  private findServer(name: string): SimServer | undefined {
    return this.state.servers.find((s) => eq(s.name, name));
  }

  /** Applies 'fail' faults, then resolves a reachable server. */
  private server(name: string, operation: string, needsHyperV: boolean): SimServer {
    this.applyFail(name, operation);
    const s = this.findServer(name);
    if (!s) throw new SimError(choices.TEXT_UNKNOWN_SERVER(name), 'ObjectNotFound', operation);
    if (s.nodeState === 'Down') throw new SimError(choices.TEXT_SERVER_UNREACHABLE(s.name), 'ResourceUnavailable', operation);
    if (needsHyperV && !s.host.hyperVInstalled) {
      throw new SimError(choices.TEXT_HYPERV_NOT_INSTALLED(s.name), 'ObjectNotFound', operation, 'NotInstalled');
    }
    return s;
  }

  private vm(server: SimServer, name: string, operation: string): SimVm {
    const vm = server.vms.find((v) => eq(v.name, name));
    if (!vm) throw new SimError(TEXT_VM_NOT_FOUND(name), 'ObjectNotFound', operation, 'ObjectNotFound');
    return vm;
  }

  private partitionableOf(server: SimServer): SimGpu[] {
    return server.gpus.filter((g) => isPartitionable(server, g));
  }

  private gpuByName(server: SimServer, name: string): SimGpu | undefined {
    return this.partitionableOf(server).find((g) => eq(partitionableNameOf(g.instanceId), name));
  }

  private profile(gpu: SimGpu): PartitionProfile {
    const p = profileFor(gpu.model, gpu.partitionCount);
    // parseState refuses counts outside ValidPartitionCounts, so this only fires on a corrupted state object.
    if (!p) throw new Error(`GPU ${gpu.instanceId}: no profile for partition count ${gpu.partitionCount}`);
    return p;
  }

  /** Adapters whose resolved partition lives on `gpuName`, with their VM. */
  private resolvedOn(server: SimServer, gpuName: string): { vm: SimVm; adapter: SimAdapter }[] {
    const out: { vm: SimVm; adapter: SimAdapter }[] = [];
    for (const vm of server.vms) for (const a of vm.adapters) if (a.resolved && eq(a.resolved.gpu, gpuName)) out.push({ vm, adapter: a });
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Views (what the cmdlets print)

  private partitionableView(server: SimServer, gpu: SimGpu): PartitionableGpu {
    const m = gpuModel(gpu.model);
    const p = this.profile(gpu);
    const name = partitionableNameOf(gpu.instanceId);
    // Available = total - resolved partitions (choices.AVAILABLE_COUNTS_RESOLVED_ONLY; domain doc §3 [S24]).
    const held = BigInt(this.resolvedOn(server, name).length);
    const view: PartitionableGpu = {
      name,
      validPartitionCounts: [...m.validPartitionCounts],
      partitionCount: gpu.partitionCount,
      totalVRAM: m.totalVRAM,
      availableVRAM: m.totalVRAM - held * p.vram,
      minPartitionVRAM: p.vram,
      maxPartitionVRAM: p.vram,
      optimalPartitionVRAM: p.vram,
      totalEncode: m.totalEncode,
      availableEncode: m.totalEncode - held * p.encode,
      minPartitionEncode: p.encode,
      maxPartitionEncode: p.encode,
      optimalPartitionEncode: p.encode,
      totalDecode: m.totalDecode,
      availableDecode: m.totalDecode - held * p.decode,
      minPartitionDecode: p.decode,
      maxPartitionDecode: p.decode,
      optimalPartitionDecode: p.decode,
      totalCompute: m.totalCompute,
      availableCompute: m.totalCompute - held * p.compute,
      minPartitionCompute: p.compute,
      maxPartitionCompute: p.compute,
      optimalPartitionCompute: p.compute,
      computerName: server.name,
      isDeleted: false,
    };
    // SupportsIncomingLiveMigration exists on build 26100+ only (§1.1 [COMMUNITY S29, S34]).
    if (server.host.osBuild >= 26100) view.supportsIncomingLiveMigration = gpu.supportsIncomingLiveMigration ?? true;
    return view;
  }

  private adapterView(server: SimServer, vm: SimVm, a: SimAdapter): GpuPartitionAdapter {
    const view: GpuPartitionAdapter = {
      name: 'GPU Partition Settings',
      id: `Microsoft:${vm.id.toUpperCase()}\\${a.guid.toUpperCase()}`,
      vmId: vm.id.toLowerCase(),
      vmName: vm.name,
      vmSnapshotId: ZERO_GUID,
      vmSnapshotName: '',
      computerName: server.name,
      isDeleted: false,
      vmCheckpointId: ZERO_GUID,
      vmCheckpointName: '',
    };
    const instancePath = a.instancePath ?? (choices.RESOLVED_GPU_SHOWN_AS_INSTANCE_PATH ? a.resolved?.gpu : undefined);
    if (instancePath !== undefined) view.instancePath = instancePath;
    for (const k of RESOURCE_KEYS) if (a[k] !== undefined) view[k] = a[k];
    if (a.resolved) {
      const gpu = server.gpus.find((g) => eq(partitionableNameOf(g.instanceId), a.resolved!.gpu));
      if (gpu) {
        const p = this.profile(gpu);
        view.currentPartitionVRAM = p.vram;
        view.currentPartitionEncode = p.encode;
        view.currentPartitionDecode = p.decode;
        view.currentPartitionCompute = p.compute;
      }
      view.partitionId = a.resolved.partitionId;
      view.partitionVfLuid = a.resolved.vfLuid;
    }
    if (server.host.osBuild >= 26100 && a.supportsOutgoingLiveMigration !== undefined) view.supportsOutgoingLiveMigration = a.supportsOutgoingLiveMigration;
    return view;
  }

  private vmView(server: SimServer, vm: SimVm): Vm {
    const v: Vm = {
      name: vm.name,
      id: vm.id.toLowerCase(),
      state: vm.state,
      generation: vm.generation,
      computerName: server.name,
      adapters: vm.adapters.map((a) => this.adapterView(server, vm, a)),
      automaticCheckpointsEnabled: vm.automaticCheckpointsEnabled,
      lowMemoryMappedIoSpace: vm.lowMemoryMappedIoSpace,
      highMemoryMappedIoSpace: vm.highMemoryMappedIoSpace,
    };
    if (vm.clustered && this.state.cluster) v.offlineAction = vm.offlineAction;
    return v;
  }

  private deviceView(gpu: SimGpu): DisplayDevice {
    return { instanceId: gpu.instanceId, friendlyName: gpu.friendlyName, manufacturer: gpu.manufacturer, status: gpu.pnpStatus, class: gpu.pnpClass };
  }

  // -------------------------------------------------------------------------------------------
  // FailoverClusters

  getClusterName(): string | undefined {
    this.applyFail(this.state.cluster?.name ?? '*', 'getClusterName');
    return this.state.cluster?.name;
  }

  getClusterNodes(cluster?: string): ClusterNodeInfo[] {
    const c = this.state.cluster;
    this.applyFail(cluster ?? c?.name ?? '*', 'getClusterNodes');
    if (!c) throw new SimError(choices.TEXT_NOT_CLUSTERED, 'ObjectNotFound', 'getClusterNodes');
    // -Cluster takes the cluster name or the name of one of its nodes.
    if (cluster !== undefined && !eq(cluster, c.name) && !this.findServer(cluster)) {
      throw new SimError(choices.TEXT_UNKNOWN_SERVER(cluster), 'ObjectNotFound', 'getClusterNodes');
    }
    return this.state.servers.map((s) => ({ name: s.name, state: s.nodeState }));
  }

  private clusteredVm(resource: string, operation: string): { server: SimServer; vm: SimVm } {
    const c = this.state.cluster;
    let found: { server: SimServer; vm: SimVm } | undefined;
    if (c) {
      for (const server of this.state.servers) {
        const vm = server.vms.find((v) => v.clustered && (eq(v.name, resource) || eq(choices.clusterResourceName(v.name), resource)));
        if (vm) {
          found = { server, vm };
          break;
        }
      }
    }
    this.applyFail(found?.server.name ?? c?.name ?? '*', operation);
    if (!c) throw new SimError(choices.TEXT_NOT_CLUSTERED, 'ObjectNotFound', operation);
    if (!found) throw new SimError(choices.TEXT_CLUSTER_RESOURCE_NOT_FOUND(resource), 'ObjectNotFound', operation);
    return found;
  }

  getClusterResource(name: string): ClusterResourceInfo {
    const { server, vm } = this.clusteredVm(name, 'getClusterResource');
    return this.resourceView(server, vm);
  }

  getClusterParameter(resource: string, parameter: string): { name: string; value: number | string } {
    const { vm } = this.clusteredVm(resource, 'getClusterParameter');
    return this.parameterView(vm, resource, parameter);
  }

  /**
   * Every VM role's resource with the named parameters of each, in one pass (the emulation's session
   * snapshot, src/sim/server.ts): the same views as getClusterResource and getClusterParameter,
   * without a lookup per resource and parameter (1,024 lookups over 512 VMs at 16 servers).
   */
  getClusterRoles(parameters: readonly string[]): { resource: ClusterResourceInfo; parameters: Record<string, { name: string; value: number | string }> }[] {
    this.getClusterNodes();
    const out: { resource: ClusterResourceInfo; parameters: Record<string, { name: string; value: number | string }> }[] = [];
    for (const server of this.state.servers) {
      for (const vm of server.vms) {
        if (!vm.clustered) continue;
        this.applyFail(server.name, 'getClusterResource');
        const resource = this.resourceView(server, vm);
        const values: Record<string, { name: string; value: number | string }> = {};
        for (const p of parameters) {
          this.applyFail(server.name, 'getClusterParameter');
          values[p] = this.parameterView(vm, resource.name, p);
        }
        out.push({ resource, parameters: values });
      }
    }
    return out;
  }

  private resourceView(server: SimServer, vm: SimVm): ClusterResourceInfo {
    const online = vm.state !== 'Off' && vm.state !== 'Saved';
    return { name: choices.clusterResourceName(vm.name), ownerNode: server.name, resourceType: 'Virtual Machine', state: online ? 'Online' : 'Offline' };
  }

  private parameterView(vm: SimVm, resource: string, parameter: string): { name: string; value: number | string } {
    if (eq(parameter, 'OfflineAction')) return { name: 'OfflineAction', value: vm.offlineAction };
    if (eq(parameter, 'VmID')) return { name: 'VmID', value: vm.id.toLowerCase() };
    throw new SimError(choices.TEXT_CLUSTER_PARAMETER_NOT_FOUND(resource, parameter), 'ObjectNotFound', 'getClusterParameter');
  }

  setClusterParameter(resource: string, parameter: string, value: number): void {
    const { vm } = this.clusteredVm(resource, 'setClusterParameter');
    if (!eq(parameter, 'OfflineAction')) {
      throw new SimError(choices.TEXT_CLUSTER_PARAMETER_NOT_FOUND(resource, parameter), 'ObjectNotFound', 'setClusterParameter');
    }
    // OfflineAction is 0..3 (§1.9 [S17]).
    if (!Number.isInteger(value) || value < 0 || value > 3) {
      throw new SimError(choices.TEXT_INVALID_OFFLINE_ACTION(value), 'InvalidArgument', 'setClusterParameter');
    }
    vm.offlineAction = value as OfflineAction;
    this.changed();
  }

  // -------------------------------------------------------------------------------------------
  // Host

  getHostFacts(server: string): HostFacts {
    const s = this.server(server, 'getHostFacts', false);
    return { ...s.host };
  }

  getPnpDevices(server: string, klass?: string): DisplayDevice[] {
    const s = this.server(server, 'getPnpDevices', false);
    return s.gpus.filter((g) => klass === undefined || eq(g.pnpClass, klass)).map((g) => this.deviceView(g));
  }

  /** Only GPUs the GPU-P driver exposes; none -> [] (the real cmdlet prints nothing, §1.1). */
  getPartitionableGpus(server: string, name?: string): PartitionableGpu[] {
    const s = this.server(server, 'getPartitionableGpus', true);
    const all = this.partitionableOf(s).map((g) => this.partitionableView(s, g));
    if (name === undefined) return all;
    const hit = all.filter((g) => eq(g.name, name));
    if (!hit.length) throw new SimError(choices.TEXT_GPU_NOT_FOUND(name), 'ObjectNotFound', 'getPartitionableGpus');
    return hit;
  }

  setPartitionCount(server: string, gpuName: string, count: number): PartitionableGpu {
    const s = this.server(server, 'setPartitionCount', true);
    const gpu = this.gpuByName(s, gpuName);
    if (!gpu) throw new SimError(choices.TEXT_GPU_NOT_FOUND(gpuName), 'ObjectNotFound', 'setPartitionCount');
    const name = partitionableNameOf(gpu.instanceId);
    const valid = gpuModel(gpu.model).validPartitionCounts;
    // -PartitionCount must be one of ValidPartitionCounts (§1.2 [S2]).
    if (!valid.includes(count)) {
      throw new SimError(choices.TEXT_INVALID_PARTITION_COUNT(name, count, valid), 'InvalidArgument', 'setPartitionCount', 'InvalidParameter');
    }
    // No change while a partition is held or pinned (§1.2 [S2, S7, S10]).
    const holders = new Set<string>(this.resolvedOn(s, name).map((h) => h.vm.name));
    for (const vm of s.vms) if (vm.adapters.some((a) => a.instancePath !== undefined && eq(a.instancePath, name))) holders.add(vm.name);
    if (holders.size) {
      throw new SimError(choices.TEXT_PARTITIONS_ASSIGNED(name, [...holders]), 'InvalidOperation', 'setPartitionCount', 'InvalidState');
    }
    gpu.partitionCount = count;
    this.changed();
    return this.partitionableView(s, gpu);
  }

  // -------------------------------------------------------------------------------------------
  // VMs

  getVms(server: string, name?: string): Vm[] {
    const s = this.server(server, 'getVms', true);
    if (name !== undefined) return [this.vmView(s, this.vm(s, name, 'getVms'))];
    return s.vms.map((v) => this.vmView(s, v));
  }

  private gpuPolicyName(s: SimServer, vm: SimVm): string {
    const a = vm.adapters[0];
    const first = this.partitionableOf(s)[0];
    return a?.instancePath ?? a?.resolved?.gpu ?? (first ? partitionableNameOf(first.instanceId) : '');
  }

  /** Resolves every unresolved adapter of `vm`, all or nothing (§1.3: "Partitions are resolved only when the VM is started" [S7]). */
  private resolvePartitions(s: SimServer, vm: SimVm): void {
    const taken = new Map<string, Set<number>>();
    const takenOn = (gpuName: string): Set<number> => {
      const key = gpuName.toUpperCase();
      let set = taken.get(key);
      if (!set) {
        set = new Set(this.resolvedOn(s, gpuName).map((h) => h.adapter.resolved!.partitionId));
        taken.set(key, set);
      }
      return set;
    };
    const plan: { adapter: SimAdapter; gpu: SimGpu; id: number }[] = [];
    for (const a of vm.adapters) {
      if (a.resolved) continue;
      const candidates = a.instancePath !== undefined ? [this.gpuByName(s, a.instancePath)].filter((g): g is SimGpu => !!g) : this.partitionableOf(s);
      let chosen: { gpu: SimGpu; id: number } | undefined;
      for (const gpu of candidates) {
        const used = takenOn(partitionableNameOf(gpu.instanceId));
        for (let id = 0; id < gpu.partitionCount; id++) {
          if (!used.has(id)) {
            chosen = { gpu, id };
            break;
          }
        }
        if (chosen) break;
      }
      // No free partition: the start fails and nothing was taken (§1.7 [S6]).
      if (!chosen) throw new SimError(TEXT_INSUFFICIENT_RESOURCES, 'ResourceUnavailable', 'startVm', 'OperationFailed');
      takenOn(partitionableNameOf(chosen.gpu.instanceId)).add(chosen.id);
      plan.push({ adapter: a, ...chosen });
    }
    for (const p of plan) {
      const gpuName = partitionableNameOf(p.gpu.instanceId);
      const index = s.gpus.indexOf(p.gpu);
      const low = fnv1a(`${vm.id}|${gpuName}|${p.id}`) % 1_000_000_000;
      p.adapter.resolved = { gpu: gpuName, partitionId: p.id, vfLuid: `${choices.VF_LUID_HIGH_BASE + index}-${low}` };
    }
  }

  startVm(server: string, name: string): void {
    const s = this.server(server, 'startVm', true);
    const vm = this.vm(s, name, 'startVm');
    if (vm.state === 'Running') return;
    if (vm.adapters.length) {
      // Group policies block GPU-P devices at start (§1.7 [COMMUNITY S46]).
      if (s.host.requireSecureDeviceAssignment || s.host.requireSupportedDeviceAssignment) {
        throw new SimError(TEXT_GROUP_POLICY(this.gpuPolicyName(s, vm)), 'PermissionDenied', 'startVm', 'OperationFailed');
      }
      // Automatic checkpoints at start are refused for GPU-P VMs (§1.7 [COMMUNITY S47, S48]).
      if (choices.AUTOMATIC_CHECKPOINT_BLOCKS_START && vm.automaticCheckpointsEnabled && vm.state === 'Off') {
        throw new SimError(TEXT_CHECKPOINT_GPUP, 'InvalidOperation', 'startVm', 'OperationFailed');
      }
      // Too little MMIO space -> insufficient resources (§1.7, §5 pain point 2 [S6]).
      if (vm.highMemoryMappedIoSpace < choices.MIN_HIGH_MMIO_BYTES) {
        throw new SimError(TEXT_INSUFFICIENT_RESOURCES, 'ResourceUnavailable', 'startVm', 'OperationFailed');
      }
      if (choices.GENERATION1_BLOCKS_START && vm.generation === 1) {
        throw new SimError(TEXT_INSUFFICIENT_RESOURCES, 'ResourceUnavailable', 'startVm', 'OperationFailed');
      }
      this.resolvePartitions(s, vm);
    }
    vm.state = 'Running';
    this.changed();
  }

  stopVm(server: string, name: string, options: { turnOff?: boolean; force?: boolean } = {}): void {
    const s = this.server(server, 'stopVm', true);
    const vm = this.vm(s, name, 'stopVm');
    if (vm.state === 'Off') return;
    if (vm.state === 'Saved' && !options.turnOff) {
      throw new SimError(choices.TEXT_SAVED_NEEDS_TURN_OFF(vm.name), 'InvalidOperation', 'stopVm', 'InvalidState');
    }
    vm.state = 'Off';
    if (choices.STOP_CLEARS_RESOLVED_PARTITION) for (const a of vm.adapters) delete a.resolved;
    this.changed();
  }

  checkpointVm(server: string, name: string): void {
    const s = this.server(server, 'checkpointVm', true);
    const vm = this.vm(s, name, 'checkpointVm');
    // Refused for GPU-P VMs (§1.7 [COMMUNITY S47]).
    if (vm.adapters.length) throw new SimError(TEXT_CHECKPOINT_GPUP, 'InvalidOperation', 'checkpointVm', 'OperationFailed');
    vm.checkpoints.push(`${vm.name} - (${new Date().toISOString()})`);
    this.changed();
  }

  // -------------------------------------------------------------------------------------------
  // GPU partition adapters

  getGpuPartitionAdapters(server: string, vmName: string): GpuPartitionAdapter[] {
    const s = this.server(server, 'getGpuPartitionAdapters', true);
    const vm = this.vm(s, vmName, 'getGpuPartitionAdapters');
    return vm.adapters.map((a) => this.adapterView(s, vm, a));
  }

  private requireOff(vm: SimVm, operation: string): void {
    // Add/Remove need the VM Off (§1.3 [S2, S8]); text is a choice.
    if (vm.state !== 'Off') throw new SimError(choices.TEXT_VM_NOT_OFF, 'InvalidOperation', operation, 'InvalidState');
  }

  addGpuPartitionAdapter(server: string, vmName: string, options: AddAdapterOptions = {}): GpuPartitionAdapter {
    const s = this.server(server, 'addGpuPartitionAdapter', true);
    const vm = this.vm(s, vmName, 'addGpuPartitionAdapter');
    this.requireOff(vm, 'addGpuPartitionAdapter');
    if (vm.adapters.length >= choices.MAX_ADAPTERS_PER_VM) {
      throw new SimError(choices.TEXT_TOO_MANY_ADAPTERS(vm.name, choices.MAX_ADAPTERS_PER_VM), 'InvalidOperation', 'addGpuPartitionAdapter', 'InvalidState');
    }
    if (!this.partitionableOf(s).length) {
      throw new SimError(choices.TEXT_NO_PARTITIONABLE_GPU, 'ObjectNotFound', 'addGpuPartitionAdapter');
    }
    const adapter: SimAdapter = { guid: randomUUID().toUpperCase() };
    if (options.instancePath !== undefined) {
      const gpu = this.gpuByName(s, options.instancePath);
      if (!gpu) throw new SimError(choices.TEXT_GPU_NOT_FOUND(options.instancePath), 'ObjectNotFound', 'addGpuPartitionAdapter', 'InvalidParameter');
      adapter.instancePath = partitionableNameOf(gpu.instanceId);
    }
    for (const k of RESOURCE_KEYS) if (options[k] !== undefined) adapter[k] = options[k];
    if (choices.OUTGOING_LM_FOLLOWS_IOMMU && s.host.osBuild >= 26100) adapter.supportsOutgoingLiveMigration = s.host.iommuDmaBitTracking;
    vm.adapters.push(adapter);
    this.changed();
    return this.adapterView(s, vm, adapter);
  }

  private findAdapter(s: SimServer, vm: SimVm, adapterId: string | undefined, operation: string): SimAdapter[] {
    const hits = adapterId === undefined ? [...vm.adapters] : vm.adapters.filter((a) => eq(this.adapterView(s, vm, a).id, adapterId));
    if (!hits.length) throw new SimError(TEXT_ADAPTER_NOT_FOUND, 'ObjectNotFound', operation, 'ObjectNotFound');
    return hits;
  }

  setGpuPartitionAdapter(server: string, vmName: string, adapterId: string | undefined, values: ResourceValues): GpuPartitionAdapter {
    const s = this.server(server, 'setGpuPartitionAdapter', true);
    const vm = this.vm(s, vmName, 'setGpuPartitionAdapter');
    const [adapter] = this.findAdapter(s, vm, adapterId, 'setGpuPartitionAdapter');
    if (choices.SET_ADAPTER_NEEDS_OFF) this.requireOff(vm, 'setGpuPartitionAdapter');
    for (const k of RESOURCE_KEYS) if (values[k] !== undefined) adapter[k] = values[k];
    this.changed();
    return this.adapterView(s, vm, adapter);
  }

  removeGpuPartitionAdapter(server: string, vmName: string, adapterId?: string): GpuPartitionAdapter[] {
    const s = this.server(server, 'removeGpuPartitionAdapter', true);
    const vm = this.vm(s, vmName, 'removeGpuPartitionAdapter');
    const hits = this.findAdapter(s, vm, adapterId, 'removeGpuPartitionAdapter');
    this.requireOff(vm, 'removeGpuPartitionAdapter');
    const views = hits.map((a) => this.adapterView(s, vm, a));
    vm.adapters = vm.adapters.filter((a) => !hits.includes(a));
    this.changed();
    return views;
  }

  // -------------------------------------------------------------------------------------------
  // Inventory

  /**
   * Composes the cmdlets as the inventory script does: per server, host facts, PnP GPUs joined with
   * partitionable GPUs (assignedStatus), VMs with their adapters and OfflineAction. A server that
   * fails becomes `Server.error`; the others still fill.
   */
  inventory(servers?: string[], connection = 'sim'): Inventory {
    const names = servers ?? this.state.servers.map((s) => s.name);
    return {
      connection,
      cluster: this.state.cluster?.name,
      servers: names.map((n) => this.inventoryServer(n)),
      readAt: new Date().toISOString(),
    };
  }

  private inventoryServer(name: string): Server {
    try {
      this.applyFail(name, 'inventory');
      const host = this.getHostFacts(name);
      const sim = this.findServer(name)!;
      const devices = this.getPnpDevices(name);
      const partitionable = host.hyperVInstalled ? this.getPartitionableGpus(name) : [];
      const gpus: Gpu[] = devices.map((device) => {
        const p = partitionable.find((g) => instanceIdOfPartitionableName(g.name) === device.instanceId.toUpperCase());
        if (p) return { device, partitionable: p, assignedStatus: 'Partitioned' };
        const simGpu = sim.gpus.find((g) => eq(g.instanceId, device.instanceId))!;
        return { device, assignedStatus: assignedStatusOf(sim, simGpu) };
      });
      const vms = host.hyperVInstalled ? this.getVms(name) : [];
      for (const vm of vms) {
        vm.adapters = this.getGpuPartitionAdapters(name, vm.name);
        const simVm = sim.vms.find((v) => eq(v.name, vm.name))!;
        if (simVm.clustered && this.state.cluster) {
          vm.offlineAction = Number(this.getClusterParameter(choices.clusterResourceName(vm.name), 'OfflineAction').value) as OfflineAction;
        }
      }
      return { name: sim.name, gpus, vms, host };
    } catch (e) {
      return { name, gpus: [], vms: [], error: (e as Error).message };
    }
  }
}
