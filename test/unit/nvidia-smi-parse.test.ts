/**
 * The nvidia-smi XML reader on real output (test/fixtures/nvidia-smi/h200-passthrough, copied from
 * ../shared/fixtures: an NVIDIA H200 passed through to a VM, driver 580.159.04), cross-checked with
 * the text and CSV output captured on the same machine; plus the tolerant XML reader's edge cases.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { assessGuest, child, NvidiaSmiParseError, parseNvidiaSmiXml, parseXml, textAt } from '../../src/model/nvidiaSmi';

const DIR = path.resolve(__dirname, '..', 'fixtures', 'nvidia-smi', 'h200-passthrough');
const read = (f: string) => readFileSync(path.join(DIR, f), 'utf8');

/** `Label : value` of `nvidia-smi -q` text (first match). */
function qText(label: string): string | undefined {
  const m = new RegExp(`^\\s*${label.replace(/[()]/g, '\\$&')}\\s*:\\s*(.*)$`, 'm').exec(read('nvidia-smi-q.txt'));
  return m?.[1].trim();
}

describe('parseNvidiaSmiXml on real output (H200, pass-through)', () => {
  const report = parseNvidiaSmiXml(read('nvidia-smi-q.xml'));
  const gpu = report.gpus[0];

  it('reads the log header', () => {
    assert.equal(report.driverVersion, '580.159.04');
    assert.equal(report.cudaVersion, '13.0');
    assert.equal(report.attachedGpus, 1);
    assert.equal(report.timestamp, 'Fri Nov 27 05:18:35 2026');
    assert.equal(report.gpus.length, 1);
  });

  it('reads the GPU: product, virtualization mode, framebuffer, PCI ids', () => {
    assert.equal(gpu.id, '00000000:00:06.0');
    assert.equal(gpu.productName, 'NVIDIA H200');
    assert.equal(gpu.productArchitecture, 'Hopper');
    assert.equal(gpu.virtualizationMode, 'Pass-Through');
    assert.equal(gpu.hostVgpuMode, undefined, 'N/A becomes undefined');
    assert.equal(gpu.driverModel, undefined, 'N/A on Linux');
    assert.equal(gpu.fbMemoryTotalMiB, 143771);
    assert.equal(gpu.fbMemoryReservedMiB, 616);
    assert.equal(gpu.fbMemoryUsedMiB, 0);
    assert.equal(gpu.fbMemoryFreeMiB, 143156);
    assert.equal(gpu.pciDeviceId, '233510DE');
    assert.equal(gpu.pciSubSystemId, '18BF10DE');
    assert.equal(gpu.licenseStatus, undefined);
    assert.equal(gpu.licensed, undefined);
  });

  it('agrees with `nvidia-smi -q` text and the CSV query of the same machine', () => {
    assert.equal(qText('Driver Version'), report.driverVersion);
    assert.equal(qText('Product Name'), gpu.productName);
    assert.equal(qText('Virtualization Mode'), gpu.virtualizationMode);
    const [index, name, memTotal, driver] = read('query-gpu-noheader.csv').trim().split(/,\s*/);
    assert.equal(index, '0');
    assert.equal(name, gpu.productName);
    assert.equal(Number(memTotal), gpu.fbMemoryTotalMiB);
    assert.equal(driver, report.driverVersion);
  });

  it('a pass-through GPU is not a GPU partition: the guest check warns on the mode', () => {
    const check = assessGuest(report);
    assert.equal(check.status, 'warn');
    assert.deepEqual(
      check.findings.map((f) => [f.id, f.status]),
      [
        ['gpu-visible', 'pass'],
        ['virtualization-mode', 'warn'],
        ['framebuffer', 'pass'],
      ],
    );
    assert.equal(check.findings[1].message, 'Virtualization mode Pass-Through: not a GPU partition (VGPU expected).');
  });

  it('the same GPU with CRLF line ends (Windows) parses identically', () => {
    assert.deepEqual(parseNvidiaSmiXml(read('nvidia-smi-q.xml').replace(/\n/g, '\r\n')), report);
  });
});

