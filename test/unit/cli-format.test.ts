import * as assert from 'node:assert/strict';
import { CliError } from '../../src/cli/errors';
import { formatInventory, formatPlan, formatRecord, table } from '../../src/cli/format';
import { partitionedGpus, resolveGpu, resolveServer } from '../../src/cli/resolve';
import type { Gpu, Inventory, OperationPlan, Server } from '../../src/model/types';

const IFACE = '{064092b3-625e-43bf-9eb5-dc845897dd59}';

function gpu(location: string, status: Gpu['assignedStatus'] = 'Partitioned', friendlyName = 'NVIDIA A2'): Gpu {
  const instanceId = `PCI\\VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1\\${location}`;
  const name = `\\\\?\\${instanceId.replace(/\\/g, '#')}#${IFACE}`;
  const u = (n: number) => BigInt(n);
  return {
    device: { instanceId, friendlyName, manufacturer: 'NVIDIA', status: 'OK', class: 'Display' },
    assignedStatus: status,
    partitionable:
      status === 'Partitioned'
        ? {
            name,
            validPartitionCounts: [16, 8, 4, 2, 1],
            partitionCount: 16,
            totalVRAM: 15918030848n,
            availableVRAM: 15918030848n,
            minPartitionVRAM: 939524096n,
            maxPartitionVRAM: 939524096n,
            optimalPartitionVRAM: 939524096n,
            totalEncode: u(36),
            availableEncode: u(36),
            minPartitionEncode: u(2),
            maxPartitionEncode: u(2),
            optimalPartitionEncode: u(2),
            totalDecode: u(24),
            availableDecode: u(24),
            minPartitionDecode: u(1),
            maxPartitionDecode: u(1),
            optimalPartitionDecode: u(1),
            totalCompute: u(2048),
            availableCompute: u(2048),
            minPartitionCompute: u(128),
            maxPartitionCompute: u(128),
            optimalPartitionCompute: u(128),
            computerName: 'N1',
            isDeleted: false,
          }
        : undefined,
  };
}

const g0 = gpu('4&18416DC3&0&0000');
const g1 = gpu('4&18416DC3&0&0008');
const g2 = gpu('4&18416DC3&0&0010', 'ReadyForDDA', 'NVIDIA A16');

const server: Server = {
  name: 'N1',
  gpus: [g0, g1, g2],
  vms: [
    {
      name: 'vm-a',
      id: '11111111-1111-1111-1111-111111111111',
      state: 'Running',
      generation: 2,
      computerName: 'N1',
      offlineAction: 1,
      adapters: [
        {
          instancePath: g1.partitionable!.name,
          partitionId: 3,
          currentPartitionVRAM: 939524096n,
          name: 'GPU Partition Settings',
          id: 'Microsoft:X\\Y',
          vmId: '11111111-1111-1111-1111-111111111111',
          vmName: 'vm-a',
          vmSnapshotId: '',
          vmSnapshotName: '',
          computerName: 'N1',
          isDeleted: false,
          vmCheckpointId: '',
          vmCheckpointName: '',
        },
      ],
    },
    { name: 'vm-b', id: '2', state: 'Off', generation: 2, computerName: 'N1', adapters: [] },
  ],
};
const inventory: Inventory = { connection: 'test', cluster: 'c1', servers: [server, { name: 'N2', gpus: [], vms: [], error: 'WinRM failed' }], readAt: '2026-01-01T00:00:00.000Z' };

describe('cli resolve', () => {
  it('resolves a server case-insensitively and refuses unknown or unreadable ones', () => {
    assert.equal(resolveServer(inventory, 'n1'), server);
    assert.throws(() => resolveServer(inventory, 'N9'), (e: unknown) => e instanceof CliError && /Known servers: N1, N2/.test(e.message));
    assert.throws(() => resolveServer(inventory, 'N2'), (e: unknown) => e instanceof CliError && /WinRM failed/.test(e.message));
  });

  it('resolves --gpu by Name, PnP InstanceId, index and unique friendly name', () => {
    assert.equal(resolveGpu(server, g1.partitionable!.name), g1);
    assert.equal(resolveGpu(server, g1.partitionable!.name.toLowerCase()), g1);
    assert.equal(resolveGpu(server, g0.device.instanceId), g0);
    assert.equal(resolveGpu(server, '1'), g1);
    assert.throws(() => resolveGpu(server, 'NVIDIA A2'), /matches 2 GPUs on N1\. Use the index \(0, 1\)/);
    assert.throws(() => resolveGpu(server, '3'), /GPU index 3 does not exist on N1: it has 3 GPU\(s\)/);
    assert.throws(() => resolveGpu(server, 'NVIDIA A16'), /is ReadyForDDA, not Partitioned/);
    assert.throws(() => resolveGpu(server, 'RTX'), /GPU 'RTX' was not found on N1/);
  });

  it('lists only Partitioned GPUs for set-count without --gpu', () => {
    assert.deepEqual(partitionedGpus(server), [g0, g1]);
  });
});

describe('cli format', () => {
  it('table pads columns and underlines headers', () => {
    assert.deepEqual(table(['a', 'bb'], [['xxx', 'y']]), ['a    bb', '---  --', 'xxx  y']);
  });

  it('inventory shows GPUs with status, count, VRAM and use, and VMs with state and partition', () => {
    const text = formatInventory(inventory);
    assert.match(text, /^test \(cluster c1\), 2 server\(s\)/);
    assert.match(text, /0 +NVIDIA A2 +Partitioned +OK +16 +16,8,4,2,1 +14\.82 GiB +0\.93 GiB +0\/16/);
    assert.match(text, /1 +NVIDIA A2 +Partitioned +OK +16 +16,8,4,2,1 +14\.82 GiB +0\.93 GiB +1\/16/);
    assert.match(text, /2 +NVIDIA A16 +ReadyForDDA +OK +- +- +- +- +-/);
    assert.match(text, /vm-a +Running +GPU 1, partition 3, 896\.00 MiB +1 \(Save\)/);
    assert.match(text, /vm-b +Off +- +-/);
    assert.match(text, /Server N2\n {2}error: WinRM failed/);
  });

  it('plan shows each step with its exact command, and the refusals', () => {
    const plan: OperationPlan = {
      request: { kind: 'assign', server: 'N1', vms: ['vm-b', 'vm-a'], forceShutdownOfflineAction: false },
      items: [{ server: 'N1', target: 'vm-b', initialState: 'Off', steps: [{ action: 'add-adapter', server: 'N1', target: 'vm-b', command: "Add-VMGpuPartitionAdapter -VMName 'vm-b'" }] }],
      refusals: [{ server: 'N1', target: 'vm-a', code: 'vmAlreadyHasPartition', message: 'already has one' }],
      vmsPowerCycled: [],
      gpusChanged: [],
    };
    const text = formatPlan(plan);
    assert.match(text, /^What if: assign a GPU partition to vm-b, vm-a on N1\. Nothing is changed\./);
    assert.match(text, /N1\/vm-b \(now Off\):\n {2}1\. add-adapter: Add-VMGpuPartitionAdapter -VMName 'vm-b'/);
    assert.match(text, /Refused:\n {2}N1\/vm-a: already has one \[vmAlreadyHasPartition\]/);
  });

  it('records name host, target and non-output streams', () => {
    assert.equal(formatRecord({ time: 't', stream: 'step', step: 'stop-vm', host: 'N1', target: 'vm-a', message: 'Stopping' }), '[N1/vm-a] stop-vm: Stopping\n');
    assert.equal(formatRecord({ time: 't', stream: 'warning', message: 'careful' }), 'WARNING: careful\n');
  });
});
