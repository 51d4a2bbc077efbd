/**
 * Which tree nodes have an operation running on them, and what it is doing now. A busy node shows
 * a spinner and the step as its description (the `runWithTemporaryDescription` pattern of
 * vscode-azureresourcegroups, style.md). Pure: no `vscode` import; events are plain listeners.
 *
 * Keys are (connection, server, target) where target is a VM name or a partitionable-GPU Name,
 * exactly as the step records of a Backend carry them (OutputRecord.host / .target).
 */
import type { OutputRecord, OutputSink, StepAction } from '../model/types';
import type { Translate } from './nodes/types';
import { stepDescription } from './nodes/text';

export interface BusyTarget {
  connection: string;
  /** Server (host) name; empty for a connection-wide operation. */
  server: string;
  /** VM name, GPU Name, or empty for the server/connection node itself. */
  target: string;
}

export interface Disposable {
  dispose(): void;
}

export function busyKey(t: BusyTarget): string {
  return [t.connection, t.server, t.target].map((s) => s.toLowerCase()).join('\u0000');
}

export class BusyRegistry implements Disposable {
  /** key -> stack of descriptions; the newest is shown (nested runs on one node). */
  private readonly busy = new Map<string, string[]>();
  private readonly listeners = new Set<(keys: string[]) => void>();

  constructor(private readonly t: Translate) {}

  /** The description to show on the node, or undefined when it is idle. */
  get(target: BusyTarget): string | undefined {
    const stack = this.busy.get(busyKey(target));
    return stack?.[stack.length - 1];
  }

  isBusy(target: BusyTarget): boolean {
    return this.busy.has(busyKey(target));
  }

  /** Marks the node busy with `description` until the returned handle is disposed. */
  mark(target: BusyTarget, description: string): Disposable {
    const k = busyKey(target);
    const stack = this.busy.get(k) ?? [];
    stack.push(description);
    this.busy.set(k, stack);
    this.fire([k]);
    let done = false;
    return {
      dispose: () => {
        if (done) return;
        done = true;
        const s = this.busy.get(k);
        if (!s) return;
        const i = s.lastIndexOf(description);
        if (i >= 0) s.splice(i, 1);
        if (s.length === 0) this.busy.delete(k);
        this.fire([k]);
      },
    };
  }

  /** Runs `callback` while the targets show `description` and a spinner; always clears them. */
  async run<T>(targets: BusyTarget | readonly BusyTarget[], description: string, callback: () => Promise<T>): Promise<T> {
    const handles = (Array.isArray(targets) ? targets : [targets as BusyTarget]).map((t) => this.mark(t, description));
    try {
      return await callback();
    } finally {
      for (const h of handles) h.dispose();
    }
  }

  /**
   * A sink that turns the backend's step records into node descriptions: a record with stream
   * 'step' and a StepAction marks (connection, host, target) busy with "Stopping VM…" etc.; step
   * 'done' clears it. Every step of a target replaces that target's previous step. The returned
   * handle clears whatever is still marked (call it when the operation ends, even on failure).
   */
  stepSink(connection: string): OutputSink & Disposable {
    const current = new Map<string, Disposable>();
    const sink = ((record: OutputRecord) => {
      if (record.stream !== 'step' || !record.step || !record.target) return;
      const target: BusyTarget = { connection, server: record.host ?? '', target: record.target };
      const k = busyKey(target);
      current.get(k)?.dispose();
      current.delete(k);
      if (record.step === 'done') return;
      current.set(k, this.mark(target, stepDescription(record.step as StepAction, this.t)));
    }) as OutputSink & Disposable;
    sink.dispose = () => {
      for (const h of current.values()) h.dispose();
      current.clear();
    };
    return sink;
  }

  onDidChange(listener: (keys: string[]) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.busy.clear();
    this.listeners.clear();
  }

  private fire(keys: string[]): void {
    for (const l of [...this.listeners]) l(keys);
  }
}

/** Calls every sink with each record; a throwing sink does not stop the others. */
export function teeSink(...sinks: (OutputSink | undefined)[]): OutputSink {
  const live = sinks.filter((s): s is OutputSink => !!s);
  return (record) => {
    for (const s of live) {
      try {
        s(record);
      } catch {
        // Output must never break an operation.
      }
    }
  };
}
