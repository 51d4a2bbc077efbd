/**
 * Issue 7, "Workspace trust and settings": the manifest declares limited untrusted-workspace support
 * with every setting that decides what runs or where restricted and scoped so a workspace cannot set
 * it; the trusted reader takes the user value only; in an untrusted workspace no real connection's
 * backend is built (nothing starts PowerShell) while the simulator works.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Backend } from '../../src/model/backend';
import type { Connection } from '../../src/connections/connectionConfig';
import { InventoryStore } from '../../src/connections/inventoryStore';
import { gateBackendFactory, RESTRICTED_SETTINGS, trustedValue, trustRowView, UntrustedWorkspaceError } from '../../src/connections/trustGate';
import { createScenario, SimBackend, SimWorld } from '../../src/sim';

const ROOT = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8'));

const SIM: Connection = { name: 'demo', kind: 'sim', scenario: 'demo' };
const REAL: Connection = { name: 'prod', kind: 'cluster', computerName: 'azl-prod.contoso.com' };

describe('safety: workspace trust', () => {
  it('package.json: limited support, every restricted setting declared, none a workspace can set', () => {
    const cap = pkg.capabilities?.untrustedWorkspaces;
    assert.equal(cap?.supported, 'limited');
    assert.ok(nls[cap.description.replace(/%/g, '')], 'the description is localised');
    const props = pkg.contributes.configuration.properties as Record<string, { scope?: string; type: string }>;
    // Settings that decide what runs or where: the PowerShell program, the connections (where
    // credentials go, which state files are written), whether a power cycle is confirmed, and any
    // script/module override a later version adds (matched by name).
    const decides = Object.keys(props).filter((k) => /powershell\.path|clusters|confirm|script|module|override|executable|command/i.test(k));
    assert.deepEqual([...cap.restrictedConfigurations].sort(), [...decides].sort());
    assert.deepEqual([...RESTRICTED_SETTINGS].sort(), [...decides].sort(), 'src/connections/trustGate.ts lists the same settings');
    assert.equal(props['gpuPartitions.powershell.path'].scope, 'machine');
    assert.equal(props['gpuPartitions.clusters'].scope, 'application');
    for (const k of decides) assert.ok(['machine', 'application'].includes(props[k].scope ?? 'window'), `${k} has scope ${props[k].scope}`);
  });

  it('the Set/Forget Credentials commands are contributed and localised', () => {
    const cmds = pkg.contributes.commands as { command: string; title: string }[];
    for (const id of ['gpuPartitions.setCredentials', 'gpuPartitions.forgetCredentials']) {
      const c = cmds.find((x) => x.command === id);
      assert.ok(c, id);
      assert.ok(nls[c.title.replace(/%/g, '')], `${id} title in package.nls.json`);
    }
  });

  it('trustedValue: the user value, else the default; never the workspace or folder value', () => {
    assert.equal(trustedValue({ defaultValue: '', globalValue: '/usr/bin/pwsh', workspaceValue: '/tmp/evil', workspaceFolderValue: '/tmp/evil2' } as never, 'x'), '/usr/bin/pwsh');
    assert.equal(trustedValue({ defaultValue: '', workspaceValue: '/tmp/evil' } as never, 'x'), '');
    assert.equal(trustedValue({ workspaceValue: false } as never, true), true);
    assert.equal(trustedValue(undefined, 'fallback'), 'fallback');
  });

  it('untrusted: a real connection\'s backend is refused before the factory runs; the simulator is built', () => {
    let built: string[] = [];
    const factory = (c: Connection): Backend => {
      built.push(c.name);
      return new SimBackend(new SimWorld(createScenario('demo')), c.name);
    };
    let trusted = false;
    const gated = gateBackendFactory(factory, () => trusted);
    assert.throws(() => gated(REAL), (e: unknown) => e instanceof UntrustedWorkspaceError && /trust this workspace/i.test(e.message));
    assert.deepEqual(built, [], 'the inner factory (which would start PowerShell) never ran');
    assert.equal(gated(SIM).connection, 'demo');
    assert.deepEqual(built, ['demo']);
    // Control: once trusted, the real connection is built.
    trusted = true;
    built = [];
    gated(REAL);
    assert.deepEqual(built, ['prod']);
  });

  it('untrusted: the store reads the simulator and refuses the real connection with the trust message', async () => {
    const built: string[] = [];
    const store = new InventoryStore({
      createBackend: gateBackendFactory((c) => (built.push(c.name), new SimBackend(new SimWorld(createScenario('demo')), c.name)), () => false),
    });
    store.setConnections([SIM, REAL]);
    await store.ensureLoaded('demo');
    await store.ensureLoaded('prod');
    assert.equal(store.snapshot('demo')?.state, 'loaded');
    assert.equal(store.snapshot('prod')?.state, 'error');
    assert.match(store.snapshot('prod')?.error ?? '', /trust this workspace/i);
    assert.deepEqual(built, ['demo']);
    store.dispose();
  });

  it('the trust row runs workbench.trust.manage and is localised through t', () => {
    const seen: string[] = [];
    const v = trustRowView('prod', (m, ...a) => (seen.push(m), m.replace('{0}', String(a[0]))));
    assert.equal(v.command, 'workbench.trust.manage');
    assert.equal(v.label, 'Trust this workspace to connect');
    assert.match(v.tooltip, /"prod"/);
    assert.equal(seen.length, 2);
  });
});
