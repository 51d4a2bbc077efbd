/**
 * Issue 6: "activation does no I/O". Loads the built bundle (dist/extension.js, as VS Code does) with
 * a fake `vscode` module (Module._resolveFilename hook), spies on every fs and child_process entry
 * point, calls activate() and lets its promises run: no file is read or written, no process starts.
 * The only read allowed is Node loading the bundle itself. A control proves the spies see I/O.
 */
import { strict as assert } from 'node:assert';
import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'dist', 'extension.js');
const FAKE_ID = path.join(ROOT, '__fake_vscode__.js');

interface Recorded {
  api: string;
  arg: string;
}

/** Anything not modelled below: callable, constructible, every property another such object. */
function deep(name: string): unknown {
  const target = function () {
    /* fake */
  };
  return new Proxy(target, {
    get(_t, p) {
      if (p === 'then') return undefined;
      if (p === 'dispose') return () => undefined;
      if (p === Symbol.toPrimitive) return () => name;
      if (p === Symbol.iterator) return undefined;
      return deep(`${name}.${String(p)}`);
    },
    apply: () => deep(`${name}()`),
    construct: () => deep(`new ${name}`) as object,
  });
}

function fakeVscode(calls: string[]): unknown {
  const disposable = { dispose: () => undefined };
  const event = () => () => disposable;
  class EventEmitter<T> {
    private listeners: ((e: T) => void)[] = [];
    event = (l: (e: T) => void) => {
      this.listeners.push(l);
      return disposable;
    };
    fire(e: T) {
      for (const l of this.listeners) l(e);
    }
    dispose() {
      this.listeners = [];
    }
  }
  class Disposable {
    constructor(private readonly f: () => void) {}
    static from(...d: { dispose(): void }[]) {
      return new Disposable(() => d.forEach((x) => x.dispose()));
    }
    dispose() {
      this.f();
    }
  }
  const channel = new Proxy({}, { get: (_t, p) => (p === 'logLevel' ? 2 : p === 'name' ? 'GPU Partitions' : p === 'onDidChangeLogLevel' ? event() : () => undefined) });
  const base: Record<string, unknown> = {
    EventEmitter,
    Disposable,
    TreeItem: class {
      constructor(public label: unknown, public collapsibleState?: number) {}
    },
    ThemeIcon: class {
      constructor(public id: string, public color?: unknown) {}
    },
    ThemeColor: class {
      constructor(public id: string) {}
    },
    MarkdownString: class {
      constructor(public value = '') {}
      appendMarkdown(s: string) {
        this.value += s;
        return this;
      }
    },
    Uri: { file: (p: string) => ({ fsPath: p, path: p, scheme: 'file', toString: () => `file://${p}` }), parse: (s: string) => ({ fsPath: s, path: s, toString: () => s }), joinPath: (u: { fsPath: string }, ...p: string[]) => ({ fsPath: path.join(u.fsPath, ...p), path: path.join(u.fsPath, ...p) }) },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    l10n: { t: (m: string | { message: string }, ...a: unknown[]) => (typeof m === 'string' ? m : m.message).replace(/\{(\d+)\}/g, (_x, i: string) => String(a[Number(i)])) },
    workspace: new Proxy(
      {
        isTrusted: true,
        getConfiguration: () => ({ get: (_k: string, d: unknown) => d, inspect: (k: string) => ({ key: k }), has: () => false, update: async () => undefined }),
      } as Record<string, unknown>,
      { get: (t, p) => (p in t ? t[p as string] : String(p).startsWith('onDid') ? event() : deep(`workspace.${String(p)}`)) },
    ),
    window: new Proxy({} as Record<string, unknown>, {
      get: (_t, p) => {
        const name = String(p);
        if (name === 'createOutputChannel') return () => channel;
        if (name.startsWith('onDid')) return event();
        return (...args: unknown[]) => {
          calls.push(`window.${name}`);
          void args;
          return name.startsWith('register') ? disposable : deep(`window.${name}()`);
        };
      },
    }),
    commands: {
      registerCommand: (id: string) => {
        calls.push(`command ${id}`);
        return disposable;
      },
      executeCommand: async () => undefined,
    },
  };
  return new Proxy(base, { get: (t, p) => (p in t ? t[p as string] : p === '__esModule' ? false : deep(`vscode.${String(p)}`)) });
}

