/**
 * scripts/check-deps.mjs (issue 7): fails on a deprecated, unanswered or unused production
 * dependency. The registry is replaced by a stub here (the real run is `npm run check:deps`, in
 * `npm test`); the usage check runs on the real src/.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

type View = (spec: string) => { deprecated?: string; version?: string; error?: string };
interface CheckResult { ok: boolean; results: { name: string; version?: string; users: string[]; problems: string[] }[] }
const load = (): Promise<{ checkDeps(o?: { root?: string; view?: View }): CheckResult }> => import('../../scripts/check-deps.mjs' as string);

const alive: View = (spec) => ({ version: spec.slice(spec.lastIndexOf('@') + 1) });

describe('safety: production dependencies (scripts/check-deps.mjs)', () => {
  it('the real dependencies are all imported under src/ (with a registry that calls them alive)', async () => {
    const { checkDeps } = await load();
    const r = checkDeps({ view: alive });
    assert.equal(r.ok, true, JSON.stringify(r.results.filter((x) => x.problems.length), null, 2));
    assert.ok(r.results.length > 0 && r.results.length <= 8, `few production dependencies: ${r.results.map((x) => x.name).join(', ')}`);
  });

  it('fails on a deprecated dependency, and on a registry that does not answer', async () => {
    const { checkDeps } = await load();
    const dep = checkDeps({ view: (spec) => (spec.startsWith('zod@') ? { version: '4.0.0', deprecated: 'use something else' } : alive(spec)) });
    assert.equal(dep.ok, false);
    assert.match(dep.results.find((x) => x.name === 'zod')!.problems.join(), /DEPRECATED: use something else/);
    const down = checkDeps({ view: () => ({ error: 'E403 forbidden' }) });
    assert.equal(down.ok, false);
    assert.ok(down.results.every((x) => x.problems.some((p) => /registry/.test(p))));
  });

  it('fails on a dependency nothing imports', async () => {
    const { checkDeps } = await load();
    const root = mkdtempSync(path.join(tmpdir(), 'gpup-deps-'));
    try {
      writeFileSync(path.join(root, 'package.json'), JSON.stringify({ dependencies: { 'left-pad': '^1.3.0', used: '^1.0.0' } }));
      for (const n of ['left-pad', 'used']) {
        mkdirSync(path.join(root, 'node_modules', n), { recursive: true });
        writeFileSync(path.join(root, 'node_modules', n, 'package.json'), JSON.stringify({ version: '1.3.0' }));
      }
      mkdirSync(path.join(root, 'src'));
      writeFileSync(path.join(root, 'src', 'a.ts'), "import { x } from 'used/sub';\n// left-pad is mentioned in a comment only\n");
      const r = checkDeps({ root, view: alive });
      assert.equal(r.ok, false);
      assert.deepEqual(r.results.find((x) => x.name === 'left-pad')!.problems, ['UNUSED: nothing under src/ imports it']);
      assert.deepEqual(r.results.find((x) => x.name === 'used')!.problems, []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
