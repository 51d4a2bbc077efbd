/**
 * Issue 8 views, pure parts: the checks report grouping and Markdown, the capacity bars and the
 * planner's table on built-in scenarios, the guest check's Markdown on real nvidia-smi output, the
 * orphaned-adapter tree row, and the page-message validators.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CHECK_IDS, CHECK_TITLES, runChecks } from '../../src/model/checks';
import { assessGuest, parseNvidiaSmiXml } from '../../src/model/nvidiaSmi';
import { planCapacity } from '../../src/model/planner';
import { childNodes, presentNode, type PresentationContext, type TreeNode, type Translate } from '../../src/tree/presentation';
import { capacityBars, planView, vmColor } from '../../src/webviews/capacity/viewModel';
import { capacityValidator } from '../../src/webviews/capacity/schema';
import * as CapP from '../../src/webviews/capacity/protocol';
import { checkTitle, checksMarkdown, groupResults, summaryText, type Tr } from '../../src/webviews/checks/viewModel';
import { checksValidator, MAX_FIX_CHARS } from '../../src/webviews/checks/schema';
import * as ChkP from '../../src/webviews/checks/protocol';
import { guestMarkdown } from '../../src/webviews/guest/report';
import { scenarioInventory } from './scenario-inventory';

/** English "translation" that fills {0} / {name}, as vscode.l10n.t does. */
const t: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
const tr: Tr = (message, args) => (args ? message.replace(/\{(\w+)\}/g, (w, k: string) => (k in args ? String(args[k]) : w)) : message);

