/**
 * Issue 7, "The package": the .vsix holds only what runs. `vsce ls --no-dependencies` lists what
 * `vsce package` would put in it (after .vscodeignore), without packaging; when a packaged
 * dist/*.vsix exists its real entries are checked too (unzip -l). Anything outside the allow-list
 * fails the test (sources, tests, fixtures, source maps, node_modules, caches…). The size is printed.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** What may ship. Each entry says why. */
const ALLOWED: { pattern: RegExp; why: string }[] = [
  { pattern: /^dist\/(extension|cli)\.js$/, why: 'the esbuild bundles (every runtime dependency inside)' },
  { pattern: /^dist\/webview\/[A-Za-z0-9_-]+\.(js|css)$/, why: 'webview page bundles and their CSS' },
  { pattern: /^dist\/webview\/codicon\.ttf$/, why: 'the codicon font of the webview pages' },
  { pattern: /^package\.json$/, why: 'the manifest' },
  { pattern: /^package\.nls(\.[A-Za-z-]+)?\.json$/, why: 'manifest translations' },
  { pattern: /^l10n\/bundle\.l10n(\.[A-Za-z-]+)?\.json$/, why: 'runtime translations' },
  { pattern: /^resources\/[^/]+\.(svg|png)$/, why: 'icons' },
  { pattern: /^(media|docs\/images)\/[^/]+\.(png|gif|svg|jpg|jpeg|webp)$/, why: 'README images (media assets)' },
  { pattern: /^src\/hyperv\/scripts\/[^/]+\.ps1$/, why: 'the PowerShell scripts the backend runs' },
  { pattern: /^src\/sim\/ps\/[^/]+\.(psm1|psd1|ps1|cs)$/, why: 'the Hyper-V emulation module of the simulator and its compiled views (C# source, compiled on first import)' },
  // vsce writes README.md / CHANGELOG.md as readme.md / changelog.md inside the .vsix.
  { pattern: /^(README|CHANGELOG|readme|changelog)\.md$/, why: 'documentation' },
  { pattern: /^LICENSE(\.md|\.txt)?$/, why: 'the licence' },
];

/** Files whose absence means a broken package. */
const REQUIRED = ['package.json', 'dist/extension.js', 'dist/cli.js'];

function unexpected(files: string[]): string[] {
  return files.filter((f) => !ALLOWED.some((a) => a.pattern.test(f)));
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

describe('the .vsix contents', function () {
  this.timeout(180_000);

  it('the allow-list rejects what must never ship', () => {
    const bad = ['dist/extension.js.map', 'src/extension.ts', 'test/unit/x.test.ts', 'test/unit/fixtures/a2.json', 'node_modules/zod/index.js', '.cache/pwsh/pwsh', 'out/exthost/index.js', 'tsconfig.json', 'esbuild.mjs', 'scripts/start.mjs', '.vscode-test/x', 'src/sim/scenarios.ts'];
    assert.deepEqual(unexpected(bad), bad);
    assert.deepEqual(unexpected(['dist/extension.js', 'src/hyperv/scripts/assign.ps1', 'src/sim/ps/HyperVEmulation.psd1', 'package.nls.ja.json']), []);
  });

  it('vsce ls lists only allowed files, and every required one; reports the size', () => {
    for (const f of ['dist/extension.js', 'dist/cli.js']) {
      assert.ok(existsSync(path.join(ROOT, f)), `${f} is built first (npm run test:unit runs npm run build)`);
    }
    const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const r = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
    assert.equal(r.status, 0, `vsce ls failed:\n${r.stdout}\n${r.stderr}`);
    const files = r.stdout.split(/\r?\n/).map((l) => l.trim().replace(/\\/g, '/')).filter(Boolean);
    assert.ok(files.length > 0, 'vsce listed nothing');
    assert.deepEqual(unexpected(files), [], 'files the .vsix must not contain');
    for (const f of REQUIRED) assert.ok(files.includes(f), `${f} is in the package`);
    const bytes = files.reduce((n, f) => n + statSync(path.join(ROOT, f)).size, 0);
    console.log(`      .vsix contents (vsce ls): ${files.length} files, ${kib(bytes)} uncompressed`);
  });

  it('a packaged dist/*.vsix, when present, holds only allowed files', function () {
    const dist = path.join(ROOT, 'dist');
    const vsixes = existsSync(dist) ? readdirSync(dist).filter((f) => f.endsWith('.vsix')) : [];
    if (vsixes.length === 0) {
      console.log('      no dist/*.vsix yet (npm run package builds it; the e2e suite does)');
      return;
    }
    for (const v of vsixes) {
      const file = path.join(dist, v);
      const r = spawnSync('unzip', ['-Z1', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, `unzip -Z1 ${v}: ${r.stderr}`);
      const entries = r.stdout.split(/\r?\n/).filter((l) => l && !l.endsWith('/'));
      // The zip's own metadata (vsce writes these) and the extension's files under extension/.
      const meta = entries.filter((e) => !e.startsWith('extension/'));
      assert.deepEqual(meta.filter((e) => !/^(\[Content_Types\]\.xml|extension\.vsixmanifest)$/.test(e)), [], `${v}: unexpected top-level entries`);
      const files = entries.filter((e) => e.startsWith('extension/')).map((e) => e.slice('extension/'.length));
      assert.deepEqual(unexpected(files), [], `${v}: files the .vsix must not contain`);
      for (const f of REQUIRED) assert.ok(files.includes(f), `${v}: ${f} is in the package`);
      console.log(`      ${v}: ${files.length} files, ${kib(statSync(file).size)}`);
    }
  });
});
