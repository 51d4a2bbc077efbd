/**
 * The guest check's result as Markdown in the UI language (shown in the Markdown preview): what
 * `nvidia-smi -q -x` reported inside the VM (driver, virtualization mode, framebuffer, licence)
 * and the findings of assessGuest. Pure: `t` is `vscode.l10n.t` or a test double.
 */
import type { GuestCheck, GuestFinding } from '../../model/nvidiaSmi';
import type { Translate } from '../../tree/nodes/types';

/** `vscode.l10n.t` with named arguments (the model's templates use `{name}`). */
export type NamedTr = (message: string, args: Record<string, string | number>) => string;

const MARK: Record<GuestFinding['status'], string> = { pass: '✅', warn: '⚠️', fail: '❌' };

function cell(s: string | number | undefined): string {
  return s === undefined ? '–' : String(s).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function guestMarkdown(vm: string, server: string, check: GuestCheck, t: Translate, named: NamedTr): string {
  const r = check.report;
  const g = r.gpus[0];
  const word = { pass: t('Passed'), warn: t('Warning'), fail: t('Failed') }[check.status];
  const out = [`# ${t('Guest check: {0}', vm)}`, '', `${t('Server')}: ${server} · nvidia-smi ${r.timestamp ?? ''}`, '', `**${MARK[check.status]} ${word}**`, ''];
  out.push(`| ${t('Property')} | ${t('Value')} |`, '|---|---|');
  out.push(`| ${t('Driver version')} | ${cell(r.driverVersion)} |`);
  out.push(`| ${t('CUDA version')} | ${cell(r.cudaVersion)} |`);
  if (g) {
    out.push(`| ${t('GPU')} | ${cell(g.productName)} |`);
    out.push(`| ${t('Virtualization mode')} | ${cell(g.virtualizationMode)} |`);
    out.push(`| ${t('Driver model')} | ${cell(g.driverModel)} |`);
    out.push(
      `| ${t('Framebuffer')} | ${g.fbMemoryTotalMiB !== undefined ? t('{0} MiB total, {1} MiB used, {2} MiB free', g.fbMemoryTotalMiB, g.fbMemoryUsedMiB ?? 0, g.fbMemoryFreeMiB ?? 0) : '–'} |`,
    );
    out.push(`| ${t('Licensed product')} | ${cell(g.licensedProduct)} |`);
    out.push(`| ${t('Licence state')} | ${cell(g.licenseStatus)} |`);
  }
  out.push('', `## ${t('Findings')}`, '');
  for (const f of check.findings) out.push(`- ${MARK[f.status]} ${Object.keys(f.args).length > 0 ? named(f.template, f.args) : t(f.template)}`);
  out.push('');
  return out.join('\n');
}
