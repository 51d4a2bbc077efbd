/**
 * The real scripts in real PowerShell against a simulated world: the HTTP bridge over the SimWorld
 * (src/sim/server.ts), and a HyperVBackend whose pwsh imports the emulation module with the bridge's
 * URL and token in its environment. `gpup --backend powershell --sim FILE` and the PowerShell test
 * suite use it.
 */
import type { Backend, CallOptions } from '../model/backend';
import type { GuestProbe } from '../model/nvidiaSmi';
import { startSimBridge } from '../sim/server';
import type { SimWorld } from '../sim/world';
import { HyperVBackend } from './hypervBackend';
import { defaultScriptsDir, emulationModulePath } from './paths';

export interface SimPowerShellOptions {
  connection: string;
  pwshPath: string;
  timeoutMs?: number;
  /** Simulated round trip per remote call (ms). */
  latencyMs?: number;
  scriptsDir?: string;
  log?: (line: string) => void;
}

/** A Backend whose dispose() also closes the bridge. */
export async function createSimPowerShellBackend(world: SimWorld, options: SimPowerShellOptions): Promise<Backend & GuestProbe & { hyperv: HyperVBackend }> {
  const bridge = await startSimBridge(world, { latencyMs: options.latencyMs });
  const hyperv = new HyperVBackend({
    connection: options.connection,
    target: { kind: 'sim' },
    pwshPath: options.pwshPath,
    timeoutMs: options.timeoutMs,
    scriptsDir: options.scriptsDir ?? defaultScriptsDir(),
    env: { GPUP_SIM_URL: bridge.url, GPUP_SIM_TOKEN: bridge.token },
    modules: [emulationModulePath()],
    log: options.log,
  });
  return {
    hyperv,
    connection: hyperv.connection,
    inventory: (o) => hyperv.inventory(o),
    plan: (r, o) => hyperv.plan(r, o),
    execute: (r, o) => hyperv.execute(r, o),
    // The guest check (GuestProbe): PowerShell Direct through the emulation, like a real host.
    nvidiaSmiXml: (server: string, vm: string, o?: CallOptions) => hyperv.nvidiaSmiXml(server, vm, o),
    dispose: () => {
      hyperv.dispose();
      void bridge.close();
    },
  };
}
