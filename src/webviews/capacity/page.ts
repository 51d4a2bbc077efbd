/**
 * Browser side of the capacity view: each GPU a bar of its partition slots, each slot coloured by
 * the VM holding it (a stable colour per VM) and patterned by its power state, server by server,
 * with totals; and the "where would N VMs of X GiB fit?" form. Colours are VS Code theme colours
 * (charts / terminal ANSI) so the view follows the theme. Styles are a constructable stylesheet
 * (CSSOM; the CSP has no 'unsafe-inline').
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { css, html, nothing, render } from 'lit';
import { getState, on, send, setState } from '../ui/common';
import * as P from './protocol';

const sheet = css`
  .c0 { --vm: var(--vscode-charts-blue, #3794ff); }
  .c1 { --vm: var(--vscode-charts-purple, #b180d7); }
  .c2 { --vm: var(--vscode-charts-orange, #d18616); }
  .c3 { --vm: var(--vscode-charts-green, #89d185); }
  .c4 { --vm: var(--vscode-terminal-ansiCyan, #11a8cd); }
  .c5 { --vm: var(--vscode-terminal-ansiMagenta, #bc3fbc); }
  .c6 { --vm: var(--vscode-charts-yellow, #cca700); }
  .c7 { --vm: var(--vscode-terminal-ansiBrightBlue, #3b8eea); }
  .c8 { --vm: var(--vscode-terminal-ansiBrightGreen, #23d18b); }
  .c9 { --vm: var(--vscode-terminal-ansiBrightRed, #f14c4c); }
  .totals { color: var(--vscode-descriptionForeground); }
  .cluster-totals { font-size: 1.05em; margin: 4px 0 12px; }
  .legend { display: flex; gap: 18px; flex-wrap: wrap; align-items: center; margin: 8px 0 16px; padding: 6px 10px; border: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); max-width: 1100px; }
  .legend .item { display: inline-flex; gap: 6px; align-items: center; }
  .legend .slot { width: 22px; height: 16px; flex: none; }
  section.server { margin: 14px 0 22px; max-width: 1100px; }
  section.server h2 { display: flex; gap: 10px; align-items: baseline; margin-bottom: 2px; }
  section.server h2 .totals { font-weight: normal; font-size: 0.85em; }
  .gpu { margin: 8px 0 10px 4px; }
  .gpu-head { display: flex; gap: 10px; align-items: baseline; margin-bottom: 3px; }
  .gpu-head .name { font-weight: 600; }
  .bar { display: flex; gap: 2px; height: 26px; }
  .slot { flex: 1 1 0; min-width: 6px; border-radius: 2px; box-sizing: border-box; position: relative; overflow: hidden; font-size: 0.75em; line-height: 22px; text-align: center; white-space: nowrap; text-overflow: ellipsis; padding: 0 2px; }
  .slot.running { background: var(--vm); color: var(--vscode-editor-background); line-height: 26px; }
  .slot.idle { background: repeating-linear-gradient(135deg, var(--vm) 0 5px, transparent 5px 9px); border: 2px solid var(--vm); }
  .slot.pending { border: 2px dashed var(--vm); background: color-mix(in srgb, var(--vm) 18%, transparent); }
  .slot.free { border: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border, #8886)); background: transparent; }
  .floating { margin: 6px 0 0 4px; }
  .floating .bar { max-width: 50%; }
  .note { color: var(--vscode-descriptionForeground); font-style: italic; }
  .warn { color: var(--vscode-editorWarning-foreground); display: flex; gap: 6px; align-items: center; }
  .error { color: var(--vscode-errorForeground); }
  form.ask { display: flex; gap: 12px; align-items: flex-end; flex-wrap: wrap; margin: 8px 0; }
  form.ask label { display: flex; flex-direction: column; gap: 4px; font-weight: 600; }
  form.ask vscode-textfield { width: 12em; }
  .verdict { font-weight: 600; display: flex; gap: 8px; align-items: center; margin: 10px 0; }
  .verdict.fitsNow vscode-icon { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
  .verdict.fitsAfter vscode-icon { color: var(--vscode-editorWarning-foreground); }
  .verdict.doesNotFit vscode-icon { color: var(--vscode-errorForeground); }
  table.plan { border-collapse: collapse; width: 100%; max-width: 1100px; }
  table.plan th, table.plan td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); vertical-align: top; }
  table.plan th { color: var(--vscode-descriptionForeground); font-weight: 600; }
  table.plan td.num { font-variant-numeric: tabular-nums; }
  table.plan tr.change td:first-child { font-weight: 600; }
  table.plan ul { margin: 0; padding-left: 1.1em; }
  .planner { border-top: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); margin-top: 18px; padding-top: 4px; max-width: 1100px; }
`;
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet.styleSheet!];

const app = document.getElementById('app')!;
let vmCount = '';
let vramGiB = '';
let invalid = false;

function slotView(s: P.Slot) {
  const cls = `slot ${s.kind}${s.color !== undefined ? ` c${s.color}` : ''}`;
  return html`<div class=${cls} title=${s.title} data-kind=${s.kind} data-vm=${s.vm ?? ''} role="img" aria-label=${s.title}>${s.vm ?? nothing}</div>`;
}

function legend(st: P.CapacityState['strings']) {
  const item = (kind: P.SlotKind, text: string) => html`<span class="item"><span class="slot ${kind} c0"></span>${text}</span>`;
  return html`<div class="legend" data-testid="legend" aria-label=${st.legend}>
    ${item('running', st.running)}${item('idle', st.idle)}${item('pending', st.pending)}${item('free', st.free)}
  </div>`;
}

function submit(e: Event, st: P.CapacityState['strings']): void {
  e.preventDefault();
  const n = Number(vmCount);
  const x = Number(vramGiB);
  invalid = !(Number.isInteger(n) && n >= 1 && Number.isFinite(x) && x > 0);
  if (!invalid) send(P.ask, { vmCount: n, vramGiB: x });
  if (last) draw(last);
  void st;
}

function planTable(plan: P.PlanView, st: P.CapacityState['strings']) {
  const icon = plan.verdict === 'fitsNow' ? 'pass-filled' : plan.verdict === 'fitsAfter' ? 'warning' : 'error';
  return html`<p class="verdict ${plan.verdict}" data-testid="verdict" data-verdict=${plan.verdict}><vscode-icon name=${icon}></vscode-icon>${plan.headline}</p>
    <table class="plan" data-testid="plan">
      <thead><tr><th>${st.server}</th><th>${st.fitNow}</th><th>${st.countToServe}</th><th>${st.fitAfter}</th><th>${st.disturbs}</th><th>${st.placement}</th></tr></thead>
      <tbody>
        ${plan.rows.map(
          (r) => html`<tr class=${r.changeNeeded ? 'change' : ''} data-server=${r.server}>
            <td>${r.server}</td>
            <td class="num">${r.fitNow}</td>
            <td>${r.countText}</td>
            <td class="num">${r.fitAfter}</td>
            <td>${r.disturbs.length === 0 ? st.nothing : html`<ul>${r.disturbs.map((d) => html`<li>${d}</li>`)}</ul>`}</td>
            <td class="num">${r.placedNow} → ${r.placedAfter}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    <p class="help">${plan.note}</p>`;
}

let last: P.CapacityState | undefined;

function draw(s: P.CapacityState): void {
  last = s;
  const st = s.strings;
  document.title = st.title;
  if (vmCount === '') vmCount = String(s.question.vmCount);
  if (vramGiB === '') vramGiB = String(s.question.vramGiB);
  setState<P.CapacityPersisted>({ connection: s.connection, vmCount: Number(vmCount) || undefined, vramGiB: Number(vramGiB) || undefined });
  app.setAttribute('aria-busy', String(s.loading));
  render(
    html`<h1>${st.title}: ${s.subject}</h1>
      <p class="intro">${s.readAt ?? nothing}
        <vscode-button secondary icon="refresh" data-testid="refresh" @click=${() => send(P.refresh, {})}>${st.refresh}</vscode-button>
        ${s.loading ? html`<vscode-progress-ring class="inline-ring"></vscode-progress-ring> ${st.loading}` : nothing}</p>
      ${s.error ? html`<p class="error" role="alert">${s.error}</p>` : nothing}
      ${s.totals ? html`<p class="cluster-totals" data-testid="cluster-totals"><strong>${st.cluster}:</strong> <span class="totals">${s.totals.text}</span></p>` : nothing}
      ${legend(st)}
      ${s.servers.map(
        (srv) => html`<section class="server" data-server=${srv.name}>
          <h2>${srv.name} ${srv.totals ? html`<span class="totals" data-testid="server-totals">${srv.totals.text}</span>` : nothing}</h2>
          ${srv.error ? html`<p class="error">${srv.error}</p>` : nothing}
          ${srv.note ? html`<p class="note">${srv.note}</p>` : nothing}
          ${srv.gpus.map(
            (g) => html`<div class="gpu" data-gpu=${g.name}>
              <div class="gpu-head"><span class="name">${g.label}</span><span class="totals">${g.each} · ${g.totals.text}</span></div>
              <div class="bar" role="list">${g.slots.map(slotView)}</div>
              ${g.overcommitted ? html`<p class="warn"><vscode-icon name="warning"></vscode-icon>${st.overcommitted}</p>` : nothing}
            </div>`,
          )}
          ${srv.floating.length > 0
            ? html`<div class="floating"><div class="totals">${srv.floatingLabel}</div><div class="bar">${srv.floating.map(slotView)}</div></div>`
            : nothing}
          ${srv.orphaned.length > 0 ? html`<p class="warn"><vscode-icon name="warning"></vscode-icon>${st.orphaned}: ${srv.orphaned.join(', ')}</p>` : nothing}
        </section>`,
      )}
      <section class="planner">
        <h2>${st.formTitle}</h2>
        <form class="ask" data-testid="ask" @submit=${(e: Event) => submit(e, st)}>
          <label>${st.vmCount}<vscode-textfield type="number" min="1" step="1" data-testid="vm-count" .value=${vmCount} @input=${(e: Event) => (vmCount = (e.target as HTMLInputElement).value)}></vscode-textfield></label>
          <label>${st.vramGiB}<vscode-textfield type="number" min="0.125" step="0.125" data-testid="vram-gib" .value=${vramGiB} @input=${(e: Event) => (vramGiB = (e.target as HTMLInputElement).value)}></vscode-textfield></label>
          <vscode-button data-testid="find-room" icon="search" @click=${(e: Event) => submit(e, st)}>${st.ask}</vscode-button>
        </form>
        ${invalid ? html`<p class="error" role="alert">${st.invalid}</p>` : nothing}
        ${s.plan ? planTable(s.plan, st) : nothing}
      </section>`,
    app,
  );
}

const saved = getState<P.CapacityPersisted>();
if (saved?.vmCount) vmCount = String(saved.vmCount);
if (saved?.vramGiB) vramGiB = String(saved.vramGiB);
on(P.stateChanged, draw);
send(P.ready, {});
