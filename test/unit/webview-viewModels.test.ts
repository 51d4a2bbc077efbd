// What the pages show, computed on the extension side from the simulator's inventories
// (src/webviews/viewModels.ts over src/model): the four WAC messages of the Configure partition
// count page on the `mixed` scenario, each for its selection, the VRAM tip, the Assign/Unassign VM
// lists, and the WAC details fields with exact UInt64 values.
import * as assert from 'node:assert/strict';
import { sameGpuRef, type GpuRef } from '../../src/model/gpuIdentity';
import { defaultSelection, homogeneousSets } from '../../src/model/homogeneous';
import type { Inventory, Server } from '../../src/model/types';
import { validateCountSelection } from '../../src/model/validation';
import {
  allPartitionableRefs,
  assignVmRows,
  configureCountSections,
  countValidationView,
  gpuDetails,
  type Localizer,
  partitionDetails,
  unassignVmRows,
  vramOptions,
} from '../../src/webviews/viewModels';
import { scenarioInventory } from './scenario-inventory';

/** Like vscode.l10n.t: fills `{name}` placeholders; marks the text so a test sees it was localised. */
const l10n: Localizer = {
  t: (message, args) => `«${args ? message.replace(/\{(\w+)\}/g, (w, k: string) => (k in args ? String(args[k]) : w)) : message}»`,
};

function server(inv: Inventory, name: string): Server {
  const s = inv.servers.find((x) => x.name === name);
  assert.ok(s, `server ${name}`);
  return s;
}

function view(inv: Inventory, selected: GpuRef[]) {
  return countValidationView(l10n, inv, selected, 1, validateCountSelection(inv, selected));
}

const codes = (list: { code: string }[]) => list.map((m) => m.code).sort();

describe('webview view models: Configure partition count', () => {
  let demo: Inventory;
  let mixed: Inventory;
  before(async () => {
    demo = await scenarioInventory('demo');
    mixed = await scenarioInventory('mixed');
  });

  it('demo: the homogeneous set (8 GPUs) is preselected with no warning or error, counts 16..1, tip 1.85 for 8', () => {
    const sel = defaultSelection(demo);
    assert.equal(sel.length, 8);
    const v = view(demo, sel);
    assert.deepEqual(v.warnings, []);
    assert.deepEqual(v.errors, []);
    assert.deepEqual(v.validCounts, [16, 8, 4, 2, 1]);
    // WAC: "changing the partition count from 16 to 8 assigns each partition with 1.85 GB of VRAM" (domain doc §2).
    assert.equal(v.vramTips['8'], '«Each partition gets 1.85 GiB of VRAM.»');
    assert.equal(v.vramTips['16'], '«Each partition gets 0.93 GiB of VRAM.»');
  });

  it('mixed: the GPU rows name the VM holding a partition, with exact total VRAM', () => {
    const sections = configureCountSections(l10n, mixed);
    const n01 = sections.find((s) => s.name === 'AZL-N01')!;
    assert.deepEqual(n01.gpus[0].assignedTo, ['cad-ws-01']);
    assert.equal(n01.gpus[0].totalVRAMBytes, '15918030848');
    assert.equal(n01.gpus[0].totalVRAM, '14.82 GiB');
    assert.equal(n01.gpus[0].status, '«Partitioned»');
    assert.equal(sections.find((s) => s.name === 'AZL-N04')!.gpus[0].partitionCount, 8);
  });

  it('mixed: warning "not all GPUs have the same configuration" shows whatever is selected', () => {
    for (const sel of [defaultSelection(mixed), [], allPartitionableRefs(mixed)]) {
      assert.ok(codes(view(mixed, sel).warnings).includes('notAllSameConfiguration'), JSON.stringify(sel));
    }
    const text = view(mixed, []).warnings.find((w) => w.code === 'notAllSameConfiguration')!.text;
    assert.match(text, /^«Not all the GPUs across all the servers have the same configuration/);
  });

  it('mixed: error "a GPU with an assigned partition" for the default selection (cad-ws-01 holds one on AZL-N01)', () => {
    const v = view(mixed, defaultSelection(mixed));
    assert.deepEqual(codes(v.errors), ['assignedPartitionSelected']);
    assert.match(v.errors[0].text, /cad-ws-01/);
    assert.match(v.errors[0].text, /^«.*Unassign the partition/);
  });

  it('mixed: warning "deselected from the homogeneous set" (no error) when the busy GPU is left out', () => {
    const sel = defaultSelection(mixed).filter((r) => !(r.server === 'AZL-N01' && sameGpuRef(r, { server: 'AZL-N01', gpu: server(mixed, 'AZL-N01').gpus[0].partitionable!.name })));
    assert.equal(sel.length, defaultSelection(mixed).length - 1);
    const v = view(mixed, sel);
    assert.deepEqual(codes(v.warnings), ['deselectedFromHomogeneousSet', 'notAllSameConfiguration']);
    assert.deepEqual(v.errors, [], 'a warning does not block');
    assert.ok(v.validCounts.includes(8));
  });

  it('mixed: error "different configurations" when a 16-partition GPU and an AZL-N04 GPU (8) are selected', () => {
    const sixteen = homogeneousSets(mixed).find((s) => s.partitionCount === 16)!.members.find((m) => m.server === 'AZL-N02')!;
    const eight = allPartitionableRefs(mixed).find((r) => r.server === 'AZL-N04')!;
    const v = view(mixed, [sixteen, eight]);
    assert.ok(codes(v.errors).includes('differentConfigurationsSelected'));
  });

  it('error "nothing selected" blocks an empty selection', () => {
    const v = view(demo, []);
    assert.deepEqual(codes(v.errors), ['nothingSelected']);
    assert.deepEqual(v.validCounts, []);
  });
});

