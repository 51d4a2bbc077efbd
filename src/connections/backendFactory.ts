/**
 * Builds the Backend of a configured connection. No `vscode` import: the extension passes its
 * global-storage path and settings in, and tests pass a temporary directory.
 *
 * - kind 'sim': a SimBackend over a state file: `stateFile` when given, else
 *   `<globalStorage>/<name>.json`, created from the scenario the first time; loaded on first use
 *   and saved (atomically, debounced) after every change, so a simulated cluster keeps its state
 *   across sessions like a real one.
 * - kind 'cluster' | 'server': the PowerShell backend (src/hyperv).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Backend } from '../model/backend';
import { HyperVBackend } from '../hyperv/hypervBackend';
import { defaultScriptsDir } from '../hyperv/paths';
import { createScenario, loadState, saveState, SimBackend, SimWorld } from '../sim';
import type { SimState } from '../sim';
import { type Connection, DEFAULT_SCENARIO, type HostConnection, type SimConnection, simStateFileName } from './connectionConfig';

export interface BackendFactoryOptions {
  /** Directory for simulator state files (the extension's `globalStorageUri.fsPath`). */
  storageDir: string;
  /** Settings of the PowerShell backend. */
  powershell: () => { path: string; timeoutSeconds: number };
  /**
   * Credentials of a real connection, asked on each PowerShell call (SecretStorage, password box):
   * pass the result as HyperVTarget.credential. They travel in the parameter object over stdin only.
   */
  credentials?: (connection: HostConnection) => () => Promise<{ userName: string; password: string } | undefined>;
  /** A state file could not be written; the simulator keeps running in memory. */
  onSaveError?: (connection: string, error: unknown) => void;
  /** Delay before a change is written (coalesces the mutations of one step). */
  saveDelayMs?: number;
}

export type BackendFactory = (connection: Connection) => Backend;

export function createBackendFactory(options: BackendFactoryOptions): BackendFactory {
  return (connection) => (connection.kind === 'sim' ? createSimBackend(connection, options) : createHostBackend(connection, options));
}

/** Where a simulated connection keeps its state; `~` and relative paths are resolved against home and storage. */
export function simStatePath(connection: SimConnection, storageDir: string): string {
  if (!connection.stateFile) return path.join(storageDir, simStateFileName(connection.name));
  const f = connection.stateFile.replace(/^~(?=$|[\\/])/, os.homedir());
  return path.resolve(storageDir, f);
}

function createSimBackend(connection: SimConnection, options: BackendFactoryOptions): Backend {
  const file = simStatePath(connection, options.storageDir);
  let state: SimState;
  if (fs.existsSync(file)) {
    state = loadState(file);
  } else {
    state = createScenario(connection.scenario ?? DEFAULT_SCENARIO);
    saveState(file, state);
  }
  const delay = options.saveDelayMs ?? 200;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    try {
      saveState(file, state);
    } catch (e) {
      options.onSaveError?.(connection.name, e);
    }
  };
  const world = new SimWorld(state, {
    onChange: () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(flush, delay);
    },
  });
  const inner = new SimBackend(world, connection.name);
  let disposed = false;
  return {
    connection: connection.name,
    inventory: (o) => inner.inventory(o),
    plan: (r, o) => inner.plan(r, o),
    execute: (r, o) => inner.execute(r, o),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      if (timer) flush();
      inner.dispose();
    },
  };
}

function createHostBackend(connection: HostConnection, options: BackendFactoryOptions): Backend {
  // The PowerShell backend (src/hyperv): one long-lived pwsh per connection, started on first use;
  // credentials are asked per call and travel only inside the parameter object over stdin.
  const ps = options.powershell();
  return new HyperVBackend({
    connection: connection.name,
    target: { kind: connection.kind, computerName: connection.computerName, credential: options.credentials?.(connection) },
    pwshPath: ps.path,
    timeoutMs: Math.max(0, ps.timeoutSeconds) * 1000,
    scriptsDir: defaultScriptsDir(),
  });
}
