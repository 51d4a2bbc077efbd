/**
 * The shape of one `gpuPartitions.clusters` entry (names.md, "Connection settings") and its
 * validation. Pure: no `vscode` import, so the rules are unit-tested without an extension host.
 */

export interface SimConnection {
  name: string;
  kind: 'sim';
  /** Built-in scenario (src/sim/scenarios.ts); `demo` when absent. */
  scenario?: string;
  /** JSON file holding the simulated state; default `<globalStorage>/<name>.json`. */
  stateFile?: string;
}

export interface HostConnection {
  name: string;
  kind: 'cluster' | 'server';
  computerName: string;
  userName?: string;
}

export type Connection = SimConnection | HostConnection;
export type ConnectionKind = Connection['kind'];

/** The connection `gpuPartitions.openDemo` adds (names.md). */
export const DEMO_CONNECTION: SimConnection = { name: 'demo', kind: 'sim', scenario: 'demo' };

export const DEFAULT_SCENARIO = 'demo';

/** Scenario names fixed in names.md; the add-cluster QuickPick offers these. */
export const BUILT_IN_SCENARIOS = ['demo', 'mixed', 'not-ready', 'large'] as const;

/** An entry of the setting that cannot be used; the tree shows it as an error node. */
export interface InvalidConnection {
  /** Position in the settings array (0-based). */
  index: number;
  /** The entry's name when it has one, for the error node label. */
  name?: string;
  /** English reason (also logged); the tree localises its own frame around it. */
  reason: string;
}

export interface ParsedConnections {
  connections: Connection[];
  invalid: InvalidConnection[];
}

/**
 * Validates the raw setting value. Tolerant the way settings must be: an unusable entry becomes an
 * InvalidConnection and the others still load; unknown extra properties are ignored.
 */
export function parseConnections(raw: unknown): ParsedConnections {
  const connections: Connection[] = [];
  const invalid: InvalidConnection[] = [];
  if (raw === undefined || raw === null) return { connections, invalid };
  if (!Array.isArray(raw)) {
    return { connections, invalid: [{ index: 0, reason: 'The setting gpuPartitions.clusters must be an array.' }] };
  }
  const seen = new Set<string>();
  raw.forEach((entry: unknown, index) => {
    const result = parseOne(entry);
    if (typeof result === 'string') {
      invalid.push({ index, name: nameOf(entry), reason: result });
      return;
    }
    const key = result.name.toLowerCase();
    if (seen.has(key)) {
      invalid.push({ index, name: result.name, reason: `Another entry is already named "${result.name}"; names must be unique.` });
      return;
    }
    seen.add(key);
    connections.push(result);
  });
  return { connections, invalid };
}

function nameOf(entry: unknown): string | undefined {
  if (entry && typeof entry === 'object' && typeof (entry as { name?: unknown }).name === 'string') {
    const name = ((entry as { name: string }).name).trim();
    return name || undefined;
  }
  return undefined;
}

function optionalString(o: Record<string, unknown>, key: string): string | undefined | Error {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return new Error(`"${key}" must be a string.`);
  const trimmed = v.trim();
  return trimmed === '' ? undefined : trimmed;
}

function parseOne(entry: unknown): Connection | string {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return 'Each entry must be an object.';
  const o = entry as Record<string, unknown>;
  const name = nameOf(o);
  if (!name) return 'The entry has no "name".';
  const kind = o.kind;
  if (kind === 'sim') {
    const scenario = optionalString(o, 'scenario');
    if (scenario instanceof Error) return scenario.message;
    const stateFile = optionalString(o, 'stateFile');
    if (stateFile instanceof Error) return stateFile.message;
    const c: SimConnection = { name, kind };
    if (scenario) c.scenario = scenario;
    if (stateFile) c.stateFile = stateFile;
    return c;
  }
  if (kind === 'cluster' || kind === 'server') {
    const computerName = optionalString(o, 'computerName');
    if (computerName instanceof Error) return computerName.message;
    if (!computerName) return `A "${kind}" entry needs a "computerName".`;
    const userName = optionalString(o, 'userName');
    if (userName instanceof Error) return userName.message;
    const c: HostConnection = { name, kind, computerName };
    if (userName) c.userName = userName;
    return c;
  }
  return `"kind" must be "cluster", "server" or "sim" (found ${JSON.stringify(kind)}).`;
}

/** Checks a name typed in the add-cluster InputBox; returns an English reason or undefined. */
export function connectionNameProblem(name: string, existing: readonly { name: string }[]): 'empty' | 'duplicate' | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'empty';
  if (existing.some((c) => c.name.toLowerCase() === trimmed.toLowerCase())) return 'duplicate';
  return undefined;
}

/**
 * File name for a simulated connection's state in global storage. Connection names are free
 * text; the file name keeps the readable part and adds a short hash so "a/b" and "a_b" differ.
 */
export function simStateFileName(connectionName: string): string {
  const readable = connectionName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60) || 'connection';
  if (readable === connectionName) return `${readable}.json`;
  let h = 0x811c9dc5; // FNV-1a, 32 bit: stable and dependency-free
  for (const ch of connectionName) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${readable}-${h.toString(16).padStart(8, '0')}.json`;
}

/** Structural equality of two entries, to know whether a settings change needs a new backend. */
export function sameConnection(a: Connection, b: Connection): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

function normalise(c: Connection): unknown {
  return c.kind === 'sim'
    ? [c.name, c.kind, c.scenario ?? DEFAULT_SCENARIO, c.stateFile ?? '']
    : [c.name, c.kind, c.computerName, c.userName ?? ''];
}