describe('webview view models: Assign / Unassign / Details', () => {
  let demo: Inventory;
  let mixed: Inventory;
  before(async () => {
    demo = await scenarioInventory('demo');
    mixed = await scenarioInventory('mixed');
  });

  it('Assign: VMs that already have a partition are disabled with the reason; the others can be chosen', () => {
    const rows = assignVmRows(l10n, server(demo, 'AZL-N01'));
    assert.deepEqual(rows.map((r) => r.name), ['archive-01', 'cad-ws-01', 'cad-ws-02', 'render-01']);
    const byName = new Map(rows.map((r) => [r.name, r]));
    assert.equal(byName.get('cad-ws-02')!.disabledReason, undefined);
    assert.equal(byName.get('cad-ws-02')!.running, true);
    // The planner refuses a Saved VM (resume or shut it down first); the form says so up front.
    assert.match(byName.get('archive-01')!.disabledReason ?? '', /is saved\. Resume it or shut it down first/);
    assert.match(byName.get('render-01')!.disabledReason ?? '', /Already has a GPU partition/);
    assert.match(byName.get('render-01')!.disabledReason ?? '', /GPU chosen when the VM starts/, 'render-01 has no InstancePath');
    const mixedRows = new Map(assignVmRows(l10n, server(mixed, 'AZL-N01')).map((r) => [r.name, r]));
    assert.match(mixedRows.get('cad-ws-01')!.disabledReason ?? '', /NVIDIA A2/, 'a held partition names its GPU');
  });

  it('Assign: the VRAM option is the configured partition size (OptimalPartitionVRAM), exact bytes', () => {
    const opts = vramOptions(l10n, server(demo, 'AZL-N01'));
    assert.equal(opts.length, 1);
    assert.equal(opts[0].bytes, '939524096'); // 896 MiB at 16 partitions (domain doc §1.1 [S4])
    assert.equal(opts[0].gpus.length, 2);
    assert.match(opts[0].label, /896\.00 MiB.*16 partitions/);
  });

  it('Unassign: only VMs with a partition are listed', () => {
    assert.deepEqual(unassignVmRows(l10n, server(demo, 'AZL-N01')).map((r) => r.name), ['render-01']);
    assert.deepEqual(unassignVmRows(l10n, server(mixed, 'AZL-N01')).map((r) => r.name).sort(), ['cad-ws-01', 'render-01']);
  });

  it('Details of a GPU: the WAC fields with exact UInt64 values', () => {
    const gpu = server(demo, 'AZL-N01').gpus[0];
    const fields = new Map(gpuDetails(l10n, gpu).map((f) => [f.label, f]));
    for (const label of ['GPU name', 'GPU ID', 'Available encoder', 'Available decoder', 'Available VRAM', 'Valid partition counts', 'Current partition count']) {
      assert.ok(fields.has(`«${label}»`), label);
    }
    assert.equal(fields.get('«GPU name»')!.value, 'NVIDIA A2');
    assert.equal(fields.get('«Total VRAM»')!.value, '15918030848');
    assert.equal(fields.get('«Available VRAM»')!.value, gpu.partitionable!.availableVRAM.toString());
    assert.equal(fields.get('«Valid partition counts»')!.value, '16, 8, 4, 2, 1');
    assert.equal(fields.get('«Current partition count»')!.value, '16');
    assert.equal(fields.get('«GPU ID»')!.value, gpu.device.instanceId);
  });

  it('Details of a partition: partition ID, VM ID, instance path, VRAM, encode, decode', () => {
    const vm = server(mixed, 'AZL-N01').vms.find((v) => v.name === 'cad-ws-01')!;
    const a = vm.adapters[0];
    const fields = new Map(partitionDetails(l10n, vm, a).map((f) => [f.label, f.value]));
    assert.equal(fields.get('«Partition ID»'), String(a.partitionId));
    assert.equal(fields.get('«VM ID»'), a.vmId);
    assert.equal(fields.get('«Instance path»'), a.instancePath);
    assert.equal(fields.get('«Partition VRAM»'), a.currentPartitionVRAM!.toString());
    assert.match(fields.get('«Partition VRAM»')!, /^\d+$/);
    assert.equal(fields.get('«Partition encode»'), a.currentPartitionEncode!.toString());
    assert.equal(fields.get('«Partition decode»'), a.currentPartitionDecode!.toString());
    // An adapter that has not resolved yet (VM off, no InstancePath) says so instead of a value.
    const render = server(demo, 'AZL-N01').vms.find((v) => v.name === 'render-01')!;
    const pending = new Map(partitionDetails(l10n, render, render.adapters[0]).map((f) => [f.label, f.value]));
    assert.equal(pending.get('«Partition ID»'), '«(resolves when the VM starts)»');
  });
});
