/**
 * `npm run bench [-- --json] [--sizes 1,4,16,64] [--latency 50] [--warmup 10] [--warm 5] [--cold 3] [--naive 3]`
 * (issue 6; NOT part of `npm test`: it takes minutes and its figures depend on the machine).
 *
 * Measures, on this machine, against the PowerShell emulation of a cluster whose every remote call
 * costs `--latency` ms (the bridge's per-call latency, as GPUP_SIM_LATENCY_MS):
 * - warm inventory: HyperVBackend over one long-lived pwsh (the extension's case), median of --warm;
 * - cold inventory: a new pwsh process each time (start + first read), median of --cold;
 * - the naive pattern in the same run: a new pwsh process per cmdlet per host, one after another
 *   (`pwsh -NoProfile -Command "Import-Module <emulation>; <cmdlet> | ConvertTo-Json"`), median of
 *   --naive runs (ONE run at 64 servers, where one run is hundreds of processes);
 * - the pipe overhead (an empty script through the warm runner) and one simulated remote round trip
 *   (an emulated `Invoke-Command -ComputerName <node> { }` timed inside pwsh);
 * - peak memory (node maxRSS; pwsh VmHWM from /proc/<pid>/status), the minified extension bundle
 *   (`node esbuild.mjs --production`), and the demo tree painted in-process (SimBackend inventory
 *   through the InventoryStore + every tree item built by the pure presentation functions).
 * Targets (issue 6) are evaluated and printed; the exit code is 0 either way (figures, not a test).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InventoryStore } from '../src/connections/inventoryStore';
import { HyperVBackend } from '../src/hyperv/hypervBackend';
import { createLargeScenario, createScenario } from '../src/sim/scenarios';
import { startSimBridge, type SimBridge } from '../src/sim/server';
import { SimBackend } from '../src/sim/simBackend';
import { SimWorld } from '../src/sim/world';
import { BusyRegistry } from '../src/tree/busyRegistry';
import { childNodes, presentNode, rootNodes, type PresentationContext, type TreeNode } from '../src/tree/presentation';

const ROOT = path.resolve(__dirname, '..');
const SCRIPTS_DIR = path.join(ROOT, 'src', 'hyperv', 'scripts');
const EMULATION = path.join(ROOT, 'src', 'sim', 'ps', 'HyperVEmulation.psd1');

// ---- options ------------------------------------------------------------------------------------
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const json = process.argv.includes('--json');
const sizes = (arg('sizes') ?? '1,4,16,64').split(',').map(Number);
const latencyMs = Number(arg('latency') ?? process.env.GPUP_SIM_LATENCY_MS ?? 50);
const warmRuns = Number(arg('warm') ?? 5);
/**
 * Unmeasured reads before the warm ones: the extension's PowerShell process lives as long as the
 * connection, so "warm" is its steady state. .NET's tiered JIT (and PowerShell's own script-block
 * compiler) keep optimising for the first ~10-25 reads; measuring after one read measured that.
 */
const warmupRuns = Number(arg('warmup') ?? 10);
const coldRuns = Number(arg('cold') ?? 3);
const naiveRuns = Number(arg('naive') ?? 3);
/** Sizes above this get ONE naive run (16 servers = 82 processes); above --naive-max none: an estimate. */
const naiveMax = Number(arg('naive-max') ?? 16);
const pwshPath = arg('pwsh') ?? process.env.GPUP_PWSH ?? path.join(ROOT, '.cache', 'pwsh', 'pwsh');

const log = (s: string): void => {
  if (!json) process.stderr.write(`${s}\n`);
  else process.stderr.write(`[bench] ${s}\n`);
};

// ---- helpers ------------------------------------------------------------------------------------
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : Math.round(((s[m - 1] + s[m]) / 2) * 10) / 10;
}
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

function vmHwmMiB(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

/** CPU time (user + system) of a process so far, in ms, from /proc/<pid>/stat (Linux; undefined elsewhere). */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces, inside parentheses): utime is 14th, stime 15th overall.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]);
    return (ticks * 1000) / clockTicks();
  } catch {
    return undefined;
  }
}

function scenario(n: number) {
  return n === 16 ? createScenario('large') : createLargeScenario(n);
}

