/**
 * The HTTP bridge between the PowerShell emulation module (src/sim/ps/HyperVEmulation.psm1) and
 * the one SimWorld: the module's functions are shaped like the real cmdlets, and each one calls a
 * SimWorld method here, so the rules live once (architecture.md, "One source of truth").
 *
 * POST /call  { op, args }              -> { ok: true, result } | { ok: false, error }
 * POST /batch { calls: [{ op, args }] } -> { ok: true, result: [ each as above ] }
 * Bearer token per bridge; 127.0.0.1 only; bigint as decimal strings.
 *
 * Latency: a call naming a remote host waits `latencyMs` first (one simulated WinRM/CIM round trip;
 * the performance issue needs it; default GPUP_SIM_LATENCY_MS, else 0). A request may say where it
 * comes `from` (the node an emulated Invoke-Command session runs on): a call to that host, or a
 * cluster call from a cluster node, is local and waits nothing. The world's 'delay' and 'hang' faults are awaited here,
 * asynchronously, so a hung host blocks only its own request.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DATACENTER_DRIVER_INF, SRIOV_SUPPORT_WHEN_OFF } from './choices';
import { awaitFault } from './faults';
import { SimError } from './errors';
import { GuestCheckError, simGuestAnswer } from './guest';
import { TEXT_GUEST_VM_NOT_RUNNING } from './choices';
import { RESOURCE_KEYS, type SimGpu } from './state';
import type { SimWorld } from './world';

export interface SimBridgeOptions {
  /** Per-call latency for calls naming a remote host (ms). Default: env GPUP_SIM_LATENCY_MS, else 0. */
  latencyMs?: number;
  /** A host that is "local" (no latency); default none: the client is not a cluster node. */
  localHost?: string;
  signal?: AbortSignal;
  /** Called for every call (tests count round trips). */
  onCall?: (op: string, args: unknown[]) => void;
  /** Called after each simulated network wait, with its start and end (performance.now()): the benchmark measures how much of a read is spent waiting on the network. */
  onLatency?: (start: number, end: number) => void;
}

export interface SimBridge {
  url: string;
  token: string;
  close(): Promise<void>;
}

/** Ops whose first argument is a server name (a -ComputerName). */
const SERVER_OPS = new Set([
  'getPartitionableGpus',
  'setPartitionCount',
  'getPnpDevices',
  'getPnpDeviceProperties',
  'getVms',
  'startVm',
  'stopVm',
  'getGpuPartitionAdapters',
  'addGpuPartitionAdapter',
  'setGpuPartitionAdapter',
  'removeGpuPartitionAdapter',
  'checkpointVm',
  'getHostFacts',
  'enterSession',
  'enterVmSession',
  'guestNvidiaSmi',
]);
const CLUSTER_OPS = new Set(['getClusterNodes', 'getClusterName', 'getClusterResource', 'getClusterResources', 'getClusterParameter', 'setClusterParameter']);

const RESOURCE_KEY_SET = new Set<string>(RESOURCE_KEYS);

/**
 * Device properties the inventory script reads with Get-PnpDeviceProperty to tell the four WAC
 * assigned states apart (see src/hyperv/assignedStatus.ts). They expose the simulated GPU's facts
 * (PCI Express, SR-IOV, driver) in the shape Windows uses; not a rule, a view of state.
 * - DEVPKEY_PciDevice_ExpressSpecVersion: the PCIe capability version (absent on a PCI device).
 * - DEVPKEY_PciDevice_SriovSupport: 0 = DevProp_PciDevice_SriovSupport_Ok; the value for SR-IOV
 *   off in the BIOS is UNCONFIRMED: choices.SRIOV_SUPPORT_WHEN_OFF.
 * - DEVPKEY_Device_DriverInfPath: the INF (domain doc §3: vGPU host driver nvgridswhci.inf [S16];
 *   mitigation driver nvidia_azure_stack_<model>_base.inf [S16]; the datacenter INF name is
 *   UNCONFIRMED: choices.DATACENTER_DRIVER_INF). A real host shows oemNN.inf here; see assignedStatus.ts.
 */
function pnpProperties(gpu: SimGpu, driverVersion: string): Record<string, string | number | string[]> {
  const out: Record<string, string | number | string[]> = {};
  // Every simulated device is a GPU: PCI base class 03 (display controller), subclass 02 (3D).
  out.DEVPKEY_Device_CompatibleIds = ['PCI\\CC_030200', 'PCI\\CC_0302'];
  if (gpu.pciExpress) out.DEVPKEY_PciDevice_ExpressSpecVersion = 2;
  out.DEVPKEY_PciDevice_SriovSupport = gpu.sriovEnabled ? 0 : SRIOV_SUPPORT_WHEN_OFF;
  const inf: Record<string, string | undefined> = {
    vgpu: 'nvgridswhci.inf',
    mitigation: `nvidia_azure_stack_${gpu.model.toLowerCase()}_base.inf`,
    datacenter: DATACENTER_DRIVER_INF,
    none: undefined,
  };
  const i = inf[gpu.driver];
  if (i !== undefined) {
    out.DEVPKEY_Device_DriverInfPath = i;
    if (driverVersion) out.DEVPKEY_Device_DriverVersion = driverVersion;
  }
  return out;
}

