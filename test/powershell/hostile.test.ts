/**
 * Nothing a user or host supplies is ever PowerShell text: 1,000+ generated hostile VM and cluster
 * names round-trip unchanged through the real scripts, and canary payloads in them never run.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createScenario } from '../../src/sim/scenarios';
import type { SimState, SimVm } from '../../src/sim/state';
import { requirePwsh, simHarness, type SimHarness } from './helpers';

/** A small deterministic PRNG (mulberry32): the same names on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function canaryPayloads(dir: string): string[] {
  const f = (n: string): string => path.join(dir, n);
  return [
    `$(New-Item -ItemType File -Path '${f('c1')}')`,
    `"; Set-Content -Path '${f('c2')}' -Value pwned; "`,
    `'; New-Item -ItemType File -Path '${f('c3')}'; '`,
    `\`$(New-Item -ItemType File -Path ${f('c4')})`,
    `$(& touch ${f('c5')})`,
    `x | Out-File ${f('c6')}`,
    `x; touch ${f('c7')}`,
    `\${function:New-Item}; New-Item ${f('c8')}`,
    `@(New-Item -ItemType File -Path '${f('c9')}')`,
    `"@\n$(New-Item -ItemType File -Path '${f('c10')}')\n"@`,
    `x\nNew-Item -ItemType File -Path '${f('c11')}'`,
    `x\r\nSet-Content -Path "${f('c12')}" -Value 1`,
    `$([IO.File]::WriteAllText('${f('c13')}', 'x'))`,
    `<# #> New-Item ${f('c14')} <# `,
    `--% & touch ${f('c15')}`,
    `\`"; & touch ${f('c16')}; \`"`,
  ];
}

const PARTS = [
  "'", "''", '"', '""', '`', '``', '$', '$()', '$(1+1)', '${x}', '$env:PATH', '@()', '@{}', ';', '|', '||', '&', '&&', '>', '<', '2>&1',
  '\n', '\r\n', '\t', ' ', '#', '<#', '#>', '--%', '[', ']', '*', '?', '{', '}', '(', ')', ',', '\\', '/', '%', '^', '~', '!',
  '‘', '’', '“', '”', '„', '‚', '‛', '日本語', '仮想マシン', 'ｶﾀｶﾅ', '한국어', 'Ünïcödé', 'ß', '🎮', '🚀', '👩‍💻', '🇯🇵', '𝔘',
  '2024-01-01T00:00:00', '/Date(0)/', '\\/Date(1700000000000)\\/', 'null', 'true', '0x10', '1e3', '-1', 'vm', 'cad-ws', 'GPU',
];

export function hostileNames(count: number, canaryDir: string): string[] {
  const rnd = prng(20261127);
  const out: string[] = [];
  const seen = new Set<string>();
  const push = (n: string): void => {
    const key = n.toUpperCase();
    if (n.trim() !== '' && !seen.has(key)) {
      seen.add(key);
      out.push(n);
    }
  };
  for (const c of canaryPayloads(canaryDir)) push(c);
  push('x'.repeat(256));
  push('日'.repeat(256));
  push(('$(' + "'`\"").repeat(64));
  while (out.length < count) {
    const i = out.length;
    const k = 1 + Math.floor(rnd() * 6);
    let n = `v${i}`;
    for (let j = 0; j < k; j++) n += PARTS[Math.floor(rnd() * PARTS.length)];
    if (i % 50 === 0) n = (n + '・長い名前'.repeat(60)).slice(0, 256);
    push(n);
  }
  return out;
}

/** A world of `servers` servers whose VMs carry the given names (clustered, no adapters). */
function worldWithNames(names: string[], perServer: number, clusterName: string): SimState {
  const base = createScenario('demo');
  const template = base.servers[0].vms[1];
  const servers = [];
  for (let i = 0; i * perServer < names.length; i++) {
    const s = structuredClone(base.servers[i % base.servers.length]);
    s.name = `AZL-H${String(i + 1).padStart(2, '0')}`;
    s.vms = names.slice(i * perServer, (i + 1) * perServer).map((name, j): SimVm => {
      const hex = (i * 100000 + j).toString(16).padStart(12, '0');
      return { ...structuredClone(template), name, id: `00000000-0000-4000-8000-${hex}`, state: j % 3 === 0 ? 'Running' : 'Off', adapters: [] };
    });
    servers.push(s);
  }
  return { version: 1, cluster: { name: clusterName }, servers, faults: [] };
}

