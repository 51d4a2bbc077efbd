/**
 * Where the shipped PowerShell files are, from source (tsx), from the bundle (dist/*.js) or from the
 * packaged extension. The .ps1/.psd1 files are shipped as files (never bundled into JS strings) so a
 * person can read exactly what runs on their cluster.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

function firstExisting(candidates: string[], probe: string): string {
  for (const c of candidates) if (existsSync(path.join(c, probe))) return c;
  return candidates[0];
}

/** Folder of inventory.ps1, assign.ps1, unassign.ps1, set-count.ps1 and _common.ps1. */
export function defaultScriptsDir(base: string = __dirname): string {
  return firstExisting(
    [
      path.join(base, 'scripts'), // src/hyperv (tsx) or dist/scripts if copied next to the bundle
      path.join(base, '..', 'src', 'hyperv', 'scripts'), // dist/ in the repository or the .vsix
      path.join(base, '..', '..', 'src', 'hyperv', 'scripts'),
    ],
    'inventory.ps1',
  );
}

/** The Hyper-V emulation module manifest (src/sim/ps/HyperVEmulation.psd1). */
export function emulationModulePath(base: string = __dirname): string {
  const dir = firstExisting(
    [path.join(base, '..', 'sim', 'ps'), path.join(base, '..', 'src', 'sim', 'ps'), path.join(base, 'ps'), path.join(base, '..', '..', 'src', 'sim', 'ps')],
    'HyperVEmulation.psd1',
  );
  return path.join(dir, 'HyperVEmulation.psd1');
}

/** pwsh to use when nothing says otherwise: GPUP_PWSH, else `pwsh` (PATH), else Windows PowerShell on Windows. */
export function defaultPwshPath(): string {
  if (process.env.GPUP_PWSH) return process.env.GPUP_PWSH;
  return 'pwsh';
}
