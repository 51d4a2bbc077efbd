// Bundles the extension host code, the CLI and the webview scripts.
// `--production` minifies (the .vsix build); every build writes source maps.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension.ts' }, platform: 'node', format: 'cjs', target: 'node20', outdir: 'dist', external: ['vscode'] },
  { ...common, entryPoints: { cli: 'src/cli/main.ts' }, platform: 'node', format: 'cjs', target: 'node20', outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
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
import { existsSync as fsExists } from 'node:fs';
