import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BusyRegistry, teeSink } from '../../src/tree/busyRegistry';

const root = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
const t = (m: string, ...a: Array<string | number | boolean>) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)]));

describe('manifest (package.json contributes, package.nls.json)', () => {
  it('every %key% of package.json has an English text in package.nls.json', () => {
    const keys = [...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 20);
    const missing = keys.filter((k) => !(k in nls));
    assert.deepEqual(missing, []);
  });

  it('declares the names.md commands, view container and view; activation stays implicit', () => {
    const ids: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
    // Other slices may add commands (credentials…); the names.md ones must all be there.
    const namesMd = [
      'gpuPartitions.addCluster', 'gpuPartitions.assignPartition', 'gpuPartitions.configurePartitionCount', 'gpuPartitions.openDemo',
      'gpuPartitions.previewScript', 'gpuPartitions.refresh', 'gpuPartitions.removeCluster', 'gpuPartitions.showDetails',
      'gpuPartitions.showOutput', 'gpuPartitions.unassignPartition',
    ];
    assert.deepEqual(namesMd.filter((id) => !ids.includes(id)), []);
    for (const c of pkg.contributes.commands) assert.equal(c.category, '%command.category%', c.command);
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].id, 'gpuPartitions');
    assert.equal(nls[pkg.contributes.viewsContainers.activitybar[0].title.slice(1, -1)], 'GPU Partitions');
    assert.equal(pkg.contributes.views.gpuPartitions[0].id, 'gpuPartitions.clusters');
    assert.ok(fs.existsSync(path.join(root, pkg.contributes.viewsContainers.activitybar[0].icon)));
    // Lazy: views and commands activate implicitly; only webview restoration may add events.
    for (const e of pkg.activationEvents) assert.match(e, /^onWebviewPanel:gpuPartitions\./);
    assert.match(nls['viewsWelcome.clusters'], /command:gpuPartitions\.addCluster/);
    assert.match(nls['viewsWelcome.clusters'], /command:gpuPartitions\.openDemo/);
  });

  it('settings: scopes and defaults as the brief fixes them; restricted in untrusted workspaces', () => {
    const p = pkg.contributes.configuration.properties;
    assert.equal(p['gpuPartitions.clusters'].scope, 'application');
    assert.equal(p['gpuPartitions.powershell.path'].scope, 'machine');
    assert.equal(p['gpuPartitions.powershell.path'].default, '');
    assert.equal(p['gpuPartitions.powershell.timeoutSeconds'].default, 300);
    assert.equal(p['gpuPartitions.confirmBeforePowerCycle'].default, true);
    for (const [k, v] of Object.entries(p)) assert.match((v as { markdownDescription: string }).markdownDescription, /^%.+%$/, k);
    const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    assert.ok(restricted.includes('gpuPartitions.clusters') && restricted.includes('gpuPartitions.powershell.path'), restricted.join());
  });

  it('context menus match the contextValues of names.md, and only the right ones', () => {
    const menus: { command: string; when: string }[] = pkg.contributes.menus['view/item/context'];
    const regexOf = (when: string) => {
      const m = /viewItem =~ \/(.+)\/(?:\s|$)/.exec(when);
      assert.ok(m, when);
      return new RegExp(m[1]);
    };
    const matches = (command: string, contextValue: string) => menus.filter((m) => m.command === command).some((m) => regexOf(m.when).test(contextValue));
    assert.ok(matches('gpuPartitions.assignPartition', 'gpuPartitions.vm.off.noPartition'));
    assert.ok(!matches('gpuPartitions.assignPartition', 'gpuPartitions.vm.running.withPartition'));
    assert.ok(matches('gpuPartitions.unassignPartition', 'gpuPartitions.vm.running.withPartition'));
    assert.ok(matches('gpuPartitions.unassignPartition', 'gpuPartitions.partition.held'));
    assert.ok(matches('gpuPartitions.unassignPartition', 'gpuPartitions.partition.pending'));
    assert.ok(!matches('gpuPartitions.unassignPartition', 'gpuPartitions.partition.free'));
    assert.ok(matches('gpuPartitions.showDetails', 'gpuPartitions.partition.held'));
    for (const cv of ['gpuPartitions.cluster', 'gpuPartitions.server', 'gpuPartitions.gpu.partitioned']) assert.ok(matches('gpuPartitions.configurePartitionCount', cv), cv);
    assert.ok(!matches('gpuPartitions.configurePartitionCount', 'gpuPartitions.gpu.readyfordda'));
    assert.ok(matches('gpuPartitions.removeCluster', 'gpuPartitions.cluster'));
    assert.ok(!matches('gpuPartitions.removeCluster', 'gpuPartitions.server'));
    for (const m of menus) assert.ok(pkg.contributes.commands.some((c: { command: string }) => c.command === m.command), m.command);
  });
});

