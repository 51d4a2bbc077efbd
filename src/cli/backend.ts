/**
 * The one place where the CLI turns its connection options into a Backend. Everything else in
 * src/cli talks to the Backend interface only (architecture.md: "the CLI never knows which backend").
 */
import { existsSync, statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { Backend } from '../model/backend';
import { loadState, saveState, SCENARIOS, SimBackend, SimWorld } from '../sim/index';
import type { ConnectionOptions } from './args';
import { UsageError } from './args';
import { CliError } from './errors';
import { HyperVBackend } from '../hyperv/hypervBackend';
import { defaultPwshPath, defaultScriptsDir } from '../hyperv/paths';
import { createSimPowerShellBackend } from '../hyperv/simPowerShell';

export interface BackendOptions extends ConnectionOptions {
  /**
   * The command changes state. With the simulator that needs a state file, so the change persists
   * (a built-in scenario lives only in memory for one process).
   */
  mutating: boolean;
}

/** What `--sim` names: a state file that exists, else a built-in scenario. */
export type SimSource = { kind: 'file'; path: string } | { kind: 'scenario'; name: string };

export function scenarioNames(): string[] {
  return [...SCENARIOS];
}

export function resolveSimSource(value: string): SimSource {
  if (existsSync(value) && statSync(value).isFile()) {
    // Absolute, so loadState never mistakes a file named like a scenario for the scenario.
    return { kind: 'file', path: resolvePath(value) };
  }
  if (scenarioNames().includes(value)) {
    return { kind: 'scenario', name: value };
  }
  throw new CliError(
    `'${value}' is neither a state file nor a built-in scenario (${scenarioNames().join(', ')}). ` +
      'Create a state file with `gpup sim init <scenario> --out FILE`.',
  );
}

/**
 * Creates the backend named by the options. Throws UsageError (exit 2) for options that do not fit
 * together and CliError (exit 1) when the backend cannot be created.
 */
export async function createBackend(options: BackendOptions): Promise<Backend> {
  switch (options.backend) {
    case 'sim':
      return createSimBackend(options);
    case 'powershell':
      return createPowerShellBackend(options);
  }
}

/**
 * `--backend powershell`: the real scripts in pwsh (GPUP_PWSH, else `pwsh` on PATH). With `--sim`
 * they run against the Hyper-V emulation module over the simulated world (a state file is saved on
 * every change); with `--cluster NAME` / `--computer NAME` against real hosts, as the current user.
 */
async function createPowerShellBackend(options: BackendOptions): Promise<Backend> {
  const pwshPath = defaultPwshPath();
  const timeoutMs = Number(process.env.GPUP_PWSH_TIMEOUT_MS ?? 300_000);
  const targets = [options.sim, options.cluster, options.computer].filter((x) => x !== undefined);
  if (targets.length !== 1) {
    throw new UsageError('--backend powershell needs exactly one of --sim FILE, --cluster NAME or --computer NAME.');
  }
  if (options.sim !== undefined) {
    const source = resolveSimSource(options.sim);
    if (source.kind === 'scenario' && options.mutating) {
      throw new UsageError(`--sim ${source.name} is a built-in scenario; changes need a state file. Run \`gpup sim init ${source.name} --out FILE\` and pass --sim FILE.`);
    }
    let world: SimWorld;
    try {
      world =
        source.kind === 'scenario'
          ? new SimWorld(loadState(source.name))
          : new SimWorld(loadState(source.path), { onChange: (next) => saveState(source.path, next) });
    } catch (e) {
      throw new CliError(`Cannot read state file '${options.sim}': ${e instanceof Error ? e.message : String(e)}`);
    }
    return createSimPowerShellBackend(world, { connection: options.sim, pwshPath, timeoutMs });
  }
  const computerName = (options.cluster ?? options.computer) as string;
  return new HyperVBackend({
    connection: computerName,
    target: { kind: options.cluster !== undefined ? 'cluster' : 'server', computerName },
    pwshPath,
    timeoutMs,
    scriptsDir: defaultScriptsDir(),
  });
}

function createSimBackend(options: BackendOptions): Backend {
  if (options.sim === undefined) {
    throw new UsageError('Missing --sim <scenario|FILE>.');
  }
  const source = resolveSimSource(options.sim);
  if (source.kind === 'scenario') {
    if (options.mutating) {
      throw new UsageError(
        `--sim ${source.name} is a built-in scenario; changes need a state file. ` +
          `Run \`gpup sim init ${source.name} --out FILE\` and pass --sim FILE.`,
      );
    }
    const world = new SimWorld(loadState(source.name));
    return new SimBackend(world, source.name);
  }
  let state;
  try {
    state = loadState(source.path);
  } catch (e) {
    throw new CliError(`Cannot read state file '${source.path}': ${e instanceof Error ? e.message : String(e)}`);
  }
  // Every change of the simulated world is written back at once, so a VM that was stopped and
  // restarted is on disk as it is in memory even if the process is killed in between.
  const world = new SimWorld(state, { onChange: (next) => saveState(source.path, next) });
  return new SimBackend(world, options.sim);
}