function backendFor(bridge: SimBridge, cluster: string): HyperVBackend {
  return new HyperVBackend({
    connection: 'bench',
    // A real connection's shape: the cluster by name, from a workstation that is not a node.
    target: { kind: 'cluster', computerName: cluster },
    pwshPath,
    scriptsDir: SCRIPTS_DIR,
    env: { GPUP_SIM_URL: bridge.url, GPUP_SIM_TOKEN: bridge.token },
    modules: [EMULATION],
    timeoutMs: 600_000,
  });
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: round(performance.now() - t0), value };
}

/** One pwsh process: `Import-Module <emulation>; <command>`, as a person would type it. */
function pwshOnce(command: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(pwshPath, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', `Import-Module '${EMULATION}'; ${command}`], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pwsh -Command ${command} exited ${code}: ${err.slice(0, 300)}`))));
  });
}

/** The cmdlets the inventory needs, each in its own process, host after host. */
function naiveCommands(cluster: string, hosts: string[]): string[] {
  const out = [`Get-ClusterNode -Cluster ${cluster} | ConvertTo-Json`, `Get-ClusterResource -Cluster ${cluster} | Get-ClusterParameter -Name OfflineAction, VmID | ConvertTo-Json -Depth 1`];
  for (const h of hosts) {
    out.push(
      `Get-CimInstance -ClassName Win32_OperatingSystem -ComputerName ${h} | ConvertTo-Json`,
      `Get-PnpDevice -Class Display -CimSession (New-CimSession -ComputerName ${h}) | ConvertTo-Json`,
      `Get-VMHostPartitionableGpu -ComputerName ${h} | ConvertTo-Json -Depth 1`,
      `Get-VM -ComputerName ${h} | ConvertTo-Json -Depth 1`,
      `Get-VM -ComputerName ${h} | Get-VMGpuPartitionAdapter | ConvertTo-Json -Depth 1`,
    );
  }
  return out;
}

// ---- the PowerShell figures of one size ---------------------------------------------------------
interface SizeResult {
  servers: number;
  vms: number;
  warmMs: number;
  warmRunsMs: number[];
  coldMs: number;
  coldRunsMs: number[];
  naiveMs: number;
  naiveRunsMs: number[];
  naiveProcesses: number;
  /** The same warm read with no simulated latency: what is left is CPU (pwsh, bridge, emulation). */
  warmNoLatencyMs: number;
  /** CPU of one warm read (mean over the warm runs): the pwsh process (every emulated node runs there) plus this process (bridge, parse). */
  cpuPerReadMs: number;
  cpuPwshMs: number;
  cpuNodeMs: number;
  /** cpuPerRead / cores: the wall time that CPU needs at best. */
  cpuFloorMs: number;
  /** max(roundTrip + pipe, cpuFloor): no warm read of this size can be faster on this machine. */
  lowerBoundMs: number;
  /** warm - warmNoLatency, in simulated round trips: the sequential remote calls on the critical path. */
  latencyRoundTrips: number;
  naiveEstimated: boolean;
  /**
   * Simulated network time of a warm / cold read: the union of the intervals in which at least one
   * simulated remote call was waiting, in latency units. 1 = every remote call overlapped in one
   * round; more when the calls could not overlap (sequential calls, or runspaces that start their one
   * call late because the cores are busy: on a loaded machine this grows with the CPU work).
   */
  warmNetworkRoundTrips: number;
  coldNetworkRoundTrips: number;
  /** The naive pattern's: every call waits alone, one after another. */
  naiveNetworkRoundTrips: number;
  warmVsNaive: number;
  coldVsNaive: number;
  pipeOverheadMs: number;
  roundTripMs: number;
  pwshPeakMiB?: number;
  bridgeCalls: number;
}

let lastNaivePerProcessMs: number | undefined;

