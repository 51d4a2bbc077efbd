/**
 * Browser side: the page's end of the channel. Runs inside the webview under a strict CSP, so no
 * inline handlers and no eval; lit binds events with addEventListener.
 */
import type { IpcCommand, IpcNotification } from '../ipc';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page. */
const api = acquireVsCodeApi();

export function send<P>(command: IpcCommand<P>, params: P): void {
  api.postMessage(command.message(params));
}

type Listener = { n: IpcNotification<any>; run: (params: any) => void };
const listeners: Listener[] = [];

export function on<P>(notification: IpcNotification<P>, run: (params: P) => void): void {
  listeners.push({ n: notification, run });
}

window.addEventListener('message', (event: MessageEvent) => {
  const msg: unknown = event.data;
  for (const l of listeners) if (l.n.is(msg)) l.run((msg as { params: unknown }).params);
});

export function getState<T>(): Partial<T> | undefined {
  const s = api.getState();
  return s && typeof s === 'object' ? (s as Partial<T>) : undefined;
}

export function setState<T>(state: T): void {
  api.setState(state);
}

/** `{0}`-style placeholders in strings the extension localised. */
export function fmt(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => (args[Number(i)] === undefined ? whole : String(args[Number(i)])));
}

/** Case-insensitive substring filter for the VM search boxes. */
export function matches(name: string, query: string): boolean {
  return name.toLowerCase().includes(query.trim().toLowerCase());
}
