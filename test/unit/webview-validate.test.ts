// The gate every webview message passes on the extension side (src/webviews/validate.ts), with the
// real schemas of the four panels: what fits is accepted, a wrong shape, an unknown command, a huge
// or deeply nested payload are rejected with a reason, and nothing throws.
import * as assert from 'node:assert/strict';
import { assignValidator } from '../../src/webviews/assign/schema';
import * as AssignP from '../../src/webviews/assign/protocol';
import { configureCountValidator } from '../../src/webviews/configureCount/schema';
import * as CountP from '../../src/webviews/configureCount/protocol';
import { detailsValidator } from '../../src/webviews/details/schema';
import { unassignValidator } from '../../src/webviews/unassign/schema';
import { IpcCommand } from '../../src/webviews/ipc';
import { boundedJsonSize, MAX_MESSAGE_CHARS, type Checked } from '../../src/webviews/validate';

const GPU = '\\\\?\\PCI#VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1#4&18416dc3&0&0000#{064092b3-625e-43bf-9eb5-dc845897dd59}';

function reason(c: Checked): string {
  return c.ok ? 'accepted' : c.rejection.reason;
}

describe('webview message validation (extension side)', () => {
  it('accepts well-formed messages of each panel and returns their params', () => {
    const c = configureCountValidator(CountP.configure.message({ selected: [{ server: 'AZL-N01', gpu: GPU }], count: 8 }));
    assert.equal(reason(c), 'accepted');
    assert.ok(c.ok && CountP.configure.is(c.message));
    assert.deepEqual(c.ok && c.message.params, { selected: [{ server: 'AZL-N01', gpu: GPU }], count: 8 });
    assert.equal(reason(configureCountValidator({ method: 'configureCount/ready', params: {} })), 'accepted');
    assert.equal(reason(configureCountValidator({ method: 'configureCount/selectionChanged', params: { seq: 3, selected: [] } })), 'accepted');
    assert.equal(
      reason(assignValidator(AssignP.assign.message({ server: 'AZL-N01', vms: ['cad-ws-02'], vramBytes: '1989753856', forceShutdownOfflineAction: true }))),
      'accepted',
    );
    assert.equal(reason(unassignValidator({ method: 'unassign/unassign', params: { server: 'AZL-N01', vms: ['cad-ws-02'] } })), 'accepted');
    assert.equal(reason(detailsValidator({ method: 'details/copyValue', params: { value: '15918030848' } })), 'accepted');
  });

  it('rejects a wrong shape: missing, extra or mistyped params, and non-messages', () => {
    const wrong: [unknown, string][] = [
      [{ method: 'configureCount/configure', params: { selected: 'AZL-N01', count: 8 } }, 'bad-params'],
      [{ method: 'configureCount/configure', params: { selected: [], count: '8' } }, 'bad-params'],
      [{ method: 'configureCount/configure', params: { selected: [], count: 8.5 } }, 'bad-params'],
      [{ method: 'configureCount/configure', params: { selected: [], count: 0 } }, 'bad-params'],
      [{ method: 'configureCount/configure', params: { selected: [], count: 70000 } }, 'bad-params'], // PartitionCount is UInt16
      [{ method: 'configureCount/configure', params: { selected: [{ server: 'AZL-N01', gpu: GPU, extra: 1 }], count: 8 } }, 'bad-params'],
      [{ method: 'configureCount/configure', params: { selected: [{ server: '', gpu: GPU }], count: 8 } }, 'bad-params'],
      [{ method: 'configureCount/configure' }, 'not-a-message'],
      [{ method: 'configureCount/configure', params: { selected: [], count: 8 }, extra: true }, 'not-a-message'],
    ];
    for (const [m, expected] of wrong) assert.equal(reason(configureCountValidator(m)), expected, JSON.stringify(m));
    for (const m of [null, undefined, 42, 'configureCount/configure', [], { params: {} }, { method: 7, params: {} }]) {
      assert.equal(reason(configureCountValidator(m)), 'not-a-message', JSON.stringify(m));
    }
    // Assign: VRAM must be UInt64 digits, VMs at least one, the offline action a boolean.
    for (const params of [
      { server: 'AZL-N01', vms: [], vramBytes: '1', forceShutdownOfflineAction: false },
      { server: 'AZL-N01', vms: ['a'], vramBytes: '1e9', forceShutdownOfflineAction: false },
      { server: 'AZL-N01', vms: ['a'], vramBytes: '-1', forceShutdownOfflineAction: false },
      { server: 'AZL-N01', vms: ['a'], vramBytes: '1', forceShutdownOfflineAction: 'yes' },
      { server: 'AZL-N01', vms: ['x'.repeat(513)], vramBytes: '1', forceShutdownOfflineAction: false },
    ]) {
      assert.equal(reason(assignValidator({ method: 'assign/assign', params })), 'bad-params', JSON.stringify(params));
    }
  });

  it('rejects an unknown command, and a command of another panel', () => {
    assert.equal(reason(configureCountValidator({ method: 'configureCount/formatDisk', params: {} })), 'unknown-command');
    assert.equal(reason(configureCountValidator({ method: 'assign/assign', params: { server: 'AZL-N01', vms: ['a'], vramBytes: '1', forceShutdownOfflineAction: false } })), 'unknown-command');
    assert.equal(reason(detailsValidator({ method: 'unassign/unassign', params: { server: 'AZL-N01', vms: ['a'] } })), 'unknown-command');
    assert.equal(reason(configureCountValidator({ method: '__proto__', params: {} })), 'unknown-command');
    assert.equal(reason(configureCountValidator({ method: 'x'.repeat(1000), params: {} })), 'not-a-message');
  });

  it('rejects a huge payload early, without walking all of it', () => {
    const huge = { method: 'configureCount/configure', params: { selected: Array.from({ length: 200_000 }, () => ({ server: 'AZL-N01', gpu: GPU })), count: 8 } };
    const t0 = process.hrtime.bigint();
    assert.equal(reason(configureCountValidator(huge)), 'too-large');
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(ms < 200, `took ${ms} ms`);
    assert.equal(reason(detailsValidator({ method: 'details/copyValue', params: { value: 'x'.repeat(MAX_MESSAGE_CHARS) } })), 'too-large');
    // Just under the cap but over a field's own bound: the schema still refuses it.
    assert.equal(reason(detailsValidator({ method: 'details/copyValue', params: { value: 'x'.repeat(2000) } })), 'bad-params');
  });

  it('rejects deep nesting and values JSON cannot carry', () => {
    let deep: unknown = {};
    for (let i = 0; i < 50; i++) deep = { a: deep };
    assert.equal(reason(configureCountValidator({ method: 'configureCount/ready', params: deep })), 'too-deep');
    assert.equal(reason(configureCountValidator({ method: 'configureCount/configure', params: { selected: [], count: 8n } })), 'too-large');
  });

  it('measures JSON size with a bound', () => {
    assert.deepEqual(boundedJsonSize({ a: 'xy' }, 100, 8), { size: JSON.stringify({ a: 'xy' }).length, tooDeep: false });
    assert.equal(boundedJsonSize([1, 2, 3], 100, 8).size, JSON.stringify([1, 2, 3]).length);
    assert.ok(boundedJsonSize('x'.repeat(101), 100, 8).size > 100);
  });

  it('IpcCommand.is() tells messages apart by method only', () => {
    const a = new IpcCommand<{ x: number }>('s', 'a');
    assert.equal(a.method, 's/a');
    assert.equal(a.is({ method: 's/a', params: {} }), true);
    assert.equal(a.is({ method: 's/b', params: {} }), false);
    assert.equal(a.is(null), false);
    assert.deepEqual(a.message({ x: 1 }), { method: 's/a', params: { x: 1 } });
  });
});