function jsonReplacer(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

function toBigIntValues(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    out[k] = RESOURCE_KEY_SET.has(k) && v !== null && v !== undefined ? BigInt(v as string | number) : v;
  }
  return out;
}

/**
 * What an emulated remote session may know of its node when it starts (issue 6): the answers of the
 * read operations its cmdlets would otherwise ask for one bridge call at a time, each computed by
 * the same world method and `callWorld` case as the live call. The emulation plays every node of a
 * cluster in one local pwsh, where ~10 bridge calls per node cost more CPU than the node's read;
 * on a real node those cmdlets are local calls. A section is left out when its read fails (the
 * cmdlet then asks live and gets the error as before); no snapshot at all while any fault is active,
 * so fault injection (fail, delay, hang, `times`) behaves exactly as without snapshots.
 * The module drops the snapshot at the session's first write (HyperVEmulation.psm1).
 */
function sessionSnapshot(world: SimWorld, host: string, isCluster: boolean): Record<string, unknown> | null {
  if (world.hasActiveFaults()) return null;
  const out: Record<string, unknown> = {};
  const section = (key: string, f: () => unknown): void => {
    try {
      out[key] = f();
    } catch {
      // Left out: the cmdlet reads it live and reports the simulator's error.
    }
  };
  if (isCluster) {
    section('clusterName', () => callWorld(world, 'getClusterName', []));
    section('clusterNodes', () => callWorld(world, 'getClusterNodes', [null]));
    // The two parameters inventory.ps1 reads of each VM role (§1.9 [S17]); any other goes live.
    section('clusterRoles', () => world.getClusterRoles(['OfflineAction', 'VmID']));
    const roles = out.clusterRoles as ReturnType<SimWorld['getClusterRoles']> | undefined;
    delete out.clusterRoles;
    if (roles) {
      out.clusterResources = roles.map((r) => r.resource);
      out.clusterParameters = Object.fromEntries(roles.map((r) => [r.resource.name, r.parameters]));
    }
    return out;
  }
  section('hostFacts', () => callWorld(world, 'getHostFacts', [host]));
  let devices: { instanceId: string }[] | undefined;
  section('pnpDevices', () => (devices = callWorld(world, 'getPnpDevices', [host, null]) as { instanceId: string }[]));
  if (devices) {
    const ids = devices.map((d) => d.instanceId);
    section('pnpProperties', () => callWorld(world, 'getPnpDeviceProperties', [host, ids]));
  }
  section('gpus', () => callWorld(world, 'getPartitionableGpus', [host, null]));
  let vms: Record<string, unknown>[] | undefined;
  section('vms', () => {
    vms = callWorld(world, 'getVms', [host, null]) as Record<string, unknown>[];
    return vms.map(({ adapters: _adapters, ...v }) => v);
  });
  if (vms) {
    section('adapters', () => {
      const byVm: Record<string, unknown> = {};
      for (const v of vms as { name: string }[]) byVm[v.name] = callWorld(world, 'getGpuPartitionAdapters', [host, v.name]);
      return byVm;
    });
  }
  return out;
}

