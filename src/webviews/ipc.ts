/**
 * The typed message channel between a panel (extension side) and its page (browser side).
 * Shared by both sides, so no `vscode` and no zod here (zod would pull its eval-probing JIT into
 * the page; the extension validates with zod in ./validate.ts instead).
 *
 * Shape after gitkraken/vscode-gitlens `src/webviews/protocol.ts` (docs/style.md): one definition
 * object per message with an `is()` guard, so neither side switches on bare strings.
 */

/** What travels in `postMessage`, either way. */
export interface IpcMessage<P = unknown> {
  /** `<scope>/<name>`, e.g. `configureCount/selectionChanged`. */
  method: string;
  params: P;
}

abstract class IpcDefinition<P> {
  readonly method: string;
  /** Phantom field carrying the params type; never set at run time. */
  declare readonly _params: P;

  constructor(
    readonly scope: string,
    readonly name: string,
  ) {
    this.method = `${scope}/${name}`;
  }

  is(msg: unknown): msg is IpcMessage<P> {
    return typeof msg === 'object' && msg !== null && (msg as { method?: unknown }).method === this.method;
  }

  message(params: P): IpcMessage<P> {
    return { method: this.method, params };
  }
}

/** Page -> extension: "do this". The extension validates params with zod before acting. */
export class IpcCommand<P = Record<string, never>> extends IpcDefinition<P> {
  readonly kind = 'command';
}

/** Extension -> page: "this is the state now". */
export class IpcNotification<P> extends IpcDefinition<P> {
  readonly kind = 'notification';
}

export type ParamsOf<T> = T extends IpcDefinition<infer P> ? P : never;

/** One line of a validation or result list, already localised by the extension. */
export interface UiMessage {
  code: string;
  text: string;
}

/** Per-item progress of an operation (one VM for assign/unassign, one GPU for set-count). */
export interface ItemProgress {
  server: string;
  target: string;
  status: 'pending' | 'running' | 'ok' | 'failed' | 'refused' | 'cancelled';
  /** Localised step text ("Stopping VM…") or the failure reason. */
  detail?: string;
}

/** Common notification every form page understands: an operation's live progress and end. */
export interface OperationView {
  running: boolean;
  /** Localised headline: "Assigning partitions…", "Partition is successfully assigned." */
  headline?: string;
  ok?: boolean;
  items: ItemProgress[];
}

/**
 * Strings the page shows, localised by the extension with `vscode.l10n.t` and sent with the
 * state, so the Japanese bundle covers the pages too.
 */
export type StringTable<K extends string> = Record<K, string>;
