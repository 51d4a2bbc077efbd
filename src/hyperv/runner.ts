/**
 * A long-lived PowerShell process per connection, hosted by node-powershell 5 (the user's choice),
 * with each of its known defects neutralised (style.md, "PowerShell from Node: lessons from real
 * bugs"); test/powershell/runner.test.ts proves each against real pwsh:
 *
 * | node-powershell defect                               | what we do                                          |
 * |------------------------------------------------------|-----------------------------------------------------|
 * | no -NoProfile / -NonInteractive                      | we pass both (and -NoLogo)                          |
 * | `-Command -` read line by line                       | every line is a fixed command + base64 tokens       |
 * | argument converter does not escape `$`, `` ` ``, `'` | we never use it: parameters are one base64 JSON     |
 * | any stderr byte fails the call                       | throwOnInvocationError=false; results come from our |
 * |                                                      | framed stdout; stray stderr becomes a warning record|
 * | a timed-out command keeps running                    | our own timer kills the process; next call restarts |
 * | output only when the call ends                       | we read stdout as it arrives and frame it per record|
 * | history keeps every command (with the parameters)    | cleared after each call (credentials live there)    |
 * | DEBUG=* prints every command                         | its debug loggers are replaced by no-ops            |
 * | NODE_POWERSHELL env silently overrides the exe       | ignored while we construct the shell                |
 * | exit/spawn errors become unhandled rejections        | we attach handlers and report a clear error         |
 * No `vscode` import here (architecture.md).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
// Type only: the module is loaded on the first process start, because loading it reads /proc/version
// (its is-wsl dependency) and activation does no I/O (issue 6, test/unit/perf-activation.test.ts).
import type { PowerShell } from 'node-powershell';
import { CancelledError } from '../model/backend';
import type { OutputRecord, OutputSink, OutputStream, StepAction } from '../model/types';
import { bootstrapLine, initLine, invokeLine, parseFrame, type Frame } from './bootstrap';
import { redactParams, redactText, secretsOf } from './redact';

export type PowerShellErrorKind = 'start' | 'timeout' | 'crashed' | 'script' | 'malformed' | 'protocol';

/** A failure of the PowerShell layer, with a message a person can act on. */
export class PowerShellError extends Error {
  constructor(
    readonly kind: PowerShellErrorKind,
    message: string,
    readonly details: { script?: string; step?: string; host?: string; target?: string; category?: string; fullyQualifiedErrorId?: string } = {},
  ) {
    super(message);
    this.name = 'PowerShellError';
  }
}

/** One error record written by a script (non-terminating, or the terminating one). */
export interface PsErrorInfo {
  message: string;
  category?: string;
  fullyQualifiedErrorId?: string;
  command?: string;
  targetObject?: string;
  time?: string;
  /** ScriptStackTrace of the error (for logs; line numbers are of the script as sent). */
  stack?: string;
}

export interface RunnerOptions {
  /** pwsh (or powershell.exe) path or command name. */
  pwshPath: string;
  /** Extra environment for the process (never credentials). */
  env?: Record<string, string | undefined>;
  /** Modules imported once when the process starts (e.g. the Hyper-V emulation module). */
  modules?: string[];
  /** Default per-call timeout; 0 = none. */
  timeoutMs?: number;
  /** Default host label for stream records that do not name one. */
  host?: string;
  /** Diagnostic log (already redacted). */
  log?: (line: string) => void;
}

export interface RunOptions {
  /** Script name for messages (`inventory.ps1`). */
  name?: string;
  sink?: OutputSink;
  signal?: AbortSignal;
  timeoutMs?: number;
  host?: string;
  /**
   * Cooperative interruption. When > 0, the script gets `cancelFile` in its parameter object: a path
   * (in a fresh temp folder) that does not exist until a cancel or timeout, when the runner writes
   * it (content `cancel` or `timeout`). The script polls it between steps (Test-Path, which works on
   * Windows PowerShell 5.1 too) and rolls back by itself; only when it has not finished this many ms
   * after being asked does the runner kill the process. 0 / absent: kill at once (as before).
   */
  cancelGraceMs?: number;
}

