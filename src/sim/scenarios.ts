/**
 * Built-in scenarios (names fixed in /work/briefs/names.md): demo, mixed, not-ready, large.
 * Ids are derived from names with a hash so every build of a scenario is identical (stable
 * screenshots and tests). Resolved partitions are made by running the world's own rules (stop,
 * add adapter, start), never written by hand.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { gpuModel } from './catalog';
import { HEALTHY_HOST_DRIVER_VERSION } from './choices';
import { parseState, partitionableNameOf, type SimAdapter, type SimGpu, type SimHostFacts, type SimServer, type SimState, type SimVm } from './state';
import { SimWorld } from './world';
import type { OfflineAction, VmState } from '../model/types';

export const SCENARIOS: readonly string[] = ['demo', 'mixed', 'not-ready', 'large'];

const GiB = 1024n * 1024n * 1024n;
const MiB = 1024n * 1024n;

/** A GUID made from a seed (lower case). */
export function guidFrom(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Healthy WS2025 / Azure Local host (§1.10 [S3, S8]). The NVIDIA host driver is of a vGPU 18+ branch
 * (live migration of GPU-P VMs needs vGPU 18, §1.10 [S3]); the version is a choice (choices.ts).
 */
function healthyHost(): SimHostFacts {
  return {
    osCaption: 'Microsoft Azure Stack HCI',
    osBuild: 26100,
    hyperVInstalled: true,
    iommuDmaBitTracking: true,
    requireSecureDeviceAssignment: false,
    requireSupportedDeviceAssignment: false,
    hostDriverVersion: HEALTHY_HOST_DRIVER_VERSION,
  };
}

/** The NVIDIA host driver of the REST example [S22] (31.0.15.5160 = 551.60, vGPU 17): too old for live migration. */
const VGPU17_HOST_DRIVER_VERSION = '31.0.15.5160';

function gpu(modelKey: string, serverName: string, index: number, partitionCount?: number): SimGpu {
  const m = gpuModel(modelKey);
  const h = createHash('sha1').update(`${serverName}/${index}`).digest('hex').slice(0, 8).toUpperCase();
  return {
    model: m.key,
    instanceId: `PCI\\VEN_${m.vendorId}&DEV_${m.deviceId}&SUBSYS_${m.subsysId}&REV_${m.revision}\\4&${h}&0&00${index}0`,
    friendlyName: m.friendlyName,
    manufacturer: m.manufacturer,
    pnpStatus: 'OK',
    pnpClass: 'Display',
    driver: 'vgpu',
    sriovEnabled: true,
    pciExpress: true,
    partitionCount: partitionCount ?? m.validPartitionCounts[0],
    supportsIncomingLiveMigration: true,
  };
}

interface VmOptions {
  adapter?: boolean;
  generation?: number;
  automaticCheckpointsEnabled?: boolean;
  highMmio?: bigint;
  offlineAction?: OfflineAction;
  clustered?: boolean;
}

/** A GPU-P-ready VM: Gen 2, checkpoints off, 32 GB high MMIO (§1.8 community guidance [COMMUNITY S26]). */
function vm(serverName: string, name: string, state: VmState, o: VmOptions = {}): SimVm {
  const id = guidFrom(`${serverName}/${name}`);
  const adapters: SimAdapter[] = o.adapter ? [{ guid: guidFrom(`${serverName}/${name}/adapter`).toUpperCase(), supportsOutgoingLiveMigration: true }] : [];
  return {
    name,
    id,
    state,
    generation: o.generation ?? 2,
    automaticCheckpointsEnabled: o.automaticCheckpointsEnabled ?? false,
    lowMemoryMappedIoSpace: 3n * GiB,
    highMemoryMappedIoSpace: o.highMmio ?? 32n * GiB,
    clustered: o.clustered ?? true,
    offlineAction: o.offlineAction ?? 1,
    checkpoints: [],
    adapters,
  };
}

function server(name: string, gpus: SimGpu[], vms: SimVm[], host: Partial<SimHostFacts> = {}): SimServer {
  return { name, nodeState: 'Up', host: { ...healthyHost(), ...host }, gpus, vms };
}

/** Starts `vmName` through the world's rules (resolving its partition), pinned to `gpuIndex` if given. */
function runWithPartition(state: SimState, serverName: string, vmName: string, gpuIndex?: number): void {
  const world = new SimWorld(state);
  const s = state.servers.find((x) => x.name === serverName)!;
  const v = s.vms.find((x) => x.name === vmName)!;
  if (v.state !== 'Off') world.stopVm(serverName, vmName, { turnOff: true });
  if (!v.adapters.length) v.adapters.push({ guid: guidFrom(`${serverName}/${vmName}/adapter`).toUpperCase(), supportsOutgoingLiveMigration: true });
  if (gpuIndex !== undefined) {
    // Resolve on the chosen GPU through a temporary pin, then drop it (no InstancePath, as WAC assigns).
    const name = world.getPartitionableGpus(serverName)[gpuIndex].name;
    v.adapters[0].instancePath = name;
    world.startVm(serverName, vmName);
    delete v.adapters[0].instancePath;
  } else {
    world.startVm(serverName, vmName);
  }
}

/**
 * The demo passes every prerequisite check: VMs that got an adapter also got OfflineAction 3, as
 * WAC's "Configure offline action for force shutdown" does on assign (§1.9 [S2, S4]); the others
 * keep the default 1 (names.md).
 */
const gpuVm: VmOptions = { adapter: true, offlineAction: 3 };

function demo(): SimState {
  const names = ['AZL-N01', 'AZL-N02', 'AZL-N03', 'AZL-N04'];
  const vmsOf: Record<string, SimVm[]> = {
    'AZL-N01': [
      vm('AZL-N01', 'cad-ws-01', 'Running'),
      vm('AZL-N01', 'cad-ws-02', 'Running'),
      vm('AZL-N01', 'render-01', 'Off', gpuVm),
      vm('AZL-N01', 'archive-01', 'Saved'),
    ],
    'AZL-N02': [vm('AZL-N02', 'vdi-01', 'Running'), vm('AZL-N02', 'vdi-02', 'Off', gpuVm), vm('AZL-N02', 'build-01', 'Off')],
    'AZL-N03': [vm('AZL-N03', 'ml-train-01', 'Off', gpuVm), vm('AZL-N03', 'web-01', 'Running')],
    'AZL-N04': [vm('AZL-N04', 'sql-01', 'Running'), vm('AZL-N04', 'kiosk-01', 'Off', gpuVm), vm('AZL-N04', 'test-01', 'Off')],
  };
  return {
    version: 1,
    cluster: { name: 'azl-demo' },
    servers: names.map((n) => server(n, [gpu('A2', n, 0), gpu('A2', n, 1)], vmsOf[n])),
    faults: [],
  };
}

function mixed(): SimState {
  const state = demo();
  // AZL-N04's GPUs differ (count 8): the "not all the GPUs … have the same configuration" warning (§2 [S2]).
  for (const g of state.servers[3].gpus) g.partitionCount = 8;
  // cad-ws-01 holds a resolved partition on AZL-N01's first GPU: the "already assigned" error (§2 [S2]).
  runWithPartition(state, 'AZL-N01', 'cad-ws-01', 0);
  return state;
}

function notReady(): SimState {
  const s1 = 'AZL-R01';
  const s2 = 'AZL-R02';
  const s3 = 'AZL-R03';
  const s4 = 'AZL-R04';
  const s5 = 'AZL-R05';
  const s6 = 'AZL-R06';
  const s7 = 'AZL-R07';

  // R01: Windows Server 2022 (build 20348 < 26100), IOMMU DMA bit tracking off; A2 at 16.
  const r01 = server(s1, [gpu('A2', s1, 0), gpu('A2', s1, 1)], [vm(s1, 'legacy-app-01', 'Running')], {
    osCaption: 'Microsoft Windows Server 2022 Datacenter',
    osBuild: 20348,
    iommuDmaBitTracking: false,
    hostDriverVersion: '30.0.15.1215',
  });
  for (const g of r01.gpus) delete g.supportsIncomingLiveMigration; // absent before 26100 (§1.1)

  // R02: Hyper-V role missing.
  const r02 = server(s2, [gpu('A2', s2, 0)], [], { hyperVInstalled: false });

  // R03: a non-matching GPU model (L4) and a HyperV group policy set (§1.7 [COMMUNITY S46]).
  // Its host driver is of the vGPU 17 branch (551.60): too old for live migration (§1.10 [S3]).
  const r03 = server(s3, [gpu('L4', s3, 0, 4)], [vm(s3, 'inference-01', 'Off', { adapter: true })], {
    requireSecureDeviceAssignment: true,
    hostDriverVersion: VGPU17_HOST_DRIVER_VERSION,
  });

  // R04: no partitionable GPU: no host driver, "3D Video Controller" in Error (§3 [S16]).
  const noDriver = gpu('A2', s4, 0);
  Object.assign(noDriver, { friendlyName: '3D Video Controller', manufacturer: '(Standard display types)', pnpStatus: 'Error', driver: 'none' });
  const r04 = server(s4, [noDriver], [vm(s4, 'file-01', 'Running')]);

  // R05: the three non-Partitioned statuses (§2 [S2]): datacenter driver -> ReadyForDDA, SR-IOV off ->
  // Paravirtualization, older PCI-style device -> NotAssignable.
  const dda = Object.assign(gpu('A2', s5, 0), { driver: 'datacenter' as const });
  const paravirt = Object.assign(gpu('A2', s5, 1), { sriovEnabled: false });
  const notAssignable = Object.assign(gpu('A2', s5, 2), { pciExpress: false });
  const r05 = server(s5, [dda, paravirt, notAssignable], [vm(s5, 'dev-01', 'Off')]);

  // R06: partition count 4 (differs from R01's 16); one GPU cannot take incoming live migrations;
  // VM prerequisites broken: Gen 1 with an adapter, automatic checkpoints on, MMIO at the 512 MB default
  // (§1.8 [S15]), a clustered GPU VM at OfflineAction 1 (Save, the default §1.9).
  const g6b = gpu('A2', s6, 1, 4);
  g6b.supportsIncomingLiveMigration = false;
  const r06 = server(
    s6,
    [gpu('A2', s6, 0, 4), g6b],
    [
      vm(s6, 'gen1-app-01', 'Off', { adapter: true, generation: 1 }),
      vm(s6, 'ckpt-app-01', 'Off', { adapter: true, automaticCheckpointsEnabled: true }),
      vm(s6, 'small-mmio-01', 'Off', { adapter: true, highMmio: 512n * MiB }),
      vm(s6, 'saver-01', 'Running', { offlineAction: 1 }),
      vm(s6, 'ok-gpu-01', 'Off', { adapter: true, offlineAction: 3 }),
      vm(s6, 'no-lm-01', 'Running', { offlineAction: 3 }),
      // moved-01 was moved here from AZL-R01 with its adapter still pinned (InstancePath) to a GPU of
      // AZL-R01: an orphaned adapter ("the VM and the GPU partition need to be on the same host", §1.3 [S2, S4]).
      { ...vm(s6, 'moved-01', 'Off', { offlineAction: 3 }), adapters: [{ guid: guidFrom(`${s6}/moved-01/adapter`).toUpperCase(), instancePath: partitionableNameOf(r01.gpus[0].instanceId), supportsOutgoingLiveMigration: true }] },
    ],
  );
  // R07: a cluster node that is down: it cannot be read (the server-reachable check fails on it).
  const r07 = server(s7, [gpu('A2', s7, 0)], []);
  r07.nodeState = 'Down';
  const state: SimState = { version: 1, cluster: { name: 'azl-lab' }, servers: [r01, r02, r03, r04, r05, r06, r07], faults: [] };
  // saver-01 runs with a partition and keeps the default OfflineAction 1.
  runWithPartition(state, s6, 'saver-01');
  // no-lm-01 runs with a partition whose adapter reports SupportsOutgoingLiveMigration False (§1.4, §1.10 [S1]).
  runWithPartition(state, s6, 'no-lm-01');
  r06.vms.find((v) => v.name === 'no-lm-01')!.adapters[0].supportsOutgoingLiveMigration = false;
  return state;
}

/**
 * `large` (16 servers); other sizes of the same shape for the benchmark (issue 6: 1, 4, 16, 64),
 * from `createLargeScenario(n)`. Names stay AZL-L01.. and vm-NN-MM up to 99 servers.
 */
function large(count = 16): SimState {
  if (!Number.isInteger(count) || count < 1 || count > 99) throw new Error(`A large scenario has 1 to 99 servers, not ${count}.`);
  const servers: SimServer[] = [];
  for (let i = 1; i <= count; i++) {
    const n = `AZL-L${String(i).padStart(2, '0')}`;
    const vms: SimVm[] = [];
    for (let j = 1; j <= 32; j++) {
      const name = `vm-${String(i).padStart(2, '0')}-${String(j).padStart(2, '0')}`;
      // 1-20 run with a partition, 21-24 run without, 25-28 are Off with a pending adapter, 29-32 Off.
      // The running GPU-P VMs got OfflineAction 3 when they were assigned (WAC's checkbox, §1.9 [S2, S4]).
      if (j <= 20) vms.push(vm(n, name, 'Off', { adapter: true, offlineAction: 3 }));
      else if (j <= 24) vms.push(vm(n, name, 'Running'));
      else if (j <= 28) vms.push(vm(n, name, 'Off', { adapter: true }));
      else vms.push(vm(n, name, 'Off'));
    }
    // Four GPUs per server: one NVIDIA A16 board (four GPUs), at 8 partitions each.
    servers.push(server(n, [0, 1, 2, 3].map((k) => gpu('A16', n, k, 8)), vms));
  }
  const state: SimState = { version: 1, cluster: { name: 'azl-large' }, servers, faults: [] };
  const world = new SimWorld(state);
  for (const s of servers) for (let j = 1; j <= 20; j++) world.startVm(s.name, s.vms[j - 1].name);
  return state;
}

const BUILDERS: Record<string, () => SimState> = { demo, mixed, 'not-ready': notReady, large: () => large() };

/** The `large` scenario with `servers` servers (1-99) instead of 16: same GPUs and VMs per server. */
export function createLargeScenario(servers: number): SimState {
  return large(servers);
}

/** A fresh state of a built-in scenario; throws on an unknown name, listing the valid ones. */
export function createScenario(name: string): SimState {
  const b = BUILDERS[name];
  if (!b) throw new Error(`Unknown simulator scenario '${name}'. Valid scenarios: ${SCENARIOS.join(', ')}.`);
  return b();
}

/** A scenario name, or the path of a JSON state file. */
export function loadState(scenarioOrFile: string): SimState {
  if (SCENARIOS.includes(scenarioOrFile)) return createScenario(scenarioOrFile);
  if (!fs.existsSync(scenarioOrFile)) {
    throw new Error(`'${scenarioOrFile}' is neither a simulator scenario (${SCENARIOS.join(', ')}) nor an existing state file.`);
  }
  return parseState(fs.readFileSync(scenarioOrFile, 'utf8'), scenarioOrFile);
}
