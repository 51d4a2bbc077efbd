/**
 * The prerequisite-check report as the page and the Markdown export show it: results grouped by
 * check, localised. Pure (no `vscode`): the extension passes `vscode.l10n.t`, tests a fake.
 *
 * Localisation: titles are listed below as `t('…')` literals (the l10n extractor collects them; a
 * unit test keeps them equal to CHECK_TITLES), evidence and hints are the model's own templates
 * with named `{args}` (CheckText), which `vscode.l10n.t(template, args)` looks up in the bundle.
 */
import { CHECK_IDS, scopeLabel, summarizeChecks, type CheckId, type CheckResult, type CheckStatus, type CheckText } from '../../model/checks';
import type { CheckGroup, CheckRow } from './protocol';

/** `vscode.l10n.t` with named (`{server}`) arguments. */
export type Tr = (message: string, args?: Record<string, string | number>) => string;

/** The localised title of a check (English = CHECK_TITLES[id]). */
export function checkTitle(id: CheckId, t: Tr): string {
  switch (id) {
    case 'server-reachable':
      return t('Server can be read');
    case 'os-build':
      return t('Windows Server 2025 / Azure Local (build 26100+ for live migration)');
    case 'hyperv-role':
      return t('Hyper-V role installed');
    case 'partitionable-gpu':
      return t('A partitionable GPU exists (GPU-P host driver)');
    case 'gpu-pnp-state':
      return t('GPU device state (PnP)');
    case 'gpu-p-driver':
      return t('GPU-P host driver on the GPU');
    case 'sr-iov':
      return t('SR-IOV enabled');
    case 'iommu-dma-tracking':
      return t('IOMMU DMA bit tracking');
    case 'device-assignment-policy':
      return t('Device-assignment group policies');
    case 'gpu-homogeneous':
      return t('Same GPU make, model and size on every server');
    case 'partition-count-uniform':
      return t('Same partition count on every GPU');
    case 'vgpu-driver-version':
      return t('NVIDIA vGPU 18+ host driver (live migration)');
    case 'live-migration-incoming':
      return t('GPU accepts incoming live migration');
    case 'vm-generation':
      return t('Generation 2 VMs');
    case 'vm-automatic-checkpoints':
      return t('Automatic checkpoints off on GPU-P VMs');
    case 'vm-mmio':
      return t('MMIO space of GPU-P VMs');
    case 'vm-offline-action':
      return t('Offline action of clustered GPU-P VMs');
    case 'vm-single-adapter':
      return t('One GPU partition per VM');
    case 'live-migration-outgoing':
      return t('VM partition supports outgoing live migration');
    case 'orphaned-adapter':
      return t('No orphaned GPU partition adapters');
  }
}

export function localizeText(text: CheckText, t: Tr): string {
  return Object.keys(text.args).length > 0 ? t(text.template, text.args) : t(text.template);
}

const RANK: Record<CheckStatus, number> = { fail: 0, warn: 1, pass: 2 };

/** Groups per check: failing checks first, then warnings, then passes; within a check, worst rows first; ties keep CHECK_IDS order. */
export function groupResults(results: readonly CheckResult[], t: Tr): CheckGroup[] {
  const groups: CheckGroup[] = [];
  for (const id of CHECK_IDS) {
    const mine = results.filter((r) => r.id === id);
    if (mine.length === 0) continue;
    const rows: CheckRow[] = [...mine]
      .sort((a, b) => RANK[a.status] - RANK[b.status])
      .map((r) => {
        const row: CheckRow = { status: r.status, scope: scopeLabel(r.scope), evidence: localizeText(r.evidenceText, t) };
        if (r.hintText) row.hint = localizeText(r.hintText, t);
        if (r.fix) row.fix = r.fix;
        return row;
      });
    groups.push({ id, title: checkTitle(id, t), status: rows[0].status, source: mine[0].source, rows });
  }
  return groups.sort((a, b) => RANK[a.status] - RANK[b.status]);
}

export function summaryText(results: readonly CheckResult[], t: Tr): string {
  const s = summarizeChecks(results);
  return t('{fail} failed, {warn} warnings, {pass} passed.', { fail: s.fail, warn: s.warn, pass: s.pass });
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/**
 * The report as Markdown, in the UI language: summary, then each check with a problem (its rows
 * with evidence, hint and the fix in a PowerShell block), then a table of the checks that passed.
 */
export function checksMarkdown(subject: string, readAt: string | undefined, results: readonly CheckResult[], t: Tr): string {
  const groups = groupResults(results, t);
  const word: Record<CheckStatus, string> = { pass: t('PASS'), warn: t('WARN'), fail: t('FAIL') };
  const out: string[] = [`# ${t('GPU partitioning prerequisite check')}`, '', subject + (readAt ? ` · ${readAt}` : ''), '', `**${summaryText(results, t)}**`, ''];
  for (const g of groups.filter((x) => x.status !== 'pass')) {
    out.push(`## ${word[g.status]}: ${g.title}`, '');
    for (const r of g.rows) {
      out.push(`- **${word[r.status]}** \`${r.scope}\`: ${r.evidence}`);
      if (r.hint) out.push(`  > ${r.hint}`);
      if (r.fix) out.push('', '  ```powershell', ...r.fix.split('\n').map((l) => `  ${l}`), '  ```', '');
    }
    out.push('', `${t('Source')}: ${g.source}`, '');
  }
  const passed = groups.filter((g) => g.status === 'pass');
  if (passed.length > 0) {
    out.push(`## ${t('Passed')}`, '', `| ${t('Check')} | ${t('Scope')} | ${t('Evidence')} |`, '|---|---|---|');
    for (const g of passed) for (const r of g.rows) out.push(`| ${cell(g.title)} | ${cell(r.scope)} | ${cell(r.evidence)} |`);
    out.push('');
  }
  return out.join('\n');
}