describe('tree/busyRegistry', () => {
  it('run() marks the targets while the callback runs and clears them even when it throws', async () => {
    const busy = new BusyRegistry(t);
    const target = { connection: 'demo', server: 'AZL-N01', target: 'cad-ws-02' };
    let seen: string | undefined;
    let events = 0;
    busy.onDidChange(() => events++);
    await assert.rejects(
      busy.run([target], 'Assigning partition…', async () => {
        seen = busy.get({ connection: 'DEMO', server: 'azl-n01', target: 'CAD-WS-02' });
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(seen, 'Assigning partition…');
    assert.equal(busy.isBusy(target), false);
    assert.equal(events, 2);
  });

  it('nested marks show the newest; disposing it uncovers the older one', () => {
    const busy = new BusyRegistry(t);
    const target = { connection: 'c', server: 's', target: '' };
    const outer = busy.mark(target, 'Refreshing…');
    const inner = busy.mark(target, 'Stopping VM…');
    assert.equal(busy.get(target), 'Stopping VM…');
    inner.dispose();
    inner.dispose();
    assert.equal(busy.get(target), 'Refreshing…');
    outer.dispose();
    assert.equal(busy.get(target), undefined);
  });

  it('stepSink ignores records that are not steps and clears what is left on dispose', () => {
    const busy = new BusyRegistry(t);
    const sink = busy.stepSink('demo');
    sink({ time: '', stream: 'error', host: 'h', target: 'vm', step: 'stop-vm', message: 'x' });
    assert.equal(busy.get({ connection: 'demo', server: 'h', target: 'vm' }), undefined);
    sink({ time: '', stream: 'step', host: 'h', target: 'vm', step: 'start-vm', message: 'Start-VM' });
    assert.equal(busy.get({ connection: 'demo', server: 'h', target: 'vm' }), 'Starting VM…');
    sink.dispose();
    assert.equal(busy.get({ connection: 'demo', server: 'h', target: 'vm' }), undefined);
  });

  it('teeSink feeds every sink even when one throws', () => {
    const got: string[] = [];
    const sink = teeSink(() => {
      throw new Error('bad sink');
    }, undefined, (r) => got.push(r.message));
    sink({ time: '', stream: 'output', message: 'hello' });
    assert.deepEqual(got, ['hello']);
  });
});

describe('scripts/l10n-extract.mjs', () => {
  it('collects t(...) literals with escapes, skips templates with holes and comments', async () => {
    const { extract } = await import(path.join(root, 'scripts', 'l10n-extract.mjs'));
    const src = [
      "vscode.l10n.t('Stopping VM…');",
      'l10n.t("A \\"quoted\\" {0}", x);',
      't(`plain template`)',
      't(`with ${hole}`)',
      "// t('commented out')",
      "split('not a key'); set('no'); const at = t ('spaced');",
      "/* t('block comment') */ t('it\\'s')",
    ].join('\n');
    assert.deepEqual(extract(src), ['Stopping VM…', 'A "quoted" {0}', 'plain template', 'spaced', "it's"]);
  });

  it('the committed bundle holds every string of the tree and the connection commands', async () => {
    const { extract } = await import(path.join(root, 'scripts', 'l10n-extract.mjs'));
    const bundle = JSON.parse(fs.readFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), 'utf8'));
    // The files of this slice; other helpers' strings are checked by `node scripts/l10n-extract.mjs --check`.
    const mine = [
      ...fs.readdirSync(path.join(root, 'src/tree/nodes')).map((f) => `src/tree/nodes/${f}`),
      ...['addCluster', 'removeCluster', 'openDemo', 'refresh', 'showOutput', 'registerCommands'].map((f) => `src/commands/${f}.ts`),
    ].map((f) => path.join(root, f));
    const missing = mine.flatMap((f) => (extract(fs.readFileSync(f, 'utf8')) as string[]).filter((k) => !(k in bundle)).map((k) => `${path.basename(f)}: ${k}`));
    assert.deepEqual(missing, [], 'run `npm run l10n`');
  });
});