/** Why a cooperative call stopped early (the script finished within the grace period). */
export type Interruption = 'cancel' | 'timeout';

export interface RunResult {
  /** Success-stream output, in order: strings as written, objects as compact JSON. */
  outputs: string[];
  /** Non-terminating error records. */
  errors: PsErrorInfo[];
  /** The terminating error, when the script threw. */
  fatal?: PsErrorInfo;
  /** Every stream record, as sent to the sink. */
  records: OutputRecord[];
  /** Stray stdout lines that were not frames (native tools, [Console]::WriteLine). */
  stray: string[];
  durationMs: number;
  pid?: number;
  /** Set when the script was asked to stop (cooperative cancel or timeout) and finished by itself. */
  interrupted?: Interruption;
  /** When it was asked to stop: the step it was in then, and the cause as a sentence. */
  interruption?: { reason: Interruption; message: string; step?: string; target?: string; host?: string };
  /**
   * The credential values of this call (non-enumerable: never serialised or logged), so that
   * readEnvelope redacts what it builds from the output at the source.
   */
  readonly secrets?: readonly string[];
}

export interface ProcessInfo {
  pid: number;
  psVersion: string;
  edition: string;
  startMs: number;
}

const STEP_ACTIONS = new Set<string>(['stop-vm', 'add-adapter', 'remove-adapter', 'set-offline-action', 'start-vm', 'set-count', 'done']);

function newBoundary(): string {
  // Alphanumeric (base64 without symbols): safe in single quotes, unguessable by a script.
  return 'GPUP' + randomBytes(12).toString('hex');
}

interface CallHandlers {
  boundary: string;
  onFrame(f: Frame): void;
  onStray(line: string): void;
  onStderr(text: string): void;
  onExit(reason: string): void;
}

/** One pwsh process. Dead after exit, kill or timeout; the runner then makes a new one. */
class PwshProcess {
  private readonly ps: PowerShell;
  private readonly child: ChildProcess | undefined;
  private buf = '';
  private current: CallHandlers | undefined;
  dead = false;
  exitReason: string | undefined;
  info: ProcessInfo | undefined;

  constructor(opts: RunnerOptions) {
    // DOTNET_TieredPGO=0 (issue 6): .NET's dynamic PGO instruments tier-0 code, and PowerShell keeps
    // producing new code (compiled script blocks, call-site binders), so a long-lived pwsh stayed on
    // slow instrumented code for dozens of calls: a warm 16-node read took ~700 ms for its first ~25
    // reads, ~390 with PGO off after 10, and start-up is unchanged (`npm run bench`). A value set by the
    // user (or opts.env) wins; Windows PowerShell 5.1 (.NET Framework) ignores it.
    const env: Record<string, string | undefined> = { DOTNET_TieredPGO: '0', ...process.env, ...(opts.env ?? {}) };
    // node-powershell lets NODE_POWERSHELL override the executable we choose; hide it while constructing.
    const saved = process.env.NODE_POWERSHELL;
    delete process.env.NODE_POWERSHELL;
    try {
      const executableOptions: Record<string, boolean | string> = { '-NoProfile': true, '-NonInteractive': true };
      if (process.platform === 'win32') {
        executableOptions['-ExecutionPolicy'] = 'Bypass';
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { PowerShell: PowerShellHost } = require('node-powershell') as typeof import('node-powershell');
      this.ps = new PowerShellHost({
        executable: opts.pwshPath,
        executableOptions,
        spawnOptions: { env: env as NodeJS.ProcessEnv, windowsHide: true },
        throwOnInvocationError: false,
        debug: false,
      });
    } finally {
      if (saved !== undefined) {
        process.env.NODE_POWERSHELL = saved;
      }
    }
    const internals = this.ps as unknown as { debuggers?: unknown; exitPromise?: Promise<void>; process?: ChildProcess };
    const noop = (): void => undefined;
    internals.debuggers = { comment: noop, command: noop, output: noop };
    internals.exitPromise?.catch(() => undefined);
    this.child = internals.process;
    this.child?.on('error', (e) => this.markDead(`could not be started: ${e.message}`));
    this.child?.on('exit', (code, signal) => this.markDead(signal ? `was stopped by signal ${signal}` : `exited with code ${code}`));
    this.ps.streams.stdin.on('error', () => undefined);
    this.ps.streams.stdout.on('data', (chunk: string | Buffer) => this.onStdout(chunk.toString()));
    this.ps.streams.stderr.on('data', (chunk: string | Buffer) => this.current?.onStderr(chunk.toString()));
    this.ps.streams.stdout.on('close', () => this.markDead('closed its output'));
  }

  get pid(): number | undefined {
    return this.info?.pid ?? this.child?.pid;
  }

  private markDead(reason: string): void {
    if (this.dead) {
      return;
    }
    this.dead = true;
    this.exitReason = reason;
    const cur = this.current;
    this.current = undefined;
    cur?.onExit(reason);
  }

  private onStdout(text: string): void {
    this.buf += text;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      const cur = this.current;
      if (!cur || line === '') {
        continue;
      }
      const f = parseFrame(line, cur.boundary);
      if (f === undefined) {
        // node-powershell's own delimiters are stray lines too; they are not ours to report.
        if (!/^[0-9A-Za-z]{16}$/.test(line)) {
          cur.onStray(line);
        }
      } else if ('malformed' in f) {
        cur.onStray(line);
      } else {
        cur.onFrame(f);
      }
    }
  }