async function measureSize(n: number): Promise<SizeResult> {
  const state = scenario(n);
  const cluster = state.cluster!.name;
  const hosts = state.servers.map((s) => s.name);
  const world = new SimWorld(state);
  let calls = 0;
  let waits: [number, number][] = [];
  const bridge = await startSimBridge(world, { latencyMs, onCall: () => calls++, onLatency: (a, b) => waits.push([a, b]) });
  /** Union of the wait intervals since the last call, in latency units. */
  const networkRoundTrips = (): number => {
    const xs = waits.sort((p, q) => p[0] - q[0]);
    waits = [];
    let total = 0;
    let cur: [number, number] | undefined;
    for (const [a, b] of xs) {
      if (!cur || a > cur[1]) {
        if (cur) total += cur[1] - cur[0];
        cur = [a, b];
      } else cur[1] = Math.max(cur[1], b);
    }
    if (cur) total += cur[1] - cur[0];
    return total / latencyMs;
  };
  const env = { GPUP_SIM_URL: bridge.url, GPUP_SIM_TOKEN: bridge.token };
  try {
    // Warm: one process, reused; the first reads (pool, knownNodes, JIT) are not counted.
    const b = backendFor(bridge, cluster);
    await b.runner.start();
    const first = await b.inventory();
    if (first.servers.length !== n || first.servers.some((s) => s.error)) throw new Error(`inventory of ${n} servers failed: ${JSON.stringify(first.servers.filter((s) => s.error).slice(0, 2))}`);
    for (let i = 1; i < warmupRuns; i++) await b.inventory();
    const warm: number[] = [];
    const warmNet: number[] = [];
    calls = 0;
    const pwshCpu0 = cpuMsOf(b.runner.processInfo?.pid);
    const nodeCpu0 = process.cpuUsage();
    for (let i = 0; i < warmRuns; i++) {
      networkRoundTrips();
      warm.push((await timed(() => b.inventory())).ms);
      warmNet.push(networkRoundTrips());
    }
    const nodeCpu = process.cpuUsage(nodeCpu0);
    const pwshCpu1 = cpuMsOf(b.runner.processInfo?.pid);
    const warmCpu = {
      pwshMs: round(pwshCpu0 !== undefined && pwshCpu1 !== undefined ? (pwshCpu1 - pwshCpu0) / warmRuns : NaN),
      nodeMs: round((nodeCpu.user + nodeCpu.system) / 1000 / warmRuns),
    };
    const bridgeCalls = Math.round(calls / warmRuns);
    // Pipe overhead: an empty script through the same runner.
    const pipe: number[] = [];
    for (let i = 0; i < 10; i++) pipe.push((await timed(() => b.runner.run('', {}))).ms);
    // One simulated remote round trip, timed inside pwsh (what one remote call costs there).
    const rt: number[] = [];
    const rtScript = `$sw = [Diagnostics.Stopwatch]::StartNew(); $null = Invoke-Command -ComputerName $Params.node -ScriptBlock { 1 }; [string]$sw.Elapsed.TotalMilliseconds`;
    for (let i = 0; i < 10; i++) rt.push(Number((await b.runner.run(rtScript, { node: hosts[0] })).outputs[0]));
    const pwshPeakMiB = vmHwmMiB(b.runner.processInfo?.pid);
    b.dispose();

    // The same warm read without latency (another bridge over the same world).
    const zero = await startSimBridge(world, { latencyMs: 0 });
    const warmZero: number[] = [];
    try {
      const z = backendFor(zero, cluster);
      for (let i = 0; i < warmupRuns; i++) await z.inventory();
      for (let i = 0; i < Math.min(3, warmRuns); i++) warmZero.push((await timed(() => z.inventory())).ms);
      z.dispose();
    } finally {
      await zero.close();
    }

    // Cold: a new process each time (start + first read: no knownNodes, no warm pool).
    const cold: number[] = [];
    const coldNet: number[] = [];
    for (let i = 0; i < coldRuns; i++) {
      const c = backendFor(bridge, cluster);
      networkRoundTrips();
      cold.push(
        (
          await timed(async () => {
            await c.inventory();
          })
        ).ms,
      );
      coldNet.push(networkRoundTrips());
      c.dispose();
    }

    // Naive: a new pwsh per cmdlet per host, one after another.
    const commands = naiveCommands(cluster, hosts);
    const runs = n > naiveMax ? 0 : n >= 16 ? Math.min(1, naiveRuns) : naiveRuns;
    const naive: number[] = [];
    const naiveNet: number[] = [];
    for (let i = 0; i < runs; i++) {
      networkRoundTrips();
      log(`  naive run ${i + 1}/${runs}: ${commands.length} pwsh processes`);
      const t = await timed(async () => {
        for (const c of commands) await pwshOnce(c, env);
      });
      naive.push(t.ms);
      naiveNet.push(networkRoundTrips());
    }
    const warmMs = median(warm);
    const coldMs = median(cold);
    const naiveEstimated = naive.length === 0;
    // No run: the per-process cost measured at the largest size that ran, times this size's processes.
    const naiveMs = naiveEstimated ? round((lastNaivePerProcessMs ?? NaN) * commands.length) : median(naive);
    if (!naiveEstimated) lastNaivePerProcessMs = naiveMs / commands.length;
    const warmNoLatencyMs = median(warmZero);
    const pipeOverheadMs = median(pipe);
    const roundTripMs = round(median(rt));
    // The CPU a warm read takes on this machine (pwsh + this process: bridge, parse), spread at best
    // over every core: no read can take less wall time than that, nor less than one round trip.
    const cpuPerReadMs = round(warmCpu.pwshMs + warmCpu.nodeMs);
    const cpuFloorMs = round(cpuPerReadMs / os.cpus().length);
    return {
      servers: n,
      vms: state.servers.reduce((a, s) => a + s.vms.length, 0),
      warmMs,
      warmRunsMs: warm,
      coldMs,
      coldRunsMs: cold,
      naiveMs,
      naiveRunsMs: naive,
      naiveProcesses: commands.length,
      naiveEstimated,
      warmNoLatencyMs,
      cpuPerReadMs,
      cpuPwshMs: warmCpu.pwshMs,
      cpuNodeMs: warmCpu.nodeMs,
      cpuFloorMs,
      lowerBoundMs: round(Math.max(roundTripMs + pipeOverheadMs, cpuFloorMs)),
      latencyRoundTrips: round((warmMs - warmNoLatencyMs) / latencyMs),
      warmNetworkRoundTrips: round(median(warmNet), 2),
      coldNetworkRoundTrips: round(median(coldNet), 2),
      naiveNetworkRoundTrips: naiveNet.length ? round(median(naiveNet), 2) : NaN,
      warmVsNaive: round(naiveMs / warmMs),
      coldVsNaive: round(naiveMs / coldMs),
      pipeOverheadMs,
      roundTripMs,
      pwshPeakMiB,
      bridgeCalls,
    };
  } finally {
    await bridge.close();
  }
}

