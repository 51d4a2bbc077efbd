// Bundles the extension host code, the CLI and the webview scripts.
// `--production` minifies (the .vsix build); every build writes source maps.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');

/**
 * Issue 6 (bundle <= 400 KB): zod 4's classic API re-exports every locale (~250 KB minified), the JSON
 * Schema converters and the `z.compile` fast path, none of which we use (messages are English, the
 * default). Those modules are replaced by stubs that keep every export name and throw if ever
 * called, so a future use fails loudly instead of silently (tests run the unbundled sources).
 */
const ZOD_STUBS = ['v4/core/compile.js', 'v4/classic/from-json-schema.js', 'v4/core/to-json-schema.js', 'v4/core/json-schema-processors.js', 'v4/core/json-schema-generator.js'];
const zodTrim = {
  name: 'zod-trim',
  setup(b) {
    const inZod = (p) => p.split(path.sep).join('/').includes('/node_modules/zod/');
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) =>
      inZod(args.path) ? { contents: `export { default as en } from './en.js';`, resolveDir: path.dirname(args.path) } : undefined,
    );
    // The string-format regexes (email, uuid, ip, hashes, dates...: ~6 KB) only serve z.email() & co,
    // which no code here uses: they become regexes whose use throws. The ones the core schemas we use
    // need (anyString .. uppercase: string, number, integer, bigint, boolean, null, undefined) stay.
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]core[\\/]regexes\.js$/ }, (args) => {
      if (!inZod(args.path)) return undefined;
      const src = readFileSync(args.path, 'utf8');
      const from = src.indexOf('export const anyString');
      const to = src.indexOf('export const hex');
      if (from < 0 || to < from) return undefined; // another zod version: keep the file whole
      const kept = src.slice(from, to);
      const names = new Set();
      for (const m of src.matchAll(/^export (?:const|function) ([A-Za-z_$][\w$]*)/gm)) names.add(m[1]);
      const keptNames = new Set([...kept.matchAll(/^export (?:const|function) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]));
      const stub = [...names].filter((n) => !keptNames.has(n)).map((n) => `export const ${n} = unbundled(${JSON.stringify(n)});`);
      return {
        contents: [
          // Thrown when called (the factories: uuid(), time()...) or used as a regex (.test/.exec).
          `function unbundled(n) { const f = () => { throw new Error('zod: the ' + n + ' format is not in this bundle (esbuild.mjs)'); }; f.test = f.exec = f; return f; }`,
          kept,
          ...stub,
        ].join('\n'),
        loader: 'js',
      };
    });
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/](core|classic)[\\/][a-z-]+\.js$/ }, (args) => {
      const rel = args.path.split(path.sep).join('/').split('/node_modules/zod/')[1];
      if (!inZod(args.path) || !ZOD_STUBS.includes(rel)) return undefined;
      const src = readFileSync(args.path, 'utf8');
      const names = new Set();
      for (const m of src.matchAll(/^export (?:async )?(?:function|class|const|let) ([A-Za-z_$][\w$]*)/gm)) names.add(m[1]);
      for (const m of src.matchAll(/^export \{([^}]*)\}/gm)) for (const part of m[1].split(',')) if (part.trim()) names.add(part.trim().split(/\s+as\s+/).pop());
      const body = [...names].map((n) => (n === 'INVALID' ? `export const INVALID = Symbol.for('zod.compile.invalid');` : `export const ${n} = unbundled;`));
      return { contents: `function unbundled() { return () => { throw new Error('zod: ${rel} is not in this bundle (esbuild.mjs)'); }; }\n${body.join('\n')}\n`, loader: 'js' };
    });
  },
};
const watch = process.argv.includes('--watch');

/**
 * node-powershell's child-shell makes `debug` loggers that print every command with DEBUG=* (style.md
 * lists it as a defect; the runner already swaps them for no-ops). The bundles get a silent `debug`
 * (~9 KB less with its `ms` and `supports-color`).
 */
const silentDebug = {
  name: 'silent-debug',
  setup(b) {
    b.onResolve({ filter: /^debug$/ }, (args) => (args.importer.split(path.sep).join('/').includes('/node_modules/child-shell/') ? { path: 'debug', namespace: 'silent-debug' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'silent-debug' }, () => ({
      contents: 'function debug() { const d = () => undefined; d.extend = () => d; d.enabled = false; return d; }\ndebug.enable = () => undefined;\nmodule.exports = debug;\n',
      loader: 'js',
    }));
  },
};

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [zodTrim, silentDebug],
};

const builds = [
  // charset utf8 (Node bundles only: Node reads sources as UTF-8; webview files keep ASCII escapes):
  // non-ASCII text stays as is instead of \uXXXX escapes, ~400 bytes less.
  { ...common, charset: 'utf8', entryPoints: { extension: 'src/extension.ts' }, platform: 'node', format: 'cjs', target: 'node20', outdir: 'dist', external: ['vscode'] },
  { ...common, charset: 'utf8', entryPoints: { cli: 'src/cli/main.ts' }, platform: 'node', format: 'cjs', target: 'node20', outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // Webview pages (browser, one ES module per panel, @vscode-elements/elements + lit bundled in),
  // and their CSS: our styles and the codicons stylesheet with its font, all into dist/webview/
  // (the panels' only localResourceRoot). `.vsix` must contain dist/webview/*.
  {
    ...common,
    entryPoints: {
      configureCount: 'src/webviews/ui/configureCount.ts',
      assign: 'src/webviews/ui/assign.ts',
      unassign: 'src/webviews/ui/unassign.ts',
      details: 'src/webviews/ui/details.ts',
      // Issue 8 (beyond WAC): prerequisite-check report and capacity view.
      checks: 'src/webviews/checks/page.ts',
      capacity: 'src/webviews/capacity/page.ts',
    },
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    outdir: 'dist/webview',
  },
  {
    ...common,
    entryPoints: { webview: 'src/webviews/ui/webview.css', codicons: 'src/webviews/ui/codicons.css' },
    outdir: 'dist/webview',
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
  },
];

const contexts = await Promise.all(builds.filter((b) => existsEntry(b)).map((b) => esbuild.context(b)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

function existsEntry(b) {
  return Object.values(b.entryPoints).every((p) => fsExists(p));
}
import { existsSync as fsExists, readFileSync } from 'node:fs';
import * as path from 'node:path';