describe('checks report view model', () => {
  it('localised titles are the model titles, one per check', () => {
    for (const id of CHECK_IDS) assert.equal(checkTitle(id, tr), CHECK_TITLES[id]);
  });

  it('groups not-ready by check, failing checks first, rows rendered from the templates', async () => {
    const results = runChecks(await scenarioInventory('not-ready'));
    const groups = groupResults(results, tr);
    assert.equal(new Set(groups.map((g) => g.id)).size, groups.length, 'one group per check');
    const ranks = groups.map((g) => ({ fail: 0, warn: 1, pass: 2 })[g.status]);
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'fail, then warn, then pass');
    const orphan = groups.find((g) => g.id === 'orphaned-adapter')!;
    assert.equal(orphan.status, 'fail');
    assert.equal(orphan.rows[0].scope, 'AZL-R06/moved-01');
    assert.match(orphan.rows[0].evidence, /moved-01 on AZL-R06 has a GPU partition adapter for \\\\\?\\PCI#VEN_10DE/);
    assert.match(orphan.rows[0].fix!, /^Remove-VMGpuPartitionAdapter -ComputerName 'AZL-R06' -VMName 'moved-01' -AdapterId '/);
    // Every row's text equals the model's English evidence (the template path loses nothing).
    const all = groups.flatMap((g) => g.rows.map((r) => r.evidence)).sort();
    assert.deepEqual(all, results.map((r) => r.evidence).sort());
  });

  it('Markdown: summary, problems with fenced fixes, passed table; the demo has no problem section', async () => {
    const nr = runChecks(await scenarioInventory('not-ready'));
    const md = checksMarkdown('azl-lab', 'Read at now', nr, tr);
    assert.match(md, /^# GPU partitioning prerequisite check\n\nazl-lab · Read at now\n\n\*\*\d+ failed, \d+ warnings, \d+ passed\.\*\*/);
    assert.ok(md.includes("## FAIL: Automatic checkpoints off on GPU-P VMs\n\n- **FAIL** `AZL-R06/ckpt-app-01`"));
    assert.ok(md.includes("  ```powershell\n  Set-VM -Name 'ckpt-app-01' -ComputerName 'AZL-R06' -AutomaticCheckpointsEnabled $false\n  ```"));
    const demo = runChecks(await scenarioInventory('demo'));
    assert.equal(summaryText(demo, tr), `0 failed, 0 warnings, ${demo.length} passed.`);
    const dmd = checksMarkdown('azl-demo', undefined, demo, tr);
    assert.ok(!/^## (FAIL|WARN)/m.test(dmd));
    assert.match(dmd, /## Passed\n\n\| Check \| Scope \| Evidence \|/);
  });
});

describe('capacity view model', () => {
  it('demo: 4 servers of two 16-slot bars, all free, one floating pending adapter each', async () => {
    const { totals, servers } = capacityBars(await scenarioInventory('demo'), t);
    assert.equal(totals.total, 128);
    assert.equal(totals.assigned, 4);
    assert.equal(totals.free, 124);
    assert.equal(totals.stranded, 4);
    assert.deepEqual(servers.map((s) => s.name), ['AZL-N01', 'AZL-N02', 'AZL-N03', 'AZL-N04']);
    const n01 = servers[0];
    assert.deepEqual(n01.gpus.map((g) => g.label), ['NVIDIA A2 #1', 'NVIDIA A2 #2']);
    for (const g of n01.gpus) {
      assert.equal(g.slots.length, 16);
      assert.ok(g.slots.every((s) => s.kind === 'free'));
      assert.equal(g.each, '16 × 896.00 MiB');
    }
    assert.deepEqual(n01.floating.map((s) => [s.kind, s.vm]), [['pending', 'render-01']]);
    // render-01 has no GPU yet: its slot (896 MiB) is charged to the server, so 31 free slots = 27.13 GiB (rounded half up).
    assert.equal(n01.totals!.text, '32 partitions · 1 assigned · 31 free · 1 stranded · 29.65 GiB VRAM, 27.13 GiB free');
  });

  it('mixed: cad-ws-01 is a running slot on the first GPU of AZL-N01, coloured by its name', async () => {
    const { servers } = capacityBars(await scenarioInventory('mixed'), t);
    const first = servers[0].gpus[0];
    const held = first.slots.filter((s) => s.kind !== 'free');
    assert.deepEqual(held.map((s) => [s.kind, s.vm, s.color]), [['running', 'cad-ws-01', vmColor('cad-ws-01')]]);
    assert.equal(first.slots.filter((s) => s.kind === 'free').length, 15);
    assert.equal(servers[3].gpus[0].slots.length, 8, 'AZL-N04 at 8 partitions');
  });

  it('large: running slots per GPU and stranded pending adapters; colours stay in the palette', async () => {
    const { totals, servers } = capacityBars(await scenarioInventory('large'), t);
    assert.equal(servers.length, 16);
    assert.equal(totals.total, 16 * 4 * 8);
    const running = servers[0].gpus.flatMap((g) => g.slots).filter((s) => s.kind === 'running');
    assert.equal(running.length, 20);
    for (const s of servers.flatMap((x) => x.gpus.flatMap((g) => g.slots))) if (s.color !== undefined) assert.ok(s.color >= 0 && s.color < CapP.PALETTE_SIZE);
  });

  it('not-ready: a server without partitionable GPU gets the WAC note; the orphaned adapter is listed', async () => {
    const { servers } = capacityBars(await scenarioInventory('not-ready'), t);
    assert.match(servers.find((s) => s.name === 'AZL-R04')!.note!, /^No partitionable GPUs have been found/);
    assert.deepEqual(servers.find((s) => s.name === 'AZL-R06')!.orphaned, ['moved-01 (Off)']);
  });

  it('planner table: demo 6 × 1.5 GiB fits only after changing counts, and says what that disturbs', async () => {
    const inv = await scenarioInventory('demo');
    const view = planView(planCapacity(inv, { vmCount: 6, vramGiB: 1.5 }), t);
    assert.equal(view.verdict, 'fitsAfter');
    assert.match(view.headline, /^6 VM\(s\) needing 1\.50 GiB each fit after changing the partition count on AZL-N0/);
    const changed = view.rows.filter((r) => r.changeNeeded);
    assert.ok(changed.length >= 1);
    for (const r of changed) {
      assert.match(r.countText, /^8 × 1\.\d\d GiB \(now 16\) \(estimated\)$/);
      assert.match(r.disturbs[0], /^Reconfigure 2 GPU\(s\) to 8 partitions$/);
    }
    assert.equal(view.rows.reduce((n, r) => n + r.placedAfter, 0), 6);
    const now = planView(planCapacity(inv, { vmCount: 3, vramGiB: 0.5 }), t);
    assert.equal(now.verdict, 'fitsNow');
    assert.ok(now.rows.every((r) => r.disturbs.length === 0 || !r.changeNeeded));
    const never = planView(planCapacity(inv, { vmCount: 1, vramGiB: 40 }), t);
    assert.equal(never.verdict, 'doesNotFit');
    assert.ok(never.rows.every((r) => r.countText === 'no partition count gives partitions this large'));
  });
});

describe('guest check Markdown', () => {
  it('shows driver, virtualization mode, framebuffer and licence of real nvidia-smi output', () => {
    const xml = readFileSync(path.resolve(__dirname, '..', 'fixtures', 'nvidia-smi', 'h200-passthrough', 'nvidia-smi-q.xml'), 'utf8');
    const check = assessGuest(parseNvidiaSmiXml(xml));
    const md = guestMarkdown('ml-01', 'AZL-N01', check, t, tr);
    assert.match(md, /^# Guest check: ml-01\n/);
    assert.match(md, /\| Driver version \| 580\.159\.04 \|/);
    assert.match(md, /\| Virtualization mode \| Pass-Through \|/);
    assert.match(md, /\| Framebuffer \| \d+ MiB total, \d+ MiB used, \d+ MiB free \|/);
    assert.match(md, /⚠️ Virtualization mode Pass-Through: not a GPU partition \(VGPU expected\)\./);
  });
});

describe('orphaned adapter in the tree', () => {
  it('not-ready: moved-01 shows under AZL-R06 as gpuPartitions.orphan with a warning icon', async () => {
    const inv = await scenarioInventory('not-ready');
    const conn = { name: 'lab', kind: 'sim' as const, scenario: 'not-ready' };
    const ctx: PresentationContext = { t, snapshot: () => ({ connection: conn, state: 'loaded', inventory: inv }), busy: () => undefined };
    const rows: { node: TreeNode; view: ReturnType<typeof presentNode> }[] = [];
    const walk = (n: TreeNode) => {
      rows.push({ node: n, view: presentNode(n, ctx) });
      for (const c of childNodes(n, ctx) ?? []) walk(c);
    };
    walk({ nodeType: 'cluster', connection: conn });
    const orphans = rows.filter((r) => r.view.contextValue === 'gpuPartitions.orphan');
    assert.deepEqual(orphans.map((r) => r.view.label), ['moved-01']);
    assert.equal(orphans[0].view.icon.id, 'warning');
    assert.equal(orphans[0].view.description, 'orphaned · Off · its GPU is not on this server');
    assert.equal((orphans[0].node as { server: { name: string } }).server.name, 'AZL-R06');
  });
});

describe('issue 8 page messages are validated', () => {
  it('checks page: known commands with exact params only', () => {
    assert.ok(checksValidator(ChkP.copyFix.message({ text: 'Set-VM -Name x' })).ok);
    assert.ok(checksValidator(ChkP.runAgain.message({})).ok);
    assert.equal(checksValidator({ method: 'checks/copyFix', params: { text: 'x'.repeat(MAX_FIX_CHARS + 1) } }).ok, false);
    assert.equal(checksValidator({ method: 'checks/copyFix', params: { text: 'a', extra: 1 } }).ok, false);
    assert.equal(checksValidator({ method: 'checks/runScript', params: {} }).ok, false);
    assert.equal(checksValidator('checks/ready').ok, false);
  });

  it('capacity page: the planner question is a positive whole number of VMs and a positive size', () => {
    assert.ok(capacityValidator(CapP.ask.message({ vmCount: 6, vramGiB: 1.5 })).ok);
    for (const params of [{ vmCount: 0, vramGiB: 1 }, { vmCount: 1.5, vramGiB: 1 }, { vmCount: 2, vramGiB: 0 }, { vmCount: 2, vramGiB: -1 }, { vmCount: '2', vramGiB: 1 }, { vmCount: 2, vramGiB: 5000 }]) {
      assert.equal(capacityValidator({ method: 'capacity/ask', params }).ok, false, JSON.stringify(params));
    }
  });
});