// ---- in-process figures -------------------------------------------------------------------------
async function demoTreePainted(): Promise<{ firstMs: number; firstCpuMs: number; medianMs: number; items: number }> {
  const t = (m: string, ...a: unknown[]): string => m.replace(/\{(\d+)\}/g, (_x, i: string) => String(a[Number(i)]));
  const once = async (): Promise<{ ms: number; items: number }> => {
    const t0 = performance.now();
    const store = new InventoryStore({ createBackend: (c) => new SimBackend(new SimWorld(createScenario('demo')), c.name) });
    const demo = { name: 'demo', kind: 'sim' as const, scenario: 'demo' };
    store.setConnections([demo]);
    const busy = new BusyRegistry(t);
    const ctx: PresentationContext = { t, snapshot: (name) => store.snapshot(name), busy: (target) => busy.get(target) };
    await store.ensureLoaded('demo');
    let items = 0;
    const walk = (node: TreeNode): void => {
      presentNode(node, ctx);
      items++;
      for (const c of childNodes(node, ctx) ?? []) walk(c);
    };
    for (const r of rootNodes(store.connections(), [], ctx)) walk(r);
    const ms = performance.now() - t0;
    store.dispose();
    busy.dispose();
    return { ms, items };
  };
  // CPU time too: on a shared machine the wall clock also counts the time spent waiting for a core.
  const cpu0 = process.cpuUsage();
  const first = await once();
  const cpu1 = process.cpuUsage(cpu0);
  const rest: number[] = [];
  for (let i = 0; i < 20; i++) rest.push((await once()).ms);
  return { firstMs: round(first.ms), firstCpuMs: round((cpu1.user + cpu1.system) / 1000), medianMs: round(median(rest)), items: first.items };
}

