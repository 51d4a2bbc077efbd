#!/usr/bin/env node
// Writes l10n/bundle.l10n.json, the English source strings of the extension, from every
// `vscode.l10n.t('…')`, `l10n.t('…')` and `t('…')` call in src/ (pure code localises through a
// function named `t`). Only calls whose first argument is a plain string literal are collected;
// `--check` exits 1 when the committed bundle is out of date (for CI).
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const srcDir = join(root, 'src');
const outFile = join(root, 'l10n', 'bundle.l10n.json');
// Browser-side webview code is localised by the extension side passing strings in; skip nothing else.
const skip = [join(srcDir, 'webviews', 'ui')];

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (skip.some((s) => p.startsWith(s))) continue;
    if (entry.isDirectory()) yield* files(p);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield p;
  }
}

/** Reads a JS string literal starting at s[i] (a quote); returns [value, indexAfter] or undefined. */
function readLiteral(s, i) {
  const q = s[i];
  if (q !== "'" && q !== '"' && q !== '`') return undefined;
  let out = '';
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (c === q) return [out, j + 1];
    if (q === '`' && c === '$' && s[j + 1] === '{') return undefined; // a template with holes is not a key
    if (c === '\n' && q !== '`') return undefined;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++j];
    const simple = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', 0: '\0', "'": "'", '"': '"', '`': '`', '\\': '\\' };
    if (n in simple) out += simple[n];
    else if (n === 'u') {
      if (s[j + 1] === '{') {
        const end = s.indexOf('}', j);
        out += String.fromCodePoint(parseInt(s.slice(j + 2, end), 16));
        j = end;
      } else {
        out += String.fromCharCode(parseInt(s.slice(j + 1, j + 5), 16));
        j += 4;
      }
    } else if (n === 'x') {
      out += String.fromCharCode(parseInt(s.slice(j + 1, j + 3), 16));
      j += 2;
    } else if (n === '\n') {
      // line continuation
    } else out += n;
  }
  return undefined;
}

/** Strips comments so commented-out calls are not collected (string contents are kept intact). */
function stripComments(s) {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      out += s.slice(i, j + 1);
      i = j;
    } else if (c === '/' && s[i + 1] === '/') {
      while (i < s.length && s[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      out += s.slice(i, end < 0 ? s.length : end + 2).replace(/[^\n]/g, ' ');
      i = end < 0 ? s.length : end + 1;
    } else out += c;
  }
  return out;
}

export function extract(text) {
  const s = stripComments(text);
  const found = [];
  const re = /(?<![\w$])t\s*\(\s*/g;
  let m;
  while ((m = re.exec(s))) {
    const lit = readLiteral(s, m.index + m[0].length);
    if (lit) found.push(lit[0]);
  }
  return found;
}

/** Collects every key under src/ and writes (or, with --check, verifies) the bundle. */
function main() {
  const bundle = {};
  for (const f of files(srcDir)) {
    for (const key of extract(readFileSync(f, 'utf8'))) {
      bundle[key] = key;
    }
  }
  const sorted = Object.fromEntries(Object.keys(bundle).sort().map((k) => [k, bundle[k]]));
  const json = JSON.stringify(sorted, null, 2) + '\n';

  if (process.argv.includes('--check')) {
    const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
    if (current !== json) {
      console.error(`${relative(root, outFile)} is out of date: run \`npm run l10n\`.`);
      process.exit(1);
    }
    console.log(`${relative(root, outFile)} is up to date (${Object.keys(sorted).length} strings).`);
  } else {
    mkdirSync(join(root, 'l10n'), { recursive: true });
    writeFileSync(outFile, json);
    console.log(`Wrote ${Object.keys(sorted).length} strings to ${relative(root, outFile)}.`);
  }
}

// Run only as a script: tests import `extract` without touching the bundle.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
