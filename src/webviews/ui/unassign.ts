/** Browser side of "Unassign GPU partition from VM" (WAC page, domain doc §2). */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { html, nothing, render } from 'lit';
import type { OperationView } from '../ipc';
import * as P from '../unassign/protocol';
import { fmt, matches, on, send, setState } from './common';
import { operationView, revealOperation } from './operation';

const app = document.getElementById('app')!;

let state: P.UnassignState | undefined;
const selected = new Set<string>();
let query = '';
let op: OperationView | undefined;

function persist(): void {
  if (!state) return;
  setState<P.UnassignPersisted>({ connection: state.connection, server: state.server, selected: [...selected] });
}

on(P.stateChanged, (s) => {
  const keepOwn = state !== undefined && state.server === s.server && state.selectionEpoch === s.selectionEpoch;
  const sameServer = state?.server === s.server;
  const wanted = keepOwn ? [...selected] : s.preselected;
  state = s;
  selected.clear();
  for (const v of wanted) if (s.vms.some((r) => r.name === v)) selected.add(v);
  if (!sameServer) query = '';
  document.title = s.strings.title;
  persist();
  draw();
});

on(P.operationChanged, (o) => {
  op = o;
  draw();
  revealOperation();
});

function params(): P.UnassignParams {
  return { server: state!.server, vms: [...selected] };
}

function draw(): void {
  if (!state) return;
  const s = state;
  const t = s.strings;
  const running = op?.running === true;
  const visible = s.vms.filter((v) => matches(v.name, query));
  const allSelected = visible.length > 0 && visible.every((v) => selected.has(v.name));
  const someSelected = visible.some((v) => selected.has(v.name));
  const canRun = !running && !s.problem && selected.size > 0;
  app.removeAttribute('aria-busy');
  render(
    html`<h1>${t.title}</h1>
      <p class="intro">${t.intro}</p>
      <div class="message info" role="note" data-testid="power-cycle-note"><vscode-icon name="info"></vscode-icon><span>${t.powerCycleNote}</span></div>
      <div class="field">
        <label for="server">${t.server}</label>
        <vscode-single-select
          id="server"
          .value=${s.server}
          ?disabled=${running}
          @change=${(e: Event) => {
            const server = (e.target as HTMLSelectElement).value;
            if (server && server !== s.server) send(P.serverChanged, { server });
          }}
        >
          ${s.servers.map((n) => html`<vscode-option value=${n} ?selected=${n === s.server}>${n}</vscode-option>`)}
        </vscode-single-select>
      </div>
      ${s.problem ? html`<div class="message error" role="alert" data-testid="problem"><vscode-icon name="error"></vscode-icon><span>${s.problem}</span></div>` : nothing}
      <div class="field">
        <label for="search">${t.vms}</label>
        <vscode-textfield
          id="search"
          placeholder=${t.search}
          .value=${query}
          @input=${(e: Event) => {
            query = (e.target as HTMLInputElement).value;
            draw();
          }}
          ><vscode-icon slot="content-before" name="search"></vscode-icon
        ></vscode-textfield>
        <div>
          <vscode-checkbox
            id="select-all"
            label=${t.selectAll}
            .checked=${allSelected}
            .indeterminate=${someSelected && !allSelected}
            ?disabled=${running || visible.length === 0}
            @change=${(e: Event) => {
              const on = (e.target as HTMLInputElement).checked;
              for (const v of visible) on ? selected.add(v.name) : selected.delete(v.name);
              persist();
              draw();
            }}
          ></vscode-checkbox>
        </div>
        <ul class="vm-list" role="list">
          ${visible.length === 0 ? html`<li class="disabled">${t.noVms}</li>` : nothing}
          ${visible.map(
            (v) => html`<li data-vm=${v.name}>
              <vscode-checkbox
                label=${v.name}
                .checked=${selected.has(v.name)}
                ?disabled=${running}
                @change=${(e: Event) => {
                  (e.target as HTMLInputElement).checked ? selected.add(v.name) : selected.delete(v.name);
                  persist();
                  draw();
                }}
              ></vscode-checkbox>
              <span class="state">${v.state}</span>
              <span class="reason">${v.partition}</span>
            </li>`,
          )}
        </ul>
        <p class="help" data-testid="selected-count">${fmt(t.selectedCount, selected.size)}</p>
      </div>
      <div class="actions">
        <vscode-button id="unassign" ?disabled=${!canRun} @click=${() => canRun && send(P.unassign, params())}>${t.unassign}</vscode-button>
        <vscode-button secondary id="preview" ?disabled=${!canRun} @click=${() => canRun && send(P.previewScript, params())}>${t.previewScript}</vscode-button>
        <vscode-button secondary id="refresh" ?disabled=${running} @click=${() => send(P.refresh, {})}>${t.refresh}</vscode-button>
      </div>
      ${!running && selected.size === 0 && !s.problem ? html`<p class="help">${t.nothingSelected}</p>` : nothing}
      ${operationView(op)}`,
    app,
  );
}

send(P.ready, {});
