/**
 * The one redaction point of the extension (issue 7, "Secrets"). Every password the credential
 * store hands out or stores is registered here; every sink that can carry text derived from a
 * PowerShell run goes through it:
 *
 * - the backends (redactingBackend): their records (the output panel and the progress text are fed
 *   from these), the errors they throw (error messages, error nodes, notifications), and the plans,
 *   results and inventories they return (the webview pages and the audit log are built from these);
 * - the LogOutputChannel (redactingLog): every line written to the "GPU Partitions" output, which is
 *   also the extension's log file under context.logUri;
 * - the audit log writer (redactingAuditLog), whatever record it is given.
 *
 * The runner (src/hyperv/runner.ts) already redacts what it knows to be secret (its parameter
 * object's password); this is the second line, for text the runner cannot know about (a stray
 * native-tool line, a malformed-output snippet, a message built later). Pure: no `vscode` import.
 */
import type { Backend, CallOptions, InventoryOptions } from '../model/backend';
import type { OutputSink } from '../model/types';
import { isGuestProbe } from '../model/nvidiaSmi';
import { redactText } from '../hyperv/redact';

export class SecretRedactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret; empty values are ignored. */
  add(secret: string | undefined): void {
    if (secret) this.secrets.add(secret);
  }

  remove(secret: string | undefined): void {
    if (secret) this.secrets.delete(secret);
  }

  get size(): number {
    return this.secrets.size;
  }

  /** The text with every registered secret (and its base64 / JSON-escaped forms) replaced by `***`. */
  redact(text: string): string {
    if (this.secrets.size === 0 || !text) return text;
    // Longest first, so a secret that contains another is replaced whole.
    return redactText(text, [...this.secrets].sort((a, b) => b.length - a.length));
  }

  /**
   * Redacts an error in place (message and stack) and returns it, keeping its class: callers test
   * `instanceof CancelledError` / `PowerShellError`. Non-Error values become an Error.
   */
  redactError(error: unknown): unknown {
    if (this.secrets.size === 0) return error;
    if (error instanceof Error) {
      try {
        error.message = this.redact(error.message);
        if (error.stack) error.stack = this.redact(error.stack);
        // PowerShellError.details, and the partial result a CancelledError may carry.
        const bag = error as unknown as Record<string, unknown>;
        for (const k of ['details', 'result']) {
          if (bag[k] && typeof bag[k] === 'object') bag[k] = this.redactDeep(bag[k]);
        }
      } catch {
        // A frozen error: wrap it instead.
        return new Error(this.redact(error.message));
      }
      return error;
    }
    return new Error(this.redact(String(error)));
  }

  /** A copy of a plain value with every string redacted (bigint, numbers and booleans kept). */
  redactDeep<T>(value: T): T {
    if (this.secrets.size === 0) return value;
    return walk(value, (s) => this.redact(s)) as T;
  }

  /** A sink that redacts each record's message before passing it on. */
  sink(inner: OutputSink | undefined): OutputSink | undefined {
    if (!inner) return undefined;
    return (record) => inner({ ...record, message: this.redact(record.message) });
  }
}

function walk(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, f));
  if (value && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    // Only plain data objects (results, plans, inventories); class instances are left alone.
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = walk(v, f);
    return out;
  }
  return value;
}

/**
 * Wraps a Backend so that nothing it produces carries a registered secret: records, errors, and the
 * inventories, plans and results it returns. Other members (e.g. HyperVBackend.whatIf, runner) are
 * reachable through `inner`.
 */
export function redactingBackend<B extends Backend>(inner: B, redactor: SecretRedactor): Backend & { inner: B } {
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return redactor.redactDeep(await run());
    } catch (e) {
      throw redactor.redactError(e);
    }
  };
  const opts = <O extends CallOptions | InventoryOptions>(o: O | undefined): O | undefined =>
    o ? ({ ...o, sink: redactor.sink(o.sink) } as O) : o;
  const wrapped: Backend & { inner: B } = {
    inner,
    connection: inner.connection,
    inventory: (o) => guard(() => inner.inventory(opts(o))),
    plan: (r, o) => guard(() => inner.plan(r, opts(o))),
    execute: (r, o) => guard(() => inner.execute(r, opts(o))),
    dispose: () => inner.dispose(),
  };
  // A backend that can look inside a VM (GuestProbe: HyperVBackend's PowerShell Direct) stays one
  // behind the redactor, so the guest check finds it; its answers and errors are redacted too.
  if (isGuestProbe(inner)) {
    const probe = inner;
    Object.assign(wrapped, { nvidiaSmiXml: (server: string, vm: string, o?: CallOptions) => guard(() => probe.nvidiaSmiXml(server, vm, opts(o))) });
  }
  return wrapped;
}

/** The log methods of a LogOutputChannel (and of an OutputChannel) that take text. */
const TEXT_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

/**
 * A proxy of a (Log)OutputChannel whose text-taking methods redact their arguments first. Every
 * other member (show, clear, logLevel, onDidChangeLogLevel, dispose…) is the channel's own.
 */
export function redactingLog<C extends object>(channel: C, redactor: SecretRedactor): C {
  return new Proxy(channel, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop === 'string' && TEXT_METHODS.has(prop) && typeof value === 'function') {
        return (...args: unknown[]) =>
          (value as (...a: unknown[]) => unknown).apply(
            target,
            args.map((a) => (typeof a === 'string' ? redactor.redact(a) : a instanceof Error ? redactor.redactError(a) : a)),
          );
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Anything with an `append(record)` that writes records (src/audit/auditLog.ts AuditLog). */
export interface RecordWriter<R> {
  append(record: R): Promise<void>;
}

/** Wraps an audit-log writer so that every record is redacted before it is written. */
export function redactingAuditLog<W extends RecordWriter<R>, R>(writer: W, redactor: SecretRedactor): W {
  return new Proxy(writer, {
    get(target, prop, receiver) {
      if (prop === 'append') return (record: R) => target.append(redactor.redactDeep(record));
      const value = Reflect.get(target, prop, receiver);
      // Bound to the proxy, so a method that appends through `this.append` (AuditLog.record) is redacted too.
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(receiver) : value;
    },
  });
}