describe('hostile names through the real scripts', function () {
  this.timeout(300_000);
  let h: SimHarness;
  let canaryDir: string;
  let names: string[];

  before(async function () {
    const pwsh = requirePwsh(this);
    canaryDir = mkdtempSync(path.join(tmpdir(), 'gpup-canary-'));
    names = hostileNames(1000, canaryDir);
    h = await simHarness(pwsh, createScenario('demo'));
    await h.backend.runner.start();
  });
  after(async () => {
    await h?.close();
    if (canaryDir) rmSync(canaryDir, { recursive: true, force: true });
  });

  it('generates at least 1,000 distinct hostile names covering every class asked for', () => {
    assert.ok(names.length >= 1000);
    for (const needle of ["'", "''", '"', '""', '`', '$(', ';', '|', '\n', '日本語', '🚀']) {
      assert.ok(names.some((n) => n.includes(needle)), `a name with ${JSON.stringify(needle)}`);
    }
    assert.ok(names.some((n) => n.length === 256));
  });

  it('1,000 hostile VM names round-trip unchanged through inventory.ps1 (4 servers x 250)', async () => {
    const state = worldWithNames(names, 250, 'azl-hostile');
    h.use(state);
    const inv = await h.backend.inventory();
    assert.equal(inv.cluster, 'azl-hostile');
    const got = inv.servers.flatMap((s) => s.vms.map((v) => v.name));
    assert.equal(got.length, names.length);
    for (let i = 0; i < names.length; i++) assert.equal(got[i], names[i], `name #${i}`);
    assert.ok(inv.servers.every((s) => s.error === undefined));
    assert.deepEqual(readdirSync(canaryDir), [], 'no canary file was created');
  });

  it('hostile cluster names round-trip through Get-ClusterNode -Cluster and back', async () => {
    // 16 of them: each is its own world and call; the 1,000 VM names above carry the bulk.
    const clusterNames = names.filter((_, i) => i % 61 === 0).slice(0, 16);
    for (const c of clusterNames) {
      const state = worldWithNames([], 1, c);
      state.servers = [{ ...createScenario('demo').servers[0], vms: [], gpus: [] }];
      state.cluster = { name: c };
      h.use(state);
      const b = h.backend as unknown as { options: { target: { kind: string; computerName?: string } } };
      const saved = { ...b.options.target };
      b.options.target = { kind: 'cluster', computerName: c };
      try {
        const inv = await h.backend.inventory();
        assert.equal(inv.cluster, c);
        assert.deepEqual(
          inv.servers.map((s) => s.name),
          ['AZL-N01'],
        );
      } finally {
        b.options.target = saved;
      }
    }
    assert.deepEqual(readdirSync(canaryDir), []);
  });

  it('assign and unassign hostile-named VMs (the canaries among them) change exactly those VMs', async () => {
    const picked = names.slice(0, 12);
    const state = worldWithNames(picked, 12, 'azl-hostile');
    const world = h.use(state);
    const server = state.servers[0].name;
    const assigned = await h.backend.execute({ kind: 'assign', server, vms: picked, forceShutdownOfflineAction: true });
    assert.equal(assigned.refusals.length, 0, JSON.stringify(assigned.refusals));
    assert.deepEqual(
      assigned.items.map((i) => [i.target, i.ok]),
      picked.map((n) => [n, true]),
      JSON.stringify(assigned.items.filter((i) => !i.ok)),
    );
    const vms = world.state.servers[0].vms;
    assert.deepEqual(
      vms.map((v) => [v.name, v.adapters.length, v.offlineAction]),
      picked.map((n) => [n, 1, 3]),
    );
    const removed = await h.backend.execute({ kind: 'unassign', server, vms: picked.slice(0, 6) });
    assert.ok(removed.ok, JSON.stringify(removed));
    assert.deepEqual(
      world.state.servers[0].vms.map((v) => v.adapters.length),
      picked.map((_, i) => (i < 6 ? 0 : 1)),
    );
    assert.deepEqual(readdirSync(canaryDir), [], 'no canary file was created');
  });

  it('control: the canary detector works (the same payload, spliced into script text, does run)', async () => {
    // What the project never does, done once on purpose so the canary checks above can fail.
    const payload = canaryPayloads(canaryDir)[0];
    await h.backend.runner.run(`$null = "${payload}"`, {});
    assert.deepEqual(readdirSync(canaryDir), ['c1']);
    rmSync(path.join(canaryDir, 'c1'));
  });
});
