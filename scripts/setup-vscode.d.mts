// Types for scripts/setup-vscode.mjs.
export interface VscodePaths {
  node: string;
  nodeDir: string;
  codeServerEntry: string;
  chromium: string | null;
  tmpDir: string;
}
export const ROOT: string;
export const CACHE: string;
export const NODE24_VERSION: string;
export const CODE_SERVER_VERSION: string;
export function ensureVscode(opts?: { browser?: boolean }): VscodePaths;
export function ensureChromium(): string;
export function vscodePaths(): { node: string; codeServerEntry: string; tmpDir: string };