function callWorld(world: SimWorld, op: string, args: unknown[]): unknown {
  const a = args as never[];
  const str = (i: number): string => {
    if (typeof args[i] !== 'string') throw new SimError(`Argument ${i + 1} of ${op} must be a string.`, 'InvalidArgument', op);
    return args[i] as string;
  };
  const optStr = (i: number): string | undefined => (args[i] === undefined || args[i] === null ? undefined : str(i));
  switch (op) {
    case 'getClusterNodes':
      return world.getClusterNodes(optStr(0));
    case 'getClusterName':
      return world.getClusterName() ?? null;
    case 'getClusterResource':
      return world.getClusterResource(str(0));
    case 'getClusterResources': {
      // Get-ClusterResource without -Name lists every resource: the VM roles (a view of state, each read through the world).
      world.getClusterNodes();
      const out: unknown[] = [];
      for (const s of world.state.servers) {
        for (const v of s.vms) {
          if (!v.clustered) continue;
          try {
            out.push(world.getClusterResource(v.name));
          } catch {
            // A resource whose owner cannot be read (an injected fault) is left out, not the whole list.
          }
        }
      }
      return out;
    }
    case 'enterSession': {
      // Invoke-Command -ComputerName: the server itself (reachability through the world, so 'Down'
      // and injected faults apply), or for the cluster's name the first Up node (the one that owns
      // the cluster name's address; which one is a choice, the scripts must not depend on it).
      // With a second argument `true` the answer is { host, snapshot } (see sessionSnapshot).
      const name = str(0);
      const cluster = world.state.cluster?.name;
      const isCluster = cluster !== undefined && cluster.toUpperCase() === name.toUpperCase();
      let host: string;
      if (isCluster) {
        const up = world.getClusterNodes().find((n) => n.state === 'Up');
        if (!up) throw new SimError(`Connecting to remote server ${name} failed: no node of the cluster is up.`, 'ResourceUnavailable', op);
        host = up.name;
      } else {
        world.getHostFacts(name);
        host = world.state.servers.find((s) => s.name.toUpperCase() === name.toUpperCase())?.name ?? name;
      }
      return args[1] === true ? { host, snapshot: sessionSnapshot(world, host, isCluster) } : host;
    }
    case 'enterVmSession': {
      // Invoke-Command -VMName (PowerShell Direct), run on the host of the VM: the VM must exist there
      // and be Running (a guest OS to talk to). Returns the VM's name as Hyper-V spells it.
      const vm = world.getVms(str(0), str(1))[0];
      if (vm.state !== 'Running') throw new SimError(TEXT_GUEST_VM_NOT_RUNNING(vm.name), 'InvalidOperation', op);
      return vm.name;
    }
    case 'guestNvidiaSmi': {
      // `nvidia-smi -q -x` inside the VM (the emulated PowerShell Direct session calls this): the
      // simulator's guest answer (src/sim/guest.ts), which fails like a real guest when the VM is not
      // Running or holds no partition (no NVIDIA device for the driver).
      const inv = world.inventory([str(0)]);
      const server = inv.servers.find((s) => s.name.toUpperCase() === str(0).toUpperCase());
      const vm = server?.vms.find((v) => v.name.toUpperCase() === str(1).toUpperCase());
      if (!server || !vm) throw new SimError(`Hyper-V was unable to find a virtual machine with name "${str(1)}".`, 'ObjectNotFound', op);
      try {
        return simGuestAnswer(server, vm);
      } catch (e) {
        if (e instanceof GuestCheckError) throw new SimError(e.message, 'InvalidOperation', op);
        throw e;
      }
    }
    case 'getLocalHost':
      // The node a cmdlet without -ComputerName talks to: the first server (the "local" node).
      return world.state.servers[0]?.name ?? null;
    case 'getClusterParameter':
      return world.getClusterParameter(str(0), str(1));
    case 'setClusterParameter':
      world.setClusterParameter(str(0), str(1), Number(args[2]));
      return null;
    case 'getHostFacts':
      return world.getHostFacts(str(0));
    case 'getPnpDevices':
      return world.getPnpDevices(str(0), optStr(1));
    case 'getPnpDeviceProperties': {
      // Reads the device list through the world first, so faults and reachability apply.
      const devices = world.getPnpDevices(str(0));
      const server = world.state.servers.find((s) => s.name.toUpperCase() === str(0).toUpperCase());
      const wanted = (Array.isArray(args[1]) ? (args[1] as unknown[]) : [args[1]]).map((x) => String(x).toUpperCase());
      return devices
        .filter((d) => wanted.includes(d.instanceId.toUpperCase()))
        .map((d) => {
          const g = server?.gpus.find((x) => x.instanceId.toUpperCase() === d.instanceId.toUpperCase());
          return { instanceId: d.instanceId, properties: g && server ? pnpProperties(g, server.host.hostDriverVersion) : {} };
        });
    }
    case 'getPartitionableGpus':
      return world.getPartitionableGpus(str(0), optStr(1));
    case 'setPartitionCount':
      return world.setPartitionCount(str(0), str(1), Number(args[2]));
    case 'getVms':
      return world.getVms(str(0), optStr(1));
    case 'startVm':
      world.startVm(str(0), str(1));
      return null;
    case 'stopVm':
      world.stopVm(str(0), str(1), (args[2] ?? {}) as { turnOff?: boolean; force?: boolean });
      return null;
    case 'checkpointVm':
      world.checkpointVm(str(0), str(1));
      return null;
    case 'getGpuPartitionAdapters':
      return world.getGpuPartitionAdapters(str(0), str(1));
    case 'addGpuPartitionAdapter':
      return world.addGpuPartitionAdapter(str(0), str(1), toBigIntValues((args[2] ?? {}) as Record<string, unknown>));
    case 'setGpuPartitionAdapter':
      return world.setGpuPartitionAdapter(str(0), str(1), optStr(2), toBigIntValues((args[3] ?? {}) as Record<string, unknown>));
    case 'removeGpuPartitionAdapter':
      return world.removeGpuPartitionAdapter(str(0), str(1), optStr(2));
    default:
      void a;
      throw new SimError(`Unknown operation '${op}'.`, 'InvalidArgument', op);
  }
}

