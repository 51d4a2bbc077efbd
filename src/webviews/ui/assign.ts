/** Browser side of "Assign GPU partition to VM" (WAC page, domain doc §2). */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { html, nothing, render } from 'lit';
import type { OperationView } from '../ipc';
import * as P from '../assign/protocol';
import { fmt, matches, on, send, setState } from './common';
import { operationView, revealOperation } from './operation';

const app = document.getElementById('app')!;

let state: P.AssignState | undefined;
const selected = new Set<string>();
let query = '';
let vramBytes = '';
let gpu = '';
let force = false;
let op: OperationView | undefined;

function persist(): void {
  if (!state) return;
  setState<P.AssignPersisted>({ connection: state.connection, server: state.server, selected: [...selected], forceShutdownOfflineAction: force });
}

on(P.stateChanged, (s) => {
  // After a refresh the page keeps its own ticks; a new server or a new preselection replaces them.
  const keepOwn = state !== undefined && state.server === s.server && state.selectionEpoch === s.selectionEpoch;
  const sameServer = state?.server === s.server;
  const wanted = keepOwn ? [...selected] : s.preselected;
  state = s;
  selected.clear();
  for (const v of wanted) if (s.vms.some((r) => r.name === v && !r.disabledReason)) selected.add(v);
  if (!keepOwn) force = s.forceShutdownOfflineAction;
  if (!sameServer) query = '';
  if (!s.vramOptions.some((o) => o.bytes === vramBytes)) vramBytes = s.vramOptions[0]?.bytes ?? '';
  if (!s.gpuOptions.some((g) => g.name === gpu)) gpu = '';
  document.title = s.strings.title;
  persist();
  draw();
});

on(P.operationChanged, (o) => {
  op = o;
  draw();
  revealOperation();
});

function params(): P.AssignParams {
  return { server: state!.server, vms: [...selected], vramBytes, gpu: gpu || undefined, forceShutdownOfflineAction: force };
}

function draw(): void {
  if (!state) return;
  const s = state;
  const t = s.strings;
  const running = op?.running === true;
  const visible = s.vms.filter((v) => matches(v.name, query));
  const selectable = visible.filter((v) => !v.disabledReason);
  const allSelected = selectable.length > 0 && selectable.every((v) => selected.has(v.name));
  const someSelected = selectable.some((v) => selected.has(v.name));
  const vramOption = s.vramOptions.find((o) => o.bytes === vramBytes);
  const gpus = s.gpuOptions.filter((g) => !vramOption || vramOption.gpus.includes(g.name));
  const canRun = !running && !s.problem && selected.size > 0 && vramBytes !== '';
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
            ?disabled=${running || selectable.length === 0}
            @change=${(e: Event) => {
              const on = (e.target as HTMLInputElement).checked;
              for (const v of selectable) on ? selected.add(v.name) : selected.delete(v.name);
              persist();
              draw();
            }}
          ></vscode-checkbox>
        </div>
        <ul class="vm-list" role="list">
          ${visible.length === 0 ? html`<li class="disabled">${t.noVms}</li>` : nothing}
          ${visible.map(
            (v) => html`<li class=${v.disabledReason ? 'disabled' : ''} data-vm=${v.name}>
              <vscode-checkbox
                label=${v.name}
                .checked=${selected.has(v.name)}
                ?disabled=${running || !!v.disabledReason}
                @change=${(e: Event) => {
                  (e.target as HTMLInputElement).checked ? selected.add(v.name) : selected.delete(v.name);
                  persist();
                  draw();
                }}
              ></vscode-checkbox>
              <span class="state">${v.state}</span>
              ${v.disabledReason ? html`<span class="reason">${v.disabledReason}</span>` : nothing}
            </li>`,
          )}
        </ul>
        <p class="help" data-testid="selected-count">${fmt(t.selectedCount, selected.size)}</p>
      </div>
      <div class="field">
        <label for="vram">${t.vram}</label>
        <vscode-single-select
          id="vram"
          .value=${vramBytes}
          ?disabled=${running || s.vramOptions.length === 0}
          @change=${(e: Event) => {
            vramBytes = (e.target as HTMLSelectElement).value;
            draw();
          }}
        >
          ${s.vramOptions.map((o) => html`<vscode-option value=${o.bytes} ?selected=${o.bytes === vramBytes}>${o.label}</vscode-option>`)}
        </vscode-single-select>
        <p class="help">${t.vramHelp}</p>
      </div>
      <div class="field">
        <label for="gpu">${t.gpu}</label>
        <vscode-single-select
          id="gpu"
          .value=${gpu}
          ?disabled=${running}
          @change=${(e: Event) => {
            gpu = (e.target as HTMLSelectElement).value;
            draw();
          }}
        >
          <vscode-option value="" ?selected=${gpu === ''}>${t.anyGpu}</vscode-option>
          ${gpus.map((g) => html`<vscode-option value=${g.name} ?selected=${g.name === gpu}>${g.label}</vscode-option>`)}
        </vscode-single-select>
      </div>
      <div class="field">
        <vscode-checkbox
          id="offline-action"
          label=${t.offlineAction}
          .checked=${force}
          ?disabled=${running}
          @change=${(e: Event) => {
            force = (e.target as HTMLInputElement).checked;
            persist();
            draw();
          }}
        ></vscode-checkbox>
        <p class="help">${t.offlineActionHelp}</p>
      </div>
      <div class="actions">
        <vscode-button id="assign" ?disabled=${!canRun} @click=${() => canRun && send(P.assign, params())}>${t.assign}</vscode-button>
        <vscode-button secondary id="preview" ?disabled=${!canRun} @click=${() => canRun && send(P.previewScript, params())}>${t.previewScript}</vscode-button>
        <vscode-button secondary id="refresh" ?disabled=${running} @click=${() => send(P.refresh, {})}>${t.refresh}</vscode-button>
      </div>
      ${!running && selected.size === 0 && !s.problem ? html`<p class="help">${t.nothingSelected}</p>` : nothing}
      ${operationView(op)}`,
    app,
  );
}

send(P.ready, {});
