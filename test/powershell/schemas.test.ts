/**
 * The tolerant schemas and the envelope -> Inventory mapping (no pwsh needed): what hosts print in
 * their different ways is accepted, and what does not fit becomes an error naming host, record and
 * field on that server only.
 */
import { strict as assert } from 'node:assert';
import { deriveAssignedStatus } from '../../src/hyperv/assignedStatus';
import { inventoryFromEnvelope } from '../../src/hyperv/inventoryMapper';
import { REDACTED, redactParams, redactText, secretsOf } from '../../src/hyperv/redact';
import { dateString, formatProblem, oneOrMany, parseRecords, u64, int } from '../../src/hyperv/schemas';

const GPU_NAME = '\\\\?\\PCI#VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1#4&18416dc3&0&0000#{064092b3-625e-43bf-9eb5-dc845897dd59}';
const INSTANCE = 'PCI\\VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1\\4&18416DC3&0&0000';

function gpuRecord(host: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const r: Record<string, unknown> = { type: 'gpu', host, name: GPU_NAME, validPartitionCounts: [16, 8, 4, 2, 1], partitionCount: 16, computerName: host, isDeleted: false };
  for (const k of ['VRAM', 'Encode', 'Decode', 'Compute']) {
    for (const p of ['total', 'available', 'minPartition', 'maxPartition', 'optimalPartition']) r[`${p}${k}`] = '939524096';
  }
  return { ...r, ...over };
}

