/** Browser side of the Details pane: WAC's "Selected item details" (domain doc §2). */
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import { html, nothing, render } from 'lit';
import * as P from '../details/protocol';
import { on, send, setState } from './common';

const app = document.getElementById('app')!;

on(P.stateChanged, (s) => {
  document.title = s.strings.title;
  setState<P.DetailsPersisted>({ ref: s.ref });
  app.removeAttribute('aria-busy');
  render(
    html`<h1>${s.heading}</h1>
      ${s.subject ? html`<p class="intro" data-testid="subject">${s.subject}</p>` : nothing}
      ${s.empty ? html`<p class="help">${s.empty}</p>` : nothing}
      <dl class="details" data-testid="details">
        ${s.fields.map(
          (f) => html`<dt>${f.label}</dt>
            <dd data-field=${f.label}>
              <span class="value">${f.value}</span>
              ${f.hint ? html`<span class="hint">(${f.hint})</span>` : nothing}
              <vscode-toolbar-button icon="copy" label=${s.strings.copy} title=${s.strings.copy} @click=${() => send(P.copyValue, { value: f.value })}></vscode-toolbar-button>
            </dd>`,
        )}
      </dl>`,
    app,
  );
});

send(P.ready, {});
