import { strict as assert } from 'node:assert';
import {
  deviceKey,
  deviceLocation,
  findGpu,
  gpuConfigKey,
  gpuLabel,
  instanceIdFromGpuName,
  sameDevice,
  sameGpuRef,
  shortDeviceId,
} from '../../src/model/gpuIdentity';
import { a2Gpu, server } from './fixtures/inventories';

const NAME = '\\\\?\\PCI#VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1#4&18416dc3&0&0000#{064092b3-625e-43bf-9eb5-dc845897dd59}';
const INSTANCE = 'PCI\\VEN_10DE&DEV_25B6&SUBSYS_157E10DE&REV_A1\\4&18416DC3&0&0000';

describe('model/gpuIdentity', () => {
  it('the fixture strings are the real forms (one backslash pair after the prefix)', () => {
    assert.equal(NAME.slice(0, 8), '\\\\?\\PCI#');
    assert.equal(INSTANCE.split('\\').length, 3);
  });

  it('matches a partitionable-GPU Name with its PnP InstanceId, case-insensitively', () => {
    assert.equal(instanceIdFromGpuName(NAME), INSTANCE);
    assert.ok(sameDevice(NAME, INSTANCE));
    assert.ok(sameDevice(NAME.toUpperCase(), INSTANCE.toLowerCase()));
    assert.ok(sameDevice(NAME, NAME.toLowerCase()));
  });

  it('does not match a different instance segment or device', () => {
    assert.ok(!sameDevice(NAME, INSTANCE.replace('0&0000', '0&0001')));
    assert.ok(!sameDevice(NAME, INSTANCE.replace('DEV_25B6', 'DEV_25B7')));
    assert.ok(!sameDevice(NAME, INSTANCE.replace('18416DC3', '18416DC4')));
  });

  it('matches client GPU-PV names ending in \\GPUPARAV', () => {
    const parav = `${NAME}\\GPUPARAV`;
    assert.equal(deviceKey(parav), INSTANCE);
    assert.ok(sameDevice(parav, INSTANCE));
    assert.ok(sameDevice(parav.replace('GPUPARAV', 'gpuparav'), NAME));
  });

  it('short display id and location', () => {
    assert.equal(shortDeviceId(NAME), 'VEN_10DE&DEV_25B6');
    assert.equal(shortDeviceId(INSTANCE.toLowerCase()), 'VEN_10DE&DEV_25B6');
    assert.equal(shortDeviceId('ROOT\\BasicDisplay\\0000'), undefined);
    assert.equal(deviceLocation(NAME), '4&18416DC3&0&0000');
    assert.equal(deviceLocation(INSTANCE), '4&18416DC3&0&0000');
  });

  it('gpuConfigKey: equal for same maker/model/VRAM/count, different when any differs', () => {
    const base = gpuConfigKey(a2Gpu('A', 1, 0));
    assert.ok(base);
    assert.equal(gpuConfigKey(a2Gpu('B', 2, 1)), base);
    assert.notEqual(gpuConfigKey(a2Gpu('A', 1, 0, { count: 8 })), base);
    assert.notEqual(gpuConfigKey(a2Gpu('A', 1, 0, { totalVRAM: 15945891840n })), base);
    assert.notEqual(gpuConfigKey(a2Gpu('A', 1, 0, { friendlyName: 'NVIDIA A16' })), base);
    assert.notEqual(gpuConfigKey(a2Gpu('A', 1, 0, { manufacturer: 'AMD' })), base);
    assert.equal(gpuConfigKey(a2Gpu('A', 1, 0, { status: 'ReadyForDDA' })), undefined);
  });

  it('findGpu by Name or InstanceId, any case; labels and refs', () => {
    const s = server('AZL-N01', [a2Gpu('AZL-N01', 0, 0), a2Gpu('AZL-N01', 0, 1)]);
    assert.equal(findGpu(s, NAME), s.gpus[0]);
    assert.equal(findGpu(s, INSTANCE.replace('0&0000', '0&0001').toLowerCase()), s.gpus[1]);
    assert.equal(findGpu(s, INSTANCE.replace('0&0000', '0&0002')), undefined);
    assert.equal(gpuLabel(s.gpus[0]), 'NVIDIA A2 (4&18416DC3&0&0000)');
    assert.ok(sameGpuRef({ server: 'azl-n01', gpu: NAME }, { server: 'AZL-N01', gpu: INSTANCE }));
    assert.ok(!sameGpuRef({ server: 'AZL-N02', gpu: NAME }, { server: 'AZL-N01', gpu: INSTANCE }));
  });
});
