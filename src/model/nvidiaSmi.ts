/**
 * Reader of `nvidia-smi -q -x` (the guest check runs it inside a GPU-P VM through PowerShell Direct
 * and shows driver version, virtualization mode, framebuffer and licence state). Pure, no
 * dependency: a small tolerant XML reader (elements, attributes, text, entities, CDATA; it skips the
 * prolog, DOCTYPE, comments and processing instructions, and closes what a truncated document left
 * open), then a mapping of the elements NVIDIA prints (tag names as in nvsmi_device_v*.dtd; tested on
 * real output, test/fixtures/nvidia-smi/).
 *
 * nvidia-smi prints "N/A" for what does not apply; such values become undefined.
 */
import type { CallOptions } from './backend';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated direct text, trimmed. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body] ?? whole;
  });
}

const ATTR = /([^\s=/>]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

/**
 * Parses XML into a tree under a synthetic root named `#document`. Never throws: unknown
 * constructs are skipped, a closing tag that matches no open element is ignored, one that matches an
 * outer element closes the inner ones, and elements still open at the end are closed.
 */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const texts: string[][] = [[]];
  let i = 0;
  const n = xml.length;
  const top = () => stack[stack.length - 1];
  const closeTop = () => {
    const el = stack.pop()!;
    el.text = texts.pop()!.join('').trim();
  };
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) {
      texts[texts.length - 1].push(decodeEntities(xml.slice(i)));
      break;
    }
    if (lt > i) texts[texts.length - 1].push(decodeEntities(xml.slice(i, lt)));
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      texts[texts.length - 1].push(xml.slice(lt + 9, end < 0 ? n : end));
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (xml.startsWith('<!', lt)) {
      // DOCTYPE (possibly with an internal subset in brackets).
      let j = lt + 2;
      let depth = 0;
      while (j < n) {
        const c = xml[j];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) break;
        j++;
      }
      i = j + 1;
      continue;
    }
    const gt = xml.indexOf('>', lt + 1);
    if (gt < 0) break; // truncated tag
    const body = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (body.startsWith('/')) {
      const name = body.slice(1).trim();
      const at = stack.map((e) => e.name).lastIndexOf(name);
      if (at > 0) while (stack.length > at) closeTop();
      continue;
    }
    const selfClosing = body.endsWith('/');
    const inner = selfClosing ? body.slice(0, -1) : body;
    const m = /^\s*([^\s/>]+)/.exec(inner);
    if (!m) continue;
    const el: XmlElement = { name: m[1], attributes: {}, children: [], text: '' };
    const rest = inner.slice(m[0].length);
    ATTR.lastIndex = 0;
    let a: RegExpExecArray | null;
    while ((a = ATTR.exec(rest)) !== null) {
      el.attributes[a[1]] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '');
    }
    top().children.push(el);
    if (!selfClosing) {
      stack.push(el);
      texts.push([]);
    }
  }
  while (stack.length > 1) closeTop();
  root.text = texts[0].join('').trim();
  return root;
}

/** First child element with this name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** Text at a path of child names; undefined when missing, empty or "N/A". */
export function textAt(el: XmlElement | undefined, ...path: string[]): string | undefined {
  let cur = el;
  for (const p of path) cur = child(cur, p);
  const v = cur?.text;
  return v === undefined || v === '' || v === 'N/A' ? undefined : v;
}

/** "143771 MiB" -> 143771. */
function mib(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*MiB$/i.exec(text);
  return m ? Number(m[1]) : undefined;
}

function int(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

export interface NvidiaSmiGpu {
  /** PCI bus id from `<gpu id="…">`. */
  id?: string;
  productName?: string;
  productBrand?: string;
  productArchitecture?: string;
  uuid?: string;
  /** `Pass-Through`, `VGPU`, `Host VGPU`, `None`… */
  virtualizationMode?: string;
  hostVgpuMode?: string;
  /** WDDM / TCC (Windows); N/A on Linux. */
  driverModel?: string;
  fbMemoryTotalMiB?: number;
  fbMemoryReservedMiB?: number;
  fbMemoryUsedMiB?: number;
  fbMemoryFreeMiB?: number;
  /** e.g. `NVIDIA RTX Virtual Workstation`. */
  licensedProduct?: string;
  /** e.g. `Licensed (Expiry: 2026-7-7 16:1:44 GMT)`, `Unlicensed (Restricted)`. */
  licenseStatus?: string;
  /** true when licenseStatus starts with "Licensed". */
  licensed?: boolean;
  /** The expiry inside licenseStatus, as printed (`2026-7-7 16:1:44 GMT`). */
  licenseExpiry?: string;
  pciDeviceId?: string;
  pciSubSystemId?: string;
  pciBusId?: string;
}

export interface NvidiaSmiReport {
  timestamp?: string;
  driverVersion?: string;
  cudaVersion?: string;
  attachedGpus?: number;
  gpus: NvidiaSmiGpu[];
}

export class NvidiaSmiParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NvidiaSmiParseError';
  }
}

