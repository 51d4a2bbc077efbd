// Types for scripts/setup-pwsh.mjs (tests find PowerShell with pwshPath()).
export const PWSH_VERSION: string;
/** GPUP_PWSH, else .cache/pwsh/pwsh when installed, else null (no install). */
export function pwshPath(): string | null;
/** Installs PowerShell 7.6.9 as a dotnet tool into .cache/pwsh when missing; returns its path. */
export function ensurePwsh(): string;