describe('vGPU guest output (licence)', () => {
  // The element layout of a licensed vGPU guest (vgpu_software_licensed_product, as nvidia-smi prints it).
  const xml = `<?xml version="1.0" ?>
<nvidia_smi_log>
  <driver_version>572.60</driver_version>
  <attached_gpus>1</attached_gpus>
  <gpu id="00000000:00:07.0">
    <product_name>NVIDIA A2-4Q</product_name>
    <gpu_virtualization_mode><virtualization_mode>VGPU</virtualization_mode><host_vgpu_mode>N/A</host_vgpu_mode></gpu_virtualization_mode>
    <vgpu_software_licensed_product>
      <licensed_product_name>NVIDIA RTX Virtual Workstation</licensed_product_name>
      <license_status>Licensed (Expiry: 2026-7-7 16:1:44 GMT)</license_status>
    </vgpu_software_licensed_product>
    <fb_memory_usage><total>3648 MiB</total><reserved>0 MiB</reserved><used>406 MiB</used><free>3242 MiB</free></fb_memory_usage>
  </gpu>
</nvidia_smi_log>`;

  it('reads licence product, status and expiry', () => {
    const g = parseNvidiaSmiXml(xml).gpus[0];
    assert.equal(g.virtualizationMode, 'VGPU');
    assert.equal(g.licensedProduct, 'NVIDIA RTX Virtual Workstation');
    assert.equal(g.licenseStatus, 'Licensed (Expiry: 2026-7-7 16:1:44 GMT)');
    assert.equal(g.licensed, true);
    assert.equal(g.licenseExpiry, '2026-7-7 16:1:44 GMT');
  });

  it('passes the guest check against the partition it runs on (3648 MiB = the A2 at 4 [S4])', () => {
    const check = assessGuest(parseNvidiaSmiXml(xml), 3825205248n);
    assert.equal(check.status, 'pass');
    assert.equal(check.findings.find((f) => f.id === 'framebuffer')!.message, 'Framebuffer 3648 MiB (used 406 MiB); the partition has 3648 MiB.');
  });

  it('fails the guest check when unlicensed, warns when the framebuffer does not match the partition', () => {
    const unlicensed = xml.replace('Licensed (Expiry: 2026-7-7 16:1:44 GMT)', 'Unlicensed (Restricted)');
    const r = parseNvidiaSmiXml(unlicensed);
    assert.equal(r.gpus[0].licensed, false);
    assert.equal(r.gpus[0].licenseExpiry, undefined);
    assert.equal(assessGuest(r, 3825205248n).status, 'fail');
    assert.equal(assessGuest(parseNvidiaSmiXml(xml), 939524096n).findings.find((f) => f.id === 'framebuffer')!.status, 'warn');
  });
});

describe('the tolerant XML reader', () => {
  it('decodes entities, CDATA and attributes; skips comments, PIs and the DOCTYPE subset', () => {
    const doc = parseXml(`<?xml version="1.0"?><!DOCTYPE a [<!ELEMENT a ANY>]><!-- c --><a x='1' y="&quot;2&quot;"><b>&lt;&amp;&#65;&#x42;</b><c><![CDATA[<raw>&amp;]]></c><d/></a>`);
    const a = child(doc, 'a')!;
    assert.deepEqual(a.attributes, { x: '1', y: '"2"' });
    assert.equal(textAt(a, 'b'), '<&AB');
    assert.equal(textAt(a, 'c'), '<raw>&amp;');
    assert.ok(child(a, 'd'));
    assert.equal(textAt(a, 'd'), undefined);
  });

  it('closes what a truncated document left open and ignores stray closing tags', () => {
    const doc = parseXml('<nvidia_smi_log><driver_version>1.2</driver_version></nope><gpu id="x"><product_name>P</product_name><fb_memory_usage><total>10 MiB');
    const log = child(doc, 'nvidia_smi_log')!;
    assert.equal(textAt(log, 'driver_version'), '1.2');
    assert.equal(textAt(log, 'gpu', 'fb_memory_usage', 'total'), '10 MiB');
    const r = parseNvidiaSmiXml('<nvidia_smi_log><gpu id="x"><product_name>P</product_name><fb_memory_usage><total>10 MiB');
    assert.equal(r.gpus[0].fbMemoryTotalMiB, 10);
  });

  it('a closing tag of an outer element closes the inner ones', () => {
    const doc = parseXml('<a><b><c>1</a><d>2</d>');
    assert.equal(textAt(doc, 'a', 'b', 'c'), '1');
    assert.equal(textAt(doc, 'd'), '2');
  });

  it('an error message instead of XML is a parse error that quotes it', () => {
    const text = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n";
    assert.throws(() => parseNvidiaSmiXml(text), (e: unknown) => e instanceof NvidiaSmiParseError && /couldn't communicate/.test(e.message));
    assert.throws(() => parseNvidiaSmiXml(''), NvidiaSmiParseError);
  });
});
