/** The per-item progress list every form shows while and after an operation runs. */
import { html, nothing, type TemplateResult } from 'lit';
import type { ItemProgress, OperationView } from '../ipc';

const ICONS: Record<ItemProgress['status'], string> = {
  pending: 'circle-large-outline',
  running: 'loading',
  ok: 'pass',
  failed: 'error',
  refused: 'circle-slash',
  cancelled: 'debug-stop',
};

export function operationView(op: OperationView | undefined): TemplateResult | typeof nothing {
  if (!op) return nothing;
  return html`<section class="operation ${op.running ? 'running' : op.ok ? 'ok' : 'failed'}" aria-live="polite" data-testid="operation">
    ${op.headline ? html`<p class="headline">${op.running ? html`<vscode-progress-ring class="inline-ring"></vscode-progress-ring>` : nothing}<span>${op.headline}</span></p>` : nothing}
    <ul class="items">
      ${op.items.map(
        (i) => html`<li class="item ${i.status}" data-target=${i.target} data-status=${i.status}>
          <vscode-icon name=${ICONS[i.status]} ?spin=${i.status === 'running'}></vscode-icon>
          <span class="target">${i.server} / ${i.target}</span>
          ${i.detail ? html`<span class="detail">${i.detail}</span>` : nothing}
        </li>`,
      )}
    </ul>
  </section>`;
}

/** Keeps the progress list in view while it changes (the form can be taller than the panel). */
export function revealOperation(): void {
  document.querySelector('[data-testid="operation"]')?.scrollIntoView({ block: 'nearest' });
}
