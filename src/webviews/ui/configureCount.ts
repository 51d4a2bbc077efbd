/** Browser side of "Configure partition count on GPUs" (WAC page, domain doc §2). */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { html, nothing, render } from 'lit';
import type { OperationView, UiMessage } from '../ipc';
import * as P from '../configureCount/protocol';
import { fmt, getState, on, send, setState } from './common';
import { operationView, revealOperation } from './operation';

const app = document.getElementById('app')!;

let state: P.ConfigureCountState | undefined;
const selected = new Map<string, P.GpuRef>();
let seq = 0;
let validation: P.CountValidation | undefined;
let count: number | undefined = getState<P.ConfigureCountPersisted>()?.count;
let op: OperationView | undefined;

const key = (r: P.GpuRef) => `${r.server.toUpperCase()}\u0000${r.gpu.toUpperCase()}`;

function persist(): void {
  if (!state) return;
  setState<P.ConfigureCountPersisted>({ connection: state.connection, selected: [...selected.values()], count });
}

function selectionChanged(): void {
  seq++;
  validation = undefined;
  persist();
  send(P.selectionChanged, { seq, selected: [...selected.values()] });
  draw();
}

on(P.stateChanged, (s) => {
  state = s;
  selected.clear();
  for (const r of s.selected) selected.set(key(r), r);
  if (s.count !== undefined && count === undefined) count = s.count;
  document.title = s.strings.title;
  selectionChanged();
});

on(P.validationChanged, (v) => {
  if (v.seq !== seq && v.seq !== -1) return; // an answer to an older selection
  validation = v;
  if (v.validCounts.length === 0) count = undefined;
  else if (count === undefined || !v.validCounts.includes(count)) count = defaultCount(v.validCounts);
  persist();
  draw();
});

on(P.operationChanged, (o) => {
  op = o;
  draw();
  revealOperation();
});

/** The selection's current count when it is valid (no change yet), else the largest valid count. */
function defaultCount(valid: number[]): number {
  const current = state?.servers.flatMap((s) => s.gpus).find((g) => selected.has(key(g)))?.partitionCount;
  return current !== undefined && valid.includes(current) ? current : valid[0];
}

function toggle(row: P.GpuRow, checked: boolean): void {
  if (checked) selected.set(key(row), { server: row.server, gpu: row.gpu });
  else selected.delete(key(row));
  selectionChanged();
}

function messages(list: UiMessage[], kind: 'warning' | 'error') {
  return list.map(
    (m) => html`<div class="message ${kind}" role=${kind === 'error' ? 'alert' : 'status'} data-code=${m.code} data-testid="${kind}-${m.code}">
      <vscode-icon name=${kind}></vscode-icon><span>${m.text}</span>
    </div>`,
  );
}

function draw(): void {
  if (!state) return;
  const t = state.strings;
  const allGpus = state.servers.flatMap((s) => s.gpus);
  const running = op?.running === true;
  const blocked = !validation || validation.errors.length > 0 || count === undefined || running;
  const tip = count !== undefined ? validation?.vramTips[String(count)] : undefined;
  app.removeAttribute('aria-busy');
  render(
    html`<h1>${t.title}</h1>
      <p class="intro">${t.intro}</p>
      ${allGpus.length === 0 ? html`<div class="message info" role="status"><vscode-icon name="info"></vscode-icon><span>${t.noGpus}</span></div>` : nothing}
      ${state.servers.map(
        (s) => html`<section class="server" data-server=${s.name}>
          <h2>${s.name}</h2>
          ${s.error ? html`<p class="server-error">${t.serverError} ${s.error}</p>` : nothing}
          ${s.gpus.length + s.otherGpus.length > 0
            ? html`<table class="gpus">
                <thead>
                  <tr>
                    <th scope="col">${t.colName}</th>
                    <th scope="col">${t.colStatus}</th>
                    <th scope="col">${t.colManufacturer}</th>
                    <th scope="col">${t.colPartitionCount}</th>
                    <th scope="col">${t.colTotalVram}</th>
                  </tr>
                </thead>
                <tbody>
                  ${s.gpus.map(
                    (g) => html`<tr class=${g.assignedTo.length ? 'blocked' : ''} data-gpu=${g.gpu}>
                      <td>
                        <vscode-checkbox
                          .checked=${selected.has(key(g))}
                          ?disabled=${running}
                          label=${g.friendlyName}
                          title=${g.gpu}
                          @change=${(e: Event) => toggle(g, (e.target as HTMLInputElement).checked)}
                        ></vscode-checkbox>
                        ${g.assignedTo.length ? html`<div class="help">${t.assignedTo} ${g.assignedTo.join(', ')}</div>` : nothing}
                      </td>
                      <td>${g.status}</td>
                      <td>${g.manufacturer}</td>
                      <td class="num">${g.partitionCount}</td>
                      <td class="num" title=${`${g.totalVRAMBytes} B`}>${g.totalVRAM}</td>
                    </tr>`,
                  )}
                  ${s.otherGpus.map(
                    (g) => html`<tr class="blocked">
                      <td>${g.friendlyName}</td>
                      <td>${g.status}</td>
                      <td colspan="3">${t.notPartitionable}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>`
            : nothing}
        </section>`,
      )}
      <p class="help" data-testid="selected-count">${fmt(t.selectedCount, selected.size, allGpus.length)}</p>
      <div class="messages">${validation ? [...messages(validation.errors, 'error'), ...messages(validation.warnings, 'warning')] : nothing}</div>
      <div class="field">
        <label for="count">${t.numberOfPartitions}</label>
        ${validation && validation.validCounts.length > 0
          ? html`<vscode-single-select
              id="count"
              .value=${count === undefined ? '' : String(count)}
              ?disabled=${running}
              @change=${(e: Event) => {
                count = Number((e.target as HTMLSelectElement).value);
                persist();
                draw();
              }}
            >
              ${validation.validCounts.map((c) => html`<vscode-option value=${String(c)} ?selected=${c === count}>${c}</vscode-option>`)}
            </vscode-single-select>`
          : html`<p class="help">${validation ? t.noValidCounts : ''}</p>`}
        <div class="tip" role="status" data-testid="vram-tip">${tip ?? ''}</div>
      </div>
      <div class="actions">
        <vscode-button
          id="configure"
          ?disabled=${blocked}
          @click=${() => {
            if (!blocked && count !== undefined) send(P.configure, { selected: [...selected.values()], count });
          }}
          >${t.configure}</vscode-button
        >
        <vscode-button
          secondary
          id="preview"
          ?disabled=${!validation || count === undefined || selected.size === 0}
          @click=${() => {
            if (count !== undefined) send(P.previewScript, { selected: [...selected.values()], count });
          }}
          >${t.previewScript}</vscode-button
        >
        <vscode-button secondary id="refresh" ?disabled=${running} @click=${() => send(P.refresh, {})}>${t.refresh}</vscode-button>
      </div>
      ${operationView(op)}`,
    app,
  );
}

send(P.ready, {});