function bundle(): { bytes: number; kib: number } {
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, stdio: 'ignore' });
  const bytes = statSync(path.join(ROOT, 'dist', 'extension.js')).size;
  return { bytes, kib: round(bytes / 1024) };
}

function machine(): Record<string, unknown> {
  const lscpu = (() => {
    try {
      return /Model name:\s*(.+)/.exec(execFileSync('lscpu', { encoding: 'utf8' }))?.[1].trim();
    } catch {
      return undefined;
    }
  })();
  const pwshVersion = (() => {
    try {
      return execFileSync(pwshPath, ['-NoLogo', '-NoProfile', '-Command', '$PSVersionTable.PSVersion.ToString()'], { encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  })();
  return {
    nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    cpu: lscpu,
    memoryGiB: round(os.totalmem() / 1024 ** 3),
    node: process.version,
    pwsh: pwshVersion,
    loadAverageAtStart: os.loadavg().map((x) => round(x, 2)),
  };
}

// ---- main ---------------------------------------------------------------------------------------
async function main(): Promise<void> {
  if (!existsSync(pwshPath)) throw new Error(`pwsh not found at ${pwshPath} (run npm run setup, or pass --pwsh / GPUP_PWSH)`);
  const started = new Date().toISOString();
  const mach = machine();
  log(`machine: ${JSON.stringify(mach)}`);
  const tree = await demoTreePainted();
  log(`demo tree painted: first ${tree.firstMs} ms, median ${tree.medianMs} ms (${tree.items} items)`);
  const bun = bundle();
  log(`bundle: dist/extension.js ${bun.kib} KiB minified`);
  const results: SizeResult[] = [];
  for (const n of sizes) {
    log(`${n} server(s), ${latencyMs} ms per simulated remote call ...`);
    const r = await measureSize(n);
    log(`  warm ${r.warmMs} ms (${r.warmNoLatencyMs} ms without latency), cold ${r.coldMs} ms, naive ${r.naiveMs} ms${r.naiveEstimated ? ' (estimated)' : ''} (${r.naiveProcesses} processes), pipe ${r.pipeOverheadMs} ms, round trip ${r.roundTripMs} ms`);
    results.push(r);
  }
  const nodeMaxRssMiB = round(process.resourceUsage().maxRSS / 1024);
  const large = results.find((r) => r.servers === 16);
  const targets = {
    warmLargeWithin1_5xRoundTripPlusPipe: large
      ? {
          limitMs: round(1.5 * (large.roundTripMs + large.pipeOverheadMs)),
          measuredMs: large.warmMs,
          // Not part of the target: the fastest read this machine allows (see lowerBoundMs); when it is
          // above the limit, no implementation can meet the target here.
          lowerBoundHereMs: large.lowerBoundMs,
          met: large.warmMs <= 1.5 * (large.roundTripMs + large.pipeOverheadMs),
        }
      : undefined,
    warmLargeAtLeast10xFasterThanNaive: large ? { ratio: large.warmVsNaive, met: large.warmVsNaive >= 10 } : undefined,
    demoTreePaintedWithin100ms: { measuredMs: tree.firstMs, met: tree.firstMs <= 100 },
    // 400 KB read strictly (400,000 bytes, not 400 KiB).
    bundleAtMost400KB: { kib: bun.kib, bytes: bun.bytes, met: bun.bytes <= 400_000 },
  };
  const report = {
    started,
    machine: { ...mach, loadAverageAtEnd: os.loadavg().map((x) => round(x, 2)) },
    settings: { latencyMs, warmupRuns, warmRuns, coldRuns, naiveRuns, naiveRunsAt16: Math.min(1, naiveRuns), naiveMax, warmNoLatencyRuns: Math.min(3, warmRuns) },
    sizes: results,
    memory: { nodeMaxRssMiB, nodeRssMiBNow: round(process.memoryUsage().rss / 1024 / 1024), pwshPeakMiB: Math.max(...results.map((r) => r.pwshPeakMiB ?? 0)) },
    bundle: bun,
    demoTree: tree,
    targets,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  printTable(report);
}

type Report = {
  machine: Record<string, unknown> & { loadAverageAtEnd: number[] };
  settings: { latencyMs: number; warmupRuns?: number; warmRuns: number; coldRuns: number; naiveRuns: number; naiveMax: number };
  sizes: SizeResult[];
  memory: { nodeMaxRssMiB: number };
  bundle: { kib: number };
  demoTree: { firstMs: number; firstCpuMs?: number; medianMs: number; items: number };
  targets: Record<string, ({ met: boolean } & Record<string, unknown>) | undefined>;
};

/** The table (also `--from report.json`: the table of a saved `--json` run). */
function printTable(report: Report): void {
  const { machine: mach, sizes: results, demoTree: tree, bundle: bun, targets } = report;
  const { latencyMs, warmupRuns, warmRuns, coldRuns, naiveRuns, naiveMax } = report.settings;
  const nodeMaxRssMiB = report.memory.nodeMaxRssMiB;
  const pad = (s: unknown, w: number): string => String(s ?? '').padStart(w);
  const lines = [
    `| servers | VMs | warm ms | warm, no latency ms | network round trips warm / cold / naive | cold ms | naive ms (processes) | naive/warm | naive/cold | pipe ms | round trip ms | pwsh peak MiB |`,
    `|--------:|----:|--------:|--------------------:|----------------------------------------:|--------:|---------------------:|-----------:|-----------:|--------:|--------------:|--------------:|`,
    ...results.map(
      (r) =>
        `| ${pad(r.servers, 7)} | ${pad(r.vms, 4)} | ${pad(r.warmMs, 7)} | ${pad(r.warmNoLatencyMs, 19)} | ${pad(r.warmNetworkRoundTrips === undefined ? `(${r.latencyRoundTrips})` : `${r.warmNetworkRoundTrips} / ${r.coldNetworkRoundTrips} / ${Number.isNaN(r.naiveNetworkRoundTrips) || r.naiveNetworkRoundTrips === null ? '-' : r.naiveNetworkRoundTrips}`, 39)} | ${pad(r.coldMs, 7)} | ${pad(`${r.naiveMs} (${r.naiveProcesses}${r.naiveEstimated ? ', estimated' : r.naiveRunsMs.length === 1 ? ', 1 run' : ''})`, 20)} | ${pad(`${r.warmVsNaive}x`, 10)} | ${pad(`${r.coldVsNaive}x`, 10)} | ${pad(r.pipeOverheadMs, 7)} | ${pad(r.roundTripMs, 13)} | ${pad(r.pwshPeakMiB, 13)} |`,
    ),
    '',
    `Simulated latency ${latencyMs} ms per remote call; medians of ${warmRuns} warm (${Math.min(3, warmRuns)} without latency) after ${warmupRuns ?? 1} unmeasured, ${coldRuns} cold, ${naiveRuns} naive runs below 16 servers, ONE naive run at 16, none above ${naiveMax} (estimated: the measured per-process cost times the processes).`,
    `Demo tree painted (in-process): first ${tree.firstMs} ms${tree.firstCpuMs !== undefined ? ` (${tree.firstCpuMs} ms of CPU)` : ''}, then median ${tree.medianMs} ms (${tree.items} items).`,
    `Bundle: dist/extension.js ${bun.kib} KiB minified. Node peak RSS ${nodeMaxRssMiB} MiB.`,
    `Machine: ${mach.nproc} cores (${mach.cpu}), Node ${mach.node}, pwsh ${mach.pwsh}, load average ${JSON.stringify(mach.loadAverageAtStart)} at start, ${JSON.stringify(report.machine.loadAverageAtEnd)} at end.`,
    ...results.map((r) => `${r.servers} server(s): a warm read takes ${r.cpuPerReadMs} ms of CPU (pwsh ${r.cpuPwshMs}, node ${r.cpuNodeMs}); on ${mach.nproc} cores no read can beat max(round trip + pipe, CPU / cores) = ${r.lowerBoundMs} ms; measured ${r.warmMs} ms.`),
    '',
    'Targets:',
    ...Object.entries(targets).map(([k, v]) => `- ${k}: ${v ? `${v.met ? 'MET' : 'MISSED'} ${JSON.stringify({ ...v, met: undefined })}` : 'not measured (no 16-server size)'}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

const from = arg('from');
(from ? Promise.resolve(printTable(JSON.parse(readFileSync(from, 'utf8')) as Report)) : main()).catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