type Answer = { ok: true; result: unknown } | { ok: false; error: { message: string; category: string; fullyQualifiedErrorId: string } };

function errorAnswer(e: unknown, op: string): Answer {
  if (e instanceof SimError) {
    return { ok: false, error: { message: e.message, category: e.category, fullyQualifiedErrorId: e.fullyQualifiedErrorId } };
  }
  return { ok: false, error: { message: (e as Error)?.message ?? String(e), category: 'NotSpecified', fullyQualifiedErrorId: `SimBridge,${op}` } };
}

export async function startSimBridge(world: SimWorld, options: SimBridgeOptions = {}): Promise<SimBridge> {
  const token = randomBytes(24).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  const closing = new AbortController();
  options.signal?.addEventListener('abort', () => closing.abort(), { once: true });
  const envLatency = Number(process.env.GPUP_SIM_LATENCY_MS);
  const latency = options.latencyMs ?? (Number.isFinite(envLatency) && envLatency > 0 ? envLatency : 0);
  const same = (a: string, b: string): boolean => a.toUpperCase() === b.toUpperCase();
  const hostOf = (op: string, args: unknown[]): string | undefined =>
    SERVER_OPS.has(op) && typeof args[0] === 'string' ? (args[0] as string) : CLUSTER_OPS.has(op) ? (world.state.cluster?.name ?? '*') : undefined;
  const isRemote = (op: string, host: string | undefined, from: string | undefined): boolean => {
    if (host === undefined) return false;
    const local = from ?? options.localHost;
    if (local === undefined) return true;
    // A cluster call made on a cluster node is answered by that node's cluster service.
    if (CLUSTER_OPS.has(op)) return !world.state.servers.some((s) => same(s.name, local));
    return !same(host, local);
  };

  const wait = async (): Promise<void> => {
    const start = performance.now();
    await sleep(latency, closing.signal);
    options.onLatency?.(start, performance.now());
  };

  const one = async (op: unknown, rawArgs: unknown, applyLatency = true, from?: string): Promise<Answer> => {
    if (typeof op !== 'string') return errorAnswer(new Error('op must be a string'), 'call');
    const args = Array.isArray(rawArgs) ? rawArgs : rawArgs === undefined ? [] : [rawArgs];
    options.onCall?.(op, args);
    const host = hostOf(op, args);
    try {
      if (applyLatency && latency > 0 && isRemote(op, host, from)) await wait();
      if (host !== undefined) {
        // 'getPnpDeviceProperties' is a view of getPnpDevices: it shares that operation's faults.
        await awaitFault(world.faultFor(host, op === 'getPnpDeviceProperties' ? 'getPnpDevices' : op), closing.signal);
      }
      return { ok: true, result: callWorld(world, op, args) };
    } catch (e) {
      return errorAnswer(e, op);
    }
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const auth = Buffer.from(String(req.headers.authorization ?? ''));
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
      res.writeHead(401).end();
      return;
    }
    if (req.method !== 'POST' || (req.url !== '/call' && req.url !== '/batch')) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        let body: { op?: unknown; args?: unknown; calls?: unknown; from?: unknown };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(errorAnswer(new Error('malformed JSON body'), 'call')));
          return;
        }
        let answer: Answer;
        const from = typeof body.from === 'string' && body.from !== '' ? body.from : undefined;
        if (req.url === '/batch') {
          const calls = Array.isArray(body.calls) ? (body.calls as { op?: unknown; args?: unknown }[]) : [];
          // A batch is one simulated round trip (the emulation batches what a real cmdlet does in one
          // remote call, e.g. Get-ClusterParameter over many piped resources); none when all of it is local.
          const remote = calls.some((c) => typeof c.op === 'string' && isRemote(c.op, hostOf(c.op, Array.isArray(c.args) ? c.args : []), from));
          if (latency > 0 && remote) await wait().catch(() => undefined);
          const results: Answer[] = [];
          for (const c of calls) results.push(await one(c.op, c.args, false));
          answer = { ok: true, result: results };
        } else {
          answer = await one(body.op, body.args, true, from);
        }
        if (!res.destroyed) {
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer, jsonReplacer));
        }
      })();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    closing.abort();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  options.signal?.addEventListener('abort', () => void close(), { once: true });
  return { url: `http://127.0.0.1:${port}`, token, close };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('bridge closed'));
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new Error('bridge closed'));
    };
    // The listener goes when the wait ends: a bridge serves thousands of waits on one signal.
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
