/**
 * Browser side of the prerequisite-check report. Renders what the extension posts (already
 * localised); styles come from webview.css plus a constructable stylesheet (CSSOM, which CSP's
 * style-src does not govern, like Lit's own styles).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import { css, html, nothing, render } from 'lit';
import { on, send, setState } from '../ui/common';
import * as P from './protocol';

const ICON: Record<P.Status, string> = { pass: 'pass-filled', warn: 'warning', fail: 'error' };

const sheet = css`
  .toolbar { display: flex; gap: 8px; align-items: center; margin: 12px 0; flex-wrap: wrap; }
  .summary { display: flex; gap: 16px; align-items: center; margin: 8px 0 16px; font-size: 1.05em; }
  .count { display: inline-flex; gap: 4px; align-items: center; font-weight: 600; }
  .st-pass vscode-icon, vscode-icon.st-pass { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
  .st-warn vscode-icon, vscode-icon.st-warn { color: var(--vscode-editorWarning-foreground, var(--vscode-charts-yellow)); }
  .st-fail vscode-icon, vscode-icon.st-fail { color: var(--vscode-errorForeground, var(--vscode-charts-red)); }
  details.check { border: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); border-left-width: 4px; margin: 8px 0; max-width: 1100px; }
  details.check.st-pass { border-left-color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
  details.check.st-warn { border-left-color: var(--vscode-editorWarning-foreground, var(--vscode-charts-yellow)); }
  details.check.st-fail { border-left-color: var(--vscode-errorForeground, var(--vscode-charts-red)); }
  details.check > summary { display: flex; gap: 8px; align-items: center; padding: 6px 10px; cursor: pointer; font-weight: 600; list-style: none; }
  details.check > summary::-webkit-details-marker { display: none; }
  details.check > summary .n { margin-left: auto; font-weight: normal; color: var(--vscode-descriptionForeground); }
  ul.rows { list-style: none; margin: 0; padding: 0 10px 8px 34px; }
  ul.rows li { padding: 6px 0; border-top: 1px solid var(--vscode-editorWidget-border, transparent); }
  .row-head { display: flex; gap: 8px; align-items: flex-start; }
  .scope { font-family: var(--vscode-editor-font-family); color: var(--vscode-textPreformat-foreground); white-space: nowrap; }
  .evidence { flex: 1; }
  .hint { color: var(--vscode-descriptionForeground); margin: 4px 0 0 24px; font-style: italic; }
  .fix { display: flex; gap: 6px; align-items: flex-start; margin: 6px 0 0 24px; }
  .fix pre { flex: 1; margin: 0; padding: 6px 8px; background: var(--vscode-textCodeBlock-background); font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); white-space: pre-wrap; word-break: break-all; }
  .fix .label { font-weight: 600; padding-top: 6px; }
  .source { color: var(--vscode-descriptionForeground); font-size: 0.9em; padding: 0 10px 8px 34px; }
  .error { color: var(--vscode-errorForeground); }
`;
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet.styleSheet!];

const app = document.getElementById('app')!;
let last: P.ChecksState | undefined;
/** Which groups the user opened or closed (by id), kept across re-renders. */
const openState = new Map<string, boolean>();

function toggleAll(open: boolean): void {
  if (!last) return;
  for (const g of last.groups) openState.set(g.id, open);
  draw(last);
}

function draw(s: P.ChecksState): void {
  // What a window reload needs to make this report again (src/webviews/register.ts).
  setState<P.ChecksPersisted>({ connection: s.connection, server: s.server });
  last = s;
  document.title = s.strings.title;
  app.setAttribute('aria-busy', String(s.running));
  const st = s.strings;
  render(
    html`<h1>${st.title}</h1>
      <p class="intro" data-testid="subject">${s.subject}${s.readAt ? html` · ${s.readAt}` : nothing}</p>
      <div class="toolbar">
        <vscode-button data-testid="run-again" icon="refresh" ?disabled=${s.running} @click=${() => send(P.runAgain, {})}>${st.runAgain}</vscode-button>
        <vscode-button data-testid="export" secondary icon="markdown" ?disabled=${s.running || s.groups.length === 0} @click=${() => send(P.exportMarkdown, {})}>${st.export}</vscode-button>
        <vscode-toolbar-button icon="expand-all" label=${st.expandAll} title=${st.expandAll} @click=${() => toggleAll(true)}></vscode-toolbar-button>
        <vscode-toolbar-button icon="collapse-all" label=${st.collapseAll} title=${st.collapseAll} @click=${() => toggleAll(false)}></vscode-toolbar-button>
        ${s.running ? html`<vscode-progress-ring class="inline-ring"></vscode-progress-ring><span>${st.running}</span>` : nothing}
      </div>
      ${s.error ? html`<p class="error" role="alert">${s.error}</p>` : nothing}
      ${s.summaryText
        ? html`<div class="summary" data-testid="summary" aria-label=${s.summaryText}>
            <span class="count st-fail" title=${st.fail}><vscode-icon name=${ICON.fail}></vscode-icon>${s.summary.fail}</span>
            <span class="count st-warn" title=${st.warn}><vscode-icon name=${ICON.warn}></vscode-icon>${s.summary.warn}</span>
            <span class="count st-pass" title=${st.pass}><vscode-icon name=${ICON.pass}></vscode-icon>${s.summary.pass}</span>
            <span>${s.summaryText}</span>
          </div>`
        : nothing}
      ${s.groups.map((g) => {
        const open = openState.get(g.id) ?? g.status !== 'pass';
        return html`<details class="check st-${g.status}" data-check=${g.id} data-status=${g.status} ?open=${open}
          @toggle=${(e: Event) => openState.set(g.id, (e.target as HTMLDetailsElement).open)}>
          <summary><vscode-icon class="st-${g.status}" name=${ICON[g.status]} label=${st[g.status]}></vscode-icon><span>${g.title}</span><span class="n">${g.rows.length}</span></summary>
          <ul class="rows">
            ${g.rows.map(
              (r) => html`<li class="st-${r.status}" data-status=${r.status}>
                <div class="row-head"><vscode-icon name=${ICON[r.status]} label=${st[r.status]}></vscode-icon><span class="scope">${r.scope}</span><span class="evidence">${r.evidence}</span></div>
                ${r.hint ? html`<div class="hint">${r.hint}</div>` : nothing}
                ${r.fix
                  ? html`<div class="fix"><span class="label">${st.fix}</span><pre data-testid="fix">${r.fix}</pre>
                      <vscode-toolbar-button icon="copy" label=${st.copy} title=${st.copy} data-testid="copy-fix" @click=${() => send(P.copyFix, { text: r.fix! })}></vscode-toolbar-button></div>`
                  : nothing}
              </li>`,
            )}
          </ul>
          <div class="source">${st.source}: ${g.source}</div>
        </details>`;
      })}`,
    app,
  );
}

on(P.stateChanged, draw);
send(P.ready, {});
