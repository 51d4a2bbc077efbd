import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createBackendFactory, simStatePath } from '../../src/connections/backendFactory';
import { connectionNameProblem, DEMO_CONNECTION, parseConnections, sameConnection, simStateFileName } from '../../src/connections/connectionConfig';
import { createOutputSink, formatOutputRecord, logLevelOf } from '../../src/commands/outputSink';
import { parseState } from '../../src/sim';

describe('connections/connectionConfig', () => {
  it('parses the names.md shapes and keeps going past bad entries', () => {
    const r = parseConnections([
      { name: 'demo', kind: 'sim', scenario: 'demo' },
      { name: ' prod ', kind: 'cluster', computerName: ' azl-prod.contoso.com ', userName: 'CONTOSO\\admin', extra: 1 },
      { name: 'h', kind: 'server', computerName: 'hv01' },
      { name: 'x', kind: 'cluster' },
      { kind: 'sim' },
      { name: 'DEMO', kind: 'sim' },
      { name: 'q', kind: 'vmware' },
      'nope',
    ]);
    assert.deepEqual(r.connections, [
      { name: 'demo', kind: 'sim', scenario: 'demo' },
      { name: 'prod', kind: 'cluster', computerName: 'azl-prod.contoso.com', userName: 'CONTOSO\\admin' },
      { name: 'h', kind: 'server', computerName: 'hv01' },
    ]);
    assert.deepEqual(r.invalid.map((i) => [i.index, i.name]), [[3, 'x'], [4, undefined], [5, 'DEMO'], [6, 'q'], [7, undefined]]);
    assert.match(r.invalid[0].reason, /computerName/);
    assert.match(r.invalid[2].reason, /unique/);
    assert.deepEqual(parseConnections(undefined), { connections: [], invalid: [] });
    assert.equal(parseConnections({}).invalid.length, 1);
  });

  it('the demo connection, name checks, equality', () => {
    assert.deepEqual(DEMO_CONNECTION, { name: 'demo', kind: 'sim', scenario: 'demo' });
    assert.equal(connectionNameProblem('  ', []), 'empty');
    assert.equal(connectionNameProblem('Demo', [DEMO_CONNECTION]), 'duplicate');
    assert.equal(connectionNameProblem('prod', [DEMO_CONNECTION]), undefined);
    assert.ok(sameConnection({ name: 'd', kind: 'sim' }, { name: 'd', kind: 'sim', scenario: 'demo' }));
    assert.ok(!sameConnection({ name: 'd', kind: 'sim' }, { name: 'd', kind: 'sim', scenario: 'large' }));
  });

  it('state file names are safe and distinct', () => {
    assert.equal(simStateFileName('demo'), 'demo.json');
    const a = simStateFileName('a/b');
    const b = simStateFileName('a_b');
    assert.match(a, /^a_b-[0-9a-f]{8}\.json$/);
    assert.equal(b, 'a_b.json');
    assert.notEqual(simStateFileName('../../etc'), simStateFileName('.._.._etc'));
    assert.ok(!simStateFileName('../../etc').includes('/'));
  });
});

describe('connections/backendFactory', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpup-factory-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const factory = () => createBackendFactory({ storageDir: dir, powershell: () => ({ path: '', timeoutSeconds: 300 }), saveDelayMs: 5 });

  it('sim: creates <storage>/<name>.json from the scenario, reads the demo, saves changes, reloads them', async () => {
    const b = factory()({ name: 'demo', kind: 'sim', scenario: 'demo' });
    const file = path.join(dir, 'demo.json');
    assert.ok(fs.existsSync(file), 'state file created on first use');
    const inv = await b.inventory();
    assert.equal(inv.connection, 'demo');
    assert.deepEqual(inv.servers.map((s) => s.name), ['AZL-N01', 'AZL-N02', 'AZL-N03', 'AZL-N04']);
    const result = await b.execute({ kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-02'], forceShutdownOfflineAction: false });
    assert.ok(result.ok, JSON.stringify(result));
    b.dispose(); // flushes the debounced save
    const saved = parseState(fs.readFileSync(file, 'utf8'));
    const n01 = saved.servers.find((s) => s.name === 'AZL-N01')!;
    assert.equal(n01.vms.find((v) => v.name === 'cad-ws-02')!.adapters.length, 1);

    const again = factory()({ name: 'demo', kind: 'sim', scenario: 'demo' });
    const inv2 = await again.inventory();
    const vm = inv2.servers[0].vms.find((v) => v.name === 'cad-ws-02')!;
    assert.equal(vm.adapters.length, 1, 'the state survives a new backend (a new session)');
    again.dispose();
  });

  it('sim: stateFile is used as given; relative paths resolve against storage', () => {
    assert.equal(simStatePath({ name: 'x', kind: 'sim', stateFile: 'lab/x.json' }, dir), path.join(dir, 'lab', 'x.json'));
    assert.equal(simStatePath({ name: 'x', kind: 'sim', stateFile: '/tmp/abs.json' }, dir), '/tmp/abs.json');
    assert.equal(simStatePath({ name: 'x', kind: 'sim', stateFile: '~/s.json' }, dir), path.join(os.homedir(), 's.json'));
    const b = factory()({ name: 'x', kind: 'sim', scenario: 'not-ready', stateFile: 'lab/x.json' });
    assert.ok(fs.existsSync(path.join(dir, 'lab', 'x.json')));
    b.dispose();
  });

  it('sim: an unknown scenario or a corrupt state file is an error (the tree shows it on the connection)', () => {
    assert.throws(() => factory()({ name: 'y', kind: 'sim', scenario: 'nope' }), /Unknown simulator scenario/);
    fs.writeFileSync(path.join(dir, 'z.json'), '{ not json');
    assert.throws(() => factory()({ name: 'z', kind: 'sim' }), /not valid JSON/);
  });
});

describe('commands/outputSink', () => {
  it('writes "[host] target: message" at the level of the stream', () => {
    const lines: string[] = [];
    const channel = {
      trace: (m: string) => lines.push(`trace ${m}`),
      debug: (m: string) => lines.push(`debug ${m}`),
      info: (m: string) => lines.push(`info ${m}`),
      warn: (m: string) => lines.push(`warn ${m}`),
      error: (m: string | Error) => lines.push(`error ${String(m)}`),
    };
    const sink = createOutputSink(channel);
    sink({ time: 't', stream: 'step', host: 'AZL-N01', target: 'cad-ws-02', step: 'stop-vm', message: "Stop-VM -Name 'cad-ws-02'" });
    sink({ time: 't', stream: 'warning', host: 'AZL-N01', message: 'slow' });
    sink({ time: 't', stream: 'error', target: 'x', message: 'failed' });
    sink({ time: 't', stream: 'verbose', message: 'v' });
    sink({ time: 't', stream: 'information', host: 'h', target: 'x', step: 'done', message: 'ok' });
    assert.deepEqual(lines, [
      "info [AZL-N01] cad-ws-02: stop-vm Stop-VM -Name 'cad-ws-02'",
      'warn [AZL-N01] slow',
      'error x: failed',
      'debug v',
      'info [h] x: ok',
    ]);
    assert.equal(logLevelOf({ time: '', stream: 'progress', message: '' }), 'trace');
    assert.equal(formatOutputRecord({ time: '', stream: 'output', message: 'plain' }), 'plain');
  });
});
