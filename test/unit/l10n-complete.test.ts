/**
 * The Japanese translation is complete (issue 8): every key of package.nls.json is in
 * package.nls.ja.json and every key of l10n/bundle.l10n.json in l10n/bundle.l10n.ja.json, each with
 * a non-empty translation that keeps the placeholders ({0}, {name}), command links and code spans
 * of the English text; the English bundle is what scripts/l10n-extract.mjs extracts from the
 * sources now; and the texts the model builds at run time (check titles, evidence and hint
 * templates of every built-in scenario, guest-check findings) are keys of the bundle.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CHECK_TITLES, runChecks } from '../../src/model/checks';
import { assessGuest, parseNvidiaSmiXml } from '../../src/model/nvidiaSmi';
import { SCENARIOS } from '../../src/sim/index';
import { simGuestAnswer } from '../../src/sim/guest';
import { scenarioInventory } from './scenario-inventory';

const ROOT = path.resolve(__dirname, '..', '..');
const readJson = (p: string): Record<string, string> => JSON.parse(readFileSync(path.join(ROOT, p), 'utf8')) as Record<string, string>;

/** Placeholders a translation must keep: {0}, {name}, command links, backticked code. */
function tokens(text: string): string[] {
  const out = [
    ...(text.match(/\{[\w]+\}/g) ?? []),
    ...(text.match(/\(command:[^)]+\)/g) ?? []),
    ...(text.match(/`[^`]+`/g) ?? []),
  ];
  return out.sort();
}

/** Text that is mostly Japanese script (kana or kanji), or a deliberate keep (product names, codes). */
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

function checkComplete(englishFile: string, japaneseFile: string, mayStayEnglish: (key: string, value: string) => boolean): void {
  const en = readJson(englishFile);
  const ja = readJson(japaneseFile);
  const missing = Object.keys(en).filter((k) => !(k in ja));
  assert.deepEqual(missing, [], `${japaneseFile} lacks translations for these keys of ${englishFile}`);
  const stale = Object.keys(ja).filter((k) => !(k in en));
  assert.deepEqual(stale, [], `${japaneseFile} has keys that ${englishFile} no longer has`);
  const bad: string[] = [];
  for (const [k, v] of Object.entries(ja)) {
    if (typeof v !== 'string' || v.trim() === '') bad.push(`${k}: empty`);
    else if (JSON.stringify(tokens(v)) !== JSON.stringify(tokens(en[k]))) bad.push(`${k}: placeholders ${tokens(en[k]).join(' ')} -> ${tokens(v).join(' ')}`);
    else if (!JAPANESE.test(v) && !mayStayEnglish(k, en[k])) bad.push(`${k}: not translated ("${v}")`);
  }
  assert.deepEqual(bad, [], `${japaneseFile}: bad translations`);
}

/** Words that stay as they are in Japanese text: product names, units, identifiers. */
const KEEP = new Set(
  // Digits and hyphens are stripped first, so "GPU-P", "SR-IOV", "UInt64" arrive as their letter parts.
  'OK HYPER V GPU GPUS P VM VMS VRAM MMIO SR IOV IOMMU PNP ID SHA CUDA DDA NVIDIA PASS WARN FAIL MARKDOWN JSON LINES WINRM POWERSHELL REQUIRESECUREDEVICEASSIGNMENT REQUIRESUPPORTEDDEVICEASSIGNMENT UINT MAXVALUE'.split(' '),
);

/** A string that may stay English: only placeholders, numbers, punctuation and the words above. */
function universal(_key: string, value: string): boolean {
  const words = value.replace(/\{[\w]+\}|`[^`]+`|[0-9.,:;·×→–\-/%#()[\]'"…]/g, ' ').split(/\s+/).filter(Boolean);
  return words.every((w) => KEEP.has(w.toUpperCase()));
}

describe('l10n: Japanese translation is complete', () => {
  it('package.nls.ja.json translates every key of package.nls.json', () => {
    checkComplete('package.nls.json', 'package.nls.ja.json', universal);
  });

  it('l10n/bundle.l10n.ja.json translates every key of l10n/bundle.l10n.json', () => {
    checkComplete('l10n/bundle.l10n.json', 'l10n/bundle.l10n.ja.json', universal);
  });

  it('l10n/bundle.l10n.json is up to date with the sources (scripts/l10n-extract.mjs --check)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'l10n-extract.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr || r.stdout);
  });

  it('texts the model builds at run time are keys of the bundle (check titles, evidence, hints, guest findings)', async () => {
    const bundle = readJson('l10n/bundle.l10n.json');
    const missing = new Set<string>();
    for (const title of Object.values(CHECK_TITLES)) if (!(title in bundle)) missing.add(title);
    for (const name of SCENARIOS) {
      const inventory = await scenarioInventory(name);
      for (const r of runChecks(inventory)) {
        for (const text of [r.evidenceText, r.hintText]) if (text && !(text.template in bundle)) missing.add(text.template);
      }
      // The simulator's guest answer of every running VM with a partition, judged as the UI does.
      for (const server of inventory.servers) {
        for (const vm of server.vms.filter((v) => v.state === 'Running' && v.adapters.length > 0)) {
          const check = assessGuest(parseNvidiaSmiXml(simGuestAnswer(server, vm)), vm.adapters[0].currentPartitionVRAM);
          for (const f of check.findings) if (!(f.template in bundle)) missing.add(f.template);
        }
      }
    }
    // The real (pass-through) fixture exercises the warning findings.
    const xml = readFileSync(path.join(ROOT, 'test', 'fixtures', 'nvidia-smi', 'h200-passthrough', 'nvidia-smi-q.xml'), 'utf8');
    for (const f of assessGuest(parseNvidiaSmiXml(xml), 1n << 30n).findings) if (!(f.template in bundle)) missing.add(f.template);
    assert.deepEqual([...missing], []);
  });
});
