import * as assert from 'node:assert/strict';
import { helpText, parseArgs, parseCount, UsageError, usageErrorText } from '../../src/cli/args';
import { toJson } from '../../src/cli/json';

function usageError(argv: string[], pattern: RegExp): UsageError {
  let caught: unknown;
  try {
    parseArgs(argv);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof UsageError, `expected a UsageError for ${argv.join(' ')}, got ${String(caught)}`);
  assert.match(caught.message, pattern);
  return caught;
}

describe('cli args: parseArgs', () => {
  it('parses sim init', () => {
    assert.deepEqual(parseArgs(['sim', 'init', 'demo', '--out', 'x.json']), { command: 'sim-init', scenario: 'demo', out: 'x.json' });
    assert.deepEqual(parseArgs(['sim', 'init', '--out=x.json', 'mixed']), { command: 'sim-init', scenario: 'mixed', out: 'x.json' });
  });

  it('parses inventory with defaults', () => {
    assert.deepEqual(parseArgs(['inventory', '--sim', 'demo']), {
      command: 'inventory',
      backend: 'sim',
      sim: 'demo',
      cluster: undefined,
      computer: undefined,
      json: false,
    });
    const c = parseArgs(['inventory', '--json', '--sim=state.json']);
    assert.equal(c.command, 'inventory');
    assert.ok(c.command === 'inventory' && c.json && c.sim === 'state.json');
  });

  it('parses set-count with and without --gpu', () => {
    const c = parseArgs(['set-count', '--sim', 's.json', '--server', 'AZL-N01', '--count', '8', '--what-if', '--yes']);
    assert.deepEqual(c, {
      command: 'set-count',
      server: 'AZL-N01',
      gpu: undefined,
      count: 8,
      backend: 'sim',
      sim: 's.json',
      cluster: undefined,
      computer: undefined,
      json: false,
      whatIf: true,
      yes: true,
    });
    const g = parseArgs(['set-count', '--sim', 's.json', '--server', 'AZL-N01', '--gpu', '1', '--count', '4', '--json']);
    assert.ok(g.command === 'set-count' && g.gpu === '1' && g.count === 4 && g.json && !g.whatIf);
  });

  it('parses assign with repeated --vm and --force-shutdown', () => {
    const c = parseArgs(['assign', '--sim', 's.json', '--server', 'AZL-N01', '--vm', 'a', '--vm', 'b', '--gpu', '0', '--force-shutdown']);
    assert.ok(c.command === 'assign');
    assert.deepEqual(c.vms, ['a', 'b']);
    assert.equal(c.gpu, '0');
    assert.equal(c.forceShutdown, true);
    assert.equal(c.whatIf, false);
  });

  it('parses unassign', () => {
    const c = parseArgs(['unassign', '--sim', 's.json', '--server', 'S', '--vm', 'x']);
    assert.ok(c.command === 'unassign');
    assert.deepEqual(c.vms, ['x']);
  });

  it('parses the powershell backend options without requiring --sim', () => {
    const c = parseArgs(['inventory', '--backend', 'powershell', '--cluster', 'azl-prod']);
    assert.ok(c.command === 'inventory' && c.backend === 'powershell' && c.cluster === 'azl-prod' && c.sim === undefined);
    const d = parseArgs(['assign', '--backend=powershell', '--computer', 'N01', '--server', 'N01', '--vm', 'v']);
    assert.ok(d.command === 'assign' && d.computer === 'N01');
  });

  it('returns help for --help, -h, help and <cmd> --help', () => {
    assert.deepEqual(parseArgs(['--help']), { command: 'help', topic: undefined });
    assert.deepEqual(parseArgs(['-h']), { command: 'help', topic: undefined });
    assert.deepEqual(parseArgs(['assign', '--help']), { command: 'help', topic: 'assign' });
    assert.deepEqual(parseArgs(['sim', 'init', '--help']), { command: 'help', topic: 'sim init' });
    assert.deepEqual(parseArgs(['help', 'set-count']), { command: 'help', topic: 'set-count' });
  });

  it('rejects usage errors', () => {
    usageError([], /No command/);
    usageError(['frobnicate'], /Unknown command 'frobnicate'/);
    usageError(['sim', 'start'], /Unknown command 'sim start'/);
    usageError(['inventory', '--sim', 'demo', '--bogus'], /Unknown option '--bogus'/);
    usageError(['inventory', '--sim'], /'--sim' needs a value/);
    usageError(['inventory'], /Missing --sim/);
    usageError(['set-count', '--sim', 's', '--server', 'S'], /Missing required option '--count'/);
    usageError(['set-count', '--sim', 's', '--server', '--count', '8'], /'--server' needs a value/);
    usageError(['set-count', '--sim', 's', '--server', 'S', '--count', 'eight'], /whole number/);
    usageError(['set-count', '--sim', 's', '--server', 'S', '--count', '0'], /between 1 and 65535/);
    usageError(['set-count', '--sim', 's', '--server', 'S', '--count', '70000'], /between 1 and 65535/);
    usageError(['set-count', '--sim', 's', '--server', 'S', '--count', '4', '--server', 'T'], /more than once/);
    usageError(['assign', '--sim', 's', '--server', 'S'], /Missing required option '--vm'/);
    usageError(['assign', '--sim', 's', '--server', 'S', '--vm', 'a', '--vm', 'A'], /more than once/);
    usageError(['unassign', '--sim', 's', '--server', 'S', '--vm', 'a', '--gpu', '0'], /Unknown option '--gpu' for 'unassign'/);
    usageError(['inventory', '--sim', 'demo', '--json=yes'], /takes no value/);
    usageError(['inventory', '--sim', 'demo', '--backend', 'wmi'], /--backend must be/);
    usageError(['inventory', '--sim', 'demo', '--cluster', 'c'], /need --backend powershell/);
    usageError(['inventory', '--backend', 'powershell', '--cluster', 'c', '--computer', 'n'], /either --cluster or --computer/);
    usageError(['inventory', '--sim', 'demo', 'extra'], /Unexpected argument 'extra'/);
    usageError(['sim', 'init', '--out', 'x'], /Missing <scenario>/);
  });

  it('prints the usage line of the command with a usage error', () => {
    const e = usageError(['assign', '--sim', 's', '--server', 'S', '--vm'], /needs a value/);
    const text = usageErrorText(e);
    assert.match(text, /^gpup: Option '--vm' needs a value\.\nUsage: gpup assign --sim FILE --server S --vm NAME/);
  });

  it('parseCount accepts whole numbers only', () => {
    assert.equal(parseCount('16'), 16);
    assert.throws(() => parseCount('1.5'), UsageError);
    assert.throws(() => parseCount('-1'), UsageError);
    assert.throws(() => parseCount(''), UsageError);
  });

  it('help lists every command, and command help lists its options', () => {
    const all = helpText();
    for (const c of ['sim init', 'inventory', 'set-count', 'assign', 'unassign']) {
      assert.ok(all.includes(`gpup ${c}`), c);
    }
    const assign = helpText('assign');
    for (const f of ['--vm', '--gpu', '--force-shutdown', '--what-if', '--yes', '--json', '--backend']) {
      assert.ok(assign.includes(f), f);
    }
    assert.ok(!helpText('unassign').includes('--force-shutdown'));
  });
});

describe('cli json', () => {
  it('writes bigint values as decimal strings', () => {
    const text = toJson({ a: 18446744073709551615n, b: [1n, 2], c: 'x' });
    assert.deepEqual(JSON.parse(text), { a: '18446744073709551615', b: ['1', 2], c: 'x' });
  });
});