describe('schemas of the script records', () => {
  it('UInt64 as decimal strings become bigint, up to UInt64.MaxValue; negative or larger is refused', () => {
    assert.equal(u64.parse('18446744073709551615'), 18446744073709551615n);
    assert.equal(u64.parse(36), 36n);
    assert.equal(u64.safeParse('18446744073709551616').success, false);
    assert.equal(u64.safeParse('-1').success, false);
    assert.equal(u64.safeParse('1.5').success, false);
  });

  it('one item or an array; integers from numbers or numeric strings', () => {
    assert.deepEqual(oneOrMany(int).parse(16), [16]);
    assert.deepEqual(oneOrMany(int).parse(['16', 8]), [16, 8]);
    assert.deepEqual(oneOrMany(int).parse(null), []);
  });

  it('/Date(ms)/ (Windows PowerShell 5.1) and ISO dates both become ISO', () => {
    assert.equal(dateString.parse('/Date(1700000000000)/'), '2023-11-14T22:13:20.000Z');
    assert.equal(dateString.parse('/Date(1700000000000+0100)/'), '2023-11-14T22:13:20.000Z');
    assert.equal(dateString.parse('2023-11-14T22:13:20.0000000Z'), '2023-11-14T22:13:20.000Z');
    assert.equal(dateString.safeParse('yesterday').success, false);
  });

  it('open enums keep unknown values; optional fields may be absent, null or empty; True/False strings are booleans', () => {
    const { records, problems } = parseRecords([
      { type: 'vm', host: 'H1', name: 'a', id: 'x', state: 'FastSaved', generation: '2', automaticCheckpointsEnabled: 'False', lowMemoryMappedIoSpace: null, highMemoryMappedIoSpace: '' },
      { type: 'adapter', host: 'H1', id: 'Microsoft:X\\Y', vmId: 'x', vmName: 'a', minPartitionVRAM: '', partitionId: null },
      { type: 'gpu', ...gpuRecord('H1', { validPartitionCounts: 16, supportsIncomingLiveMigration: 'True' }) },
      { type: 'futureRecordKind', anything: 1 },
    ]);
    assert.deepEqual(problems, []);
    assert.equal(records.length, 3);
    const vm = records[0] as { state: string; generation: number; automaticCheckpointsEnabled: boolean; lowMemoryMappedIoSpace?: bigint };
    assert.equal(vm.state, 'FastSaved');
    assert.equal(vm.generation, 2);
    assert.equal(vm.automaticCheckpointsEnabled, false);
    assert.equal(vm.lowMemoryMappedIoSpace, undefined);
    const ad = records[1] as { name: string; vmSnapshotId: string; minPartitionVRAM?: bigint };
    assert.equal(ad.name, 'GPU Partition Settings');
    assert.equal(ad.vmSnapshotId, '00000000-0000-0000-0000-000000000000');
    assert.equal(ad.minPartitionVRAM, undefined);
    const g = records[2] as { validPartitionCounts: number[]; supportsIncomingLiveMigration: boolean };
    assert.deepEqual(g.validPartitionCounts, [16]);
    assert.equal(g.supportsIncomingLiveMigration, true);
  });

  it('a record that does not fit names the host, the record and the field', () => {
    const { records, problems } = parseRecords([gpuRecord('AZL-N02', { totalVRAM: '-5' }), { host: 'AZL-N03', name: 'no type' }, 'text']);
    assert.equal(records.length, 0);
    assert.equal(formatProblem(problems[0]), `AZL-N02: gpu "${GPU_NAME}": field "totalVRAM" outside the UInt64 range`.replace('outside the UInt64 range', problems[0].message));
    assert.equal(problems[0].field, 'totalVRAM');
    assert.equal(problems[0].host, 'AZL-N02');
    assert.equal(problems[1].field, 'type');
    assert.equal(problems[2].record, 'record #2');
  });

  it('the envelope maps to an Inventory; a bad record becomes that server\'s error while the others fill', () => {
    const envelope = {
      records: [
        { type: 'node', name: 'N1', state: 'Up' },
        { type: 'node', name: 'N2', state: 'Up' },
        { type: 'cluster', name: 'c1' },
        { type: 'hostFacts', host: 'N1', osCaption: 'Microsoft Azure Stack HCI', osBuild: 26100, hyperVInstalled: true },
        { type: 'pnp', host: 'N1', instanceId: INSTANCE, friendlyName: 'NVIDIA A2', manufacturer: 'NVIDIA', status: 'OK', class: 'Display', expressSpecVersion: 2, sriovSupport: 0 },
        gpuRecord('N1'),
        { type: 'vm', host: 'N1', name: 'vm1', id: 'ABC', state: 'Off', generation: 2 },
        { type: 'adapter', host: 'N1', id: 'Microsoft:ABC\\D', vmId: 'abc', vmName: 'vm1', instancePath: GPU_NAME },
        { type: 'offlineAction', host: 'N1', vmName: 'vm1', vmId: 'abc', resource: 'Virtual Machine vm1', value: 3 },
        gpuRecord('N2', { partitionCount: 'sixteen' }),
      ],
      errors: [],
    };
    const { inventory, problems } = inventoryFromEnvelope(envelope, 'conn');
    assert.equal(inventory.cluster, 'c1');
    assert.deepEqual(
      inventory.servers.map((s) => s.name),
      ['N1', 'N2'],
    );
    const [n1, n2] = inventory.servers;
    assert.equal(n1.error, undefined);
    assert.equal(n1.gpus[0].assignedStatus, 'Partitioned');
    assert.equal(n1.gpus[0].partitionable?.totalVRAM, 939524096n);
    assert.equal(n1.vms[0].id, 'abc');
    assert.equal(n1.vms[0].adapters[0].instancePath, GPU_NAME);
    assert.equal(n1.vms[0].offlineAction, 3);
    assert.match(n2.error ?? '', /^N2: gpu ".*": field "partitionCount" /);
    assert.equal(problems.length, 1);
  });

  it('a node the script could not read carries its error; an unknown host problem reaches every server', () => {
    const { inventory } = inventoryFromEnvelope(
      { records: [{ type: 'node', name: 'N1' }, { type: 'node', name: 'N2' }, { type: 'vm', name: 'x' }], errors: [{ host: 'N2', op: 'New-CimSession', message: 'WinRM cannot complete the operation.' }] },
      'conn',
    );
    assert.equal(inventory.servers[1].error, 'WinRM cannot complete the operation.');
    assert.match(inventory.servers[0].error ?? '', /vm "x": field "host"/);
  });

  it('assigned status from device facts: the four WAC states', () => {
    assert.equal(deriveAssignedStatus({}, false), 'NotAssignable');
    assert.equal(deriveAssignedStatus({ expressSpecVersion: 2 }, true), 'Partitioned');
    assert.equal(deriveAssignedStatus({ expressSpecVersion: 2, sriovSupport: 3, driverInf: 'nvgridswhci.inf' }, false), 'Paravirtualization');
    assert.equal(deriveAssignedStatus({ expressSpecVersion: 2, sriovSupport: 0, driverInf: 'nvgridswhci.inf' }, false), 'ReadyForDDA');
    assert.equal(deriveAssignedStatus({ expressSpecVersion: 2, sriovSupport: 3, driverInf: 'nvdm.inf' }, false), 'ReadyForDDA');
  });

  it('redaction: secret keys, and their raw, base64 and JSON-escaped forms in text', () => {
    const params = { server: 'S', credential: { userName: 'u', password: 'p"w\\1' } };
    assert.deepEqual(redactParams(params), { server: 'S', credential: REDACTED });
    assert.deepEqual(redactParams({ password: 'x', nested: [{ token: 't' }] }), { password: REDACTED, nested: [{ token: REDACTED }] });
    const secrets = secretsOf(params);
    assert.deepEqual(secrets, ['p"w\\1']);
    const text = `a p"w\\1 b ${Buffer.from('p"w\\1').toString('base64')} c ${JSON.stringify('p"w\\1')}`;
    assert.ok(!redactText(text, secrets).includes('w\\1'));
    assert.ok(!redactText(text, secrets).includes(Buffer.from('p"w\\1').toString('base64')));
  });
});