function parseLicense(status: string | undefined): Pick<NvidiaSmiGpu, 'licensed' | 'licenseExpiry'> {
  if (status === undefined) return {};
  const expiry = /Expiry:\s*([^)]*)\)/i.exec(status)?.[1]?.trim();
  return { licensed: /^Licensed\b/i.test(status), ...(expiry ? { licenseExpiry: expiry } : {}) };
}

function clean<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * Parses `nvidia-smi -q -x`. Throws NvidiaSmiParseError when the text has no `<nvidia_smi_log>`
 * (for instance when nvidia-smi printed an error instead: "NVIDIA-SMI has failed because it
 * couldn't communicate with the NVIDIA driver…").
 */
export function parseNvidiaSmiXml(xml: string): NvidiaSmiReport {
  const doc = parseXml(xml);
  const log = child(doc, 'nvidia_smi_log');
  if (!log) {
    const first = xml.trim().split(/\r?\n/)[0]?.slice(0, 200) ?? '';
    throw new NvidiaSmiParseError(`Not nvidia-smi XML output (no <nvidia_smi_log>)${first ? `: ${first}` : ''}`);
  }
  const gpus = log.children
    .filter((c) => c.name === 'gpu')
    .map((g): NvidiaSmiGpu => {
      const licenseStatus = textAt(g, 'vgpu_software_licensed_product', 'license_status');
      return clean({
        id: g.attributes.id,
        productName: textAt(g, 'product_name'),
        productBrand: textAt(g, 'product_brand'),
        productArchitecture: textAt(g, 'product_architecture'),
        uuid: textAt(g, 'uuid'),
        virtualizationMode: textAt(g, 'gpu_virtualization_mode', 'virtualization_mode'),
        hostVgpuMode: textAt(g, 'gpu_virtualization_mode', 'host_vgpu_mode'),
        driverModel: textAt(g, 'driver_model', 'current_dm'),
        fbMemoryTotalMiB: mib(textAt(g, 'fb_memory_usage', 'total')),
        fbMemoryReservedMiB: mib(textAt(g, 'fb_memory_usage', 'reserved')),
        fbMemoryUsedMiB: mib(textAt(g, 'fb_memory_usage', 'used')),
        fbMemoryFreeMiB: mib(textAt(g, 'fb_memory_usage', 'free')),
        licensedProduct: textAt(g, 'vgpu_software_licensed_product', 'licensed_product_name'),
        licenseStatus,
        ...parseLicense(licenseStatus),
        pciDeviceId: textAt(g, 'pci', 'pci_device_id'),
        pciSubSystemId: textAt(g, 'pci', 'pci_sub_system_id'),
        pciBusId: textAt(g, 'pci', 'pci_bus_id'),
      });
    });
  return clean({
    timestamp: textAt(log, 'timestamp'),
    driverVersion: textAt(log, 'driver_version'),
    cudaVersion: textAt(log, 'cuda_version'),
    attachedGpus: int(textAt(log, 'attached_gpus')),
    gpus,
  });
}

// ---------------------------------------------------------------------------------------------
// Guest check: what the output says about a GPU-P VM.

/**
 * Runs `nvidia-smi -q -x` inside a VM and returns its stdout. The simulator implements it from its
 * state (src/sim/guest.ts SimGuestProbe); the PowerShell backend runs
 * `Invoke-Command -VMName <vm> -ScriptBlock { nvidia-smi -q -x }` on the VM's host (PowerShell Direct).
 */
export interface GuestProbe {
  nvidiaSmiXml(server: string, vm: string, options?: CallOptions): Promise<string>;
}

/** True when a backend (or anything) can run the guest check itself. */
export function isGuestProbe(x: unknown): x is GuestProbe {
  return typeof x === 'object' && x !== null && typeof (x as { nvidiaSmiXml?: unknown }).nvidiaSmiXml === 'function';
}

export type GuestFindingStatus = 'pass' | 'warn' | 'fail';

export interface GuestFinding {
  id: 'gpu-visible' | 'virtualization-mode' | 'framebuffer' | 'license';
  status: GuestFindingStatus;
  /** English text; `template` + `args` for localisation (`{name}` placeholders). */
  message: string;
  template: string;
  args: Record<string, string | number>;
}

export interface GuestCheck {
  report: NvidiaSmiReport;
  findings: GuestFinding[];
  status: GuestFindingStatus;
}

/** Marks an English template for the l10n extractor (it collects `t('…')` literals); the UI localises it with its args. */
function t(template: string): string {
  return template;
}

function finding(id: GuestFinding['id'], status: GuestFindingStatus, template: string, args: Record<string, string | number> = {}): GuestFinding {
  const message = template.replace(/\{(\w+)\}/g, (w, k: string) => (k in args ? String(args[k]) : w));
  return { id, status, message, template, args };
}

/**
 * Judges a guest's nvidia-smi report against the partition the host gave the VM: a GPU is visible,
 * its virtualization mode is VGPU (a GPU-P partition runs the vGPU guest driver, §3 [S16, S25]), its
 * framebuffer matches the partition VRAM (within the MiB the guest driver reserves: the guest total
 * is at most the partition), and the vGPU licence is active (§3 licensing [S16]).
 */
export function assessGuest(report: NvidiaSmiReport, partitionVRAM?: bigint): GuestCheck {
  const findings: GuestFinding[] = [];
  const gpu = report.gpus[0];
  if (!gpu) {
    findings.push(finding('gpu-visible', 'fail', t('nvidia-smi sees no GPU in the VM.')));
    return { report, findings, status: 'fail' };
  }
  findings.push(finding('gpu-visible', 'pass', t('{product} with driver {driver}.'), { product: gpu.productName ?? '?', driver: report.driverVersion ?? '?' }));
  const mode = gpu.virtualizationMode ?? 'unknown';
  findings.push(
    mode === 'VGPU'
      ? finding('virtualization-mode', 'pass', t('Virtualization mode {mode}: the VM runs on a GPU partition.'), { mode })
      : finding('virtualization-mode', 'warn', t('Virtualization mode {mode}: not a GPU partition (VGPU expected).'), { mode }),
  );
  if (gpu.fbMemoryTotalMiB !== undefined && partitionVRAM !== undefined) {
    const expected = Number(partitionVRAM / (1024n * 1024n));
    const ok = gpu.fbMemoryTotalMiB <= expected && gpu.fbMemoryTotalMiB >= expected * 0.9;
    findings.push(
      finding('framebuffer', ok ? 'pass' : 'warn', t('Framebuffer {total} MiB (used {used} MiB); the partition has {expected} MiB.'), {
        total: gpu.fbMemoryTotalMiB,
        used: gpu.fbMemoryUsedMiB ?? 0,
        expected,
      }),
    );
  } else if (gpu.fbMemoryTotalMiB !== undefined) {
    findings.push(finding('framebuffer', 'pass', t('Framebuffer {total} MiB (used {used} MiB).'), { total: gpu.fbMemoryTotalMiB, used: gpu.fbMemoryUsedMiB ?? 0 }));
  }
  if (gpu.licenseStatus !== undefined) {
    findings.push(
      gpu.licensed
        ? finding('license', 'pass', t('{product}: {status}.'), { product: gpu.licensedProduct ?? 'vGPU', status: gpu.licenseStatus })
        : finding('license', 'fail', t('{product}: {status}. An unlicensed vGPU runs with reduced capability.'), { product: gpu.licensedProduct ?? 'vGPU', status: gpu.licenseStatus }),
    );
  } else if (mode === 'VGPU') {
    findings.push(finding('license', 'warn', t('nvidia-smi reports no vGPU licence state.')));
  }
  const status: GuestFindingStatus = findings.some((f) => f.status === 'fail') ? 'fail' : findings.some((f) => f.status === 'warn') ? 'warn' : 'pass';
  return { report, findings, status };
}