/** Wraps every I/O function of fs, fs.promises and child_process; returns the undo. */
function spy(record: Recorded[]): () => void {
  const undo: (() => void)[] = [];
  const wrap = (obj: Record<string, unknown>, label: string, filter: (name: string) => boolean) => {
    for (const name of Object.keys(obj)) {
      const orig = obj[name];
      if (typeof orig !== 'function' || !filter(name) || /^[A-Z]/.test(name)) continue;
      const wrapped = function (this: unknown, ...args: unknown[]) {
        record.push({ api: `${label}.${name}`, arg: String(args[0]) });
        return (orig as (...a: unknown[]) => unknown).apply(this, args);
      };
      obj[name] = wrapped;
      undo.push(() => (obj[name] = orig));
    }
  };
  const fsIo = (n: string) => /^(read|write|append|open|mkdir|mkdtemp|rm|unlink|copy|cp|rename|stat|lstat|exists|access|readdir|watch|create|truncate|symlink|link|chmod|chown|utimes|realpath|opendir|statfs)/.test(n);
  // The modules themselves (what the bundle's require('fs') gets), not the TS namespace copies.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const fsModule = require('node:fs') as Record<string, unknown> & { promises: Record<string, unknown> };
  wrap(fsModule, 'fs', fsIo);
  wrap(fsModule.promises, 'fs.promises', fsIo);
  wrap(require('node:child_process') as Record<string, unknown>, 'child_process', (n) => /^(spawn|exec|fork)/.test(n));
  /* eslint-enable @typescript-eslint/no-require-imports */
  return () => undo.forEach((u) => u());
}

describe('perf: activation does no I/O (issue 6)', function () {
  this.timeout(60_000);
  const ModuleAny = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  let resolveOrig: typeof ModuleAny._resolveFilename;

  before(function () {
    if (!fs.existsSync(BUNDLE)) {
      // `npm run test:unit` builds first; a bare mocha run builds here (outside the spied window).
      childProcess.execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
    }
    resolveOrig = ModuleAny._resolveFilename;
    ModuleAny._resolveFilename = function (request: string, ...rest: unknown[]) {
      return request === 'vscode' ? FAKE_ID : resolveOrig.call(this, request, ...rest);
    };
  });
  after(() => {
    ModuleAny._resolveFilename = resolveOrig;
    delete require.cache[FAKE_ID];
    delete require.cache[BUNDLE];
  });

  it('loading dist/extension.js and activate() read, write and spawn nothing', async () => {
    const calls: string[] = [];
    const cached = new Module(FAKE_ID);
    cached.filename = FAKE_ID;
    cached.loaded = true;
    cached.exports = fakeVscode(calls);
    require.cache[FAKE_ID] = cached;
    delete require.cache[BUNDLE];

    const record: Recorded[] = [];
    const undo = spy(record);
    const subscriptions: { dispose(): void }[] = [];
    let api: unknown;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ext = require(BUNDLE) as { activate(ctx: unknown): unknown; deactivate?(): void };
      // Loading: only the module loader finding and reading the bundle (and its source map, under tsx).
      const loading = record.splice(0).filter((r) => !r.arg.startsWith(path.join(ROOT, 'dist', 'extension.')));
      assert.deepEqual(loading, [], `loading the bundle did I/O:\n${loading.map((r) => `${r.api}(${r.arg})`).join('\n')}`);
      const context = new Proxy(
        {
          subscriptions,
          globalStorageUri: { fsPath: path.join(ROOT, '.cache', 'no-such-dir', 'global-storage'), path: '/no-such-dir' },
          storageUri: undefined,
          extensionUri: { fsPath: ROOT, path: ROOT },
          extensionPath: ROOT,
          secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose: () => undefined }) },
          globalState: { get: (_k: string, d: unknown) => d, update: async () => undefined, keys: () => [], setKeysForSync: () => undefined },
          workspaceState: { get: (_k: string, d: unknown) => d, update: async () => undefined, keys: () => [] },
        } as Record<string, unknown>,
        { get: (t, p) => (p in t ? t[p as string] : deep(`context.${String(p)}`)) },
      );
      api = ext.activate(context);
      // Let whatever activate() started (promises, timers) run before looking.
      await new Promise((r) => setTimeout(r, 300));
      const io = [...record];
      assert.deepEqual(io, [], `activation did I/O:\n${io.map((r) => `${r.api}(${r.arg})`).join('\n')}`);
      assert.ok(api && typeof api === 'object' && 'store' in (api as object), 'activate() returned its API');
      assert.ok(calls.filter((c) => c.startsWith('command ')).length >= 8, `commands were registered: ${calls.join(', ')}`);
      assert.ok(calls.includes('window.createTreeView'), 'the tree view was created');
      // Control: the spies do see I/O when there is some.
      (require('node:fs') as typeof fs).existsSync(BUNDLE);
      assert.ok(record.some((r) => r.api === 'fs.existsSync'), 'the fs spy works');
    } finally {
      undo();
      for (const s of subscriptions) {
        try {
          s.dispose();
        } catch {
          // a fake's disposable may be odd; nothing to clean up on disk
        }
      }
    }
  });
});