  /** Sends one line; resolves with the frames' end, rejects when the process dies first. */
  send(line: string, handlers: CallHandlers, expectEnd = true): Promise<void> {
    if (this.dead) {
      return Promise.reject(new Error(this.exitReason ?? 'exited'));
    }
    return new Promise<void>((resolve, reject) => {
      let ended = !expectEnd;
      let invoked = false;
      const finish = (): void => {
        if (ended && invoked) {
          resolve();
        }
      };
      this.current = {
        ...handlers,
        onFrame: (f) => {
          handlers.onFrame(f);
          if (f.kind === 'end') {
            ended = true;
            this.current = undefined;
            finish();
          }
        },
        onExit: (reason) => {
          handlers.onExit(reason);
          reject(new Error(reason));
        },
      };
      this.ps
        .invoke(line)
        .catch(() => undefined)
        .finally(() => {
          // The history holds every command, parameters included (credentials): keep none.
          this.ps.history.splice(0);
          invoked = true;
          if (!ended && !this.dead) {
            // The line ran but never wrote its end frame (the bootstrap is gone): treat as a crash.
            this.markDead('stopped answering (no end frame)');
          }
          finish();
        });
    });
  }

  kill(): void {
    if (!this.dead) {
      this.markDead('was stopped');
    }
    // The process we spawned may be a launcher, not PowerShell itself: the dotnet-tool `pwsh` is an
    // apphost that runs `dotnet pwsh.dll` as a CHILD, and killing only the launcher leaves that child
    // running the script to its end (it went on changing VMs while the recovery pass ran). So the
    // PowerShell process itself ($PID, reported by the bootstrap) is killed too.
    const own = this.info?.pid;
    if (own !== undefined && Number.isInteger(own) && own > 0 && own !== this.child?.pid) {
      try {
        process.kill(own, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    try {
      this.child?.kill('SIGKILL');
    } catch {
      // already gone
    }
    this.ps.dispose('SIGKILL').catch(() => undefined);
  }
}

/**
 * Runs scripts in one long-lived PowerShell process, one call at a time. A timeout or a
 * cancellation kills the process; a dead process is replaced on the next call.
 */
export class PowerShellRunner {
  private proc: PwshProcess | undefined;
  private starting: Promise<PwshProcess> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** How many processes this runner started (tests and diagnostics). */
  starts = 0;

  constructor(private readonly opts: RunnerOptions) {}

  /** Pid of the live process, if any. */
  get pid(): number | undefined {
    return this.proc && !this.proc.dead ? this.proc.pid : undefined;
  }

  get processInfo(): ProcessInfo | undefined {
    return this.proc && !this.proc.dead ? this.proc.info : undefined;
  }

  /** Runs a script text with one parameter object; calls are queued, never concurrent. */
  run(scriptText: string, params: unknown, options: RunOptions = {}): Promise<RunResult> {
    const p = this.tail.then(() => this.runNow(scriptText, params, options));
    this.tail = p.catch(() => undefined);
    return p;
  }

  /** Starts the process now (otherwise the first call does). */
  async start(): Promise<ProcessInfo> {
    const p = await this.tail.then(() => this.ensureProcess());
    return p.info as ProcessInfo;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.proc?.kill();
    this.proc = undefined;
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  private async ensureProcess(): Promise<PwshProcess> {
    if (this.disposed) {
      throw new PowerShellError('start', 'The PowerShell runner was disposed.');
    }
    if (this.proc && !this.proc.dead) {
      return this.proc;
    }
    const path = this.opts.pwshPath;
    if ((path.includes('/') || path.includes('\\')) && !existsSync(path)) {
      throw new PowerShellError('start', `PowerShell was not found at "${path}". Set gpuPartitions.powershell.path to pwsh or powershell.exe.`);
    }
    const t0 = Date.now();
    const proc = new PwshProcess(this.opts);
    this.starts++;
    const boundary = newBoundary();
    let ready: Record<string, unknown> | undefined;
    const timeoutMs = Math.max(this.opts.timeoutMs ?? 0, 60_000);
    const timer = setTimeout(() => proc.kill(), timeoutMs);
    try {
      await proc.send(bootstrapLine(), { boundary: 'none', onFrame: () => undefined, onStray: () => undefined, onStderr: () => undefined, onExit: () => undefined }, false);
      await proc.send(initLine(boundary, this.opts.modules ?? []), {
        boundary,
        onFrame: (f) => {
          if (f.kind === 'ready') {
            ready = f.data;
          }
        },
        onStray: (l) => this.log(`pwsh: ${l}`),
        onStderr: (t) => this.log(`pwsh stderr: ${t.trim()}`),
        onExit: () => undefined,
      });
    } catch (e) {
      proc.kill();
      throw new PowerShellError('start', `PowerShell "${path}" could not be started: ${proc.exitReason ?? (e as Error).message}.`);
    } finally {
      clearTimeout(timer);
    }
    if (!ready) {
      proc.kill();
      throw new PowerShellError('start', `PowerShell "${path}" started but did not answer the bootstrap.`);
    }
    const importErrors = Array.isArray(ready.importErrors) ? (ready.importErrors as unknown[]).map(String) : [];
    if (importErrors.length > 0) {
      proc.kill();
      throw new PowerShellError('start', `PowerShell could not import a module: ${importErrors.join('; ')}`);
    }
    proc.info = { pid: Number(ready.pid), psVersion: String(ready.psVersion), edition: String(ready.edition), startMs: Date.now() - t0 };
    this.log(`PowerShell ${proc.info.psVersion} started (pid ${proc.info.pid}) in ${proc.info.startMs} ms`);
    this.proc = proc;
    return proc;
  }

  private async runNow(scriptText: string, callParams: unknown, options: RunOptions): Promise<RunResult> {
    const name = options.name ?? 'script';
    const secrets = secretsOf(callParams);
    const red = (t: string): string => redactText(t, secrets);
    const hostLabel = options.host ?? this.opts.host;
    if (options.signal?.aborted) {
      throw new CancelledError();
    }
    const proc = await this.ensureProcess();
    const t0 = Date.now();
    const boundary = newBoundary();
    const result: RunResult = { outputs: [], errors: [], records: [], stray: [], durationMs: 0, pid: proc.pid };
    Object.defineProperty(result, 'secrets', { value: secrets, enumerable: false });
    // Cooperative interruption: a cancel token the script polls (see RunOptions.cancelGraceMs).
    const graceMs = options.cancelGraceMs ?? 0;
    let cancelDir: string | undefined;
    let cancelFile: string | undefined;
    let params = callParams;
    if (graceMs > 0 && callParams && typeof callParams === 'object' && !Array.isArray(callParams)) {
      cancelDir = mkdtempSync(path.join(tmpdir(), 'gpup-cancel-'));
      cancelFile = path.join(cancelDir, 'cancel');
      params = { ...(callParams as Record<string, unknown>), cancelFile };
    }
    let last: { step?: string; target?: string; host?: string; message?: string } = {};
    let lastInfo: { message: string; host?: string } | undefined;
    // Error details are shown and logged too: the same redaction as the messages.
    const lastRedacted = (): { step?: string; host?: string; target?: string } => ({
      step: last.step,
      host: last.host === undefined ? undefined : red(last.host),
      target: last.target === undefined ? undefined : red(last.target),
    });
    // Where a stuck call was: the step it ran, else the last thing it said it was doing.
    const whereNow = (): string =>
      red(
        last.step
          ? ` during step "${last.step}"${last.target ? ` on ${last.host ? `${last.host}/` : ''}${last.target}` : ''}`
          : lastInfo
            ? ` during "${lastInfo.message}"${lastInfo.host ? ` (${lastInfo.host})` : ''}`
            : ' before its first step',
      );
    const emit = (rec: OutputRecord): void => {
      const clean: OutputRecord = { ...rec, message: red(rec.message) };
      result.records.push(clean);
      try {
        options.sink?.(clean);
      } catch {
        // A failing sink must not break the call.
      }
    };
    this.log(`run ${name} ${red(JSON.stringify(redactParams(params)))}`);

    const onFrame = (f: Frame): void => {
      const d = f.data;
      const time = typeof d.t === 'string' ? d.t : new Date().toISOString();
      switch (f.kind) {
        case 'output':
          if (typeof d.text === 'string') {
            result.outputs.push(d.text);
          } else if (typeof d.json === 'string') {
            result.outputs.push(d.json);
          }
          break;
        case 'error': {
          const e = redactError(toErrorInfo(d), secrets);
          result.errors.push(e);
          emit({ time, stream: 'error', message: e.message, host: hostLabel });
          break;
        }
        case 'fatal': {
          const e = redactError(toErrorInfo(d), secrets);
          result.fatal = e;
          this.log(`${name}: terminating error: ${e.message}${e.stack ? `\n${e.stack}` : ''}`);
          emit({ time, stream: 'error', message: e.message, host: hostLabel });
          break;
        }
        case 'warning':
        case 'verbose':
        case 'debug':
          emit({ time, stream: f.kind, message: String(d.message ?? ''), host: hostLabel });
          break;
        case 'progress': {
          const p = (d.data ?? {}) as Record<string, unknown>;
          const msg = [p.activity, p.status, p.currentOperation].filter((x) => typeof x === 'string' && x).join(': ');
          emit({ time, stream: 'progress', message: msg || String(d.message ?? ''), host: hostLabel });
          break;
        }
        case 'information': {
          const rec = informationRecord(d, time, hostLabel);
          if (rec.step && rec.step !== 'done') {
            last = { step: rec.step, target: rec.target, host: rec.host, message: rec.message };
          } else if (!rec.step) {
            lastInfo = { message: rec.message, host: rec.host };
          }
          emit(rec);
          break;
        }
        default:
          break;
      }
    };

    let timer: NodeJS.Timeout | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs ?? 0;
    const interrupt = new Promise<never>((_, reject) => {
      /** The error a kill reports: the cause, where it was, and what happens next. */
      const failure = (reason: Interruption, where: string, extra: string): Error =>
        reason === 'timeout'
          ? new PowerShellError('timeout', `PowerShell script ${name} timed out after ${timeoutMs} ms${where}${extra}; the PowerShell process was stopped and the next call starts a fresh one.`, {
              script: name,
              ...lastRedacted(),
            })
          : new CancelledError(`PowerShell script ${name} was cancelled${where}${extra}; the PowerShell process was stopped.`);
      const stop = (reason: Interruption): void => {
        if (result.interruption) {
          return; // already asked (a cancel after a timeout, or the other way round)
        }
        const where = whereNow();
        result.interruption = {
          reason,
          message: reason === 'timeout' ? `timed out after ${timeoutMs} ms` : 'cancelled',
          ...lastRedacted(),
        };
        if (!cancelFile || proc.dead) {
          // Not cooperative: reject first (killing settles the pending send too, and this is the cause).
          reject(failure(reason, where, ''));
          proc.kill();
          return;
        }
        try {
          writeFileSync(cancelFile, reason);
        } catch (e) {
          this.log(`${name}: could not write the cancel token: ${(e as Error).message}`);
          reject(failure(reason, where, ''));
          proc.kill();
          return;
        }
        emit({
          time: new Date().toISOString(),
          stream: 'warning',
          message: `${name} ${result.interruption.message}${where}; asking it to stop and roll back (up to ${Math.round(graceMs / 100) / 10} s).`,
          host: hostLabel,
        });
        graceTimer = setTimeout(() => {
          reject(failure(reason, where, `, and it did not stop within ${graceMs} ms of being asked${last.step ? ` (it was in step "${last.step}")` : ''}`));
          proc.kill();
        }, graceMs);
      };
      if (timeoutMs > 0) {
        timer = setTimeout(() => stop('timeout'), timeoutMs);
      }
      if (options.signal) {
        onAbort = () => stop('cancel');
        options.signal.addEventListener('abort', onAbort, { once: true });
      }
    });
    interrupt.catch(() => undefined);

    try {
      await Promise.race([
        proc.send(invokeLine(boundary, scriptText, params), {
          boundary,
          onFrame,
          onStray: (line) => {
            const clean = red(line);
            result.stray.push(clean);
            emit({ time: new Date().toISOString(), stream: 'output', message: clean, host: hostLabel });
          },
          onStderr: (text) => {
            // node-powershell's own stderr delimiters (16 alphanumerics) are not the script's.
            for (const l of text.split(/\r?\n/).filter((x) => x.trim() !== '' && !/^[0-9A-Za-z]{16}$/.test(x.trim()))) {
              emit({ time: new Date().toISOString(), stream: 'warning', message: `stderr: ${l}`, host: hostLabel });
            }
          },
          onExit: () => undefined,
        }),
        interrupt,
      ]);
    } catch (e) {
      if (e instanceof PowerShellError || e instanceof CancelledError) {
        throw e;
      }
      const where = whereNow();
      const asked = result.interruption;
      if (asked?.reason === 'cancel') {
        // It died while it was stopping: still a cancellation, for the caller's recovery to finish.
        throw new CancelledError(`PowerShell script ${name} was cancelled; the PowerShell process (pid ${proc.pid ?? '?'}) ${proc.exitReason ?? 'exited'}${where} before it had stopped.`);
      }
      throw new PowerShellError(
        'crashed',
        `The PowerShell process (pid ${proc.pid ?? '?'}) ${proc.exitReason ?? 'exited'} while running ${name}${where}; the next call starts a fresh process.`,
        { script: name, ...lastRedacted() },
      );
    } finally {
      if (timer) {
        clearTimeout(timer);
      }
      if (graceTimer) {
        clearTimeout(graceTimer);
      }
      if (onAbort) {
        options.signal?.removeEventListener('abort', onAbort);
      }
      if (cancelDir) {
        const dir = cancelDir;
        const remove = (): void => {
          try {
            rmSync(dir, { recursive: true, force: true });
          } catch {
            // a temp folder left behind is harmless
          }
        };
        // After a kill the token stays a while: should any PowerShell outlive the kill, it still sees
        // the stop request at its next check instead of carrying on.
        if (proc.dead && result.interruption) setTimeout(remove, 60_000).unref();
        else remove();
      }
    }
    if (result.interruption) {
      result.interrupted = result.interruption.reason;
    }
    result.durationMs = Date.now() - t0;
    this.log(`${name} finished in ${result.durationMs} ms (${result.records.length} records, ${result.errors.length} errors)${result.interrupted ? `, stopped early (${result.interrupted})` : ''}`);
    return result;
  }
}

/** Every text field of an error record, redacted. */
function redactError(e: PsErrorInfo, secrets: readonly string[]): PsErrorInfo {
  const out: PsErrorInfo = { ...e };
  for (const k of ['message', 'category', 'fullyQualifiedErrorId', 'command', 'targetObject', 'stack'] as const) {
    const v = out[k];
    if (typeof v === 'string') {
      out[k] = redactText(v, secrets);
    }
  }
  return out;
}

function toErrorInfo(d: Record<string, unknown>): PsErrorInfo {
  const s = (k: string): string | undefined => (typeof d[k] === 'string' && d[k] !== '' ? (d[k] as string) : undefined);
  return {
    message: s('message') ?? 'Unknown PowerShell error',
    category: s('category'),
    fullyQualifiedErrorId: s('fullyQualifiedErrorId'),
    command: s('command'),
    targetObject: s('targetObject'),
    time: s('t'),
    stack: s('stack'),
  };
}

/** An information frame: plain text, or a tagged object `{ host, target, step, message }` from a script. */
function informationRecord(d: Record<string, unknown>, time: string, hostLabel: string | undefined): OutputRecord {
  if (d.data && typeof d.data === 'object') {
    const o = d.data as Record<string, unknown>;
    const step = typeof o.step === 'string' && STEP_ACTIONS.has(o.step) ? (o.step as StepAction | 'done') : undefined;
    const stream: OutputStream = step ? 'step' : 'information';
    const rec: OutputRecord = {
      time: typeof o.time === 'string' ? o.time : time,
      stream,
      message: typeof o.message === 'string' ? o.message : JSON.stringify(o),
      host: typeof o.host === 'string' ? o.host : hostLabel,
    };
    if (typeof o.target === 'string') {
      rec.target = o.target;
    }
    if (step) {
      rec.step = step;
    }
    return rec;
  }
  return { time, stream: 'information', message: String(d.message ?? ''), host: hostLabel };
}

/**
 * The one JSON envelope a script prints: the last output that parses as an object with `ok`.
 * Throws PowerShellError('malformed') with the script name and a snippet when it does not parse.
 */
export function readEnvelope(result: RunResult, name: string): { ok: boolean; records: unknown[]; errors: unknown[]; [k: string]: unknown } {
  // Redacted here, at the source: the runner knows this call's credential values (RunResult.secrets),
  // so no caller depends on an outer redactor for the messages built below.
  const secrets = result.secrets ?? [];
  const red = (t: string): string => redactText(t, secrets);
  if (result.fatal) {
    throw new PowerShellError('script', red(`${name} failed: ${result.fatal.message}`), {
      script: name,
      category: result.fatal.category === undefined ? undefined : red(result.fatal.category),
      fullyQualifiedErrorId: result.fatal.fullyQualifiedErrorId === undefined ? undefined : red(result.fatal.fullyQualifiedErrorId),
    });
  }
  const candidates = result.outputs.filter((o) => o.trimStart().startsWith('{'));
  const text = candidates[candidates.length - 1] ?? result.outputs[result.outputs.length - 1];
  if (text === undefined) {
    throw new PowerShellError('malformed', `${name} printed no JSON result.`, { script: name });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    // Redact the whole text before cutting it: a cut could split a secret and keep half of it.
    const clean = red(text);
    const snippet = clean.length > 120 ? `${clean.slice(0, 120)}…` : clean;
    throw new PowerShellError('malformed', `${name} printed malformed JSON (${red((e as Error).message)}): ${snippet}`, { script: name });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || typeof (parsed as { ok?: unknown }).ok !== 'boolean') {
    throw new PowerShellError('malformed', `${name} printed JSON that is not a result envelope { ok, records, errors }.`, { script: name });
  }
  const env = parsed as { ok: boolean; records?: unknown; errors?: unknown };
  const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
  // Messages the envelope carries (errors, and each item's error) become user-visible text: redacted.
  // Other record fields are data (names, paths, sizes) and stay exact.
  const records = secrets.length ? arr(env.records).map((r) => redactFields(r, ['error', 'message'], red)) : arr(env.records);
  const errors = secrets.length ? arr(env.errors).map((x) => redactDeep(x, red)) : arr(env.errors);
  return { ...(parsed as Record<string, unknown>), ok: env.ok, records, errors };
}

function redactDeep(v: unknown, red: (t: string) => string): unknown {
  if (typeof v === 'string') return red(v);
  if (Array.isArray(v)) return v.map((x) => redactDeep(x, red));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = redactDeep(x, red);
    return out;
  }
  return v;
}

function redactFields(v: unknown, keys: readonly string[], red: (t: string) => string): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  if (!keys.some((k) => typeof o[k] === 'string')) return v;
  const out = { ...o };
  for (const k of keys) if (typeof out[k] === 'string') out[k] = red(out[k] as string);
  return out;
}
