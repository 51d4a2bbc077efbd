/**
 * Shared setup of the PowerShell suites: finding pwsh (GPUP_PWSH, then .cache/pwsh/pwsh, then `pwsh`
 * on PATH; with CI=true a missing pwsh FAILS, never skips), and a simulator harness whose one pwsh
 * process serves many worlds (the bridge talks to whichever world the test sets).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startSimBridge, type SimBridge } from '../../src/sim/server';
import { SimWorld } from '../../src/sim/world';
import type { SimState } from '../../src/sim/state';
import { HyperVBackend } from '../../src/hyperv/hypervBackend';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SCRIPTS_DIR = path.join(ROOT, 'src', 'hyperv', 'scripts');
export const EMULATION_MODULE = path.join(ROOT, 'src', 'sim', 'ps', 'HyperVEmulation.psd1');

function onPath(cmd: string): string | undefined {
  const r = spawnSync(process.platform === 'win32' ? 'where' : 'which', [cmd], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split(/\r?\n/)[0].trim() || undefined : undefined;
}

export function findPwsh(): string | undefined {
  if (process.env.GPUP_PWSH) return process.env.GPUP_PWSH;
  const cached = path.join(ROOT, '.cache', 'pwsh', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
  if (existsSync(cached)) return cached;
  return onPath('pwsh');
}

/** The pwsh path, or skips the suite (locally) / fails it (CI=true) when there is none. */
export function requirePwsh(ctx: Mocha.Context): string {
  const p = findPwsh();
  if (p) return p;
  if (process.env.CI === 'true') throw new Error('PowerShell (pwsh) is required in CI: run `node scripts/setup-pwsh.mjs` or set GPUP_PWSH.');
  ctx.skip();
  throw new Error('unreachable');
}

/** A world holder the bridge reads through, so one pwsh process can serve several worlds. */
export function switchableWorld(initial: SimWorld): { world: SimWorld; set(w: SimWorld): void; current(): SimWorld } {
  let current = initial;
  const proxy = new Proxy({} as SimWorld, {
    get(_t, key) {
      const v = (current as unknown as Record<PropertyKey, unknown>)[key];
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(current) : v;
    },
  });
  return { world: proxy, set: (w) => (current = w), current: () => current };
}

/** Per-backend knobs of the harness (timeouts in ms). */
export interface BackendOptions {
  timeoutMs?: number;
  connection?: string;
  operationTimeoutMs?: number;
  cancelGraceMs?: number;
  recoveryTimeoutMs?: number;
}

export interface SimHarness {
  holder: ReturnType<typeof switchableWorld>;
  bridge: SimBridge;
  backend: HyperVBackend;
  /** Another backend (its own pwsh) over the same bridge. */
  makeBackend(options?: BackendOptions): HyperVBackend;
  use(state: SimState): SimWorld;
  close(): Promise<void>;
}

export async function simHarness(pwsh: string, state: SimState, options: { latencyMs?: number; timeoutMs?: number; connection?: string } = {}): Promise<SimHarness> {
  const holder = switchableWorld(new SimWorld(state));
  const bridge = await startSimBridge(holder.world, { latencyMs: options.latencyMs });
  const makeBackend = (o: BackendOptions = {}): HyperVBackend =>
    new HyperVBackend({
      connection: o.connection ?? options.connection ?? 'sim',
      target: { kind: 'sim' },
      pwshPath: pwsh,
      scriptsDir: SCRIPTS_DIR,
      env: { GPUP_SIM_URL: bridge.url, GPUP_SIM_TOKEN: bridge.token },
      modules: [EMULATION_MODULE],
      timeoutMs: o.timeoutMs ?? options.timeoutMs ?? 120_000,
      operationTimeoutMs: o.operationTimeoutMs,
      cancelGraceMs: o.cancelGraceMs,
      recoveryTimeoutMs: o.recoveryTimeoutMs,
    });
  const backend = makeBackend();
  return {
    holder,
    bridge,
    backend,
    makeBackend,
    use(s: SimState): SimWorld {
      const w = new SimWorld(s);
      holder.set(w);
      return w;
    },
    async close() {
      backend.dispose();
      await bridge.close();
    },
  };
}

/** JSON-comparable copy: bigint as "123n", undefined keys dropped, readAt blanked. */
export function comparable(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (k, v) => (typeof v === 'bigint' ? `${v}n` : k === 'readAt' ? '' : v)));
}
